/**
 * Channel feeds in the terminal mode: the terminal is the one channel, so a feed there prints
 * each new story as it arrives, and a story's updates as indented lines. Nonces are remembered
 * for the life of the process, so a retried post prints once, as Discord would post once.
 */
import type { Writable } from 'node:stream';
import { createTerminalNotifier } from '../digest/terminal-poster.ts';
import type { FeedTransport } from '../feeds/build-feeds.ts';
import type { FeedChannelAccess, FeedSink } from '../feeds/feed-sink.ts';
import { renderReplyAsText } from './render-text.ts';

export function createTerminalFeedSink(output: Writable): FeedSink {
  const byNonce = new Map<string, string>();
  let sent = 0;
  const once = (nonce: string, write: () => void): string => {
    const original = byNonce.get(nonce);
    if (original !== undefined) return original;
    sent += 1;
    const id = `terminal-feed-${sent}`;
    byNonce.set(nonce, id);
    write();
    return id;
  };
  return {
    async post(_target, message, { nonce, threadName }) {
      const messageId = once(nonce, () => output.write(`[feed] ${renderReplyAsText(message)}\n`));
      return threadName === undefined ? { messageId } : { messageId, threadId: messageId };
    },
    async postInThread(_threadId, message, { nonce }) {
      const messageId = once(nonce, () => output.write(`  ↳ ${renderReplyAsText(message).replace(/\n/g, '\n    ')}\n`));
      return { messageId };
    },
  };
}

/** The terminal is always there and always writable. */
export function createTerminalFeedAccess(): FeedChannelAccess {
  return { inspect: async () => ({ kind: 'terminal', missing: [] }) };
}

/** Everything channel feeds need in the terminal mode. */
export function terminalFeedTransport(output: Writable): FeedTransport {
  return { mode: 'terminal', sink: createTerminalFeedSink(output), access: createTerminalFeedAccess(), notifier: createTerminalNotifier(output) };
}
