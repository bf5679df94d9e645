import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { entityMatchKeys, entityTopicKey, findNames } from '../../src/brief/topics/entities.ts';
import { createSectionClassifier } from '../../src/brief/topics/section-classifier.ts';
import { createStoryTopicTagger } from '../../src/brief/topics/story-topics.ts';
import { createSubscriptionMatcher } from '../../src/brief/topics/subscription-matcher.ts';
import { loadTaxonomy } from '../../src/brief/topics/taxonomy.ts';

const taxonomy = loadTaxonomy(path.resolve(import.meta.dirname, '../../config/topics.json'));
const tagger = createStoryTopicTagger({ classifier: createSectionClassifier(taxonomy), taxonomy });

// Written for this test in the shape of a wire story about Russia and Syria: a headline in
// capitals, a dateline, full names first and short forms after, possessives with curly quotes.
const seed = {
  title: 'RUSSIA SEEKS TO KEEP SYRIA BASES AS PUTIN MEETS AL-SHARAA',
  paragraphs: [
    'MOSCOW, Oct 15 — Russian President Vladimir Putin met Syria’s interim president, Ahmad al-Sharaa, in the Kremlin on Wednesday as Moscow tries to keep its naval base at Tartus and the Hmeimim air base on the Mediterranean.',
    'Al-Sharaa, whose forces toppled Bashar al-Assad in December, is seeking Russian help to rebuild Syria’s economy, Kremlin spokesman Dmitry Peskov said. Ahmad told reporters the talks were frank.',
    'Peskov said Putin and al-Sharaa also discussed the Syrian Democratic Forces, the Kurdish-led group that controls much of the northeast. The SDF has asked Damascus for guarantees for the Kurds, and the Kurds want a say in the talks.',
    'Russia’s war in Ukraine has stretched its forces, and Assad, who fled to Moscow, remains a guest of the Kremlin, a legacy of ties that date back to the Soviet Union.',
    'Sundays are quiet at Tartus, where Russian ships have docked since the 1970s.',
  ],
  sourceTopics: [],
};

