import { describe, expect, it } from 'vitest';
import { entityTopicKey, extractEntities, type Entity } from '../../src/brief/topics/entities.ts';

const byName = (list: Entity[], name: string): Entity | undefined => list.find((e) => e.name === name);

describe('extractEntities', () => {
  it('takes people from titles and drops the title', () => {
    const found = extractEntities(
      'The talks were led by President Maria Santos and Gen. Omar Haddad on Friday.',
    );
    expect(byName(found, 'Maria Santos')?.kind).toBe('person');
    expect(byName(found, 'Omar Haddad')?.kind).toBe('person');
    expect(found.some((e) => e.name.includes('President'))).toBe(false);
  });

  it('types organizations by suffix and head word', () => {
    const found = extractEntities(
      'Profits at Acme Widgets Inc. rose, the Ministry of Finance said, and Northfield University agreed.',
    );
    expect(byName(found, 'Acme Widgets Inc')?.kind).toBe('organization');
    expect(byName(found, 'Ministry of Finance')?.kind).toBe('organization');
    expect(byName(found, 'Northfield University')?.kind).toBe('organization');
  });

  it('recognizes known places and counts a demonym as its country', () => {
    const found = extractEntities(
      'Talks in Geneva focused on Syria. Syrian officials and Turkish envoys attended with Turkish troops.',
    );
    expect(byName(found, 'Geneva')?.kind).toBe('place');
    expect(byName(found, 'Syria')).toEqual({ name: 'Syria', kind: 'place', count: 2 });
    expect(byName(found, 'Turkey')?.kind).toBe('place');
  });

  it('ignores capitalized common words that open a sentence', () => {
    const found = extractEntities(
      'Analysts expected a rise. However, traders were calm. Officials said little.',
    );
    expect(found).toEqual([]);
  });

  it('does not run names together across commas, dashes or sentence ends', () => {
    const names = extractEntities(
      'In Lisbon, Portugal, leaders met. The deal was signed in Madrid — Spain hosted.',
    ).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['Lisbon', 'Portugal', 'Madrid', 'Spain']));
    expect(names.some((n) => n.includes(' '))).toBe(false);
  });

  it('counts a lone surname as the full name seen earlier', () => {
    const found = extractEntities(
      'Senator Ruth Okafor opened the hearing. Okafor later told reporters the bill would pass.',
    );
    expect(byName(found, 'Ruth Okafor')).toEqual({ name: 'Ruth Okafor', kind: 'person', count: 2 });
    expect(byName(found, 'Okafor')).toBeUndefined();
  });

  it('does not take the last word of an organization for a surname opening a sentence', () => {
    const names = extractEntities(
      "The Harbour Workers' Union called a strike. Union leader Amira Castell spoke first.",
    ).map((e) => e.name);
    expect(names).toContain('Amira Castell');
    expect(names).not.toContain('Union');
  });

  it('lists the most mentioned names first', () => {
    const found = extractEntities(
      'Kenya met Ghana. Kenya won. Later Kenya and Ghana drew, and Peru watched.',
    );
    expect(found.map((e) => e.name)).toEqual(['Kenya', 'Ghana', 'Peru']);
  });

  it('keeps acronyms as organizations and dotted country codes as places, under the country’s name', () => {
    const found = extractEntities(
      'A NASA probe, built with help from the U.S. and the EU, launched on time.',
    );
    expect(byName(found, 'NASA')?.kind).toBe('organization');
    expect(byName(found, 'United States')?.kind).toBe('place');
    expect(byName(found, 'U.S.')).toBeUndefined();
  });
});

describe('entityTopicKey', () => {
  it('folds case, dots, a leading "the" and spaces', () => {
    expect(entityTopicKey('  The  Bank of England ')).toBe('bank of england');
    expect(entityTopicKey('SYRIA')).toBe('syria');
  });

  it('treats common aliases of one place as one key', () => {
    expect(entityTopicKey('U.S.')).toBe(entityTopicKey('United States'));
    expect(entityTopicKey('USA')).toBe('united states');
    expect(entityTopicKey('Britain')).toBe(entityTopicKey('UK'));
    expect(entityTopicKey('U.N.')).toBe('united nations');
  });
});

describe('words that are never names on their own', () => {
  it('does not offer months, time zones or stamp and credit words as names', () => {
    const text = [
      'By Daily Mail Reporter. PUBLISHED: 09:14 EST, 4 May 2014 | UPDATED: 11:02 GMT, 4 May 2014.',
      'The harbour in Whitby reopened in May after the storm. In March, engineers from Leeds began the repairs.',
      'PICTURED: The harbour wall in Whitby after the storm.',
    ].join('\n\n');
    const names = extractEntities(text).map((entity) => entity.name);
    expect(names).toEqual(expect.arrayContaining(['Whitby', 'Leeds']));
    for (const word of ['May', 'March', 'EST', 'GMT', 'PUBLISHED', 'UPDATED', 'PICTURED', 'Reporter'])
      expect(names).not.toContain(word);
  });

  it('still finds a person whose surname is a month', () => {
    const names = extractEntities(
      'Theresa May met union leaders on Monday. May said the talks had gone well.',
    ).map((entity) => entity.name);
    expect(names).toContain('Theresa May');
  });
});
