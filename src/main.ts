// The entry point for `npm start`: reads the configuration and argv, builds the surface (Discord,
// the terminal, or an operations subcommand), builds Herald on it (src/app/herald.ts) and runs.
import { randomUUID } from 'node:crypto';
import { allCommands } from '../commands/index.ts';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHerald, type Herald } from './app/herald.ts';
import { parseCliArgs } from './cli/args.ts';
import { cliSubcommands } from './cli/index.ts';
import { checkFlags, usageText } from './cli/usage.ts';
import { ConfigError, loadConfig } from './config/load.ts';
import type { HeraldConfig } from './config/schema.ts';
import { createPacer, DISCORD_PACE_PER_SECOND, type AdjustablePacer } from './delivery/pacer.ts';
import { createPacerShare, type PacerShare } from './delivery/pacer-share.ts';
import type { DeliveryTransport } from './delivery/sink.ts';
import { createDiscordBot, type DiscordBot } from './discord/client.ts';
import { connectDiscord, createDiscordTransport, createRestTransport } from './discord/connect.ts';
import { describeError, isUserError } from './errors.ts';
import { createLogger } from './logger.ts';
import { createDiscordBotView } from './discord/panel-view.ts';
import { instrumentPacer } from './metrics/instrument.ts';
import { createHeraldMetrics } from './metrics/metrics.ts';
import { createTerminalBotView } from './panel/bot-view.ts';
import { startConfiguredPanel } from './panel/start.ts';
import { storeUrlForDisplay } from './store/backend.ts';
import { retryWithBackoff } from './store/timeouts.ts';
import { createTerminal } from './terminal/terminal.ts';
import { createTerminalAccess, createTerminalSink } from './terminal/terminal-sink.ts';
import { createTerminalScreen, type TerminalScreen } from './terminal/screen.ts';
import { isStoreReadError } from './store/record-store.ts';

/** A line for the person who started Herald (stderr: stdout carries the chat and --json). */
function printLine(line: string): void {
  process.stderr.write(`${line}\n`);
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
    printFatal(`unknown subcommand "${args.subcommand ?? ''}".\n${usageText(cliSubcommands)}`);
    return 2;
  }
  checkFlags(subcommand, args);
  const output = await subcommand.run(herald, args);
  process.stdout.write(args.json ? `${JSON.stringify(output.json)}\n` : `${output.text}\n`);
  const storeNotice = herald.services.status.storeNotice?.();
  if (storeNotice) printFatal(storeNotice);
  return output.exitCode ?? 0;
}

function helpFor(argv: readonly string[]): string | undefined {
  if (!argv.some((arg) => arg === '--help' || arg === '-h') && argv[0] !== 'help') return undefined;
  const named = cliSubcommands.find((s) => s.name === argv[0]);
  return named ? `Usage: npm start -- ${named.usage}` : usageText(cliSubcommands);
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
  const panel = await startConfiguredPanel(herald, createDiscordBotView(bot), printLine);
  const startup = (async () => {
    await connectDiscord(herald, bot);
    await herald.startJobs();
  })();
  await Promise.race([startup.then(() => stopped), stopped]);
  herald.log.info('shutting down');
  await panel?.close();
  await bot.stop();
}

/** Where the interactive chat's log lines go (data/ holds the default store too). */
const CHAT_LOG_FILE = 'data/herald.log';

async function runTerminal(
  herald: Herald,
  screen: TerminalScreen,
  logFile: string | undefined,
): Promise<void> {
  const interrupted = stopSignal();
  const panel = await startConfiguredPanel(herald, createTerminalBotView(), printLine);
  try {
    await chatInTerminal(herald, interrupted, screen, logFile);
  } finally {
    await panel?.close();
  }
}

async function chatInTerminal(
  herald: Herald,
  interrupted: Promise<void>,
  screen: TerminalScreen,
  logFile: string | undefined,
): Promise<void> {
  let stopAsked = false;
  void interrupted.then(() => {
    stopAsked = true;
  });
  await Promise.race([herald.startJobs(), interrupted]);
  if (stopAsked) return;
  // With no source configured and nothing stored, the bundled sample news makes the chat
  // useful. It is marked, so once real sources bring news it ranks below every real story.
  const noSources = (await herald.services.sources.all()).length === 0;
  if (noSources && (await herald.services.status.snapshot()).stories === 0) {
    await herald.services.ingest.ingestSampleNews(herald.config.ingest.sampleNewsDir);
  }
  const terminal = createTerminal({
    commands: herald.commands,
    services: herald.services,
    input: process.stdin,
    output: process.stdout,
    interactive: process.stdin.isTTY === true,
    screen,
    color: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
    ...(logFile ? { logFile } : {}),
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
  // Help needs no configuration and no store.
  const help = helpFor(argv);
  if (help !== undefined) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
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
  // In an interactive chat stderr is the same screen: log lines go to a file instead.
  const chatLogFile =
    !isSubcommand && !token && process.stdin.isTTY && process.stderr.isTTY ? CHAT_LOG_FILE : undefined;
  const log = createLogger(level, chatLogFile);
  const screen = createTerminalScreen(process.stdout);
  // A stray rejection in a background task is logged, never allowed to take the bot down.
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
  // Surface first: where Herald's own messages go exists before any service.
  const metrics = createHeraldMetrics();
  const pacer = instrumentPacer(processPacer(), metrics);
  const bot =
    !isSubcommand && token
      ? createDiscordBot({
          token,
          log,
          onRateLimited: () => metrics.rateLimited(),
          ...(config.env.DISCORD_API_URL ? { apiUrl: config.env.DISCORD_API_URL } : {}),
        })
      : undefined;
  const transport: DeliveryTransport = isSubcommand
    ? subcommandTransport(config, pacer)
    : bot
      ? createDiscordTransport(bot, pacer)
      : { sink: createTerminalSink(screen.stream), access: createTerminalAccess() };
  let herald: Herald;
  try {
    // The bot waits for its store (a Redis still starting, a network blip), saying so; the
    // command line gives up at once with one line.
    herald = bot
      ? await retryWithBackoff(
          () => createHerald(config, { commands: allCommands, log, transport, metrics }),
          {
            onRetry: (attempt, waitMs, error) =>
              log.warn(
                { attempt, retryInSeconds: waitMs / 1000, err: describeError(error) },
                'store unreachable; retrying with backoff',
              ),
          },
        )
      : await createHerald(config, { commands: allCommands, log, transport, metrics });
  } catch (error) {
    if (error instanceof ConfigError) {
      printFatal(`configuration: ${error.message}`);
      return 2;
    }
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
    else await runTerminal(herald, screen, chatLogFile);
    return 0;
  } catch (error) {
    if (isUserError(error)) {
      printFatal(error.message);
      return 1;
    }
    if (isStoreReadError(error)) {
      printFatal(`store damage: ${error.message}`);
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
