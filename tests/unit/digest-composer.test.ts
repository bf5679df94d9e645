import { describe, expect, it } from 'vitest';
import { createTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { createDigestComposer, digestDateText } from '../../src/digest/composer.ts';
import type { DigestConfig } from '../../src/digest/digest-types.ts';
import { briefItem, createFakeBrief, digestConfig as baseDigest } from '../support/digest-stories.ts';

const NOW = Date.parse('2025-11-24T12:30:00Z'); // Monday in UTC, already Tuesday in Auckland

function digest(overrides: Partial<DigestConfig> = {}): DigestConfig {
  return baseDigest({
    id: 'd-g-c',
    guildId: 'g',
    channelId: 'c',
    createdBy: 'u',
    createdAt: '2025-11-01T00:00:00Z',
    ...overrides,
  });
}

const taxonomy = createTaxonomy({
  version: 1,
  sections: [{ key: 'science', name: 'Science', description: 'Science news', terms: ['study'] }],
});

describe('digest composer', () => {
  it("asks the brief for its server's stories: count and topics since the last digest, without backlog or repeats", async () => {
    const brief = createFakeBrief([briefItem('s1')]);
    const composer = createDigestComposer({ brief, now: () => NOW });
    await composer.compose(digest({ topics: ['science', 'Syria'], count: 3 }), {
      since: '2025-11-23T07:00:00Z',
      excludeStoryIds: ['s0'],
    });
    expect(brief.requests).toEqual([
      {
        audience: { guildIds: ['g'] },
        count: 3,
        topics: ['science', 'Syria'],
        since: '2025-11-23T07:00:00Z',
        excludeStoryIds: new Set(['s0']),
        includeBacklog: false,
      },
    ]);
  });

  it('leaves topics out when the digest follows every topic, and since out for a first digest', async () => {
    const brief = createFakeBrief([briefItem('s1')]);
    await createDigestComposer({ brief, now: () => NOW }).compose(digest(), { excludeStoryIds: [] });
    expect(brief.requests[0]).toEqual({
      audience: { guildIds: ['g'] },
      count: 5,
      excludeStoryIds: new Set(),
      includeBacklog: false,
    });
  });

  it('dates the header in the digest timezone and renders one embed per story', async () => {
    const brief = createFakeBrief([briefItem('s1', { title: 'Comet seen' }), briefItem('s2')]);
    const composed = await createDigestComposer({ brief, now: () => NOW, taxonomy }).compose(
      digest({ timezone: 'Pacific/Auckland', topics: ['science'] }),
      { excludeStoryIds: [] },
    );
    expect(composed.quiet).toBe(false);
    expect(composed.messages).toHaveLength(1);
    expect(composed.messages[0]?.content).toBe('**Your daily brief — Tuesday 25 November**\nScience');
    expect(composed.messages[0]?.embeds?.map((embed) => embed.title)).toEqual(['Comet seen', 'Story s2']);
    expect(composed.stories).toEqual([
      { id: 's1', title: 'Comet seen' },
      { id: 's2', title: 'Story s2' },
    ]);
  });

  it("shows each story's sections by name in its Topics field, as /topics does", async () => {
    const brief = createFakeBrief([briefItem('s1', { topics: ['science'] })]);
    const composed = await createDigestComposer({ brief, now: () => NOW, taxonomy }).compose(digest(), {
      excludeStoryIds: [],
    });
    expect(composed.messages[0]?.embeds?.[0]?.fields?.find((f) => f.name === 'Topics')?.value).toBe(
      'Science',
    );
  });

  it('formats the date as the local weekday and day', () => {
    expect(digestDateText(NOW, 'UTC')).toBe('Monday 24 November');
    expect(digestDateText(Date.parse('2025-11-24T06:30:00Z'), 'America/Los_Angeles')).toBe(
      'Sunday 23 November',
    );
  });

  it('composes one message of every story, leaving the cutting to the courier', async () => {
    const long = 'A sentence about the story that goes on for a while. '.repeat(60);
    const items = Array.from({ length: 25 }, (_, i) => briefItem(`s${i}`, { text: long }));
    const composed = await createDigestComposer({ brief: createFakeBrief(items), now: () => NOW }).compose(
      digest({ count: 25 }),
      { excludeStoryIds: [] },
    );
    expect(composed.messages).toHaveLength(1);
    expect(composed.messages[0]?.embeds).toHaveLength(25);
    expect(composed.stories).toHaveLength(25);
  });

  it('is quiet with no messages when nothing new matches', async () => {
    const brief = createFakeBrief([briefItem('s1', { firstSeenAt: '2025-11-20T00:00:00Z' })]);
    const composed = await createDigestComposer({ brief, now: () => NOW }).compose(digest(), {
      since: '2025-11-23T07:00:00Z',
      excludeStoryIds: [],
    });
    expect(composed).toEqual({ messages: [], stories: [], quiet: true });
  });

  it('keeps an entity topic typed as @everyone from reading as a mention', async () => {
    const composed = await createDigestComposer({
      brief: createFakeBrief([briefItem('s1')]),
      now: () => NOW,
    }).compose(digest({ topics: ['@everyone'] }), { excludeStoryIds: [] });
    expect(composed.messages[0]?.content).not.toContain('@everyone');
  });
});
