// One run of the panel bench, in its own process so its memory is its own:
//   serve <store file> <on|off> <size>: Herald on the built store as the bot runs it (jobs
//   started, 300 /ask answers); with `on` the panel too, signed in through the one-time link,
//   every page rendered many times. Prints one JSON line: page latencies and settled memory.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { allCommands } from '../../commands/index.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logger.ts';
import { createHerald } from '../../src/app/herald.ts';
import { createTerminalBotView } from '../../src/panel/bot-view.ts';
import { startPanel } from '../../src/panel/panel-server.ts';
import { syntheticArticle } from '../support/synthetic-news.ts';
import { quietTransport } from '../support/quiet-transport.ts';

const [mode, file, panelMode, sizeArg] = process.argv.slice(2);
const ROUNDS = 30;
const WARM_UP = 3;
const ASKS = 300;

function gc(): void {
  try {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  } catch {
    // memory is read as it is
  }
}

function quantile(sorted: readonly number[], p: number): number {
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 10) / 10;
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
const pages: Record<string, { p50: number; p95: number }> = {};
let allP95 = 0;
if (panelMode === 'on') {
  const panel = await startPanel({ herald, bot: createTerminalBotView(), log, host: '127.0.0.1', port: 0 });
  const signIn = await fetch(panel.signInLink() ?? '', { redirect: 'manual' });
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const top = await herald.services.brief.ranked({ audience: 'operator', count: 1, includeBacklog: true });
  const storyId = top[0]?.story.id ?? 'none';
  const word = syntheticArticle(Math.floor(size / 2)).title.split(' ')[1] ?? 'news';
  const paths: Record<string, string> = {
    overview: '/g/terminal',
    sources: '/g/terminal/sources',
    feeds: '/g/terminal/feeds',
    'feed preview': '/g/terminal/feeds/preview?topic=business',
    digests: '/g/terminal/digests',
    stories: '/g/terminal/stories',
    'story search': `/g/terminal/stories?q=${encodeURIComponent(word)}`,
    story: `/g/terminal/stories/${encodeURIComponent(storyId)}`,
    charts: '/g/terminal/charts',
    subscriptions: '/g/terminal/subscriptions',
  };
  const all: number[] = [];
  for (const [name, url] of Object.entries(paths)) {
    const times: number[] = [];
    for (let i = 0; i < WARM_UP + ROUNDS; i++) {
      const started = performance.now();
      const response = await fetch(`${panel.listenUrl}${url}`, { headers: { cookie } });
      await response.text();
      if (response.status !== 200) throw new Error(`${name}: HTTP ${response.status}`);
      if (i >= WARM_UP) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    all.push(...times);
    pages[name] = { p50: quantile(times, 0.5), p95: quantile(times, 0.95) };
  }
  all.sort((a, b) => a - b);
  allP95 = quantile(all, 0.95);
  // The panel stays up while memory is read, as in a running bot.
  gc();
  await new Promise((resolve) => setTimeout(resolve, 500));
  gc();
  const settledMb = Math.round(process.memoryUsage().rss / 1048576);
  await panel.close();
  await herald.close();
  console.log(JSON.stringify({ settledMb, pages, allP95 }));
} else {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 500));
  gc();
  const settledMb = Math.round(process.memoryUsage().rss / 1048576);
  await herald.close();
  console.log(JSON.stringify({ settledMb, pages, allP95 }));
}
