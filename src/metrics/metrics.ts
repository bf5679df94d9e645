import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
  /** Per shard: 1 connected, 0 not (only when sharded). */
  shardState(shardId: number, connected: boolean): void;
  /** The Prometheus text exposition of everything above plus the process's own metrics. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** Seconds: /ask answers from the index in milliseconds, or from a model in seconds. */
const ASK_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const STORE_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];
const PACER_BUCKETS = [0.001, 0.01, 0.1, 0.5, 1, 5, 30];

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
  const shards = new Gauge({
    name: 'herald_shard_connected',
    help: 'Whether this instance holds the shard connected (1) or not (0)',
    labelNames: ['shard'],
    registers,
  });
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
    shardState: (shardId, connected) => shards.set({ shard: String(shardId) }, connected ? 1 : 0),
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
