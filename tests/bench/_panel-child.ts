// One run of the panel bench, in its own process so its memory is its own (forked, IPC):
//   serve <store file> <on|off> <size>: Herald on the built store as the bot runs it (jobs
//   started, 300 /ask answers); with `on` the panel too: the child sends its address and
//   one-time link, the parent renders every page many times, then asks for the settled memory.
//   A fifth argument names a folder for a heap snapshot of the settled process.
import path from 'node:path';
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { allCommands } from '../../commands/index.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logger.ts';
import { createHerald } from '../../src/app/herald.ts';
import { createTerminalBotView } from '../../src/panel/bot-view.ts';
import { startPanel } from '../../src/panel/panel-server.ts';
import { syntheticArticle } from '../support/synthetic-news.ts';
import { quietTransport } from '../support/quiet-transport.ts';

const [mode, file, panelMode, sizeArg, snapshotDir] = process.argv.slice(2);
const ASKS = 300;

function gc(): void {
  try {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  } catch {
    // memory is read as it is
  }
}

if (mode !== 'serve' || !file) {
  console.error('usage: _panel-child.ts serve <store file> <on|off> <size>');
  process.exit(2);
}
const size = Number(sizeArg);
const log = createLogger('silent');
const config = loadConfig({ STORE_URL: `sqlite://${file}`, LOG_LEVEL: 'silent', PANEL: panelMode ?? 'off' });
const herald = await createHerald(config, { commands: allCommands, transport: quietTransport(), log });
await herald.startJobs();
for (let n = 0; n < ASKS; n++) {
  const a = syntheticArticle((n * 7919) % size);
  await herald.services.ask.ask({
    question: `What happened in ${a.title.split(' ').slice(0, 4).join(' ')}?`,
    userId: `u${n}`,
    guildId: undefined,
    audience: 'operator',
  });
}
const mb = (bytes: number) => Math.round(bytes / 1048576);

/**
 * Settled resident memory after two collections, as the scale bench reads it, with the V8
 * heap's part beside it (what a heap snapshot can explain) and, when asked, a heap snapshot.
 */
async function settled(): Promise<{
  settledMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
}> {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 500));
  gc();
  const usage = process.memoryUsage();
  if (snapshotDir)
    writeHeapSnapshot(path.join(snapshotDir, `panel-${panelMode}-${process.pid}.heapsnapshot`));
  return {
    settledMb: mb(usage.rss),
    heapUsedMb: mb(usage.heapUsed),
    heapTotalMb: mb(usage.heapTotal),
    externalMb: mb(usage.external),
  };
}

if (panelMode === 'on') {
  // The pages are requested by the parent process, so the client's memory is not the bot's.
  const panel = await startPanel({ herald, bot: createTerminalBotView(), log, host: '127.0.0.1', port: 0 });
  const top = await herald.services.brief.ranked({ audience: 'operator', count: 1, includeBacklog: true });
  const word = syntheticArticle(Math.floor(size / 2)).title.split(' ')[1] ?? 'news';
  process.send?.({
    url: panel.listenUrl,
    link: panel.signInLink(),
    storyId: top[0]?.story.id ?? 'none',
    word,
  });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  const memory = await settled();
  await panel.close();
  await herald.close();
  process.send?.(memory);
} else {
  const memory = await settled();
  await herald.close();
  process.send?.(memory);
}
process.disconnect?.();
