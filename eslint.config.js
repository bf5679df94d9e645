// Flat config: typescript-eslint's recommended rules with type information, kept quiet on style
// (formatting is Prettier's job) and loud on promises, which a bot leaks easily; then the
// boundaries between the areas of src/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The foundation every feature builds on, lowest first. Each area imports only areas listed
// for it (and itself, and the leaf modules at the top of src/: errors.ts, logger.ts); the
// import graph has no cycles (npm run check:deps), so the list is also the order of layers.
const FOUNDATION = [
  'config',
  'store',
  'llm',
  'time',
  'text',
  'news',
  'brief',
  'status',
  'delivery',
  'render',
];
// Features never import each other: one reads another only through an interface the
// composition root (src/app) passes in.
const FEATURES = ['digest', 'feeds', 'subscriptions'];

/** Which areas each folder of src/ may import. A new folder needs a line here (a test checks). */
export const AREA_IMPORTS = {
  config: [],
  store: [],
  llm: [],
  time: [],
  // Sentence splitting and other plain-text rules, for news and brief alike.
  text: [],
  news: ['config', 'store', 'llm', 'text'],
  brief: ['config', 'store', 'llm', 'text', 'news'],
  status: ['store'],
  delivery: ['config', 'store'],
  render: ['news', 'brief', 'status', 'delivery'],
  // Counters and daily tallies that parts report to, for /metrics and the panel's charts.
  metrics: ['store', 'news', 'brief', 'status', 'delivery'],
  digest: FOUNDATION,
  feeds: FOUNDATION,
  subscriptions: FOUNDATION,
  // The command contract: what handlers receive, neutral to every surface.
  interaction: [...FOUNDATION, ...FEATURES],
  // The web panel reads a built Herald and changes things through the commands' own handlers.
  panel: [...FOUNDATION, ...FEATURES, 'interaction', 'metrics', 'app'],
  // The surfaces run the commands through the contract; they never reach a feature directly.
  discord: [...FOUNDATION, 'interaction', 'panel'],
  terminal: [...FOUNDATION, 'interaction'],
  // The composition root builds everything but the surfaces, which exist before it.
  app: [...FOUNDATION, ...FEATURES, 'interaction', 'metrics'],
  // Operations subcommands run on a built Herald and print through the terminal's renderers.
  cli: [...FOUNDATION, ...FEATURES, 'interaction', 'discord', 'terminal', 'app'],
};
const AREAS = Object.keys(AREA_IMPORTS);
/** The command handlers call services and render; they never reach a surface or the root. */
const COMMANDS_IMPORT = [...FOUNDATION, ...FEATURES, 'interaction'];

/** An import of one of `areas`, by any relative path (`../news/x.ts`, `../../src/news/x.ts`). */
const importOf = (areas, message) => ({ regex: `(^|/)(${areas.join('|')})/`, message });
const discordJs = {
  paths: [
    { name: 'discord.js', message: 'discord.js belongs under src/discord; post through src/delivery.' },
  ],
  patterns: [{ group: ['@discordjs/*'], message: 'discord.js belongs under src/discord.' }],
};
// Nothing imports the entry: it sits above everything, so it closes no import cycle
// (.dependency-cruiser.mjs leaves it out of the folder graph for that reason).
const entryPoint = { regex: '(^|/)main\\.ts$', message: 'Nothing imports the entry, src/main.ts.' };
const commandHandlers = {
  regex: '(^|/)commands/',
  message: 'src/ does not import commands/: the entry hands the commands to the root.',
};

/** The no-restricted-imports rule for files that may import `allowed` areas only. */
function boundary(label, allowed, { allowDiscordJs = false, extra = [] } = {}) {
  const forbidden = AREAS.filter((area) => area !== label && !allowed.includes(area));
  const patterns = [entryPoint, ...extra];
  if (forbidden.length > 0) {
    patterns.push(
      importOf(
        forbidden,
        `${label} may import only ${allowed.join(', ') || 'no other area'} (AREA_IMPORTS in eslint.config.js).`,
      ),
    );
  }
  return [
    'error',
    {
      paths: allowDiscordJs ? [] : discordJs.paths,
      patterns: allowDiscordJs ? patterns : [...discordJs.patterns, ...patterns],
    },
  ];
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'coverage/**', 'test-output/**', 'src/panel/static/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  // Later blocks win for the same rule, so each block states a file group's whole list.
  { files: ['commands/**/*.ts'], rules: { 'no-restricted-imports': boundary('commands', COMMANDS_IMPORT) } },
  // The leaf modules at the top of src/ import no area.
  {
    files: ['src/*.ts'],
    rules: { 'no-restricted-imports': boundary('src', [], { extra: [commandHandlers] }) },
  },
  ...AREAS.map((area) => ({
    files: [`src/${area}/**/*.ts`],
    rules: {
      'no-restricted-imports': boundary(area, AREA_IMPORTS[area], {
        allowDiscordJs: area === 'discord',
        extra: [commandHandlers],
      }),
    },
  })),
  // The entry builds the surface, then the root on it, and runs; only discord.js stays behind
  // src/discord.
  { files: ['src/main.ts'], rules: { 'no-restricted-imports': ['error', discordJs] } },
);
