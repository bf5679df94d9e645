/**
 * Exactly-once digest delivery. Per slot (digest, local date), under the delivery ledger:
 * claim the slot (done -> skip; held -> another instance has it); compose; hand every message
 * to the courier with a key derived from the slot (so a crash between posting and marking
 * re-posts into Discord's nonce dedup, not the channel); mark delivered; update the digest's
 * last* fields. A failure is recorded failed and the claim let go: a transient one is retried by
 * the next tick within the window; a broken channel disables the digest and tells the guild once,
 * and a /digest now after the admin fixed it posts at once.
 */
import { describeError } from '../errors.ts';
import { asDeliveryError, type DeliveryLane } from '../delivery/courier.ts';
import { isDestinationFailure, type DeliveryError } from '../delivery/failure.ts';
import type { LedgerLease } from '../delivery/ledger.ts';
import type { OutboundMessage } from '../delivery/message.ts';
import { channelProblemOf, type ChannelProblem } from '../delivery/problem.ts';
import type { GuildNotifier } from '../delivery/notices.ts';
import { mapLimit } from '../map-limit.ts';
import { RECENT_STORY_LIMIT, type DigestConfig, type QuietDayMode } from './digest-types.ts';
import type { RecordStore } from '../store/types.ts';
import { planSlots, slotDate, type PlannedSlot } from './schedule.ts';
import { planDueAt, type PlannedDelivery } from './due-plan.ts';
import {
  slotContext,
  slotMessageKey,
  type ComposedDigest,
  type DeliveryReport,
  type DigestComposer,
  type DigestLog,
} from './delivery-ports.ts';

export interface DigestDeliveryDeps {
  digests: RecordStore<DigestConfig>;
  /** The digests' lane of the courier: one ledger entry per slot, every message sent through it. */
  lane: DeliveryLane;
  composer: DigestComposer;
  notifier: Pick<GuildNotifier, 'notifyOnce'>;
  log: DigestLog;
  now: () => number;
  /** How long after its due time a slot may still be delivered (catch-up and retries). */
  graceMs: number;
  /** Deployment default for quiet days; a digest's own `quietDay` wins. Default 'line'. */
  quietDay?: QuietDayMode;
  quietLine?: (digest: DigestConfig) => OutboundMessage;
  /** Slots delivered in parallel in one run (different digests; one digest's slots stay in order). Default 8. */
  concurrency?: number;
}

