/**
 * Where a neutral message goes. The kinds cover everything Herald posts on its own: a channel
 * (digests, feed story messages, notices), a thread (feed updates into an existing story
 * thread), a reader's DMs (subscriptions), and a new forum post (a feed into a forum channel,
 * which needs a title). Starting a thread from a delivered message is a sink operation
 * (`MessageSink.startThread`), not a destination.
 */

export type Destination =
  | { kind: 'channel'; channelId: string; guildId?: string }
  | { kind: 'thread'; threadId: string; guildId?: string }
  | { kind: 'user'; userId: string }
  | {
      kind: 'forum-post';
      forumChannelId: string;
      /** The post's title (Discord: the thread name, at most 100 characters; the fitter trims it). */
      title: string;
      guildId?: string;
      /** Forum tag ids to apply, at most 5. */
      tagIds?: string[];
    };

export type DestinationKind = Destination['kind'];

/** The terminal mode is its own guild and channel, so per-channel features (digests) work there too. */
export const TERMINAL_GUILD_ID = 'terminal';
export const TERMINAL_CHANNEL_ID = 'terminal';

export function channelDestination(channelId: string, guildId?: string): Destination {
  return guildId === undefined ? { kind: 'channel', channelId } : { kind: 'channel', channelId, guildId };
}

export function userDestination(userId: string): Destination {
  return { kind: 'user', userId };
}

/** For logs: one short context object, never the message itself. */
export function destinationContext(destination: Destination): Record<string, string> {
  switch (destination.kind) {
    case 'channel':
      return { destination: 'channel', channelId: destination.channelId };
    case 'thread':
      return { destination: 'thread', threadId: destination.threadId };
    case 'user':
      return { destination: 'user', userId: destination.userId };
    case 'forum-post':
      return { destination: 'forum-post', channelId: destination.forumChannelId };
  }
}
