import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ClaimStore } from './types.ts';

/**
 * Leases: claims on work that runs again and again (the ingest run), held for a while so that
 * several instances take turns. Each names its holder (host, process id and a mark of this
 * process's start), so a lease whose process is gone (a restart, a crash) is taken over at once
 * instead of blocking every run until it expires. The mark tells a restarted process from its
 * predecessor where both get the same pid (pid 1 in a container).
 */
export interface LeaseHolder {
  /** `host#pid#mark`, written into the lease's token. */
  readonly name: string;
  /** True when the named holder is a process on this host that no longer runs. */
  isGone(holder: string): boolean;
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function createLeaseHolder(
  host: string = hostname(),
  pid: number = process.pid,
  runs: (pid: number) => boolean = processRuns,
  mark: string = randomBytes(4).toString('hex'),
): LeaseHolder {
  return {
    name: `${host}#${pid}#${mark}`,
    isGone(holder) {
      const match = /^(.*)#(\d+)#([0-9a-z]+)$/.exec(holder);
      if (!match || match[1] !== host) return false;
      const held = Number(match[2]);
      if (held === pid) return match[3] !== mark;
      return !runs(held);
    },
  };
}

/** The holder a lease's token names, if it names one. */
export function holderOfToken(token: string): string | undefined {
  const slash = token.lastIndexOf('/');
  return slash > 0 ? token.slice(0, slash) : undefined;
}

export type LeaseResult = { token: string } | { token?: undefined; heldBy: string | undefined };

/** Takes a lease, taking it over from a holder that is gone; otherwise says who holds it. */
export async function takeLease(
  claims: ClaimStore,
  key: string,
  ttlMs: number,
  holder: LeaseHolder,
): Promise<LeaseResult> {
  const token = await claims.claim(key, ttlMs, holder.name);
  if (token !== undefined) return { token };
  const current = await claims.tokenOf?.(key);
  const heldBy = current === undefined ? undefined : holderOfToken(current);
  if (current === undefined || heldBy === undefined || !holder.isGone(heldBy)) return { heldBy };
  // Compare-and-delete: if another process took it over first, ours fails and theirs stands.
  await claims.release(key, current);
  const retaken = await claims.claim(key, ttlMs, holder.name);
  return retaken === undefined ? { heldBy } : { token: retaken };
}
