/**
 * Exactly-once digest delivery. Per slot (digest, local date):
 * ledger says done -> skip; claim the slot (lost -> another instance has it); re-check the
 * ledger; record 'claimed'; compose; post every message with a nonce derived from the slot
 * (so a crash between posting and marking re-posts into Discord's nonce dedup, not the
 * channel); mark 'sent'; update the digest's last* fields. On a transient failure the claim is
 * released so the next tick retries within the window; on a permanent one the digest is
 * disabled and the guild told once.
 */
import { describeError } from '../errors.ts';
import { RECENT_STORY_LIMIT, type DeliveryRecord, type DigestConfig, type QuietDayMode } from './digest-types.ts';
import type { ClaimStore, RecordStore } from '../store/types.ts';
import { planSlots, slotDate, type PlannedSlot } from './schedule.ts';
import {
  isPermanentPostError,
  PostError,
  slotNonce,
  type ChannelPoster,
  type ComposedDigest,
  type DeliveryReport,
  type DigestComposer,
  type DigestLog,
  type GuildNotifier,
  type OutgoingMessage,
} from './delivery-ports.ts';
import { createPostRetrier, type RetryPolicy } from './post-retry.ts';

const DAY_MS = 86_400_000;

export interface DigestDeliveryDeps {
  digests: RecordStore<DigestConfig>;
  ledger: RecordStore<DeliveryRecord>;
  claims: ClaimStore;
  composer: DigestComposer;
  poster: ChannelPoster;
  notifier: GuildNotifier;
  log: DigestLog;
  now: () => number;
  /** Waits out 429s and backoff; injected so tests never sleep. Default: setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** How long after its due time a slot may still be delivered (catch-up and retries). */
  graceMs: number;
  /** Claim lifetime; longer than one slot's delivery takes. Retries stop before it runs out. */
  claimTtlMs: number;
  /** Deployment default for quiet days; a digest's own `quietDay` wins. Default 'line'. */
  quietDay?: QuietDayMode;
  quietLine?: (digest: DigestConfig) => OutgoingMessage;
  /** How long ledger records live. Default max(3 days, grace + 2 days). */
  ledgerTtlMs?: number;
  /** Slots delivered in parallel in one run (different digests; one digest's slots stay in order). Default 8. */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
}

export interface DigestDelivery {
  /**
   * Delivers every slot due at `at` (default now) within grace, and logs slots past grace once.
   * Runs never overlap: a call while a run is in flight returns that run's promise (and its
   * report), whatever `at` it was given. Rejects only when the digests cannot be listed.
   */
  runDue(at?: number): Promise<DeliveryReport[]>;
  /**
   * `/digest now`: an extra digest outside the schedule, posted at once with the same story
   * rules (since the last digest, nothing repeated), so the next scheduled one holds only what
   * is newer. Keyed by the minute, so a double click posts once. Faults act as for a slot.
   */
  sendNow(digestId: string, at?: number): Promise<DeliveryReport>;
  /** What the digest would post now (for /digest preview); no side effects. */
  preview(digest: DigestConfig): Promise<ComposedDigest>;
  /** Resolves when no run is in flight. */
  idle(): Promise<void>;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function defaultQuietLine(digest: DigestConfig): OutgoingMessage {
  const topics = digest.topics.length > 0 ? ` in ${digest.topics.join(', ')}` : '';
  return { content: `Quiet day: nothing new${topics} since the last digest.` };
}

const DISABLED_REASONS = {
  'unknown-channel': 'the channel no longer exists (Discord error 10003)',
  'missing-access': 'Herald lost access to the channel (Discord error 50001)',
  'missing-permissions':
    'Herald is missing a permission in the channel: View Channel, Send Messages and Embed Links (Discord error 50013)',
} as const;

/** Maps over items with at most `limit` in flight. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export function createDigestDelivery(deps: DigestDeliveryDeps): DigestDelivery {
  const { digests, ledger, claims, composer, poster, notifier, log, now, graceMs, claimTtlMs } = deps;
  const sleep = deps.sleep ?? defaultSleep;
  const ledgerTtlMs = deps.ledgerTtlMs ?? Math.max(3 * DAY_MS, graceMs + 2 * DAY_MS);
  const quietLine = deps.quietLine ?? defaultQuietLine;
  const retrier = createPostRetrier({ poster, sleep, log, ...(deps.retry ? { policy: deps.retry } : {}) });
  let inFlight: Promise<DeliveryReport[]> | undefined;

  const iso = (ms: number): string => new Date(ms).toISOString();
  const claimKey = (slot: string): string => `digest-slot:${slot}`;

  function composeOptions(digest: DigestConfig): Parameters<DigestComposer['compose']>[1] {
    return {
      excludeStoryIds: digest.recentStoryIds ?? [],
      ...(digest.lastDeliveredAt === undefined ? {} : { since: digest.lastDeliveredAt }),
    };
  }

  async function releaseQuietly(slot: string, token: string): Promise<void> {
    try {
      await claims.release(claimKey(slot), token);
    } catch (error) {
      log.error({ slot, err: describeError(error) }, 'digest claim release failed; it expires on its own');
    }
  }

  async function disableDigest(digest: DigestConfig, error: PostError): Promise<string> {
    const reason = DISABLED_REASONS[error.kind as keyof typeof DISABLED_REASONS];
    const context = { digestId: digest.id, guildId: digest.guildId, channelId: digest.channelId, code: error.code };
    const fresh = (await digests.get(digest.id)) ?? digest;
    await digests.set(digest.id, { ...fresh, enabled: false, disabledReason: reason });
    log.warn({ ...context, reason }, 'digest disabled');
    const text =
      `The ${digest.time} (${digest.timezone}) digest for <#${digest.channelId}> is paused: ${reason}. ` +
      'Fix the channel or its permissions, then run /digest setup again.';
    try {
      await notifier.notifyOnce(digest.guildId, `digest-disabled:${digest.id}:${digest.channelId}`, text);
    } catch (notifyError) {
      log.warn({ ...context, err: describeError(notifyError) }, 'could not tell the guild its digest was disabled');
    }
    return reason;
  }

  /** The ledger is authoritative; these fields feed /digest show and the next compose. */
  async function recordDelivery(digestId: string, slot: string | undefined, composedAt: number, storyIds: string[]): Promise<void> {
    const fresh = await digests.get(digestId);
    if (!fresh) return;
    if (slot !== undefined && fresh.lastSlot && slotDate(fresh.lastSlot) >= slotDate(slot)) return;
    const carried = new Set(storyIds);
    const recent = [...storyIds, ...(fresh.recentStoryIds ?? []).filter((id) => !carried.has(id))];
    await digests.set(digestId, {
      ...fresh,
      ...(slot === undefined ? {} : { lastSlot: slot }),
      lastDeliveredAt: iso(composedAt),
      lastStoryIds: storyIds,
      recentStoryIds: recent.slice(0, RECENT_STORY_LIMIT),
    });
  }

