/**
 * Builds the subscriptions area on the store backend, for the composition root. DMs leave
 * through the courier, which exists before any service.
 */
import cron from 'node-cron';
import type { BriefService } from '../brief/brief-service.ts';
import type { Taxonomy } from '../brief/topics/taxonomy.ts';
import type { HeraldConfig } from '../config/schema.ts';
import type { Courier } from '../delivery/courier.ts';
import type { LegacyLedger } from '../delivery/ledger-legacy.ts';
import type { CronScheduler } from '../time/cron.ts';
import type { StoreBackend } from '../store/backend.ts';
import { createSubscriptionScheduler, type SubscriptionScheduler } from '../subscriptions/scheduler.ts';
import {
  createSubscriptionService,
  type StorySource,
  type SubscriptionLog,
  type SubscriptionService,
} from '../subscriptions/subscription-service.ts';
import { DM_STORY_KEY_PART } from '../subscriptions/dm-delivery.ts';
import {
  sentEntryCodec,
  userSubscriptionsCodec,
  type SentEntry,
} from '../subscriptions/subscription-types.ts';
import { DAY_MS } from '../time/durations.ts';

/**
 * DMs kept their own list of the stories each reader was sent (`subscription-sent`, keyed
 * `<user>:<story>`) before they used the courier's ledger: a story listed there was sent.
 */
function sentListLedger(backend: StoreBackend): LegacyLedger {
  const prefix = `${DM_STORY_KEY_PART}:`;
  return {
    records: backend.records('subscription-sent', sentEntryCodec),
    // dm-story:<user>:<story> was listed as <user>:<story> (sentKey).
    keyOf: (key) => (key.startsWith(prefix) ? key.slice(prefix.length) : undefined),
    toEntry: (key, record) => ({
      key,
      state: 'delivered',
      at: (record as SentEntry).at,
      messageIds: [],
      attempts: 1,
    }),
  };
}

const DM_CLAIM_TTL_MS = 2 * 60_000;

export interface BuiltSubscriptions {
  service: SubscriptionService;
  /** start() in startJobs, stop() in close(). */
  scheduler: SubscriptionScheduler;
}

export function buildSubscriptions(options: {
  config: HeraldConfig;
  backend: StoreBackend;
  courier: Courier;
  stories: StorySource;
  brief: Pick<BriefService, 'summaryOf'>;
  taxonomy: Taxonomy;
  log: SubscriptionLog;
  now: () => number;
  cron?: CronScheduler;
}): BuiltSubscriptions {
  const { config, backend, log } = options;
  const service = createSubscriptionService({
    store: backend.records('subscriptions', userSubscriptionsCodec),
    lane: options.courier.lane('dms', {
      claimTtlMs: DM_CLAIM_TTL_MS,
      // Outlive the stories themselves, so a story still stored is never sent twice.
      entryTtlMs: Math.max(60, config.ingest.retentionDays * 2) * DAY_MS,
      legacy: sentListLedger(backend),
    }),
    claims: backend.claims,
    taxonomy: options.taxonomy,
    stories: options.stories,
    brief: options.brief,
    now: options.now,
    log,
    limits: { maxSubscriptionsPerUser: config.limits.maxSubscriptionsPerUser },
    halfLifeHours: config.brief.recencyHalfLifeHours,
  });
  const scheduler = createSubscriptionScheduler({ subscriptions: service, cron: options.cron ?? cron, log });
  return { service, scheduler };
}
