// The courier as the composition root builds it, over a test's store and sink: retries sleep
// through the given function (default: not at all), so tests never wait on a timer.
import { createCourier, type Courier } from '../../src/delivery/courier.ts';
import type { FittedMessage, OutboundMessage } from '../../src/delivery/message.ts';
import { createRetrier, type DeliveryLog, type RetryPolicy } from '../../src/delivery/retry.ts';
import { fitMessage } from '../../src/delivery/fit.ts';
import type { DeliveryReceipt, MessageSink, OutboundDelivery } from '../../src/delivery/sink.ts';
import type { StoreBackend } from '../../src/store/backend.ts';
import type { ClaimStore, RecordStore } from '../../src/store/types.ts';
import { createMemoryClaimStore, createMemoryRecordStore } from './memory-stores.ts';

const quietLog: DeliveryLog = { info: () => {}, warn: () => {}, error: () => {} };

export function testCourier(
  store: Pick<StoreBackend, 'records' | 'claims'>,
  sink: MessageSink,
  options: {
    now?: () => number;
    sleep?: (ms: number) => Promise<void>;
    retry?: Partial<RetryPolicy>;
    log?: DeliveryLog;
    fit?: (message: OutboundMessage) => FittedMessage[];
  } = {},
): Courier {
  return createCourier({
    sink,
    store,
    retrier: createRetrier({
      sleep: options.sleep ?? (async () => {}),
      log: options.log ?? quietLog,
      ...(options.retry ? { policy: options.retry } : {}),
    }),
    now: options.now ?? Date.now,
    ...(options.fit ? { fit: options.fit } : {}),
  });
}

/** Records per namespace and one claim store, in memory, as a courier needs them. */
export function memoryCourierStore(
  now: () => number = Date.now,
  claims: ClaimStore = createMemoryClaimStore(now),
): Pick<StoreBackend, 'records' | 'claims'> {
  const namespaces = new Map<string, RecordStore<unknown>>();
  return {
    records<T>(namespace: string): RecordStore<T> {
      let found = namespaces.get(namespace);
      if (!found) {
        found = createMemoryRecordStore<unknown>(now);
        namespaces.set(namespace, found);
      }
      return found as RecordStore<T>;
    },
    claims,
  };
}

/**
 * An adapter under test, sent plain deliveries: each is cut by the one fitter first, as the
 * courier does before handing it over.
 */
export function withFitter(
  sink: MessageSink,
): MessageSink & { send(delivery: OutboundDelivery): Promise<DeliveryReceipt> } {
  return {
    surface: sink.surface,
    send: (delivery) => sink.send({ ...delivery, parts: fitMessage(delivery.message) }),
    startThread: (request) => sink.startThread(request),
  };
}
