import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RecordStore } from '../store/types.ts';
import type { Herald } from '../app/herald.ts';
import type { PanelBotView } from './bot-view.ts';

/** A store that has not answered in this long counts as unreachable for /readyz. */
const STORE_PROBE_MS = 2_000;
/** Ingest counts as stalled after this many missed intervals. */
const STALE_INTERVALS = 3;

export interface Readiness {
  ready: boolean;
  checks: { store: string; discord: string; ingest: string };
}

type ProbeStore = RecordStore<unknown>;

async function probeStore(herald: Herald, probe: ProbeStore): Promise<string> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer in ${STORE_PROBE_MS} ms`), STORE_PROBE_MS);
  });
  const read = probe
    .get('probe')
    .then(() => {
      herald.metrics.storeLatency('probe', (performance.now() - started) / 1000);
      return 'ok';
    })
    .catch((error: unknown) => `failing: ${error instanceof Error ? error.message : String(error)}`);
  try {
    return await Promise.race([read, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function readiness(
  herald: Herald,
  bot: PanelBotView,
  probe: ProbeStore,
  now: () => number,
): Promise<Readiness> {
  const store = await probeStore(herald, probe);
  const discord =
    bot.surface === 'terminal' ? 'terminal mode' : bot.connected() ? 'connected' : 'not connected';
  const last = herald.services.ingest.lastReport();
  const intervalMs = herald.config.ingest.intervalMinutes * 60_000;
  const startedAt = herald.startedAt;
  // Before the first run finishes, a process is judged from its start time.
  const lastAt = last ? Date.parse(last.at) : startedAt;
  const ingest =
    now() - lastAt <= STALE_INTERVALS * intervalMs
      ? last
        ? `last run ${last.at}`
        : 'not run yet'
      : `stale: last run ${last?.at ?? 'never'}`;
  const ready = store === 'ok' && discord !== 'not connected' && !ingest.startsWith('stale');
  return { ready, checks: { store, discord, ingest } };
}

/** /healthz (the process answers), /readyz (it can do its job), /metrics (Prometheus). */
export function registerOpsRoutes(
  app: FastifyInstance,
  herald: Herald,
  bot: PanelBotView,
  now: () => number,
): void {
  const probe = herald.backend.records('panel-probe', { version: 1, schema: z.unknown() });
  app.get('/healthz', async (_request, reply) => reply.type('text/plain').send('ok\n'));
  app.get('/readyz', async (_request, reply) => {
    const result = await readiness(herald, bot, probe, now);
    return reply.code(result.ready ? 200 : 503).send(result);
  });
  app.get('/metrics', async (_request, reply) => {
    // Shard state is read at the scrape, as it is now, not as the last event left it.
    herald.metrics.shards(bot.shards());
    const { contentType, body } = await herald.metrics.render();
    return reply.type(contentType).send(body);
  });
}
