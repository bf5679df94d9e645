// The composition root: the one place where Herald's parts are built and wired, and the entry
// point for `npm start` (terminal chat, Discord, or an operations subcommand).
import { randomUUID } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { allCommands } from '../commands/index.ts';
import { ConfigError, loadConfig } from './config/load.ts';
import type { HeraldConfig } from './config/schema.ts';
import { createDiscordBot, type DiscordBot } from './discord/client.ts';
import { connectDiscord, createDiscordTransport, createRestTransport } from './discord/connect.ts';
import { createDeliveryLedger, ledgerEntryCodec } from './delivery/ledger.ts';
import { createGuildNotifier } from './delivery/notices.ts';
import { createPacer, DISCORD_PACE_PER_SECOND, type AdjustablePacer } from './delivery/pacer.ts';
import { createPacerShare, type PacerShare } from './delivery/pacer-share.ts';
import type { DeliveryTransport } from './delivery/sink.ts';
import { describeError, isUserError } from './errors.ts';
import type { Herald } from './herald.ts';
import { createLogger, type Logger } from './logger.ts';
import { buildStoryRepository } from './wiring/repository.ts';
import cron from 'node-cron';
import { createBriefService } from './brief/brief-service.ts';
import { loadTaxonomy } from './brief/topics/taxonomy.ts';
import type { IngestReport } from './news/ingest-service.ts';
import { createOpmlService, OPML_MAX_BYTES } from './news/opml-service.ts';
import { createSafeFetcher } from './news/safe-fetch.ts';
import { createSourceAdmin } from './news/source-admin.ts';
import type { SafeFetcher } from './news/safe-fetch.ts';
import { buildAsk } from './wiring/ask.ts';
import { buildNews } from './wiring/news.ts';
import { buildSummaries } from './wiring/summaries.ts';
import { buildSubscriptions } from './subscriptions/build-subscriptions.ts';
import { buildDigests } from './digest/build-digests.ts';
import { buildFeeds } from './feeds/build-feeds.ts';
import type { Services } from './interaction/services.ts';
import { createStatusService } from './status-service.ts';
import { createStoreBackend, storeUrlForDisplay, type StoreBackend } from './store/backend.ts';
import { retryWithBackoff, withStoreTimeouts, type GuardedStoreBackend } from './store/timeouts.ts';
import type { RecordStore } from './store/types.ts';
import { createTerminal } from './terminal/terminal.ts';
import { createTerminalAccess, createTerminalSink } from './terminal/terminal-sink.ts';
import { parseCliArgs } from './cli/args.ts';
import { cliSubcommands } from './cli/index.ts';

export interface CreateHeraldOptions {
  /** Where everything Herald posts on its own goes (Discord or the terminal); built first. */
  transport: DeliveryTransport;
  log?: Logger;
  now?: () => number;
  /** Redis key prefix; tests give each run its own. */
  keyPrefix?: string;
  /** Tests reach fixture servers on loopback through their own fetcher. */
  fetcher?: SafeFetcher;
  /** Tests put a fault-injecting layer over the store (a full disk, a paused Redis). */
  wrapStore?: (backend: StoreBackend) => StoreBackend;
}

async function countEntries(store: RecordStore<unknown>): Promise<number> {
  let count = 0;
  for await (const _entry of store.entries()) count += 1;
  return count;
}

/** A notice stays given until its destination is set up again (re-armed). */
const NOTICE_CLAIM_MS = 60_000;

