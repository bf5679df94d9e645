import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSectionClassifier } from '../../src/brief/topics/section-classifier.ts';
import { stem, tokenize } from '../../src/brief/topics/stem.ts';
import { createTaxonomy, loadTaxonomy } from '../../src/brief/topics/taxonomy.ts';

const taxonomy = loadTaxonomy(path.resolve(import.meta.dirname, '../../config/topics.json'));
const classifier = createSectionClassifier(taxonomy);
const top = (title: string, text: string): string | undefined => classifier.classify({ title, text })[0]?.key;

describe('stemmer', () => {
  it('folds plurals and verb endings of one word to one stem', () => {
    expect(new Set(['rate', 'rates', 'rated', 'rating'].map(stem)).size).toBe(1);
    expect(stem('parties')).toBe(stem('party'));
    expect(stem('movies')).toBe(stem('movie'));
    expect(stem('stopped')).toBe(stem('stop'));
  });

  it('leaves short stems whole instead of cutting them to a stop word', () => {
    expect(stem('innings')).not.toBe('in');
    expect(stem('bed')).toBe('bed');
  });

  it('keeps dotted acronyms and hyphenated words as single tokens', () => {
    expect(tokenize('The U.S. wi-fi market')).toEqual(['the', 'us', 'wi-fi', 'market']);
  });
});

describe('section classifier', () => {
  it('puts a headline and lead in the section a news editor would', () => {
    expect(
      top(
        'Striker scores twice as United reach cup semifinal',
        'The midfielder set up both goals and the goalkeeper saved a penalty kick in extra time.',
      ),
    ).toBe('sports');
    expect(
      top(
        'Central bank raises interest rates to curb inflation',
        'Shares fell on Wall Street as investors weighed the outlook for corporate earnings.',
      ),
    ).toBe('business');
    expect(
      top(
        'Chipmaker unveils faster processor for laptops',
        'The new microprocessor will ship in notebook computers running the latest operating system.',
      ),
    ).toBe('technology');
    expect(
      top(
        'Astronomers spot icy comet beyond Neptune',
        'Using a space telescope, researchers traced the orbit of the comet across the solar system.',
      ),
    ).toBe('science');
    expect(
      top(
        'Flu vaccine shortage worries doctors',
        'Hospitals asked patients at risk to wait while health officials sort out the vaccination schedule.',
      ),
    ).toBe('health');
    expect(
      top(
        'Rebels agree to ceasefire after peace talks',
        'The United Nations envoy said the truce would let refugees return to villages near the border.',
      ),
    ).toBe('world');
    expect(
      top(
        'Glaciers retreat as global warming accelerates',
        'Scientists linked greenhouse gas emissions to rising sea levels and the loss of sea ice.',
      ),
    ).toBe('climate');
    expect(
      top(
        'Jury convicts former mayor in bribery trial',
        'Prosecutors said the defendant took bribes; the judge set sentencing for next month.',
      ),
    ).toBe('crime');
  });

  it('lets a phrase outrank the words inside it', () => {
    // "world cup" is sports even though it contains no sports word on its own.
    expect(top('Fans gather before the World Cup', 'Thousands arrived for the world cup.')).toBe('sports');
  });

  it('weighs headline words above body words', () => {
    const tax = createTaxonomy({
      version: 1,
      sections: [
        { key: 'a', name: 'A', description: 'a', terms: ['alpha'] },
        { key: 'b', name: 'B', description: 'b', terms: ['beta'] },
      ],
    });
    const c = createSectionClassifier(tax, { minScore: 0.5 });
    expect(c.classify({ title: 'alpha', text: 'beta' })[0]?.key).toBe('a');
    expect(c.classify({ title: 'beta', text: 'alpha' })[0]?.key).toBe('b');
  });

  it('assigns a runner-up section only when it is close to the top one', () => {
    const both = classifier.classify({
      title: 'Software maker shares surge after quarterly profit beats forecasts',
      text: 'The internet company said revenue from its search engine and online advertising rose; analysts raised estimates.',
    });
    expect(both.map((s) => s.key)).toEqual(expect.arrayContaining(['business', 'technology']));
    const one = classifier.classify({
      title: 'Quarterback throws three touchdowns',
      text: 'The quarterback led the team to a playoff win.',
    });
    expect(one.map((s) => s.key)).toEqual(['sports']);
  });

  it('assigns nothing when the text has no section vocabulary', () => {
    expect(classifier.classify({ title: 'Hello there', text: 'A quiet note with nothing to say.' })).toEqual(
      [],
    );
  });

  it('splits the weight of a term claimed by several sections', () => {
    const tax = createTaxonomy({
      version: 1,
      sections: [
        { key: 'a', name: 'A', description: 'a', terms: ['shared', 'only'] },
        { key: 'b', name: 'B', description: 'b', terms: ['shared'] },
      ],
    });
    const scores = createSectionClassifier(tax).scores({ title: '', text: 'shared' });
    expect(scores).toEqual([
      { key: 'a', score: 0.5 },
      { key: 'b', score: 0.5 },
    ]);
  });
});