describe('followable names on a Russia/Syria story', () => {
  const tags = tagger.tag(seed);
  const names = tags.names.map((n) => n.name);

  it('offers the names in their full form', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'Russia',
        'Syria',
        'Vladimir Putin',
        'Ahmad al-Sharaa',
        'Kremlin',
        'Moscow',
        'Mediterranean',
        'Damascus',
        'Ukraine',
        'Bashar al-Assad',
        'Dmitry Peskov',
        'Syrian Democratic Forces',
        'Kurds',
        'Hmeimim',
        'Tartus',
        'Soviet Union',
      ]),
    );
  });

  it('offers no possessive, weekday, headline capitals or lone first name', () => {
    expect(names.filter((n) => /['’]|^\p{Lu}{3,}$/u.test(n))).toEqual([]);
    expect(names).not.toContain('Sundays');
    expect(names).not.toContain('Ahmad');
    expect(names).not.toContain('Putin');
    expect(names).not.toContain('SDF');
  });

  it('types people, places and organizations', () => {
    const kind = (name: string): string | undefined => tags.names.find((n) => n.name === name)?.kind;
    expect(kind('Vladimir Putin')).toBe('person');
    expect(kind('Dmitry Peskov')).toBe('person');
    expect(kind('Ahmad al-Sharaa')).toBe('person');
    expect(kind('Syria')).toBe('place');
    expect(kind('Hmeimim')).toBe('place');
    expect(kind('Syrian Democratic Forces')).toBe('organization');
  });

  it('links the short forms as aliases', () => {
    const aliases = (name: string): string[] =>
      (tags.names.find((n) => n.name === name)?.aliases ?? []).map(entityTopicKey);
    expect(aliases('Vladimir Putin')).toContain('putin');
    expect(aliases('Ahmad al-Sharaa')).toContain('al-sharaa');
    expect(aliases('Syrian Democratic Forces')).toContain('sdf');
  });

  it('lets a reader who followed "Putin", "SDF" or "Syria’s" find the story', () => {
    const matcher = createSubscriptionMatcher();
    matcher.add({ id: 'a', userId: 'putin-reader', topicKey: 'Putin' });
    matcher.add({ id: 'b', userId: 'sdf-reader', topicKey: 'SDF' });
    // A key stored by an older version, before possessives were folded.
    matcher.add({ id: 'c', userId: 'old-syria-reader', topicKey: 'syria’s' });
    const matched = matcher.match([{ id: 'story', topics: tags.sections, entities: tags.entities }]);
    expect([...matched.keys()].sort()).toEqual(['old-syria-reader', 'putin-reader', 'sdf-reader']);
  });
});

describe('name forms', () => {
  const names = (paragraphs: string[], title = ''): string[] =>
    findNames({ title, paragraphs }).map((n) => n.name);

  it('folds straight and curly possessives, and tags a country named only in a possessive', () => {
    expect(names(["Syria's central bank cut rates.", 'Analysts expect Poland’s bank to follow.'])).toEqual(
      expect.arrayContaining(['Syria', 'Poland']),
    );
    expect(names(["Syria's central bank cut rates."]).some((n) => /['’]/.test(n))).toBe(false);
  });

  it('keeps particles and "New" inside names', () => {
    const found = names([
      'Egypt sent Osama el-Baz to talks with Ludwig van Dyke in New York, then to Papua New Guinea.',
    ]);
    expect(found).toEqual(
      expect.arrayContaining(['Osama el-Baz', 'Ludwig van Dyke', 'New York', 'Papua New Guinea']),
    );
    expect(found).not.toContain('York');
    expect(found).not.toContain('Guinea');
  });

  it('treats a paragraph break as a boundary and normalizes datelines in capitals', () => {
    const found = names([
      'Nadim Ladki',
      'AL-AIN, United Arab Emirates 1996-12-06',
      'Japan began the defence of their title against Syria.',
    ]);
    expect(found).toEqual(expect.arrayContaining(['Nadim Ladki', 'Al-Ain', 'United Arab Emirates']));
    expect(found.some((n) => n.includes('Ladki ') || n.includes('AL-AIN'))).toBe(false);
  });

  it('drops sentence openers used as ordinary words and labels glued to a name', () => {
    const found = names([
      'Results were mixed for Acme Holdings.',
      'Featured Vladimir Putin spoke.',
      'The results came late on Sundays.',
    ]);
    expect(found).not.toContain('Results');
    expect(found).not.toContain('Featured Vladimir Putin');
    expect(found).not.toContain('Sundays');
  });

  it("reads the word after a dateline's dash, and a headline's first word, as sentence openers", () => {
    const story = (title: string) =>
      findNames({
        title,
        paragraphs: [
          'MARLOW (Wire) — Ferrymen on the river Marl stopped work on Tuesday over new rotas.',
          'Talks with the operator Riverlink Ferries resume on Friday, union leader Anya Petrova said.',
        ],
      }).map((n) => n.name);
    for (const title of [
      'Ferrymen on the Marl stop work over rotas',
      'Marlow ferrymen stop work over rotas',
    ]) {
      const found = story(title);
      expect(found).not.toContain('Ferrymen');
      expect(found).toEqual(expect.arrayContaining(['Marlow', 'Marl', 'Riverlink Ferries', 'Anya Petrova']));
    }
    // A name ordinary text confirms still counts when a headline opens with it.
    expect(
      findNames({
        title: 'Petrova calls off the strike',
        paragraphs: [
          'The union leader, Anya Petrova, said talks had gone well. Petrova will meet members on Monday.',
        ],
      }).find((n) => n.name === 'Anya Petrova')?.inTitle,
    ).toBe(1);
  });

  it('types from the evidence around a name: results lines, titles of places, tables', () => {
    const kinds = new Map(
      findNames({
        paragraphs: [
          'Greenfield Rovers 2 Marsh Athletic 1',
          'Halden Vale 5 3 1 1 10 5 10',
          '1. Amara Osei (Ghana) 12.71 seconds',
          'The Duke of Westmoreland opened the show at Castlereagh Mills.',
        ],
      }).map((n) => [n.name, n.kind]),
    );
    expect(kinds.get('Greenfield Rovers')).toBe('organization');
    expect(kinds.get('Halden Vale')).toBe('organization');
    expect(kinds.get('Amara Osei')).toBe('person');
    expect(kinds.get('Westmoreland')).toBe('place');
    expect(kinds.get('Castlereagh Mills')).not.toBe('person');
  });

  it('derives the short forms a stored name matches under', () => {
    expect(entityMatchKeys('Vladimir Putin')).toEqual(expect.arrayContaining(['vladimir putin', 'putin']));
    expect(entityMatchKeys('Syrian Democratic Forces')).toContain('sdf');
    expect(entityMatchKeys('New York')).toEqual(['new york']);
    expect(entityTopicKey('Syria’s')).toBe('syria');
  });

  it('finds the names of a long article in one pass', () => {
    const paragraph =
      'Minister Anna Berg said the Northfield Council would meet in Nairobi. Berg told Omar Haddad that it agreed.';
    const found = findNames({ paragraphs: Array.from({ length: 5000 }, () => paragraph) });
    expect(found.find((n) => n.name === 'Anna Berg')?.count).toBe(10000);
  });
});
