/**
 * The port channel feeds post through. It is deliberately small so it can sit on the shared
 * delivery layer (one outbox, one fitter, one failure taxonomy) when that lands: the Discord
 * adapter (src/discord/feed-sink.ts) and the terminal adapter (src/terminal/feed-sink.ts)
 * implement it, and failures are the digest engine's PostError kinds.
 */
import type { OutgoingMessage } from '../digest/delivery-ports.ts';
import type { FeedChannelKind } from './feed-types.ts';

export type { OutgoingMessage } from '../digest/delivery-ports.ts';

export interface FeedTarget {
  guildId: string;
  channelId: string;
  kind: FeedChannelKind;
}

export interface PostedStory {
  messageId: string;
  /** The story's thread: a thread started from the message, or the forum post itself. */
  threadId?: string;
}

/** Sends feed messages; every message goes with allowed mentions none. Throws PostError. */
export interface FeedSink {
  /**
   * Posts one message into the channel. With `threadName`: in a text channel a thread is
   * started from the message; in a forum channel the message opens a post of that name (a
   * forum accepts nothing else). The nonce makes a retried post return the first message.
   */
  post(target: FeedTarget, message: OutgoingMessage, options: { nonce: string; threadName?: string }): Promise<PostedStory>;
  /** Posts into a story's thread (an update). */
  postInThread(threadId: string, message: OutgoingMessage, options: { nonce: string }): Promise<{ messageId: string }>;
}

/** What Herald itself is allowed to do in a channel, checked before a feed is saved there. */
export interface FeedChannelInspection {
  /** Undefined when the channel does not exist or Herald cannot see it. */
  kind: FeedChannelKind | undefined;
  /** Human names of missing permissions ("Embed Links"); empty when Herald can post as asked. */
  missing: string[];
}

export interface FeedChannelAccess {
  inspect(guildId: string, channelId: string, options: { threads: boolean }): Promise<FeedChannelInspection>;
}
