/**
 * The DM port of subscriptions: Discord REST in production, a text stream in the terminal mode,
 * hand-written fakes in tests. Every DM carries allowed mentions none.
 */
import type { Writable } from 'node:stream';
import type { APIEmbed } from 'discord-api-types/v10';
import { Routes } from 'discord-api-types/v10';
import { NO_MENTIONS } from '../discord/render.ts';
import { renderReplyAsText } from '../terminal/render-text.ts';

export interface DirectMessage {
  content?: string;
  embeds?: APIEmbed[];
}

/**
 * closed: the user does not accept DMs from Herald (Discord 50007); retrying cannot help.
 * transient: rate limits, 5xx, network; the next run may succeed. other: anything else.
 */
export type DirectMessageErrorKind = 'closed' | 'transient' | 'other';

/** Why a DM failed. Messengers throw only this. */
export class DirectMessageError extends Error {
  override readonly name = 'DirectMessageError';
  readonly kind: DirectMessageErrorKind;
  /** Discord's JSON error code or the HTTP status, for logs. */
  readonly code: number | undefined;
  /**
   * True when the message certainly did not arrive (Discord answered with an error, or nothing
   * was sent). False when the request may have gone through (no answer): such a DM must not be
   * retried, or the reader could get it twice. Default: true when there is a code.
   */
  readonly undelivered: boolean;

  constructor(kind: DirectMessageErrorKind, message: string, details: { code?: number; cause?: unknown; undelivered?: boolean } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.code = details.code;
    this.undelivered = details.undelivered ?? details.code !== undefined;
  }
}

/** Sends one message to a user's DMs. Throws DirectMessageError. */
export interface DirectMessenger {
  send(userId: string, message: DirectMessage): Promise<void>;
}

/** The slice of discord.js's REST client the messenger uses. */
export interface RestPoster {
  post(route: `/${string}`, options: { body: unknown }): Promise<unknown>;
}

const CANNOT_DM = 50007;
const UNKNOWN_CHANNEL = 10003;
// Enough for every active subscriber of a large bot; a miss only costs one extra request.
const CHANNEL_CACHE_LIMIT = 50_000;

function numberField(value: unknown, field: string): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const found = (value as Record<string, unknown>)[field];
  return typeof found === 'number' ? found : undefined;
}

/** Classifies a discord.js REST failure (DiscordAPIError carries code and status). */
export function classifyDmFailure(error: unknown, surelyUndelivered = false): DirectMessageError {
  const code = numberField(error, 'code');
  const status = numberField(error, 'status');
  const message = error instanceof Error ? error.message : String(error);
  const details = {
    cause: error,
    ...(code === undefined ? (status === undefined ? {} : { code: status }) : { code }),
    ...(surelyUndelivered ? { undelivered: true } : {}),
  };
  if (code === CANNOT_DM) return new DirectMessageError('closed', 'the user does not accept DMs', details);
  if (status === undefined || status === 429 || status >= 500) return new DirectMessageError('transient', message, details);
  return new DirectMessageError('other', message, details);
}

/** DMs over Discord REST: open (or reuse) the DM channel, then post into it. */
export function createDiscordDirectMessenger(rest: RestPoster): DirectMessenger {
  const channels = new Map<string, string>();

  async function channelOf(userId: string): Promise<string> {
    const cached = channels.get(userId);
    if (cached) return cached;
    const channel = await rest.post(Routes.userChannels(), { body: { recipient_id: userId } });
    const id = typeof channel === 'object' && channel !== null ? (channel as { id?: unknown }).id : undefined;
    if (typeof id !== 'string') throw new DirectMessageError('other', 'Discord returned no DM channel id', { undelivered: true });
    if (channels.size >= CHANNEL_CACHE_LIMIT) {
      const oldest = channels.keys().next().value;
      if (oldest !== undefined) channels.delete(oldest);
    }
    channels.set(userId, id);
    return id;
  }

  return {
    async send(userId, message) {
      let channelId: string;
      try {
        channelId = await channelOf(userId);
      } catch (error) {
        // The message itself was never posted, whatever happened to the channel request.
        throw error instanceof DirectMessageError ? error : classifyDmFailure(error, true);
      }
      try {
        await rest.post(Routes.channelMessages(channelId), { body: { ...message, allowed_mentions: NO_MENTIONS } });
      } catch (error) {
        // A stale cached channel would fail every later DM; open a fresh one next time.
        if (numberField(error, 'code') === UNKNOWN_CHANNEL) channels.delete(userId);
        throw classifyDmFailure(error);
      }
    },
  };
}

/** The terminal mode's DMs: written to the terminal, rendered as text. */
export function createTerminalDirectMessenger(output: Writable): DirectMessenger {
  return {
    async send(userId, message) {
      output.write(`\n── DM to ${userId} ──\n${renderReplyAsText(message)}\n`);
    },
  };
}

/** A messenger whose transport is set later (the Discord client or the terminal starts after the services are built). */
export interface SwitchableDirectMessenger extends DirectMessenger {
  use(target: DirectMessenger | undefined): void;
}

export function createSwitchableDirectMessenger(): SwitchableDirectMessenger {
  let target: DirectMessenger | undefined;
  return {
    use(next) {
      target = next;
    },
    async send(userId, message) {
      // Nothing was sent, so the stories stay unsent and the next run retries them.
      if (!target) throw new DirectMessageError('transient', 'no DM transport connected yet', { undelivered: true });
      await target.send(userId, message);
    },
  };
}
