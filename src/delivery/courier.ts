/**
 * The courier: every message Herald posts on its own (digests, feed posts, flood lists, thread
 * updates, DMs, notices) leaves through it. Producers hand it `OutboundDelivery`s; it owns the
 * path claim → fit → retry → send → mark, and turns whatever went wrong into the one failure
 * taxonomy (failure.ts). Pacing is per platform request, so the Discord adapter does it.
 *
 * Each producer gets a lane: its own ledger namespace and claim prefix, so one producer's keys
 * never shadow another's. A lane whose records used to live elsewhere reads the old namespace
 * where the new one has nothing (ledger-legacy.ts), so nothing delivered before an upgrade is
 * delivered again.
 */
import { describeError } from '../errors.ts';
import { DeliveryError } from './failure.ts';
import { fitMessage } from './fit.ts';
import {
  createDeliveryLedger,
  ledgerEntryCodec,
  type DeliveryLedger,
  type LedgerClaim,
  type LedgerEntry,
} from './ledger.ts';
import { withLegacyEntries, type LegacyLedger } from './ledger-legacy.ts';
import type { FittedMessage, OutboundMessage } from './message.ts';
import type { Retrier } from './retry.ts';
import type {
  DeliveryReceipt,
  DeliverySurface,
  MessageSink,
  OutboundDelivery,
  StartThreadRequest,
  ThreadReceipt,
} from './sink.ts';
import { destinationContext } from './destination.ts';
import type { RecordStore, ClaimStore } from '../store/types.ts';
import type { RecordCodec } from '../store/record-store.ts';

export type CourierResult =
  | { status: 'delivered'; receipt: DeliveryReceipt }
  /** The ledger already had it: `entry.messageIds` are the messages from then. */
  | { status: 'already-delivered'; entry: LedgerEntry }
  | { status: 'held-elsewhere' }
  /** Recorded failed in the ledger; may be tried again at once. */
  | { status: 'failed'; error: DeliveryError };

export interface SendOptions {
  /** Whether a retry may wait this long more (default: no waiting at all). */
  canWait?: (ms: number) => boolean;
}

/** Who posts: each producer keeps its own ledger namespace. */
export type Producer = 'digests' | 'feeds' | 'dms' | 'notices';

/** Where each producer's ledger lives; the claim prefixes are those the producers used before. */
const PRODUCER_LEDGERS: Record<Producer, { namespace: string; claimPrefix: string }> = {
  digests: { namespace: 'digest-ledger', claimPrefix: 'digest-slot' },
  feeds: { namespace: 'feed-ledger', claimPrefix: 'delivery' },
  dms: { namespace: 'dm-ledger', claimPrefix: 'dm' },
  notices: { namespace: 'guild-notices', claimPrefix: 'guild-notice' },
};

export interface LaneOptions {
  /** How long a claim holds; longer than one delivery takes (retries stop before it runs out). */
  claimTtlMs: number;
  /** How long entries live; absent: until forgotten (notices). */
  entryTtlMs?: number;
  /** Where this producer's entries lived before it had its own namespace. */
  legacy?: LegacyLedger;
}

/** One producer's way out: its ledger, and sending through the courier. */
export interface DeliveryLane {
  /** Claim → send → mark for a producer that posts one message per key. Throws only when the ledger cannot be reached. */
  deliver(delivery: OutboundDelivery, options?: SendOptions): Promise<CourierResult>;
  /** Claims a key whose messages are sent later under the claim (a digest slot, a feed run's stories). */
  claim(key: string): Promise<LedgerClaim>;
  /**
   * Fits, sends and retries one message under a claim the producer holds; marking is the
   * producer's (several messages may share one claim, one message may carry several). Throws
   * only DeliveryError.
   */
  send(delivery: OutboundDelivery, options?: SendOptions): Promise<DeliveryReceipt>;
  /** Opens a thread on a delivered message, retried like a send. Throws only DeliveryError. */
  startThread(request: StartThreadRequest, options?: SendOptions): Promise<ThreadReceipt>;
  /** The lane's ledger: what was delivered, and marking keys claimed through `claim`. */
  readonly ledger: DeliveryLedger;
  /** How long a claim holds: a producer stops retrying before its claim could pass to another instance. */
  readonly claimTtlMs: number;
}

