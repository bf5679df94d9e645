import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ShardState } from '../status/shard-status.ts';

/** How a delivery ended, as the sink saw it: sent, or the failure kind the adapter classified. */
export type DeliveryOutcome = 'sent' | string;

/**
 * What Herald counts for operators. Parts of Herald report through this small interface, so
 * none of them imports the Prometheus client; `/metrics` renders the registry behind it.
 */
export interface HeraldMetrics {
  /** Items one source's read produced (added, merged or skipped as known), and failed reads. */
  itemsFetched(source: string, count: number): void;
  itemsFailed(source: string, count: number): void;
  storiesCreated(count: number): void;
  storiesMerged(count: number): void;
  delivery(outcome: DeliveryOutcome): void;
  /** Discord answered 429 (rate limited). */
  rateLimited(): void;
  /** How long a Discord request waited for the pacer's budget. */
  pacerWait(seconds: number): void;
  askLatency(seconds: number): void;
  storeLatency(operation: string, seconds: number): void;
  /**
   * The gateway shards this instance holds now (read when /metrics is scraped): a shard given
   * up to another instance leaves the gauges, so two instances never both report it.
   */
  shards(states: readonly ShardState[]): void;
  /** The Prometheus text exposition of everything above plus the process's own metrics. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** Seconds: /ask answers from the index in milliseconds, or from a model in seconds. */
const ASK_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const STORE_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];
const PACER_BUCKETS = [0.001, 0.01, 0.1, 0.5, 1, 5, 30];
/** Every status a shard can be in, so a dashboard sees a 0 for each it is not in (an enum gauge). */
const SHARD_STATUSES: readonly ShardState['status'][] = ['connecting', 'ready', 'reconnecting', 'stopped'];

/**
 * A registry of Herald's own (not prom-client's global one), so two Heralds in one process,
 * as in tests, never share or collide on counters.
 */
export function createHeraldMetrics(options: { processMetrics?: boolean } = {}): HeraldMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const fetched = new Counter({
    name: 'herald_items_fetched_total',
    help: 'Items read from a source (new, merged or already known)',
    labelNames: ['source'],
    registers,
  });
  const failed = new Counter({
    name: 'herald_items_failed_total',
    help: 'Failed reads of a source',
    labelNames: ['source'],
    registers,
  });
  const created = new Counter({ name: 'herald_stories_created_total', help: 'New stories', registers });
  const merged = new Counter({
    name: 'herald_stories_merged_total',
    help: 'Articles merged into an existing story',
    registers,
  });
  const deliveries = new Counter({
    name: 'herald_deliveries_total',
    help: 'Messages Herald posted on its own, by outcome',
    labelNames: ['outcome'],
    registers,
  });
  const limited = new Counter({
    name: 'herald_discord_rate_limited_total',
    help: 'Discord 429 answers',
    registers,
  });
  const pacer = new Histogram({
    name: 'herald_pacer_wait_seconds',
    help: 'Time a Discord request waited for the pacer',
    buckets: PACER_BUCKETS,
    registers,
  });
  const ask = new Histogram({
    name: 'herald_ask_latency_seconds',
    help: 'Time to answer /ask',
    buckets: ASK_BUCKETS,
    registers,
  });
  const store = new Histogram({
    name: 'herald_store_latency_seconds',
    help: 'Store call latency',
    labelNames: ['operation'],
    buckets: STORE_BUCKETS,
    registers,
  });
  const shardConnected = new Gauge({
    name: 'herald_shard_connected',
    help: 'A gateway shard this instance holds: ready (1) or not (0)',
    labelNames: ['shard'],
    registers,
  });
  const shardStatus = new Gauge({
    name: 'herald_shard_status',
    help: "A gateway shard's state: 1 on its current status, 0 on the others",
    labelNames: ['shard', 'status'],
    registers,
  });
  const shardLatency = new Gauge({
    name: 'herald_shard_latency_seconds',
    help: "A gateway shard's last heartbeat round trip (absent before the first)",
    labelNames: ['shard'],
    registers,
  });
  const shardGuilds = new Gauge({
    name: 'herald_shard_guilds',
    help: "Servers in a gateway shard's cache",
    labelNames: ['shard'],
    registers,
  });
  const shardGauges = [shardConnected, shardStatus, shardLatency, shardGuilds];
  return {
    itemsFetched: (source, count) => fetched.inc({ source }, count),
    itemsFailed: (source, count) => failed.inc({ source }, count),
    storiesCreated: (count) => created.inc(count),
    storiesMerged: (count) => merged.inc(count),
    delivery: (outcome) => deliveries.inc({ outcome }),
    rateLimited: () => limited.inc(),
    pacerWait: (seconds) => pacer.observe(seconds),
    askLatency: (seconds) => ask.observe(seconds),
    storeLatency: (operation, seconds) => store.observe({ operation }, seconds),
    shards(states) {
      for (const gauge of shardGauges) gauge.reset();
      for (const state of states) {
        const shard = String(state.id);
        shardConnected.set({ shard }, state.status === 'ready' ? 1 : 0);
        for (const status of SHARD_STATUSES)
          shardStatus.set({ shard, status }, status === state.status ? 1 : 0);
        if (state.latencyMs !== undefined) shardLatency.set({ shard }, state.latencyMs / 1000);
        shardGuilds.set({ shard }, state.guilds);
      }
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
