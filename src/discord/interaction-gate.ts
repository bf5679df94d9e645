/**
 * Several Herald processes on one bot token each hold a gateway session, and Discord sends
 * every interaction to every session. Exactly one process may answer: the others would fail
 * with "already acknowledged" after running the handler (a second /sources add, a second
 * /digest now). The first to claim the interaction id in the shared store answers it.
 */
import type { Logger } from '../logger.ts';
import type { ClaimStore } from '../store/types.ts';

/** An interaction token lives 15 minutes; the claim need not outlive it. */
const INTERACTION_CLAIM_MS = 15 * 60_000;

export interface InteractionGate {
  /** True when this process should answer the interaction. */
  admit(interactionId: string): Promise<boolean>;
}

export function createInteractionGate(claims: ClaimStore, log: Logger): InteractionGate {
  return {
    async admit(interactionId) {
      try {
        return (await claims.claim(`interaction:${interactionId}`, INTERACTION_CLAIM_MS)) !== undefined;
      } catch (error) {
        // With the store unreachable, answering twice beats leaving the user with no answer.
        log.warn({ err: error, interactionId }, 'interaction claim failed; answering anyway');
        return true;
      }
    },
  };
}
