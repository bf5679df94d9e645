/**
 * Builds the subscriptions area on the store backend, for the composition root. DMs leave
 * through the delivery sink, which exists before any service.
 */
import cron from 'node-cron';
import type { BriefService } from '../brief/brief-service.ts';
import type { Taxonomy } from '../brief/topics/taxonomy.ts';
import type { HeraldConfig } from '../config/schema.ts';
import type { MessageSink } from '../delivery/sink.ts';
import type { CronScheduler } from '../time/cron.ts';
import type { StoreBackend } from '../store/backend.ts';
import { createSubscriptionScheduler, type SubscriptionScheduler } from '../subscriptions/scheduler.ts';
import {
  createSubscriptionService,
  type StorySource,
  type SubscriptionLog,
  type SubscriptionService,
} from '../subscriptions/subscription-service.ts';
import { sentEntryCodec, userSubscriptionsCodec } from '../subscriptions/subscription-types.ts';

const DAY_MS = 86_400_000;

export interface BuiltSubscriptions {
  service: SubscriptionService;
  /** start() in startJobs, stop() in close(). */
  scheduler: SubscriptionScheduler;
}

export function buildSubscriptions(options: {
  config: HeraldConfig;
  backend: StoreBackend;
  sink: MessageSink;
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
    sentLedger: backend.records('subscription-sent', sentEntryCodec),
    claims: backend.claims,
    taxonomy: options.taxonomy,
    stories: options.stories,
    brief: options.brief,
    sink: options.sink,
    now: options.now,
    log,
    limits: { maxSubscriptionsPerUser: config.limits.maxSubscriptionsPerUser },
    // Outlive the stories themselves, so a story still stored is never sent twice.
    ledgerTtlMs: Math.max(60, config.ingest.retentionDays * 2) * DAY_MS,
    halfLifeHours: config.brief.recencyHalfLifeHours,
  });
  const scheduler = createSubscriptionScheduler({ subscriptions: service, cron: options.cron ?? cron, log });
  return { service, scheduler };
}
