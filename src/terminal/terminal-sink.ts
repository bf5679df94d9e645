/**
 * The terminal adapter of the delivery port. In the terminal mode the terminal is the one
 * guild and channel, and DMs are shown inline; the parts the courier fitted are written as the
 * text a Discord reader would see. Keys are remembered for the life of the process, so a retried
 * send returns the first message's ids, as Discord's nonces do.
 */
import type { Writable } from 'node:stream';
import { fitThreadName } from '../delivery/fit.ts';
import type { DeliveryReceipt, DestinationAccess, MessageSink } from '../delivery/sink.ts';
import { renderReplyAsText } from './render-text.ts';
import { TERMINAL_CHANNEL_ID } from '../delivery/destination.ts';

export function createTerminalSink(output: Writable, now: () => number = Date.now): MessageSink {
  const byKey = new Map<string, DeliveryReceipt>();
  let sent = 0;
  const nextId = (): string => `terminal-${++sent}`;
  return {
    surface: 'terminal',
    async send(delivery) {
      const original = byKey.get(delivery.key);
      if (original) return original;
      const { destination } = delivery;
      const heading =
        destination.kind === 'user'
          ? `\n── DM to ${destination.userId} ──\n`
          : destination.kind === 'forum-post'
            ? `\n── new post: ${fitThreadName(destination.title)} ──\n`
            : destination.kind === 'thread'
              ? `\n── in thread ${destination.threadId} ──\n`
              : '';
      const messageIds = delivery.parts.map((part, index) => {
        output.write(`${index === 0 ? heading : ''}${renderReplyAsText(part, now())}\n`);
        return nextId();
      });
      const channelId =
        destination.kind === 'thread'
          ? destination.threadId
          : destination.kind === 'user'
            ? destination.userId
            : TERMINAL_CHANNEL_ID;
      const receipt = { messageId: messageIds[0] as string, messageIds, channelId };
      byKey.set(delivery.key, receipt);
      return receipt;
    },
    async startThread(request) {
      output.write(`── thread: ${fitThreadName(request.name)} ──\n`);
      return { threadId: `terminal-thread-${request.messageId}` };
    },
  };
}

/** The terminal can always be written to, and notices go to it. */
export function createTerminalAccess(): DestinationAccess {
  return {
    missingPermissions: async () => [],
    noticeChannels: async () => [TERMINAL_CHANNEL_ID],
  };
}
