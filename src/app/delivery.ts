import { createDeliveryLedger, ledgerEntryCodec } from '../delivery/ledger.ts';
import { createGuildNotifier, type GuildNotifier } from '../delivery/notices.ts';
import type { DeliveryLog } from '../delivery/retry.ts';
import type { DeliveryTransport } from '../delivery/sink.ts';
import type { StoreBackend } from '../store/backend.ts';

/** A notice stays given until its destination is set up again (re-armed). */
const NOTICE_CLAIM_MS = 60_000;

export interface DeliveryParts {
  /** Tells a server once about something it must fix (a paused feed, a lost permission). */
  notifier: GuildNotifier;
}

/** What every feature delivers through, on the transport the surface built first. */
export function buildDelivery(options: {
  backend: StoreBackend;
  transport: DeliveryTransport;
  log: DeliveryLog;
  now: () => number;
}): DeliveryParts {
  const { backend, transport, now } = options;
  const notifier = createGuildNotifier({
    sink: transport.sink,
    access: transport.access,
    ledger: createDeliveryLedger({
      records: backend.records('guild-notices', ledgerEntryCodec),
      claims: backend.claims,
      claimPrefix: 'guild-notice',
      claimTtlMs: NOTICE_CLAIM_MS,
      now,
    }),
    log: options.log,
  });
  return { notifier };
}