  /** `manual`: a /digest now delivery, which does not stand for the day's scheduled slot. */
  async function deliverSlot(planned: PlannedSlot, clock: () => number, manual = false): Promise<DeliveryReport> {
    const { digest: listed, slot, dueAt, late } = planned;
    const base = { digestId: listed.id, guildId: listed.guildId, channelId: listed.channelId, slot, dueAt, late };
    const report = (outcome: DeliveryReport['outcome'], extra: Partial<DeliveryReport> = {}): DeliveryReport => ({
      ...base,
      outcome,
      messageIds: [],
      stories: [],
      ...extra,
    });
    let token: string | undefined;
    try {
      if ((await ledger.get(slot))?.state === 'sent') return report('already-sent');
      token = await claims.claim(claimKey(slot), claimTtlMs);
      if (token === undefined) return report('claimed-elsewhere');
    } catch (error) {
      log.error({ ...base, err: describeError(error) }, 'digest slot check failed');
      return report('failed', { reason: describeError(error) });
    }
    const claimExpiresAt = now() + claimTtlMs;
    const held = token;
    let digest = listed;
    try {
      const record = await ledger.get(slot);
      if (record && record.state !== 'claimed') {
        await releaseQuietly(slot, held);
        return report(record.state === 'sent' ? 'already-sent' : 'missed');
      }
      digest = (await digests.get(listed.id)) ?? listed;
      if (!digest.enabled) {
        await releaseQuietly(slot, held);
        return report('disabled', digest.disabledReason === undefined ? {} : { reason: digest.disabledReason });
      }
      if (record) log.warn(base, 'resuming a digest slot claimed earlier; nonces keep it from posting twice');
      const nonce = slotNonce(slot, 0);
      const claimed = { v: 1 as const, slot, digestId: digest.id, messageIds: [], storyIds: [], nonce };
      await ledger.set(slot, { ...claimed, state: 'claimed', at: iso(clock()) }, ledgerTtlMs);

      const composedAt = clock();
      const composed = await composer.compose(digest, composeOptions(digest));
      const quietMode = digest.quietDay ?? deps.quietDay ?? 'line';
      const messages = composed.quiet ? (quietMode === 'line' ? [quietLine(digest)] : []) : composed.messages;
      const stories = composed.quiet ? [] : composed.stories;
      // Retries stop at the end of the slot's window and before the claim could pass to another instance.
      const canWait = (ms: number): boolean => clock() + ms <= dueAt + graceMs && now() + ms < claimExpiresAt;
      const messageIds: string[] = [];
      for (const [index, message] of messages.entries()) {
        messageIds.push(await retrier.post(digest.channelId, message, slotNonce(slot, index), canWait, base));
      }
      const storyIds = stories.map((story) => story.id);
      await ledger.set(slot, { ...claimed, state: 'sent', messageIds, storyIds, at: iso(clock()) }, ledgerTtlMs);
      try {
        await recordDelivery(digest.id, manual ? undefined : slot, composedAt, storyIds);
      } catch (error) {
        log.error({ ...base, err: describeError(error) }, 'digest sent but its last-delivery fields were not saved');
      }
      log.info({ ...base, messageIds, stories: storyIds.length, quiet: composed.quiet }, 'digest posted');
      return report(composed.quiet ? 'quiet' : 'sent', { messageIds, stories });
    } catch (error) {
      if (error instanceof PostError && isPermanentPostError(error.kind)) {
        // The claim is kept until it expires: nothing retries a channel that is gone.
        try {
          return report('disabled', { reason: await disableDigest(digest, error) });
        } catch (disableError) {
          log.error({ ...base, err: describeError(disableError) }, 'could not disable a broken digest');
          return report('failed', { reason: describeError(error) });
        }
      }
      await releaseQuietly(slot, held);
      log.error({ ...base, err: describeError(error) }, 'digest delivery failed; retried next tick while in the window');
      return report('failed', { reason: describeError(error) });
    }
  }

