// Flat config: typescript-eslint's recommended rules with type information, kept quiet on style
// (formatting is not the linter's job here) and loud on promises, which a bot leaks easily.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Boundaries (issue 12): discord.js lives only under src/discord; the services never reach the
// surfaces (src/discord, src/terminal) or the command handlers; nothing in src/ imports
// commands/ but the composition root, src/app, which wires them in.
const discordJs = {
  paths: [
    {
      name: 'discord.js',
      message: 'discord.js belongs under src/discord; post through the delivery port (src/delivery/sink.ts).',
    },
  ],
  patterns: [{ group: ['@discordjs/*'], message: 'discord.js belongs under src/discord.' }],
};
const surfaces = [
  {
    group: ['**/discord/*'],
    message: 'Services do not import src/discord: take a port (src/delivery) instead.',
  },
  {
    group: ['**/terminal/*'],
    message: 'Services do not import src/terminal: take a port (src/delivery) instead.',
  },
];
const commandHandlers = [
  {
    group: ['**/commands/*'],
    message: 'src/ does not import commands/: move what both need into src/ (e.g. src/render).',
  },
];
// Nothing imports the entry: it sits above everything, so it closes no import cycle
// (.dependency-cruiser.mjs leaves it out of the folder graph for that reason).
const entryPoint = {
  patterns: [{ group: ['**/main.ts'], message: 'Nothing imports the entry, src/main.ts.' }],
};
const restrict = (...parts) => [
  'error',
  {
    paths: [entryPoint, ...parts].flatMap((part) => part.paths ?? []),
    patterns: [entryPoint, ...parts].flatMap((part) => part.patterns ?? []),
  },
];
const SERVICE_FOLDERS = [
  'brief',
  'config',
  'delivery',
  'digest',
  'feeds',
  'llm',
  'news',
  'render',
  'store',
  'subscriptions',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'coverage/**'] },
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
  { files: ['commands/**/*.ts'], rules: { 'no-restricted-imports': restrict(discordJs) } },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/main.ts', 'src/app/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(discordJs, { patterns: commandHandlers }) },
  },
  {
    files: ['src/discord/**/*.ts'],
    rules: { 'no-restricted-imports': restrict({ patterns: commandHandlers }) },
  },
  {
    files: [
      ...SERVICE_FOLDERS.map((folder) => `src/${folder}/**/*.ts`),
      'src/status-service.ts',
      'src/errors.ts',
      'src/logger.ts',
    ],
    rules: { 'no-restricted-imports': restrict(discordJs, { patterns: [...surfaces, ...commandHandlers] }) },
  },
  { files: ['src/main.ts'], rules: { 'no-restricted-imports': restrict(discordJs) } },
  // The root builds on the transport the entry (or a test) made, so it needs no surface.
  {
    files: ['src/app/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(discordJs, { patterns: surfaces }) },
  },
);
