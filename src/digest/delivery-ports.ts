/**
 * The ports the digest delivery engine talks through, and the report it gives back. The
 * integrator implements the composer (ranking, summaries, rendering), the poster (discord.js
 * REST) and the notifier; tests pass hand-written fakes.
 */
import { createHash } from 'node:crypto';
import type { APIEmbed } from 'discord-api-types/v10';
import type { DigestConfig } from './digest-types.ts';

/** One message body. The poster sends it with allowed mentions set to none. */
export interface OutgoingMessage {
  content?: string;
  embeds?: APIEmbed[];
}

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
  /** Ready to post, already within Discord's limits; empty when quiet. */
  messages: OutgoingMessage[];
  /** The stories the messages carry, in order. */
  stories: DigestStoryRef[];
  /** Nothing new for this digest: the engine posts the quiet line or nothing. */
  quiet: boolean;
}

/** Builds one digest's messages: ranked, topic-filtered stories, summarized and rendered. */
export interface DigestComposer {
  compose(digest: DigestConfig, options: ComposeOptions): Promise<ComposedDigest>;
}

export type PostErrorKind =
  | 'unknown-channel'
  | 'missing-access'
  | 'missing-permissions'
  | 'rate-limited'
  | 'server'
  | 'other';

/** Why a post failed, classified for the engine. The poster throws only these. */
export class PostError extends Error {
  override readonly name = 'PostError';
  readonly kind: PostErrorKind;
  /** For rate-limited: how long Discord asked to wait. */
  readonly retryAfterMs: number | undefined;
  /** The Discord JSON error code or HTTP status, for logs. */
  readonly code: number | undefined;

  constructor(kind: PostErrorKind, message: string, details: { retryAfterMs?: number; code?: number; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.retryAfterMs = details.retryAfterMs;
    this.code = details.code;
  }
}

/** Faults that retrying cannot fix: the digest is disabled instead. */
export function isPermanentPostError(kind: PostErrorKind): boolean {
  return kind === 'unknown-channel' || kind === 'missing-access' || kind === 'missing-permissions';
}

/**
 * Maps a Discord REST failure to a PostError. `status` is the HTTP status, `code` the JSON error
 * code (10003 unknown channel, 50001 missing access, 50013 missing permissions). Network errors
 * (no status) count as server faults: the nonce makes retrying them safe.
 */
export function classifyDiscordError(failure: {
  status?: number;
  code?: number;
  retryAfterMs?: number;
  message?: string;
  cause?: unknown;
}): PostError {
  const { status, code } = failure;
  const details = {
    ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
    ...(code === undefined ? (status === undefined ? {} : { code: status }) : { code }),
    ...(failure.cause === undefined ? {} : { cause: failure.cause }),
  };
  const text = failure.message ?? `Discord request failed (${status ?? 'network'}${code ? `/${code}` : ''})`;
  if (code === 10003) return new PostError('unknown-channel', text, details);
  if (code === 50001) return new PostError('missing-access', text, details);
  if (code === 50013) return new PostError('missing-permissions', text, details);
  if (status === 429) return new PostError('rate-limited', text, details);
  if (status === undefined || status >= 500) return new PostError('server', text, details);
  return new PostError('other', text, details);
}

/** Sends one message into a channel. Must send allowed mentions none and the given nonce with enforce_nonce. */
export interface ChannelPoster {
  /** Throws PostError on failure. A repeated nonce returns the original message (Discord dedups). */
  post(channelId: string, message: OutgoingMessage, options: { nonce: string }): Promise<{ messageId: string }>;
}

/** Tells a guild's admins something once per key, where Herald can still write (system channel, owner DM). */
export interface GuildNotifier {
  notifyOnce(guildId: string, key: string, text: string): Promise<void>;
}

/** The slice of a pino logger the digest area uses (context object first). */
export interface DigestLog {
  info(context: object, message: string): void;
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}

/**
 * What happened to one slot in a run.
 * sent/quiet: delivered now (quiet: nothing new; the quiet line or nothing was posted).
 * already-sent: the ledger says it was delivered. claimed-elsewhere: another run or instance holds it.
 * disabled: the digest is (now) disabled. failed: will be retried while in the window.
 * missed: beyond the grace window, skipped and logged once.
 */
export type DeliveryOutcome = 'sent' | 'quiet' | 'already-sent' | 'claimed-elsewhere' | 'disabled' | 'failed' | 'missed';

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
}

/**
 * The nonce of message `index` of a slot: the same on every retry, in every process, so Discord
 * (enforce_nonce) returns the first message instead of posting a second. 25 characters max.
 */
export function slotNonce(slot: string, index: number): string {
  return createHash('sha256').update(`herald-digest\n${slot}\n${index}`).digest('base64url').slice(0, 25);
}
