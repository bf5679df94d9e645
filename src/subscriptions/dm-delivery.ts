/**
 * Sends one subscriber one DM, at most once per story. Under a per-user claim (so two runs or
 * two instances never DM the same person at once) it drops stories the DMs' ledger lane has
 * seen, claims a ledger entry for each story the DM carries, then hands the DM to the courier.
 * The entries are claimed (in flight) before sending, and an in-flight story counts as sent: a
 * crash between the two loses that DM instead of sending it twice on restart. A failure that
 * certainly did not deliver (the platform answered with an error) is recorded failed, so the
 * stories may go in a later DM.
 */
import type { BriefItem } from '../brief/brief-service.ts';
import { rankStories } from '../brief/ranking.ts';
import type { StorySummary } from '../brief/summary-types.ts';
import { asDeliveryError, type DeliveryLane } from '../delivery/courier.ts';
import { isTransientFailure } from '../delivery/failure.ts';
import { idempotencyKey } from '../delivery/idempotency.ts';
import type { LedgerLease } from '../delivery/ledger.ts';
import type { DeliveryReceipt } from '../delivery/sink.ts';
import type { SectionNames } from '../render/story-embeds.ts';
import type { Story } from '../news/types.ts';
import type { ClaimStore, RecordStore } from '../store/types.ts';
import { composeDm } from './dm-compose.ts';
import type { DeliveryMode, UserSubscriptions } from './subscription-types.ts';

const LOCK_TTL_MS = 2 * 60_000;

/**
 * sent: delivered. nothing: no unsent story (or the reader stopped following). busy: another
 * run holds the reader. closed: DMs are closed (50007). retry: a passing failure, stories not
 * marked sent. failed: a failure retrying cannot fix (logged).
 */
export type DmOutcome = 'sent' | 'nothing' | 'busy' | 'closed' | 'retry' | 'failed';

export interface DmResult {
  outcome: DmOutcome;
  /** The stories the DM carried (sent), or would have (retry). */
  storyIds: string[];
  /** For closed and failed: what the platform said, for logs. */
  reason?: string;
}

export interface DmDeliveryDeps {
  store: RecordStore<UserSubscriptions>;
  /** The DMs' lane of the courier: one ledger entry per reader and story (dmStoryKey). */
  lane: DeliveryLane;
  claims: ClaimStore;
  now: () => number;
  maxStoriesPerDm: number;
  halfLifeHours: number;
  /** Section names for the stories' Topics fields. */
  taxonomy?: SectionNames;
}

/** One run's summaries: a story going to many readers is summarized (or read from cache) once. */
export type SummaryLookup = (story: Story) => Promise<StorySummary>;

export function memoizeSummaries(summaryOf: SummaryLookup): SummaryLookup {
  const cache = new Map<string, Promise<StorySummary>>();
  return (story) => {
    let found = cache.get(story.id);
    if (!found) {
      found = summaryOf(story);
      cache.set(story.id, found);
    }
    return found;
  };
}

export interface DmDelivery {
  deliver(
    userId: string,
    candidates: readonly Story[],
    via: DeliveryMode,
    summaryOf: SummaryLookup,
  ): Promise<DmResult>;
}

export const DM_STORY_KEY_PART = 'dm-story';

/** The ledger key of one story sent to one reader. */
export function dmStoryKey(userId: string, storyId: string): string {
  return idempotencyKey(DM_STORY_KEY_PART, userId, storyId);
}

export function createDmDelivery(deps: DmDeliveryDeps): DmDelivery {
  const { store, lane, claims, now } = deps;
  const { ledger } = lane;

  async function unsent(userId: string, candidates: readonly Story[]): Promise<Story[]> {
    const seen = new Set<string>();
    const fresh: Story[] = [];
    for (const story of candidates) {
      if (seen.has(story.id)) continue;
      seen.add(story.id);
      // Only a DM that certainly did not arrive may carry its stories again.
      const entry = await ledger.get(dmStoryKey(userId, story.id));
      if (entry === undefined || entry.state === 'failed') fresh.push(story);
    }
    return fresh;
  }

  /** Claims every story the DM carries; undefined (nothing held) when one is no longer free. */
  async function claimAll(userId: string, storyIds: readonly string[]): Promise<LedgerLease[] | undefined> {
    const leases: LedgerLease[] = [];
    for (const storyId of storyIds) {
      const claim = await ledger.claim(dmStoryKey(userId, storyId));
      if (claim.status !== 'claimed') {
        await Promise.all(leases.map((lease) => ledger.release(lease)));
        return undefined;
      }
      leases.push(claim.lease);
    }
    return leases;
  }

  async function sendUnderLock(
    userId: string,
    candidates: readonly Story[],
    via: DeliveryMode,
    summaryOf: SummaryLookup,
  ): Promise<DmResult> {
    // Re-read under the claim: the reader may have unsubscribed or been paused meanwhile.
    const user = await store.get(userId);
    if (!user || user.paused || user.topics.length === 0) return { outcome: 'nothing', storyIds: [] };
    const fresh = await unsent(userId, candidates);
    if (fresh.length === 0) return { outcome: 'nothing', storyIds: [] };
    const ranked = rankStories(fresh, { now: now(), halfLifeHours: deps.halfLifeHours }).slice(
      0,
      deps.maxStoriesPerDm,
    );
    const items: BriefItem[] = await Promise.all(
      ranked.map(async (item) => ({ ...item, summary: await summaryOf(item.story) })),
    );
    const composed = composeDm({
      items,
      via,
      topicLabels: user.topics.map((topic) => topic.label),
      now: now(),
      more: fresh.length - ranked.length,
      ...(deps.taxonomy ? { taxonomy: deps.taxonomy } : {}),
    });
    const leases = await claimAll(userId, composed.storyIds);
    if (leases === undefined) return { outcome: 'busy', storyIds: [] };
    // The same stories for the same reader make the same key: a retry is one DM, not two.
    const key = idempotencyKey('dm', userId, ...composed.storyIds);
    let receipt: DeliveryReceipt;
    try {
      receipt = await lane.send({ key, destination: { kind: 'user', userId }, message: composed.message });
    } catch (error) {
      const failure = asDeliveryError(error);
      // Without an answer from the platform the DM may have arrived: it counts as delivered.
      const certainlyUndelivered = !failure.mayHaveArrived;
      await Promise.all(
        leases.map((lease) =>
          certainlyUndelivered ? ledger.failed(lease, failure) : ledger.delivered(lease, { messageIds: [] }),
        ),
      );
      const reason = failure.message;
      if (failure.kind === 'dms-closed') return { outcome: 'closed', storyIds: [], reason };
      if (isTransientFailure(failure.kind) && certainlyUndelivered)
        return { outcome: 'retry', storyIds: composed.storyIds, reason };
      return { outcome: 'failed', storyIds: [], reason };
    }
    await Promise.all(leases.map((lease) => ledger.delivered(lease, receipt)));
    return { outcome: 'sent', storyIds: composed.storyIds };
  }

  return {
    async deliver(userId, candidates, via, summaryOf) {
      const lockKey = `subscriptions:dm:${userId}`;
      const token = await claims.claim(lockKey, LOCK_TTL_MS);
      if (!token) return { outcome: 'busy', storyIds: [] };
      try {
        return await sendUnderLock(userId, candidates, via, summaryOf);
      } finally {
        await claims.release(lockKey, token);
      }
    },
  };
}