/** Builds every service on the configured store and transport. Nothing starts running until startJobs(). */
export async function createHerald(config: HeraldConfig, options: CreateHeraldOptions): Promise<Herald> {
  const { transport } = options;
  const now = options.now ?? Date.now;
  const log = options.log ?? createLogger(config.env.LOG_LEVEL);
  const keyPrefix = options.keyPrefix ?? config.env.STORE_KEY_PREFIX;
  const opened = await createStoreBackend({
    url: config.env.STORE_URL,
    now,
    ...(keyPrefix ? { keyPrefix } : {}),
  });
  const backend = guardStore(options.wrapStore ? options.wrapStore(opened) : opened, log, now);
  const repository = buildStoryRepository(backend);
  const startedAt = now();
  const taxonomy = loadTaxonomy(config.topics.taxonomyPath);
  const { llm, summaries, summaryCache } = buildSummaries(config, backend, log, now);
  const ask = buildAsk({ config, backend, repository, llm, log, now });
  // What commands list (briefs, topics, autocomplete, counts) comes from the story catalog.
  const stories = { getStory: repository.getStory, ...ask.finder };
  const brief = createBriefService({
    repository,
    finder: ask.finder,
    summaries,
    taxonomy,
    now,
    halfLifeHours: config.brief.recencyHalfLifeHours,
  });

  const notifier = createGuildNotifier({
    sink: transport.sink,
    access: transport.access,
    ledger: createDeliveryLedger({
      records: backend.records('guild-notices', ledgerEntryCodec),
      claims: backend.claims,
      claimPrefix: 'guild-notice',
      claimTtlMs: NOTICE_CLAIM_MS,
      now,
    }),
    log,
  });
  const subscriptions = buildSubscriptions({
    config,
    backend,
    sink: transport.sink,
    stories,
    brief,
    taxonomy,
    log,
    now,
  });
  const digests = buildDigests({ config, backend, transport, notifier, brief, taxonomy, log, now });

  // Whatever an ingest changed is re-indexed for /ask at once, then offered to subscribers.
  // DMs are not awaited: many readers must not hold up the next ingest step.
  const changeListeners: ((report: IngestReport) => Promise<void>)[] = [
    async () => void (await ask.catchUp()),
    async (report) => {
      subscriptions.service
        .onNewStories(report.changedStoryIds)
        .catch((error: unknown) => log.error({ err: error }, 'subscription delivery failed'));
    },
  ];
  const news = buildNews({
    config,
    backend,
    repository,
    taxonomy,
    log,
    now,
    onChanged: async (report) => {
      for (const listener of changeListeners) {
        await listener(report).catch((error: unknown) =>
          log.error({ err: error }, 'after-ingest step failed'),
        );
      }
    },
    ...(options.fetcher ? { fetcher: options.fetcher } : {}),
  });
  const feeds = buildFeeds({
    config,
    backend,
    transport,
    notifier,
    stories,
    brief,
    taxonomy,
    sources: news.registry,
    log,
    now,
    // A feed's {published} reads in the timezone of the channel's digest, when it has one.
    timeZoneOf: async (guildId, channelId) =>
      (await digests.service.list(guildId)).find((digest) => digest.channelId === channelId)?.timezone,
  });
  // Channel feeds post as stories arrive; not awaited, like DMs.
  changeListeners.push(async (report) => {
    feeds.service
      .onNewStories(report.changedStoryIds)
      .catch((error: unknown) => log.error({ err: error }, 'channel feed delivery failed'));
  });

  const status = createStatusService({
    startedAt,
    now,
    store: { kind: backend.kind, location: backend.location },
    storeHealth: () => backend.health(),
    model: () =>
      llm
        ? { mode: 'model', model: llm.model, ...llm.usage() }
        : { mode: 'extractive', calls: 0, failures: 0, promptTokens: 0, completionTokens: 0 },
    countSources: async () => (await news.registry.all()).length,
    countStories: () => ask.finder.count(),
    summaries: async () => ({ cached: await countEntries(summaryCache), ...summaries.stats() }),
    lastIngest: async () => {
      const last = news.job.lastReport();
      if (!last) return undefined;
      const { report } = last;
      return {
        at: last.at,
        added: report.added.length,
        merged: report.merged.length,
        skipped: report.skipped.length,
        failed: report.failed.length,
      };
    },
  });

  const sourceAdmin = createSourceAdmin({ registry: news.registry, job: news.job, now });
  // Attachments are downloaded like any other URL, with a cap sized for reading lists.
  const attachmentFetcher =
    options.fetcher ?? createSafeFetcher({ ...config.ingest.fetch, maxBytes: OPML_MAX_BYTES });
  const services: Services = {
    config,
    log,
    now,
    commands: allCommands,
    status,
    brief,
    taxonomy,
    ask,
    sources: news.registry,
    ingest: news.job,
    sourceAdmin,
    opml: createOpmlService({ sourceAdmin, registry: news.registry, fetcher: attachmentFetcher, log, now }),
    subscriptions: subscriptions.service,
    digests: digests.service,
    feeds: feeds.service,
  };
  const stopJobs: (() => Promise<void>)[] = [];
  // A stop signal can come while startJobs is still in its first ingest: close() then waits for
  // that ingest, and startJobs must not schedule anything after it.
  let closing = false;
  let starting: Promise<void> | undefined;
  let closed: Promise<void> | undefined;
  /** A node-cron task that never overlaps itself, stopped with the other jobs on close. */
  const every = (expression: string, name: string, work: () => Promise<void>): void => {
    const task = cron.schedule(expression, work, { name, noOverlap: true });
    stopJobs.push(async () => {
      await task.stop();
      await task.destroy();
    });
  };
  return {
    config,
    log,
    backend,
    services,
    commands: allCommands,
    news,
    ask,
    subscriptions,
    digests,
    feeds,
    startJobs() {
      starting ??= startJobs();
      return starting;
    },
    close() {
      // Idempotent: a signal and an error path may both close.
      closed ??= closeOnce();
      return closed;
    },
  };

  async function closeOnce(): Promise<void> {
    closing = true;
    // What startJobs is doing (catching up the index, the first ingest) ends before the jobs
    // are stopped and the store closes.
    await starting?.catch(() => undefined);
    for (const stop of stopJobs.reverse()) await stop();
    // In-flight writes finish before the store closes.
    await news.job.idle();
    await subscriptions.service.idle();
    await feeds.service.idle();
    ask.close();
    await backend.close();
  }

  async function startJobs(): Promise<void> {
    await ask.catchUp();
    // The first run happens now, so a fresh install has news before the first interval; a
    // close() asked for meanwhile skips what has not begun and schedules nothing.
    if (closing) return;
    await news.job.runAll();
    if (closing) return;
    every(`*/${config.ingest.intervalMinutes} * * * *`, 'herald-ingest', async () => {
      const result = await news.job.runAll();
      // Another instance ran it: pick up what it stored.
      if (!result.ran) await ask.catchUp();
    });
    // Expired ledger entries, slots and summaries are deleted once a day (Redis needs none of it).
    every('17 4 * * *', 'herald-sweep', async () => {
      try {
        const removed = await backend.sweepExpired();
        if (removed > 0) log.info({ removed }, 'expired records swept');
      } catch (error) {
        log.warn({ err: error }, 'sweeping expired records failed; next try tomorrow');
      }
    });
    await subscriptions.scheduler.start();
    stopJobs.push(() => subscriptions.scheduler.stop());
    await digests.scheduler.start();
    stopJobs.push(() => digests.scheduler.stop());
  }
}

