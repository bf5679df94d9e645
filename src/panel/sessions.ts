import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { RecordCodec } from '../store/record-store.ts';
import type { RecordStore } from '../store/types.ts';

/** A signed-in person: through Discord, or the operator through the one-time link. */
export interface PanelSession {
  kind: 'discord' | 'local';
  userId: string;
  userName: string;
  /** Sent back with every form; a post without it is refused. */
  csrf: string;
  /** Servers where Discord said the user has Manage Server (Discord sessions only). */
  manageableGuildIds: string[];
  /** For asking Discord again before a change (Discord sessions only). */
  accessToken?: string;
}

const sessionSchema: z.ZodType<PanelSession> = z.object({
  kind: z.enum(['discord', 'local']),
  userId: z.string(),
  userName: z.string(),
  csrf: z.string(),
  manageableGuildIds: z.array(z.string()),
  accessToken: z.string().exactOptional(),
});
export const panelSessionCodec: RecordCodec<PanelSession> = { version: 1, schema: sessionSchema };

/** A sign-in in progress: Discord sends the user back with the state, we keep the PKCE verifier. */
export interface PendingSignIn {
  verifier: string;
}
export const pendingSignInCodec: RecordCodec<PendingSignIn> = {
  version: 1,
  schema: z.object({ verifier: z.string() }),
};

export const SESSION_TTL_MS = 7 * 24 * 3_600_000;
export const SIGN_IN_TTL_MS = 10 * 60_000;

/** 32 random bytes, URL-safe: session ids, CSRF tokens, OAuth state, the one-time link. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export interface SessionStore {
  create(session: Omit<PanelSession, 'csrf'>): Promise<{ id: string; session: PanelSession }>;
  get(id: string | undefined): Promise<PanelSession | undefined>;
  update(id: string, session: PanelSession): Promise<void>;
  delete(id: string): Promise<void>;
}

/** Sessions live in Herald's store, so every instance behind one Redis knows them. */
export function createSessionStore(records: RecordStore<PanelSession>): SessionStore {
  return {
    async create(input) {
      const id = randomToken();
      const session: PanelSession = { ...input, csrf: randomToken() };
      await records.set(id, session, SESSION_TTL_MS);
      return { id, session };
    },
    async get(id) {
      if (id === undefined || !/^[\w-]{20,100}$/.test(id)) return undefined;
      return records.get(id);
    },
    update: (id, session) => records.set(id, session, SESSION_TTL_MS),
    async delete(id) {
      await records.delete(id);
    },
  };
}
