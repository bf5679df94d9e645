import { describe, expect, it } from 'vitest';
import { createTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { composeDm } from '../../src/subscriptions/dm-compose.ts';
import { briefItem } from '../support/digest-stories.ts';

const taxonomy = createTaxonomy({
  version: 1,
  sections: [{ key: 'science', name: 'Science & Research', description: 'Science news', terms: ['study'] }],
});

describe('DM compose', () => {
  it("shows each story's sections by name in its Topics field, as /topics does", () => {
    const composed = composeDm({
      items: [briefItem('s1', { topics: ['science'] })],
      via: 'immediate',
      topicLabels: ['Science & Research'],
      now: Date.parse('2025-11-24T12:00:00Z'),
      taxonomy,
    });
    const embed = composed.message.embeds?.[0];
    expect(embed?.fields?.find((f) => f.name === 'Topics')?.value).toBe('Science & Research');
  });
});
