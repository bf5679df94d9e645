import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { topicChoices } from '../../commands/topic-choices.ts';
import { loadTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import type { Story } from '../../src/news/types.ts';
import type { Services } from '../../src/interaction/services.ts';
import { resolveTopic, storedNames, topicOverview } from '../../src/brief/topic-catalog.ts';

const taxonomy = loadTaxonomy(path.resolve(import.meta.dirname, '../../config/topics.json'));

// Names as an older tagger stored them: a curly possessive, a weekday, a lone first name.
function story(id: string, entities: string[]): Story {
  const at = '2026-11-30T06:00:00.000Z';
  return {
    id,
    title: `Story ${id}`,
    articleIds: [id],
    sources: [],
    publishedAt: at,
    firstSeenAt: at,
    updatedAt: at,
    contentHash: id,
    topics: ['world'],
    entities,
    sourceWeight: 1,
    featured: false,
  } as unknown as Story;
}
const stories = [
  story('a', [
    'Russia',
    'Syria’s',
    'Syria',
    'Sundays',
    'Putin',
    'Ahmad',
    'Ahmad al-Sharaa',
    'Vladimir Putin',
  ]),
  story('b', ['Syria', 'Damascus']),
];

describe('topic catalog reads stored names as a reader should see them', () => {
  it('folds possessives and drops weekdays and lone first names of people named in full', () => {
    expect(storedNames(stories[0]?.entities ?? [])).toEqual([
      'Russia',
      'Syria',
      'Putin',
      'Ahmad al-Sharaa',
      'Vladimir Putin',
    ]);
  });

  it('/topics lists neither "Sundays" nor "Ahmad", and counts "Syria’s" as Syria', () => {
    const names = topicOverview(taxonomy, stories).entities;
    expect(names.map((e) => e.name)).not.toContain('Sundays');
    expect(names.map((e) => e.name)).not.toContain('Ahmad');
    expect(names.find((e) => e.key === 'syria')).toEqual({ key: 'syria', name: 'Syria', stories: 2 });
  });

  it('/subscribe autocomplete offers "Syria" and never "Syria’s"', async () => {
    const services = {
      taxonomy,
      brief: { ranked: () => Promise.resolve(stories.map((s) => ({ story: s }))) },
    } as unknown as Services;
    const choices = await topicChoices('syr', { guildId: 'g' } as never, services);
    expect(choices.map((c) => c.value)).toContain('Syria');
    expect(choices.some((c) => c.value.includes('’') || c.name.includes('Syria’s'))).toBe(false);
  });

  it('resolves a short form a story uses, such as "Putin" for "Vladimir Putin"', () => {
    const only = [story('c', ['Vladimir Putin'])];
    expect(resolveTopic('Putin', taxonomy, only)).toEqual({ key: 'putin', label: 'Putin', kind: 'entity' });
  });

  it('names the section a typo most likely meant, and suggests nothing for a name far from any', () => {
    const only = [story('c', ['Vladimir Putin'])];
    expect(() => resolveTopic('sport', taxonomy, only)).toThrowError(
      /^I don't know the topic "sport" yet\. Did you mean Sports\? \/topics lists/,
    );
    expect(() => resolveTopic('Sceince', taxonomy, only)).toThrowError(/Did you mean Science\?/);
    expect(() => resolveTopic('Lisbon', taxonomy, only)).toThrowError(
      /^I don't know the topic "Lisbon" yet\. \/topics/,
    );
  });
});
