/**
 * `digest run-due --at <instant>`: what would post if the scheduler ran at that instant, with
 * nothing posted, claimed or recorded. Only the real clock delivers: a run "at" another time
 * that recorded its slots would mark a day delivered (or missed) that has not come, and the
 * real digest of that day would never post.
 */
import type { DeliveryLedger } from '../delivery/ledger.ts';
import type { OutboundMessage } from '../delivery/message.ts';
import type { RecordStore } from '../store/types.ts';
import { slotContext, type ComposedDigest, type DigestStoryRef } from './delivery-ports.ts';
import type { DigestConfig } from './digest-types.ts';
import { planSlots, type PlannedSlot } from './schedule.ts';

/**
 * would-send / would-be-quiet: due and not delivered yet (the quiet line, or nothing when quiet
 * days are skipped). already-sent / already-skipped: the ledger has the slot. in-flight: a run
 * holds it now. would-skip: past the grace window, so it would be recorded missed.
 */
export type PlannedOutcome =
  'would-send' | 'would-be-quiet' | 'already-sent' | 'already-skipped' | 'in-flight' | 'would-skip';

/** One slot of a dry run. */
export interface PlannedDelivery {
  digestId: string;
  guildId: string;
  channelId: string;
  slot: string;
  dueAt: number;
  late: boolean;
  outcome: PlannedOutcome;
  /** The stories it would carry, composed from what is stored now. */
  stories: DigestStoryRef[];
  /** The messages it would post (empty unless would-send or would-be-quiet with a quiet line). */
  messages: OutboundMessage[];
}

export interface DuePlannerDeps {
  digests: RecordStore<DigestConfig>;
  ledger: Pick<DeliveryLedger, 'get'>;
  graceMs: number;
  /** Composes a digest as a delivery would (since its last digest, nothing repeated). */
  compose: (digest: DigestConfig) => Promise<ComposedDigest>;
  /** The quiet-day messages of a digest: the quiet line, or none when quiet days are skipped. */
  quietMessages: (digest: DigestConfig) => OutboundMessage[];
}

/** Plans the slots due at `at` without a single write. */
export async function planDueAt(deps: DuePlannerDeps, at: number): Promise<PlannedDelivery[]> {
  const listed: DigestConfig[] = [];
  for await (const [, digest] of deps.digests.entries()) listed.push(digest);
  const plan = planSlots(listed, at, { graceMs: deps.graceMs });

  async function entryFor(planned: PlannedSlot, missed: boolean): Promise<PlannedDelivery> {
    const { digest, slot } = planned;
    const base = slotContext(planned);
    const known = await deps.ledger.get(slot);
    const nothing = { stories: [], messages: [] };
    if (known?.state === 'delivered') return { ...base, outcome: 'already-sent', ...nothing };
    if (known?.state === 'skipped') return { ...base, outcome: 'already-skipped', ...nothing };
    if (known?.state === 'in-flight') return { ...base, outcome: 'in-flight', ...nothing };
    if (missed) return { ...base, outcome: 'would-skip', ...nothing };
    const composed = await deps.compose(digest);
    if (composed.quiet)
      return { ...base, outcome: 'would-be-quiet', stories: [], messages: deps.quietMessages(digest) };
    return { ...base, outcome: 'would-send', stories: composed.stories, messages: composed.messages };
  }

  const entries: PlannedDelivery[] = [];
  for (const planned of plan.due) entries.push(await entryFor(planned, false));
  for (const planned of plan.missed) entries.push(await entryFor(planned, true));
  return entries;
}
