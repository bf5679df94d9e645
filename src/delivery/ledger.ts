/**
 * The delivery ledger: what happened to each idempotency key, shared by every instance through
 * the store. A key is
 * - in-flight: claimed by an instance that has not finished (it holds a claim; if it died, the
 *   claim expires and the next claimer resumes, and nonces keep that from posting twice);
 * - delivered: done, never again;
 * - failed: the last attempt failed and nobody holds it, so it may be tried again at once (after
 *   the admin fixed the channel, say); the failure says why;
 * - skipped: given up on purpose (a digest slot missed beyond its window), never tried again.
 * Producers that post several messages under one key (a digest slot) claim the key once and
 * record every message id when done.
 */
import { z } from 'zod';
import type { RecordCodec } from '../store/record-store.ts';
import type { ClaimStore, RecordStore } from '../store/types.ts';
import { deliveryFailureKinds, type DeliveryFailureKind } from './failure.ts';
import type { IdempotencyKey } from './idempotency.ts';

export const ledgerStates = ['in-flight', 'delivered', 'failed', 'skipped'] as const;
export type LedgerState = (typeof ledgerStates)[number];

const failureSchema = z.object({
  kind: z.enum(deliveryFailureKinds),
  message: z.string(),
  code: z.number().exactOptional(),
});
export type LedgerFailure = z.infer<typeof failureSchema>;

