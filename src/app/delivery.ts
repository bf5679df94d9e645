import { createCourier, type Courier, type DeliveryObserver } from '../delivery/courier.ts';
import { createGuildNotifier, type GuildNotifier } from '../delivery/notices.ts';
import { createRetrier, defaultSleep, type DeliveryLog } from '../delivery/retry.ts';
import type { DeliveryTransport } from '../delivery/sink.ts';
import { noticeText, surfaceWords } from '../render/delivery-words.ts';
import type { StoreBackend } from '../store/backend.ts';

export interface DeliveryParts {
  /** Everything Herald posts on its own leaves through it: claim, fit, retry, send, mark. */
  courier: Courier;
  /** Tells a server once about something it must fix (a paused feed, a lost permission). */
  notifier: GuildNotifier;
}

/** What every feature delivers through, on the transport the surface built first. */
export function buildDelivery(options: {
  backend: StoreBackend;
  transport: DeliveryTransport;
  log: DeliveryLog;
  now: () => number;
  observe?: DeliveryObserver;
}): DeliveryParts {
  const { backend, transport, log, now, observe } = options;
  const courier = createCourier({
    sink: transport.sink,
    store: backend,
    retrier: createRetrier({ sleep: defaultSleep, log }),
    now,
    ...(observe ? { observe } : {}),
  });
  const words = surfaceWords(transport.sink.surface);
  const notifier = createGuildNotifier({
    courier,
    access: transport.access,
    word: (notice) => noticeText(notice, words),
    log,
  });
  return { courier, notifier };
}
