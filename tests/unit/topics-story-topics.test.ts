import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSectionClassifier } from '../../src/brief/topics/section-classifier.ts';
import { checkModelTopics, createStoryTopicTagger } from '../../src/brief/topics/story-topics.ts';
import { loadTaxonomy } from '../../src/brief/topics/taxonomy.ts';

const taxonomy = loadTaxonomy(path.resolve(import.meta.dirname, '../../config/topics.json'));
const tagger = createStoryTopicTagger({ classifier: createSectionClassifier(taxonomy), taxonomy });

const story = {
  title: 'Syria and Turkey agree to ceasefire after border clashes',
  paragraphs: [
    'Syria and Turkey agreed to a ceasefire on Sunday after days of shelling along the border, the United Nations envoy said.',
    'Turkish troops will pull back, and refugees in camps near Aleppo may return home, said Foreign Minister Leyla Demir.',
  ],
  sourceTopics: [],
};

describe('story topic tagger', () => {
  it('assigns the classifier section and the named entities', () => {
    const tags = tagger.tag(story);
    expect(tags.sections[0]).toBe('world');
    expect(tags.entities).toEqual(
      expect.arrayContaining(['Syria', 'Turkey', 'United Nations', 'Leyla Demir', 'Aleppo']),
    );
    expect(tags.topics).toEqual(expect.arrayContaining(['world', 'syria', 'turkey', 'united nations']));
  });

  it("puts the source's sections first and keeps its non-section topics as entities", () => {
    const tags = tagger.tag({ ...story, sourceTopics: ['Politics', 'Middle East'] });
    expect(tags.sections.slice(0, 2)).toEqual(['politics', 'world']);
    expect(tags.entities[0]).toBe('Middle East');
    expect(tags.topics).toContain('middle east');
  });

  it("uses the model's valid sections instead of the classifier's", () => {
    const tags = tagger.tag({ ...story, modelTopics: ['Climate', 'not-a-section'] });
    expect(tags.sections).toEqual(['climate']);
  });

  it('falls back to the classifier when the model gave no valid section', () => {
    expect(tagger.tag({ ...story, modelTopics: ['geopolitics'] }).sections[0]).toBe('world');
  });

  it('trusts a title-cased headline word only when the body names it too', () => {
    const tags = tagger.tag({
      title: 'Quarterly Results Lift Zentro Shares',
      paragraphs: ['Zentro Systems reported higher revenue and profit for the quarter, analysts said.'],
      sourceTopics: [],
    });
    expect(tags.entities).toContain('Zentro Systems');
    expect(tags.entities).not.toContain('Quarterly Results Lift Zentro Shares');
  });

  it('caps the number of entities', () => {
    const small = createStoryTopicTagger({
      classifier: createSectionClassifier(taxonomy),
      taxonomy,
      maxEntities: 2,
    });
    expect(small.tag(story).entities).toHaveLength(2);
  });
});

describe('checkModelTopics', () => {
  it('keeps taxonomy sections by key or name, once each, in order', () => {
    expect(
      checkModelTopics(['Sports', 'SPORTS', 'made-up', 'crime & justice', 'business'], taxonomy),
    ).toEqual(['sports', 'crime', 'business']);
  });
});

describe('sections a reader looks for', () => {
  it('files a device story from a business outlet under Technology', () => {
    const story = {
      title: 'Cell maker unveils a phone battery that charges in six minutes',
      paragraphs: [
        'Lumen Cells said on Tuesday that its new lithium-ion battery for smartphones charges fully in six minutes.',
        'The company expects phone makers to use the batteries next year and said investors had put $40 million into the firm.',
        'Shares of rival battery suppliers fell after the announcement.',
      ],
      sourceTopics: [],
    };
    expect(tagger.tag(story).sections).toContain('technology');
    expect(tagger.tag({ ...story, label: 'Technology' }).sections[0]).toBe('technology');
  });

  it('files a local high school sports roundup under Sports only', () => {
    const sections = tagger.tag({
      title: 'HS Roundup: Palm Shores defeats Cocoa Ridge',
      paragraphs: [
        'Palm Shores scored twice in the second half to beat Cocoa Ridge 2-0 in high school soccer on Tuesday.',
        'In girls basketball, Harbor Central beat Merritt Point 54-40 behind 18 points from junior guard Ana Ruiz.',
        'The science fair winners from both schools were honored at halftime.',
      ],
      sourceTopics: [],
    }).sections;
    expect(sections[0]).toBe('sports');
    expect(sections).not.toContain('science');
    expect(sections).not.toContain('education');
  });
});