export const ledgerEntrySchema = z.object({
  key: z.string().min(1),
  state: z.enum(ledgerStates),
  /** ISO-8601 time of the last state change. */
  at: z.string(),
  /** Delivered: the messages posted, in order. */
  messageIds: z.array(z.string()),
  /** Delivered: the channel they are in (a DM channel, a thread, a new forum post). */
  channelId: z.string().exactOptional(),
  /** Delivered: the stories the messages carried, where the producer tells. */
  storyIds: z.array(z.string()).exactOptional(),
  /** Failed: why the last attempt failed. */
  failure: failureSchema.exactOptional(),
  /** Claims so far, counting resumes and retries. */
  attempts: z.number().int().min(0),
  /**
   * ISO-8601 time of the first claim since the key was new (or forgotten): the same through
   * resumes and retries, new after `forget`, so it can tell one round of a notice from the next.
   */
  since: z.string().exactOptional(),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

const digestSlotRecordV1 = z.object({
  slot: z.string(),
  state: z.enum(['claimed', 'sent', 'skipped']),
  messageIds: z.array(z.string()),
  storyIds: z.array(z.string()),
  at: z.string(),
});
const guildNoticeV1 = z.object({
  guildId: z.string(),
  key: z.string(),
  channelId: z.string(),
  messageId: z.string(),
  at: z.string(),
});

/**
 * Version 1 records were kept per producer before the ledger was shared: the digest slot record
 * (claimed / sent / skipped) and the guild notice given. Both read as entries.
 */
function migrateV1(data: unknown): unknown {
  const notice = guildNoticeV1.safeParse(data);
  if (notice.success) {
    const { guildId, key, channelId, messageId, at } = notice.data;
    return {
      key: `${guildId}:${key}`,
      state: 'delivered',
      at,
      messageIds: [messageId],
      channelId,
      attempts: 1,
    };
  }
  const old = digestSlotRecordV1.parse(data);
  const state = old.state === 'claimed' ? 'in-flight' : old.state === 'sent' ? 'delivered' : 'skipped';
  return {
    key: old.slot,
    state,
    at: old.at,
    messageIds: old.messageIds,
    storyIds: old.storyIds,
    attempts: 1,
  };
}

/** Codec of a ledger namespace: `backend.records('digest-ledger', ledgerEntryCodec)`. */
export const ledgerEntryCodec: RecordCodec<LedgerEntry> = {
  version: 2,
  schema: ledgerEntrySchema,
  migrate: (data, fromVersion) => (fromVersion === 1 ? migrateV1(data) : data),
};

/** Held while delivering one key; hand it back through delivered, failed, skipped or release. */
export interface LedgerLease {
  readonly key: IdempotencyKey;
  readonly token: string;
  /** The entry found when claiming: in-flight means an earlier attempt died mid-way; failed, a retry. */
  readonly previous: LedgerEntry | undefined;
  /** When this key was first claimed (see LedgerEntry.since). */
  readonly since: string;
}

export type LedgerClaim =
  | { status: 'claimed'; lease: LedgerLease }
  /** Done already (delivered or skipped): nothing to do. */
  | { status: 'done'; entry: LedgerEntry }
  /** Another run or instance holds it now. */
  | { status: 'held-elsewhere' };

export interface DeliveryLedger {
  get(key: IdempotencyKey): Promise<LedgerEntry | undefined>;
  /**
   * Claims a key for delivery and records it in flight. A failed key is claimed like a new one;
   * an in-flight key whose holder is gone is resumed (`lease.previous.state === 'in-flight'`).
   */
  claim(key: IdempotencyKey): Promise<LedgerClaim>;
  /** Records the key delivered and lets go of the claim. */
  delivered(
    lease: LedgerLease,
    receipt: { messageIds: readonly string[]; channelId?: string; storyIds?: readonly string[] },
  ): Promise<void>;
  /** Records why it failed and lets go of the claim, so the key may be tried again at once. */
  failed(
    lease: LedgerLease,
    failure: { kind: DeliveryFailureKind; message: string; code?: number | undefined },
  ): Promise<void>;
  /** Records the key given up on purpose (never tried again) and lets go of the claim. */
  skipped(lease: LedgerLease): Promise<void>;
  /**
   * Lets go of the claim without a new state: nothing was posted (the entry stays as it was
   * before this claim, or disappears if there was none), so the key may be claimed again.
   */
  release(lease: LedgerLease): Promise<void>;
  /** Forgets a key entirely, so it may be delivered again (a notice re-armed by a new setup). */
  forget(key: IdempotencyKey): Promise<void>;
}

export interface DeliveryLedgerDeps {
  records: RecordStore<LedgerEntry>;
  claims: ClaimStore;
  /** Distinguishes this ledger's claims from other claims in the shared claim store. */
  claimPrefix: string;
  /** How long a claim holds; longer than one delivery takes (retries stop before it runs out). */
  claimTtlMs: number;
  /** How long entries live; absent: until forgotten (notices). */
  entryTtlMs?: number;
  now: () => number;
}

export function createDeliveryLedger(deps: DeliveryLedgerDeps): DeliveryLedger {
  const { records, claims, now } = deps;
  const claimKey = (key: string): string => `${deps.claimPrefix}:${key}`;
  const iso = (): string => new Date(now()).toISOString();

  async function write(
    lease: LedgerLease,
    entry: Omit<LedgerEntry, 'key' | 'at' | 'attempts' | 'since'>,
  ): Promise<void> {
    const attempts = (lease.previous?.attempts ?? 0) + 1;
    await records.set(
      lease.key,
      { ...entry, key: lease.key, at: iso(), attempts, since: lease.since },
      deps.entryTtlMs,
    );
  }

  async function letGo(lease: LedgerLease): Promise<void> {
    await claims.release(claimKey(lease.key), lease.token);
  }

  return {
    get: (key) => records.get(key),

    async claim(key) {
      const before = await records.get(key);
      if (before && (before.state === 'delivered' || before.state === 'skipped'))
        return { status: 'done', entry: before };
      const token = await claims.claim(claimKey(key), deps.claimTtlMs);
      if (token === undefined) return { status: 'held-elsewhere' };
      // Re-read under the claim: another instance may have finished in between.
      const previous = await records.get(key);
      if (previous && (previous.state === 'delivered' || previous.state === 'skipped')) {
        await claims.release(claimKey(key), token);
        return { status: 'done', entry: previous };
      }
      const lease: LedgerLease = { key, token, previous, since: previous?.since ?? previous?.at ?? iso() };
      await write(lease, { state: 'in-flight', messageIds: [] });
      return { status: 'claimed', lease };
    },

    async delivered(lease, receipt) {
      await write(lease, {
        state: 'delivered',
        messageIds: [...receipt.messageIds],
        ...(receipt.channelId === undefined ? {} : { channelId: receipt.channelId }),
        ...(receipt.storyIds === undefined ? {} : { storyIds: [...receipt.storyIds] }),
      });
      await letGo(lease);
    },

    async failed(lease, failure) {
      const recorded = {
        kind: failure.kind,
        message: failure.message,
        ...(failure.code === undefined ? {} : { code: failure.code }),
      };
      await write(lease, { state: 'failed', messageIds: [], failure: recorded });
      await letGo(lease);
    },

    async skipped(lease) {
      await write(lease, { state: 'skipped', messageIds: [] });
      await letGo(lease);
    },

    async release(lease) {
      const { previous } = lease;
      if (previous) await records.set(lease.key, previous, deps.entryTtlMs);
      else await records.delete(lease.key);
      await letGo(lease);
    },

    async forget(key) {
      await records.delete(key);
    },
  };
}