export interface Courier {
  /** Which surface the messages go to (the terminal, or Discord). */
  readonly surface: DeliverySurface;
  lane(producer: Producer, options: LaneOptions): DeliveryLane;
}

export interface CourierDeps {
  sink: MessageSink;
  store: {
    records<T>(namespace: string, codec: RecordCodec<T>): RecordStore<T>;
    readonly claims: ClaimStore;
  };
  retrier: Retrier;
  now: () => number;
  /** The one fitter (fit.ts); tests count its calls. */
  fit?: (message: OutboundMessage) => FittedMessage[];
  /** Told of each message's outcome once, after retries (metrics and the daily activity tally). */
  observe?: DeliveryObserver;
}

/** A message's outcome: `sent`, or the failure kind the adapter classified (`rate-limited`: a 429 that outlasted the retries). */
export type DeliveryObserver = (attempt: {
  destination: OutboundDelivery['destination'];
  outcome: 'sent' | DeliveryError['kind'];
}) => void;

/** Anything thrown on the way out becomes the taxonomy's: unknown faults are passing ones. */
export function asDeliveryError(error: unknown): DeliveryError {
  return error instanceof DeliveryError
    ? error
    : new DeliveryError('retry-later', describeError(error), { cause: error });
}

export function createCourier(deps: CourierDeps): Courier {
  const { sink, retrier } = deps;
  const fit = deps.fit ?? fitMessage;
  const noWaiting = (): boolean => false;

  async function send(delivery: OutboundDelivery, options: SendOptions = {}): Promise<DeliveryReceipt> {
    const fitted = { ...delivery, parts: fit(delivery.message) };
    const context = { key: delivery.key, ...destinationContext(delivery.destination) };
    try {
      const receipt = await retrier.run(() => sink.send(fitted), options.canWait ?? noWaiting, context);
      deps.observe?.({ destination: delivery.destination, outcome: 'sent' });
      return receipt;
    } catch (error) {
      const failure = asDeliveryError(error);
      deps.observe?.({ destination: delivery.destination, outcome: failure.kind });
      throw failure;
    }
  }

  async function startThread(request: StartThreadRequest, options: SendOptions = {}): Promise<ThreadReceipt> {
    try {
      return await retrier.run(() => sink.startThread(request), options.canWait ?? noWaiting, {
        key: request.key,
        channelId: request.channelId,
      });
    } catch (error) {
      throw asDeliveryError(error);
    }
  }

  function lane(producer: Producer, options: LaneOptions): DeliveryLane {
    const { namespace, claimPrefix } = PRODUCER_LEDGERS[producer];
    const own = deps.store.records(namespace, ledgerEntryCodec);
    const ledger = createDeliveryLedger({
      records: options.legacy ? withLegacyEntries(own, options.legacy) : own,
      claims: deps.store.claims,
      claimPrefix,
      claimTtlMs: options.claimTtlMs,
      ...(options.entryTtlMs === undefined ? {} : { entryTtlMs: options.entryTtlMs }),
      now: deps.now,
    });
    return {
      ledger,
      claimTtlMs: options.claimTtlMs,
      claim: (key) => ledger.claim(key),
      send,
      startThread,
      async deliver(delivery, sendOptions) {
        const claim = await ledger.claim(delivery.key);
        if (claim.status === 'done') return { status: 'already-delivered', entry: claim.entry };
        if (claim.status === 'held-elsewhere') return { status: 'held-elsewhere' };
        try {
          const receipt = await send(delivery, sendOptions);
          await ledger.delivered(claim.lease, receipt);
          return { status: 'delivered', receipt };
        } catch (error) {
          const failure = asDeliveryError(error);
          await ledger.failed(claim.lease, failure);
          return { status: 'failed', error: failure };
        }
      },
    };
  }

  return { surface: sink.surface, lane };
}