  /** A slot past grace: recorded as skipped and logged, once, by whichever instance claims it. */
  async function skipMissed(planned: PlannedSlot): Promise<DeliveryReport | undefined> {
    const { digest, slot, dueAt, late } = planned;
    const base = { digestId: digest.id, guildId: digest.guildId, channelId: digest.channelId, slot, dueAt, late };
    try {
      const record = await ledger.get(slot);
      if (record && record.state !== 'claimed') return undefined;
      if ((await claims.claim(claimKey(slot), claimTtlMs)) === undefined) return undefined;
      const skipped = { v: 1 as const, slot, digestId: digest.id, state: 'skipped' as const, messageIds: [], storyIds: [] };
      await ledger.set(slot, { ...skipped, nonce: slotNonce(slot, 0), at: iso(now()) }, ledgerTtlMs);
      log.warn(base, 'digest slot missed beyond the grace window; skipped');
      return { ...base, outcome: 'missed', messageIds: [], stories: [] };
    } catch (error) {
      log.error({ ...base, err: describeError(error) }, 'could not record a missed digest slot');
      return undefined;
    }
  }

  async function runOnce(at: number): Promise<DeliveryReport[]> {
    const startedAt = now();
    // `at` may be in the past (command line --at); the window is measured on the same scale.
    const clock = (): number => at + (now() - startedAt);
    const listed: DigestConfig[] = [];
    for await (const [, digest] of digests.entries()) listed.push(digest);
    const plan = planSlots(listed, at, { graceMs });

    // One digest's slots go in order (each composes since the previous); digests run in parallel.
    const byDigest = new Map<string, PlannedSlot[]>();
    for (const planned of plan.due) byDigest.set(planned.digest.id, [...(byDigest.get(planned.digest.id) ?? []), planned]);
    const groups = await mapLimit([...byDigest.values()], deps.concurrency ?? 8, async (slots) => {
      const out: DeliveryReport[] = [];
      for (const planned of slots) out.push(await deliverSlot(planned, clock));
      return out;
    });
    const missed: DeliveryReport[] = [];
    for (const planned of plan.missed) {
      const skipped = await skipMissed(planned);
      if (skipped) missed.push(skipped);
    }
    return [...groups.flat(), ...missed];
  }

  return {
    runDue(at) {
      if (inFlight) return inFlight;
      const run = runOnce(at ?? now()).finally(() => {
        inFlight = undefined;
      });
      inFlight = run;
      return run;
    },
    async sendNow(digestId, at) {
      const when = at ?? now();
      const digest = await digests.get(digestId);
      if (!digest) throw new Error(`no digest ${digestId}`);
      const slot = `${digest.id}:now:${new Date(when).toISOString().slice(0, 16)}`;
      const startedAt = now();
      const planned = { digest, slot, dueAt: when, localDate: new Date(when).toISOString().slice(0, 10), late: false };
      return deliverSlot(planned, () => when + (now() - startedAt), true);
    },
    preview: (digest) => composer.compose(digest, composeOptions(digest)),
    async idle() {
      await inFlight?.catch(() => undefined);
    },
  };
}
