/**
 * Idempotency keys. Every message Herald posts on its own carries one: the same key on every
 * retry, in every process. The ledger records delivery under it, and the Discord adapter turns
 * it into the message nonce (with enforce_nonce), so a post that reached Discord before its
 * answer was lost is returned, not posted a second time.
 */
import { createHash } from 'node:crypto';

/** A key is plain text made of meaningful parts: `digest:<slot>:0`, `notice:<guild>:<what>`. */
export type IdempotencyKey = string;

/** Joins parts with ':'; parts may contain ':' themselves (they are ids, not parsed back). */
export function idempotencyKey(...parts: readonly (string | number)[]): IdempotencyKey {
  if (parts.length === 0) throw new RangeError('an idempotency key needs at least one part');
  return parts.map(String).join(':');
}

// Discord accepts nonces of at most 25 characters.
const NONCE_LENGTH = 25;

/**
 * The Discord nonce of part `part` of the message under `key` (a long message is posted as
 * several parts). Stable across processes and restarts; at most 25 characters.
 */
export function nonceFor(key: IdempotencyKey, part = 0): string {
  return createHash('sha256').update(`herald\n${key}\n${part}`).digest('base64url').slice(0, NONCE_LENGTH);
}
