import { describe, expect, it } from 'vitest';
import { topicOverview } from '../../src/brief/topic-catalog.ts';
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

describe('one name for a country however a story writes it', () => {
  const story = (title: string, text: string) => {
    const tagged = tagger.tag({ title, paragraphs: [text], sourceTopics: [] });
    return { topics: tagged.topics, entities: tagged.entities };
  };

  it('lists "U.S.", "America" and "United States" in /topics as one name, and UK, Britain and United Kingdom as another', () => {
    const stories = [
      story(
        'Tariff talks resume',
        'Officials from the U.S. met trade ministers in Geneva on Monday to restart talks.',
      ),
      story(
        'Border deal signed',
        'The United States signed a border deal with its neighbour on Tuesday after months of talks.',
      ),
      story(
        'Rail strike spreads',
        'Rail workers across America walked out on Wednesday in a dispute over pay and hours.',
      ),
      story(
        'Port reopens',
        'The busiest port in the UK reopened on Thursday after a week of storms closed it.',
      ),
      story(
        'Rates held',
        'Britain held interest rates on Friday, the central bank said in a short statement.',
      ),
      story(
        'Budget passed',
        'The United Kingdom passed its budget on Monday by a narrow vote in parliament.',
      ),
    ];
    const names = topicOverview(taxonomy, stories).entities.map(
      ({ name, stories: count }) => `${name} (${count})`,
    );
    expect(names).toContain('United States (3)');
    expect(names).toContain('United Kingdom (3)');
    expect(names.join(', ')).not.toMatch(/U\.S\.|America \(|UK \(|Britain \(/u);
  });

  it('keeps the spellings a story used as aliases that followers match on', () => {
    const tagged = tagger.tag({
      title: 'Farmers protest in Holland',
      paragraphs: ['Farmers in Holland drove tractors into the capital on Monday to protest new rules.'],
      sourceTopics: [],
    });
    expect(tagged.entities).toContain('Netherlands');
    expect(tagged.entities).not.toContain('Holland');
    expect(tagged.topics).toEqual(expect.arrayContaining(['netherlands', 'holland']));
  });

  it('leaves a word that a foreign spelling of a country shares alone', () => {
    const tagged = tag('Island ferry returns', [
      'The ferry to Long Island returned to service on Monday, and Thomas Mann fans packed it.',
    ]);
    expect(tagged).not.toContain('iceland');
    expect(tagged).not.toContain('isle of man');
  });
});
