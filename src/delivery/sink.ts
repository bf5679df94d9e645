/**
 * The outbound port. Everything Herald posts on its own (digests, channel feeds and their
 * thread updates, DMs, notices) reaches a MessageSink through the courier (courier.ts), as a
 * neutral message with a destination and an idempotency key, already cut by the one fitter
 * (fit.ts) into parts within Discord's limits. Two adapters implement it: Discord REST
 * (src/discord/discord-sink.ts) and the terminal (src/terminal/terminal-sink.ts); tests pass
 * hand-written fakes. Adapters post the parts as they are, send allowed mentions none, and throw
 * only DeliveryError (failure.ts).
 */
import type { Destination } from './destination.ts';
import type { IdempotencyKey } from './idempotency.ts';
import type { FittedMessage, OutboundMessage } from './message.ts';

/** One message on its way: what, where, and the key that makes a retry safe. */
export interface OutboundDelivery {
  key: IdempotencyKey;
  destination: Destination;
  message: OutboundMessage;
}

/** A delivery on its last leg: the courier has fitted the message into the parts to post. */
export interface FittedDelivery extends OutboundDelivery {
  /** At least one part, in order; each within every Discord limit. */
  parts: readonly FittedMessage[];
}

/** Where a delivered message landed. */
export interface DeliveryReceipt {
  /** The first message posted: the one to start a thread from, or to link to. */
  messageId: string;
  /** Every message posted, in order (more than one when the fitter split the message). */
  messageIds: string[];
  /**
   * The channel the messages are in: the channel itself, the thread, the reader's DM channel,
   * or the new forum post (a thread whose id Discord gives the post).
   */
  channelId: string;
}

export interface StartThreadRequest {
  /** Starting the same thread twice (a retry) must not make two. */
  key: IdempotencyKey;
  /** The channel holding the message. */
  channelId: string;
  /** The delivered message the thread grows from (`DeliveryReceipt.messageId`). */
  messageId: string;
  /** Trimmed to Discord's 100 characters by the adapter. */
  name: string;
  /** Minutes of inactivity before the thread hides: 60, 1440, 4320 or 10080. */
  autoArchiveMinutes?: 60 | 1440 | 4320 | 10080;
}

export interface ThreadReceipt {
  threadId: string;
}

/** Which surface a sink delivers to; the terminal owns one pseudo-guild, Discord the rest. */
export type DeliverySurface = 'discord' | 'terminal';

export interface MessageSink {
  readonly surface: DeliverySurface;
  /**
   * Posts one fitted message (several parts when it is long), each part with a nonce derived
   * from the key, so the same key posted again returns the first messages instead of new ones
   * (within Discord's nonce window). Throws DeliveryError.
   */
  send(delivery: FittedDelivery): Promise<DeliveryReceipt>;
  /** Opens a thread on a delivered message. Throws DeliveryError. */
  startThread(request: StartThreadRequest): Promise<ThreadReceipt>;
}

/** Herald's own permissions a destination may need, named without a platform's flags. */
export type ChannelPermission =
  'view' | 'send' | 'embed' | 'create-public-threads' | 'send-in-threads' | 'read-history';

/** What posting a digest or a story needs: see it, write in it, show embeds. */
export const POSTING_PERMISSIONS: readonly ChannelPermission[] = ['view', 'send', 'embed'];

/** Kinds of guild channel Herald may be set up to post in. */
export type ChannelKind = 'text' | 'announcement' | 'forum';

/** Where digests go by default: text and announcement channels. */
export const MESSAGE_CHANNEL_KINDS: readonly ChannelKind[] = ['text', 'announcement'];

/** The checker's answer for a channel that is not there (or not visible at all). */
export const CHANNEL_DOES_NOT_EXIST = 'the channel does not exist';

/**
 * Looks before posting: whether Herald can post in a channel (checked before a digest or feed
 * is saved there) and where a guild's admins can be told something.
 */
export interface DestinationAccess {
  /**
   * Human names of what is missing ("Embed Links"); empty when Herald can post there;
   * [CHANNEL_DOES_NOT_EXIST] when the channel is not there. `needs` defaults to
   * POSTING_PERMISSIONS, `accept` (the channel kinds allowed) to MESSAGE_CHANNEL_KINDS; a channel
   * of another kind is reported as one missing item naming the kinds wanted.
   */
  missingPermissions(
    guildId: string,
    channelId: string,
    needs?: readonly ChannelPermission[],
    accept?: readonly ChannelKind[],
  ): Promise<string[]>;
  /** Channels to tell a guild's admins something, best first (the system channel, then text channels Herald can write in). */
  noticeChannels(guildId: string): Promise<string[]>;
  /**
   * A guild role and whether Herald may ping it in the channel (the role is mentionable, or
   * Herald has Mention Everyone there); undefined when there is no such role. Absent on a
   * surface without roles (the terminal).
   */
  roleMention?(guildId: string, channelId: string, roleId: string): Promise<RoleMentionAccess | undefined>;
  /** A forum channel's tags (empty for any other channel). Absent on a surface without forums. */
  forumTags?(guildId: string, channelId: string): Promise<ForumTag[]>;
}

export interface RoleMentionAccess {
  name: string;
  mentionable: boolean;
  /** Herald's Mention Everyone permission in the channel, which pings any role. */
  mayMentionEveryone: boolean;
}

export interface ForumTag {
  id: string;
  name: string;
}

/**
 * One way out: the sink and its access checks. Built first, before any service, and handed to
 * createHerald; `sink.surface` also tells which digests this process serves (the terminal its
 * own pseudo-channel, Discord every real one).
 */
export interface DeliveryTransport {
  sink: MessageSink;
  access: DestinationAccess;
}
