/**
 * Store ports. Every store is a namespace of versioned records over keyv; the services depend
 * on these interfaces only, and tests pass in-memory versions through the same factories.
 */

/** A namespace of typed records. Reads fail closed: a broken store throws, never "absent". */
export interface RecordStore<T> {
  get(key: string): Promise<T | undefined>;
  /** ttlMs: the record expires after this many milliseconds of the store's clock. */
  set(key: string, value: T, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<boolean>;
  /** Every live record; order unspecified. */
  entries(): AsyncIterable<[string, T]>;
}

/**
 * Claim-once primitive for exactly-once work (digest slots, DMs). A claim is atomic across
 * processes sharing the store: of concurrent claimers of one key exactly one gets a token.
 */
export interface ClaimStore {
  /**
   * Returns a token when this caller won the key, undefined when someone holds it. A holder
   * (see leases.ts) is written into the token, so others can tell who holds the claim.
   */
  claim(key: string, ttlMs: number, holder?: string): Promise<string | undefined>;
  /** The token of the live claim on a key, if any (it names its holder when one was given). */
  tokenOf?(key: string): Promise<string | undefined>;
  /** Deletes the claim only if it still holds this token (compare-and-delete). */
  release(key: string, token: string): Promise<boolean>;
}

export type StoreKind = 'memory' | 'sqlite' | 'redis';
