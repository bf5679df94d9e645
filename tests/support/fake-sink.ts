// A hand-written MessageSink that records what it was given, answers with ids m1, m2, …, can
// fail the next sends with given DeliveryErrors, and returns the first receipt for a repeated
// key (as Discord does with a repeated nonce).
import type { DeliveryError } from '../../src/delivery/failure.ts';
import type { DeliveryReceipt, FittedDelivery, MessageSink } from '../../src/delivery/sink.ts';

export interface FakeSink extends MessageSink {
  /** Every send that went through, in order. */
  readonly sent: FittedDelivery[];
  /** Every attempt, including failed and deduplicated ones. */
  readonly attempts: FittedDelivery[];
  /** Thrown by the next sends, first first. */
  readonly failures: DeliveryError[];
}

export function createFakeSink(surface: MessageSink['surface'] = 'discord'): FakeSink {
  const sent: FittedDelivery[] = [];
  const attempts: FittedDelivery[] = [];
  const failures: DeliveryError[] = [];
  const byKey = new Map<string, DeliveryReceipt>();
  return {
    surface,
    sent,
    attempts,
    failures,
    async send(delivery) {
      attempts.push(delivery);
      const failure = failures.shift();
      if (failure) throw failure;
      const original = byKey.get(delivery.key);
      if (original) return original;
      sent.push(delivery);
      const { destination } = delivery;
      const channelId =
        destination.kind === 'channel'
          ? destination.channelId
          : destination.kind === 'thread'
            ? destination.threadId
            : destination.kind === 'user'
              ? `dm-${destination.userId}`
              : `post-${sent.length}`;
      const receipt = { messageId: `m${sent.length}`, messageIds: [`m${sent.length}`], channelId };
      byKey.set(delivery.key, receipt);
      return receipt;
    },
    async startThread(request) {
      return { threadId: request.messageId };
    },
  };
}
