import { z } from 'zod';
import { normalizeDiscordApiUrl } from './discord-api-url.ts';
import { allowHostProblem } from './allow-hosts.ts';

/** An `ingest.fetch.allowHosts` entry; the issue names what is wrong with it. */
const allowHostEntry = z.superRefine<string>((entry, context) => {
  const problem = allowHostProblem(entry);
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem, input: entry });
});

/** A news source from config or added with /sources: a feed, a page, or a local file/dir. */
export const sourceConfigSchema = z
  .object({
    name: z.string().min(1).max(100),
    url: z.url({ protocol: /^https?$/ }).optional(),
    path: z.string().min(1).optional(),
    weight: z.number().min(0).max(10).default(1),
    featured: z.boolean().default(false),
    topics: z.array(z.string().min(1)).default([]),
  })
  .refine((s) => (s.url === undefined) !== (s.path === undefined), {
    message: 'give exactly one of url or path',
  });
export type SourceConfig = z.infer<typeof sourceConfigSchema>;

const rateSchema = z.object({ limit: z.int().min(1), windowSeconds: z.int().min(1) });

export const fileConfigSchema = z.object({
  sources: z.array(sourceConfigSchema).default([]),
  ingest: z
    .object({
      intervalMinutes: z
        .int()
        .min(1)
        .max(24 * 60)
        .default(30),
      /** Items older than this are stored as backlog and never pushed to digests. */
      maxAgeHours: z.number().min(1).default(72),
      sampleNewsDir: z.string().default('config/sample-news'),
      /** A feed item with fewer words than this is a teaser: its page is fetched. */
      teaserMaxWords: z.int().min(0).default(120),
      retentionDays: z.int().min(1).default(30),
      fetch: z
        .object({
          deadlineMs: z.int().min(100).default(15_000),
          idleTimeoutMs: z.int().min(100).default(5_000),
          maxBytes: z
            .int()
            .min(1024)
            .default(5 * 1024 * 1024),
          maxRedirects: z.int().min(0).max(10).default(5),
          /** Private hosts (names, addresses, CIDR ranges) the operator lets Herald fetch from. */
          allowHosts: z.array(z.string().trim().check(allowHostEntry)).default([]),
        })
        .prefault({}),
      maxFailures: z.int().min(1).default(8),
      /** Text kept from one article; the rest is dropped, so every later stage's work is bounded. */
      maxArticleChars: z.int().min(1000).default(200_000),
    })
    .prefault({}),
  topics: z
    .object({
      taxonomyPath: z.string().default('config/topics.json'),
    })
    .prefault({}),
  brief: z
    .object({
      defaultCount: z.int().min(1).max(10).default(5),
      recencyHalfLifeHours: z.number().min(1).default(12),
    })
    .prefault({}),
  digest: z
    .object({
      defaultCount: z.int().min(1).max(10).default(5),
      graceMinutes: z.int().min(0).default(180),
      quietDay: z.enum(['line', 'skip']).default('line'),
      maxPerGuild: z.int().min(1).default(10),
    })
    .prefault({}),
  ask: z
    .object({
      perUser: rateSchema.default({ limit: 5, windowSeconds: 60 }),
      perGuild: rateSchema.default({ limit: 30, windowSeconds: 60 }),
      maxPassages: z.int().min(1).max(20).default(6),
      /**
       * Least calibrated confidence (0..1) for an answer to be shown, offline or from the
       * model; below it Herald says it could not find that. The default comes from the
       * decline curve on the calibration half (docs/answers.md).
       */
      minConfidence: z.number().min(0).max(1).default(0.05),
    })
    .prefault({}),
  feeds: z
    .object({
      /** More matching stories than this in one ingest run: one message listing the headlines. */
      maxPostsPerRun: z.int().min(1).max(50).default(5),
      maxPerGuild: z.int().min(1).default(25),
      /** Channels posted to in parallel in one run. */
      concurrency: z.int().min(1).max(64).default(16),
    })
    .prefault({}),
  limits: z
    .object({
      maxSourcesPerGuild: z.int().min(1).default(25),
      maxSubscriptionsPerUser: z.int().min(1).default(25),
    })
    .prefault({}),
  model: z
    .object({
      model: z.string().min(1).default('gpt-4o-mini'),
      timeoutMs: z.int().min(500).default(20_000),
      maxInputChars: z.int().min(1000).default(12_000),
      breakerFailures: z.int().min(1).default(3),
      breakerCooldownSeconds: z.int().min(1).default(60),
    })
    .prefault({}),
});
export type FileConfig = z.infer<typeof fileConfigSchema>;

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const optionalText = z.string().trim().min(1).optional();

/** Environment overrides; secrets only ever come from here. Empty strings count as unset. */
export const envSchema = z.object({
  DISCORD_TOKEN: optionalText,
  DISCORD_CLIENT_ID: z
    .string()
    .regex(/^\d{17,20}$/, 'must be the application id (a snowflake)')
    .optional(),
  DISCORD_GUILD_ID: z
    .string()
    .regex(/^\d{17,20}$/, 'must be a guild id (a snowflake)')
    .optional(),
  DISCORD_API_URL: z
    .url({ protocol: /^https?$/ })
    .transform(normalizeDiscordApiUrl)
    .optional(),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  OPENAI_MODEL: optionalText,
  STORE_URL: z
    .string()
    .regex(
      /^(sqlite:\/\/.+|rediss?:\/\/.+|memory:\/\/.*)$/,
      'must be sqlite://<file>, redis://<host>:<port> or memory://',
    )
    .default('sqlite://data/herald.sqlite'),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  STORE_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be letters, digits, _ . or - (at most 64)')
    .optional(),
  ANSWER_INDEX_FILE: optionalText,
  HERALD_CONFIG: z.string().default('config/default.json'),
  /** The web panel with /healthz, /readyz and /metrics; `off` serves none of them. */
  PANEL: z.enum(['on', 'off']).default('on'),
  PANEL_HOST: z.string().trim().min(1).default('127.0.0.1'),
  PANEL_PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  /** Where people reach the panel (behind a proxy, https); Discord redirects sign-in back here. */
  PANEL_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** With DISCORD_CLIENT_ID, turns on "Sign in with Discord". */
  DISCORD_CLIENT_SECRET: optionalText,
});
export type EnvConfig = z.infer<typeof envSchema>;

export interface HeraldConfig extends FileConfig {
  env: EnvConfig;
  /** True when a model is configured: an API key, or a base URL of a local server. */
  modelEnabled: boolean;
}
