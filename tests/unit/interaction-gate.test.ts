import { describe, expect, it } from 'vitest';
import { createInteractionGate } from '../../src/discord/interaction-gate.ts';
import { createLogger } from '../../src/logger.ts';
import type { ClaimStore } from '../../src/store/types.ts';
import { createMemoryClaimStore } from '../support/memory-stores.ts';

const log = createLogger('silent');

describe('interaction gate', () => {
  it('admits an interaction once across instances sharing a claim store', async () => {
    const claims = createMemoryClaimStore(() => Date.now());
    const [a, b] = [createInteractionGate(claims, log), createInteractionGate(claims, log)];
    expect(await Promise.all([a.admit('111'), b.admit('111')])).toEqual(
      expect.arrayContaining([true, false]),
    );
    expect(await b.admit('222')).toBe(true);
  });

  it('answers anyway when the store cannot be reached: a double answer beats none', async () => {
    const broken: ClaimStore = {
      claim: () => Promise.reject(new Error('connection refused')),
      release: () => Promise.resolve(false),
    };
    expect(await createInteractionGate(broken, log).admit('333')).toBe(true);
  });
});