/** Store calls bounded in time (Redis: 5 s; SQLite waits up to 10 s on a lock, so longer). */
function guardStore(backend: StoreBackend, log: Logger, now: () => number): GuardedStoreBackend {
  return withStoreTimeouts(backend, {
    timeoutMs: backend.kind === 'sqlite' ? 15_000 : 5_000,
    now,
    onChange: (health) => {
      if (!health.answering)
        log.warn(
          { problem: health.problem },
          'store not answering; store calls fail until it is back (the client reconnects with backoff)',
        );
      else if (!health.writable)
        log.error({ problem: health.problem }, 'store refuses writes; answering from what is stored');
      else log.info('store answering and writable again');
    },
  });
}

function printFatal(message: string): void {
  process.stderr.write(`herald: ${message}\n`);
}

/** Discord's global limit counts every request the process makes: one pacer for all of them. */
function processPacer(): AdjustablePacer {
  return createPacer({ perSecond: DISCORD_PACE_PER_SECOND });
}

/**
 * Instances on one Redis post with one bot token: they split its budget between them (see
 * pacer-share.ts). Other stores mean one instance, which keeps the whole budget.
 */
function sharedPacer(herald: Herald, pacer: AdjustablePacer): PacerShare | undefined {
  const redis = herald.backend.redis;
  if (redis === undefined) return undefined;
  return createPacerShare({
    client: redis.client,
    key: `${redis.prefix}-discord-pacer`,
    instanceId: randomUUID(),
    pacer,
    totalPerSecond: DISCORD_PACE_PER_SECOND,
    log: herald.log,
  });
}

/**
 * What the command line delivers (digest run-due) goes to Discord over REST, or to stderr
 * without a token (stdout carries the --json line).
 */
function subcommandTransport(config: HeraldConfig, pacer: AdjustablePacer): DeliveryTransport {
  const { DISCORD_TOKEN: token, DISCORD_API_URL: apiUrl } = config.env;
  if (token) return createRestTransport({ token, pacer, ...(apiUrl ? { apiUrl } : {}) });
  return { sink: createTerminalSink(process.stderr), access: createTerminalAccess() };
}

async function runSubcommand(herald: Herald, argv: string[]): Promise<number> {
  const args = parseCliArgs(argv);
  const subcommand = cliSubcommands.find((s) => s.name === args.subcommand);
  if (!subcommand) {
    printFatal(
      `unknown subcommand "${args.subcommand}". Available:\n${cliSubcommands.map((s) => `  npm start -- ${s.usage}`).join('\n')}`,
    );
    return 2;
  }
  const output = await subcommand.run(herald, args);
  process.stdout.write(args.json ? `${JSON.stringify(output.json)}\n` : `${output.text}\n`);
  const storeNotice = herald.services.status.storeNotice?.();
  if (storeNotice) printFatal(storeNotice);
  return output.exitCode ?? 0;
}

