/**
 * Builds the digest area on the store backend and the delivery transport, for the composition
 * root. The transport exists before any service (built surface first): its sink posts, its
 * access checks channels before a digest is saved there, and its surface decides which digests
 * this process schedules, so a terminal session never posts a Discord channel's digest and the
 * bot never tries to post to the terminal.
 */
import cron from 'node-cron';
import type { BriefService } from '../brief/brief-service.ts';
import type { StoryFinder } from '../brief/story-finder.ts';
import { readerIn } from '../news/types.ts';
import { findTopic } from '../brief/topic-catalog.ts';
import type { Taxonomy } from '../brief/topics/taxonomy.ts';
import type { HeraldConfig } from '../config/schema.ts';
import type { Courier } from '../delivery/courier.ts';
import type { GuildNotifier } from '../delivery/notices.ts';
import type { DeliveryTransport } from '../delivery/sink.ts';
import type { StoreBackend } from '../store/backend.ts';
import { createDigestComposer } from '../digest/composer.ts';
import { createDigestDelivery, type DigestDelivery } from '../digest/delivery.ts';
import type { DigestLog } from '../digest/delivery-ports.ts';
import { createDigestService, type DigestService } from '../digest/digest-service.ts';
import { digestConfigSchema, digestsForSurface, type DigestConfig } from '../digest/digest-types.ts';
import { createDigestScheduler, type DigestScheduler } from '../digest/scheduler.ts';
import type { CronScheduler } from '../time/cron.ts';

import { DAY_MS } from '../time/durations.ts';

const CLAIM_TTL_MS = 10 * 60_000;

export interface BuiltDigests {
  service: DigestService;
  delivery: DigestDelivery;
  /** start() in startJobs, stop() in close(). */
  scheduler: DigestScheduler;
}

export function buildDigests(options: {
  config: HeraldConfig;
  backend: StoreBackend;
  transport: DeliveryTransport;
  /** Every digest message leaves through the courier, in the digests' own lane. */
  courier: Courier;
  notifier: GuildNotifier;
  brief: Pick<BriefService, 'top'>;
  taxonomy: Taxonomy;
  /** Where a digest's names are looked up (a name no story carries is refused). */
  stories: Pick<StoryFinder, 'carrying'>;
  log: DigestLog;
  now: () => number;
  cron?: CronScheduler;
}): BuiltDigests {
  const { config, backend, transport, log, now } = options;
  const stored = backend.records<DigestConfig>('digests', { version: 1, schema: digestConfigSchema });
  const graceMs = config.digest.graceMinutes * 60_000;
  const delivery = createDigestDelivery({
    digests: digestsForSurface(stored, transport.sink.surface),
    lane: options.courier.lane('digests', {
      claimTtlMs: CLAIM_TTL_MS,
      // A slot's entry outlives its window, so a late instance never delivers it again.
      entryTtlMs: Math.max(3 * DAY_MS, graceMs + 2 * DAY_MS),
    }),
    composer: createDigestComposer({ brief: options.brief, now, taxonomy: options.taxonomy }),
    notifier: options.notifier,
    log,
    now,
    graceMs,
    quietDay: config.digest.quietDay,
  });
  const service = createDigestService({
    digests: stored,
    delivery,
    access: transport.access,
    notifier: options.notifier,
    now,
    limits: { maxPerGuild: config.digest.maxPerGuild, defaultCount: config.digest.defaultCount },
    taxonomy: options.taxonomy,
    checkName: async (name, guildId) =>
      void (await findTopic(name, options.taxonomy, options.stories, readerIn(guildId))),
  });
  const scheduler = createDigestScheduler({ delivery, cron: options.cron ?? cron, log });
  return { service, delivery, scheduler };
}
