import { describe, expect, it } from 'vitest';
import { createGazetteer } from '../../src/brief/topics/gazetteer.ts';
import { createSectionClassifier } from '../../src/brief/topics/section-classifier.ts';
import { createStoryTopicTagger } from '../../src/brief/topics/story-topics.ts';
import { loadTaxonomy } from '../../src/brief/topics/taxonomy.ts';

const taxonomy = loadTaxonomy('config/topics.json');
const tagger = createStoryTopicTagger({
  classifier: createSectionClassifier(taxonomy),
  taxonomy,
  gazetteer: createGazetteer(),
});
const tag = (title: string, paragraphs: string[]): string[] =>
  tagger.tag({ title, paragraphs, sourceTopics: [] }).topics;

describe('countries a story names by their people or their cities', () => {
  it('follows a country named only by a demonym and its cities', () => {
    const topics = tag('Syrian health ministry reopens rebuilt children’s hospital in Homs', [
      'The hospital in Homs reopened on Sunday, two years after shelling damaged its upper floors.',
      'Surgeons from Hama will work there until new staff are trained, the ministry said.',
    ]);
    expect(topics).toContain('syria');
  });

  it('follows the country of a large city the story names as a place', () => {
    expect(
      tag('Metro line opens', ['A new metro line opened in Guadalajara on Monday after six years of work.']),
    ).toContain('mexico');
  });

  it('uses the spelling of the country a reader follows', () => {
    expect(
      tag('Ferry strike', ['Turkish ferry crews walked out on Monday in a dispute over pay.']),
    ).toContain('turkey');
  });

  it('does not make a country of a person’s name, nor of a small town alone', () => {
    const person = tag('Singer signs new deal', [
      'Florence Welch signed a new record deal on Friday, her label said.',
    ]);
    expect(person).not.toContain('italy');
    const town = tag('Viera defeats Rockledge', [
      'Viera scored twice in the second half to beat Rockledge 2-0 on Tuesday.',
    ]);
    expect(town).not.toContain('united states');
  });
});