/** Resolves on the first SIGINT or SIGTERM; listening starts at once, so none is missed. */
function stopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

async function runDiscord(herald: Herald, bot: DiscordBot): Promise<void> {
  // Connecting and the first ingest can take minutes: a stop asked for meanwhile shuts down
  // cleanly (the ingest finishes its batch in close) instead of killing the process mid-write.
  const stopped = stopSignal();
  const startup = (async () => {
    await connectDiscord(herald, bot);
    await herald.startJobs();
  })();
  await Promise.race([startup.then(() => stopped), stopped]);
  herald.log.info('shutting down');
  await bot.stop();
}

async function runTerminal(herald: Herald): Promise<void> {
  const interrupted = stopSignal();
  let stopAsked = false;
  void interrupted.then(() => {
    stopAsked = true;
  });
  await Promise.race([herald.startJobs(), interrupted]);
  if (stopAsked) return;
  // Offline and empty (no reachable sources): the bundled sample news makes the chat useful.
  if ((await herald.services.status.snapshot()).stories === 0) {
    await herald.news.job.ingestLocations([herald.config.ingest.sampleNewsDir]);
  }
  const terminal = createTerminal({
    commands: herald.commands,
    services: herald.services,
    input: process.stdin,
    output: process.stdout,
    interactive: process.stdin.isTTY === true,
  });
  await Promise.race([terminal.run(), interrupted]);
  // On a signal the chat is still reading stdin; stop reading so the process can end.
  process.stdin.destroy();
}

/**
 * Reads `.env` from the working directory when there is one; variables already set in the
 * environment win. (Node's --env-file-if-exists says on every run that the file is missing.)
 */
function loadDotEnv(): void {
  try {
    process.loadEnvFile('.env');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

export async function main(argv: string[]): Promise<number> {
  let config: HeraldConfig;
  try {
    loadDotEnv();
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      printFatal(`configuration: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const isSubcommand = argv.length > 0;
  const token = config.env.DISCORD_TOKEN;
  // In the terminal chat, log lines would interleave with answers: keep them to warnings
  // unless LOG_LEVEL asks for more.
  const level =
    !isSubcommand && !token && process.env.LOG_LEVEL === undefined ? 'warn' : config.env.LOG_LEVEL;
  const log = createLogger(level);
  // A stray rejection in a background task is logged, never allowed to take the bot down.
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
  // Surface first: where Herald's own messages go exists before any service.
  const pacer = processPacer();
  const bot =
    !isSubcommand && token
      ? createDiscordBot({
          token,
          log,
          ...(config.env.DISCORD_API_URL ? { apiUrl: config.env.DISCORD_API_URL } : {}),
        })
      : undefined;
  const transport: DeliveryTransport = isSubcommand
    ? subcommandTransport(config, pacer)
    : bot
      ? createDiscordTransport(bot, pacer)
      : { sink: createTerminalSink(process.stdout), access: createTerminalAccess() };
  let herald: Herald;
  try {
    // The bot waits for its store (a Redis still starting, a network blip), saying so; the
    // command line gives up at once with one line.
    herald = bot
      ? await retryWithBackoff(() => createHerald(config, { log, transport }), {
          onRetry: (attempt, waitMs, error) =>
            log.warn(
              { attempt, retryInSeconds: waitMs / 1000, err: describeError(error) },
              'store unreachable; retrying with backoff',
            ),
        })
      : await createHerald(config, { log, transport });
  } catch (error) {
    printFatal(
      `cannot open the store (${storeUrlForDisplay(config.env.STORE_URL)}): ${isUserError(error) ? error.message : describeError(error)}`,
    );
    return 2;
  }
  // Only a process that posts to Discord takes a share of the token's budget.
  const share =
    bot !== undefined || (isSubcommand && token !== undefined) ? sharedPacer(herald, pacer) : undefined;
  try {
    await share?.start();
    if (isSubcommand) return await runSubcommand(herald, argv);
    if (bot) await runDiscord(herald, bot);
    else await runTerminal(herald);
    return 0;
  } catch (error) {
    if (isUserError(error)) {
      printFatal(error.message);
      return 1;
    }
    log.error({ err: error }, 'herald stopped on an error');
    printFatal(`stopped on an internal error: ${describeError(error)}`);
    return 1;
  } finally {
    await share?.stop();
    await herald.close();
  }
}

const entry = process.argv[1];
if (entry && realpathSync(entry) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
