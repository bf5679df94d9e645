import { describe, expect, it } from 'vitest';
import { userSubscriptionsCodec } from '../../src/subscriptions/subscription-types.ts';

const at = '2026-11-01T08:00:00.000Z';
const stored = {
  userId: 'u1',
  mode: 'immediate',
  time: '08:00',
  timezone: 'UTC',
  createdAt: at,
  updatedAt: at,
  dailySince: at,
  topics: [
    // Followed before possessives were folded: the key and label the old tagger offered.
    { key: 'syria’s', label: 'Syria’s', kind: 'entity', addedAt: at },
    { key: 'putin', label: 'Putin', kind: 'entity', addedAt: at },
    { key: 'world', label: 'World', kind: 'section', addedAt: at },
  ],
};

describe('followed topics stored under an older key', () => {
  it('are read under the current key, the rest unchanged', () => {
    const read = userSubscriptionsCodec.schema.parse(stored);
    expect(read.topics.map((t) => [t.key, t.label])).toEqual([
      ['syria', 'Syria'],
      ['putin', 'Putin'],
      ['world', 'World'],
    ]);
  });
});
