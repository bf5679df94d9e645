/**
 * Sends one subscriber one DM, at most once per story. Under a per-user claim (so two runs or
 * two instances never DM the same person at once) it drops stories already in the sent ledger,
 * writes the ledger for the stories the DM carries, then sends. The ledger is written first:
 * a crash between the two loses that DM instead of sending it twice on restart. A failure that
 * certainly did not deliver (Discord answered with an error) takes the ledger entries back.
 */
import type { BriefItem } from '../brief/brief-service.ts';
import { rankStories } from '../brief/ranking.ts';
import type { StorySummary } from '../brief/summary-types.ts';
import { describeError } from '../errors.ts';
import { DeliveryError, isTransientFailure } from '../delivery/failure.ts';
import { idempotencyKey } from '../delivery/idempotency.ts';
import type { MessageSink } from '../delivery/sink.ts';
import type { SectionNames } from '../render/story-embeds.ts';
import type { Story } from '../news/types.ts';
import type { ClaimStore, RecordStore } from '../store/types.ts';
import { composeDm } from './dm-compose.ts';
import { sentKey, type DeliveryMode, type SentEntry, type UserSubscriptions } from './subscription-types.ts';

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
  /** For closed and failed: what Discord said, for logs and the pause reason. */
  reason?: string;
}

export interface DmDeliveryDeps {
  store: RecordStore<UserSubscriptions>;
  sentLedger: RecordStore<SentEntry>;
  claims: ClaimStore;
  /** DMs leave through the delivery port, to a `user` destination. */
  sink: MessageSink;
  now: () => number;
  /** How long a ledger entry lives; longer than stories are kept, so none comes back. */
  ledgerTtlMs: number;
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

export function createDmDelivery(deps: DmDeliveryDeps): DmDelivery {
  const { store, sentLedger, claims, sink, now } = deps;

  async function unsent(userId: string, candidates: readonly Story[]): Promise<Story[]> {
    const seen = new Set<string>();
    const fresh: Story[] = [];
    for (const story of candidates) {
      if (seen.has(story.id)) continue;
      seen.add(story.id);
      if ((await sentLedger.get(sentKey(userId, story.id))) === undefined) fresh.push(story);
    }
    return fresh;
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
    const at = new Date(now()).toISOString();
    const keys = composed.storyIds.map((storyId) => sentKey(userId, storyId));
    await Promise.all(keys.map((key) => sentLedger.set(key, { at, via }, deps.ledgerTtlMs)));
    // The same stories for the same reader make the same key: a retry is one DM, not two.
    const key = idempotencyKey('dm', userId, ...composed.storyIds);
    try {
      await sink.send({ key, destination: { kind: 'user', userId }, message: composed.message });
      return { outcome: 'sent', storyIds: composed.storyIds };
    } catch (error) {
      const failure =
        error instanceof DeliveryError
          ? error
          : new DeliveryError('rejected', describeError(error), { cause: error });
      // Without an answer from Discord the DM may have arrived: keep it marked sent.
      const certainlyUndelivered = !failure.mayHaveArrived;
      if (certainlyUndelivered) await Promise.all(keys.map((key) => sentLedger.delete(key)));
      const reason = failure.message;
      if (failure.kind === 'dms-closed') return { outcome: 'closed', storyIds: [], reason };
      if (isTransientFailure(failure.kind) && certainlyUndelivered)
        return { outcome: 'retry', storyIds: composed.storyIds, reason };
      return { outcome: 'failed', storyIds: [], reason };
    }
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