export interface DigestDelivery {
  /**
   * Delivers every slot due now within grace, and logs slots past grace once. Runs never
   * overlap: a call while a run is in flight returns that run's promise (and its report).
   * Rejects only when the digests cannot be listed. Only the clock says what is due: a run at
   * another instant would record slots of a day that has not come (see due-plan.ts).
   */
  runDue(): Promise<DeliveryReport[]>;
  /** What a run at `at` would post: a dry run that posts, claims and records nothing. */
  planDue(at: number): Promise<PlannedDelivery[]>;
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

function defaultQuietLine(digest: DigestConfig): OutboundMessage {
  const topics = digest.topics.length > 0 ? ` in ${digest.topics.join(', ')}` : '';
  return { content: `Quiet day: nothing new${topics} since the last digest.` };
}

/** The notice key of a digest's "paused" message; /digest setup re-arms it. */
export function pausedNoticeKey(digest: Pick<DigestConfig, 'id' | 'channelId'>): string {
  return `digest-disabled:${digest.id}:${digest.channelId}`;
}

export function createDigestDelivery(deps: DigestDeliveryDeps): DigestDelivery {
  const { digests, composer, lane, notifier, log, now, graceMs } = deps;
  const { ledger, claimTtlMs } = lane;
  const quietLine = deps.quietLine ?? defaultQuietLine;
  let inFlight: Promise<DeliveryReport[]> | undefined;

  const iso = (ms: number): string => new Date(ms).toISOString();

  function composeOptions(digest: DigestConfig): Parameters<DigestComposer['compose']>[1] {
    return {
      excludeStoryIds: digest.recentStoryIds ?? [],
      ...(digest.lastDeliveredAt === undefined ? {} : { since: digest.lastDeliveredAt }),
    };
  }

  /** Lets go of a slot: `failed` records why (so it may go again at once), otherwise it is as before the claim. */
  async function letGo(lease: LedgerLease, failure?: DeliveryError): Promise<void> {
    try {
      if (failure) await ledger.failed(lease, failure);
      else await ledger.release(lease);
    } catch (error) {
      log.error(
        { slot: lease.key, err: describeError(error) },
        'digest claim release failed; it expires on its own',
      );
    }
  }

  async function disableDigest(digest: DigestConfig, error: DeliveryError): Promise<ChannelProblem> {
    const problem = channelProblemOf(error, digest.channelId);
    const context = {
      digestId: digest.id,
      guildId: digest.guildId,
      channelId: digest.channelId,
      code: error.code,
    };
    const { disabledReason: _replaced, ...fresh } = (await digests.get(digest.id)) ?? digest;
    await digests.set(digest.id, { ...fresh, enabled: false, disabledProblem: problem });
    log.warn({ ...context, problem: problem.kind }, 'digest disabled');
    const { time, timezone, channelId } = digest;
    try {
      await notifier.notifyOnce(digest.guildId, pausedNoticeKey(digest), {
        kind: 'digest-paused',
        channelId,
        time,
        timezone,
        problem,
      });
    } catch (notifyError) {
      log.warn(
        { ...context, err: describeError(notifyError) },
        'could not tell the guild its digest was disabled',
      );
    }
    return problem;
  }

  /** The ledger is authoritative; these fields feed /digest show and the next compose. */
  async function recordDelivery(
    digestId: string,
    slot: string | undefined,
    composedAt: number,
    storyIds: string[],
  ): Promise<void> {
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
  async function deliverSlot(
    planned: PlannedSlot,
    clock: () => number,
    manual = false,
  ): Promise<DeliveryReport> {
    const { digest: listed, slot, dueAt, late } = planned;
    const base = {
      digestId: listed.id,
      guildId: listed.guildId,
      channelId: listed.channelId,
      slot,
      dueAt,
      late,
    };
    const report = (
      outcome: DeliveryReport['outcome'],
      extra: Partial<DeliveryReport> = {},
    ): DeliveryReport => ({
      ...base,
      outcome,
      messageIds: [],
      stories: [],
      ...extra,
    });
    let lease: LedgerLease;
    try {
      const claim = await ledger.claim(slot);
      if (claim.status === 'held-elsewhere') return report('claimed-elsewhere');
      if (claim.status === 'done')
        return report(claim.entry.state === 'delivered' ? 'already-sent' : 'missed');
      lease = claim.lease;
    } catch (error) {
      log.error({ ...base, err: describeError(error) }, 'digest slot check failed');
      return report('failed', { reason: describeError(error) });
    }
    const claimExpiresAt = now() + claimTtlMs;
    let digest = listed;
    try {
      digest = (await digests.get(listed.id)) ?? listed;
      if (!digest.enabled) {
        await letGo(lease);
        return report('disabled', {
          ...(digest.disabledReason === undefined ? {} : { reason: digest.disabledReason }),
          ...(digest.disabledProblem === undefined ? {} : { problem: digest.disabledProblem }),
        });
      }
      if (lease.previous?.state === 'in-flight')
        log.warn(base, 'resuming a digest slot claimed earlier; nonces keep it from posting twice');

      const composedAt = clock();
      const composed = await composer.compose(digest, composeOptions(digest));
      const messages = composed.quiet ? quietMessages(digest) : composed.messages;
      const stories = composed.quiet ? [] : composed.stories;
      // Retries stop at the end of the slot's window and before the claim could pass to another instance.
      const canWait = (ms: number): boolean => clock() + ms <= dueAt + graceMs && now() + ms < claimExpiresAt;
      const destination = { kind: 'channel' as const, channelId: digest.channelId, guildId: digest.guildId };
      const messageIds: string[] = [];
      for (const [index, message] of messages.entries()) {
        const delivery = { key: slotMessageKey(slot, index), destination, message };
        const receipt = await lane.send(delivery, { canWait });
        messageIds.push(...receipt.messageIds);
      }
      const storyIds = stories.map((story) => story.id);
      await ledger.delivered(lease, { messageIds, channelId: digest.channelId, storyIds });
      try {
        await recordDelivery(digest.id, manual ? undefined : slot, composedAt, storyIds);
      } catch (error) {
        log.error(
          { ...base, err: describeError(error) },
          'digest sent but its last-delivery fields were not saved',
        );
      }
      log.info({ ...base, messageIds, stories: storyIds.length, quiet: composed.quiet }, 'digest posted');
      return report(composed.quiet ? 'quiet' : 'sent', { messageIds, stories });
    } catch (error) {
      const failure = asDeliveryError(error);
      if (isDestinationFailure(failure.kind)) {
        // Nothing retries a broken channel: the digest stops until the admin sets it up again.
        // It is disabled before the slot is let go, so no other instance tries it meanwhile.
        try {
          return report('disabled', { problem: await disableDigest(digest, failure) });
        } catch (disableError) {
          log.error({ ...base, err: describeError(disableError) }, 'could not disable a broken digest');
          return report('failed', { reason: describeError(error) });
        } finally {
          await letGo(lease, failure);
        }
      }
      await letGo(lease, failure);
      log.error(
        { ...base, err: describeError(error) },
        'digest delivery failed; retried next tick while in the window',
      );
      return report('failed', { reason: describeError(error) });
    }
  }

  /** A slot past grace: recorded as skipped and logged, once, by whichever instance claims it. */
  async function skipMissed(planned: PlannedSlot): Promise<DeliveryReport | undefined> {
    const base = slotContext(planned);
    const { slot } = planned;
    try {
      const claim = await ledger.claim(slot);
      if (claim.status !== 'claimed') return undefined;
      await ledger.skipped(claim.lease);
      log.warn(base, 'digest slot missed beyond the grace window; skipped');
      return { ...base, outcome: 'missed', messageIds: [], stories: [] };
    } catch (error) {
      log.error({ ...base, err: describeError(error) }, 'could not record a missed digest slot');
      return undefined;
    }
  }

  function quietMessages(digest: DigestConfig): OutboundMessage[] {
    return (digest.quietDay ?? deps.quietDay ?? 'line') === 'line' ? [quietLine(digest)] : [];
  }

  async function runOnce(): Promise<DeliveryReport[]> {
    const at = now();
    const listed: DigestConfig[] = [];
    for await (const [, digest] of digests.entries()) listed.push(digest);
    const plan = planSlots(listed, at, { graceMs });

    // One digest's slots go in order (each composes since the previous); digests run in parallel.
    const byDigest = new Map<string, PlannedSlot[]>();
    for (const planned of plan.due)
      byDigest.set(planned.digest.id, [...(byDigest.get(planned.digest.id) ?? []), planned]);
    const groups = await mapLimit([...byDigest.values()], deps.concurrency ?? 8, async (slots) => {
      const out: DeliveryReport[] = [];
      for (const planned of slots) out.push(await deliverSlot(planned, now));
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
    runDue() {
      if (inFlight) return inFlight;
      const run = runOnce().finally(() => {
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
      const planned = {
        digest,
        slot,
        dueAt: when,
        localDate: new Date(when).toISOString().slice(0, 10),
        late: false,
      };
      return deliverSlot(planned, () => when + (now() - startedAt), true);
    },
    planDue: (at) =>
      planDueAt(
        {
          digests,
          ledger,
          graceMs,
          compose: (digest) => composer.compose(digest, composeOptions(digest)),
          quietMessages,
        },
        at,
      ),
    preview: (digest) => composer.compose(digest, composeOptions(digest)),
    async idle() {
      await inFlight?.catch(() => undefined);
    },
  };
}
