/**
 * The digest engine's own shapes: what the composer gives it and the report it gives back.
 * Posting goes through the courier (src/delivery/courier.ts); tests pass hand-written sinks.
 */
import { idempotencyKey, nonceFor, type IdempotencyKey } from '../delivery/idempotency.ts';
import type { OutboundMessage } from '../delivery/message.ts';
import type { ChannelProblem } from '../delivery/problem.ts';
import type { DeliveryLog } from '../delivery/retry.ts';
import type { DigestConfig } from './digest-types.ts';
import type { PlannedSlot } from './schedule.ts';

/** A story a digest carried, as the `run-due` command line prints it. */
export interface DigestStoryRef {
  id: string;
  title: string;
}

export interface ComposeOptions {
  /** ISO-8601: hold stories since this instant (the channel's last digest); absent for the first. */
  since?: string;
  /** Stories this channel already got in its last deliveries: never include them again. */
  excludeStoryIds: readonly string[];
}

export interface ComposedDigest {
  /** Ready to post (the courier fits each to Discord's limits); empty when quiet. */
  messages: OutboundMessage[];
  /** The stories the messages carry, in order. */
  stories: DigestStoryRef[];
  /** Nothing new for this digest: the engine posts the quiet line or nothing. */
  quiet: boolean;
}

/** Builds one digest's messages: ranked, topic-filtered stories, summarized and rendered. */
export interface DigestComposer {
  compose(digest: DigestConfig, options: ComposeOptions): Promise<ComposedDigest>;
}

/** The slice of a pino logger the digest area uses (context object first). */
export type DigestLog = DeliveryLog;

/**
 * What happened to one slot in a run.
 * sent/quiet: delivered now (quiet: nothing new; the quiet line or nothing was posted).
 * already-sent: the ledger says it was delivered. claimed-elsewhere: another run or instance holds it.
 * disabled: the digest is (now) disabled. failed: will be retried while in the window.
 * missed: beyond the grace window, skipped and logged once.
 */
export type DeliveryOutcome =
  'sent' | 'quiet' | 'already-sent' | 'claimed-elsewhere' | 'disabled' | 'failed' | 'missed';

export interface DeliveryReport {
  digestId: string;
  guildId: string;
  channelId: string;
  slot: string;
  dueAt: number;
  late: boolean;
  outcome: DeliveryOutcome;
  /** Ids of the messages posted for the slot, in order. */
  messageIds: string[];
  stories: DigestStoryRef[];
  /** For disabled and failed: why. */
  reason?: string;
  /** For disabled by a fault: what is wrong with the channel. */
  problem?: ChannelProblem;
}

/** The idempotency key of message `index` of a slot: the same on every retry, in every process. */
export function slotMessageKey(slot: string, index: number): IdempotencyKey {
  return idempotencyKey('digest', slot, index);
}

/**
 * The nonce of part `part` of a slot's digest message, so Discord (enforce_nonce) returns the
 * first message instead of posting a second. 25 characters max.
 */
export function slotNonce(slot: string, part: number): string {
  return nonceFor(slotMessageKey(slot, 0), part);
}

/** What every report (and log line) about a planned slot starts with. */
export function slotContext(planned: PlannedSlot): {
  digestId: string;
  guildId: string;
  channelId: string;
  slot: string;
  dueAt: number;
  late: boolean;
} {
  const { digest, slot, dueAt, late } = planned;
  return { digestId: digest.id, guildId: digest.guildId, channelId: digest.channelId, slot, dueAt, late };
}
