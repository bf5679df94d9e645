/**
 * Exactly-once delivery of one message under one key: the ledger says whether it went, the
 * retrier waits out transient faults, the sink posts. For the producers that post one message
 * per key (notices, feed story messages, thread updates); a digest slot claims its key in the
 * ledger itself, since composing happens under the claim.
 */
import { describeError } from '../errors.ts';
import { DeliveryError } from './failure.ts';
import type { DeliveryLedger, LedgerEntry } from './ledger.ts';
import type { Retrier } from './retry.ts';
import type { DeliveryReceipt, MessageSink, OutboundDelivery } from './sink.ts';
import { destinationContext } from './destination.ts';

export type CourierResult =
  | { status: 'delivered'; receipt: DeliveryReceipt }
  /** The ledger already had it: `entry.messageIds` are the messages from then. */
  | { status: 'already-delivered'; entry: LedgerEntry }
  | { status: 'held-elsewhere' }
  /** Recorded failed in the ledger; may be tried again at once. */
  | { status: 'failed'; error: DeliveryError };

export interface Courier {
  /** `canWait` bounds retries (default: no waiting at all). Throws only when the ledger cannot be reached. */
  deliver(
    delivery: OutboundDelivery,
    options?: { canWait?: (ms: number) => boolean },
  ): Promise<CourierResult>;
}

export function createCourier(deps: {
  sink: MessageSink;
  ledger: DeliveryLedger;
  retrier: Retrier;
}): Courier {
  return {
    async deliver(delivery, options = {}) {
      const claim = await deps.ledger.claim(delivery.key);
      if (claim.status === 'done') return { status: 'already-delivered', entry: claim.entry };
      if (claim.status === 'held-elsewhere') return { status: 'held-elsewhere' };
      const context = { key: delivery.key, ...destinationContext(delivery.destination) };
      try {
        const receipt = await deps.retrier.run(
          () => deps.sink.send(delivery),
          options.canWait ?? (() => false),
          context,
        );
        await deps.ledger.delivered(claim.lease, receipt);
        return { status: 'delivered', receipt };
      } catch (error) {
        const failure =
          error instanceof DeliveryError
            ? error
            : new DeliveryError('retry-later', describeError(error), { cause: error });
        await deps.ledger.failed(claim.lease, failure);
        return { status: 'failed', error: failure };
      }
    },
  };
}
