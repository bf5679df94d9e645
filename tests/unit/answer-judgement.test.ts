import { describe, expect, it } from 'vitest';
import { createExtractiveAnswerer } from '../../src/brief/answer/extractive-answerer.ts';
import { answerConfidence, type ConfidenceSignals } from '../../src/brief/answer/answer-confidence.ts';
import { questionSubject, subjectAliases, subjectShare } from '../../src/brief/answer/question-subject.ts';
import { createMemoryStoryIndex } from '../../src/brief/retrieval/fts-story-index.ts';
import { words } from '../../src/brief/retrieval/text-terms.ts';
import { ALL_STORIES } from '../support/ask-stories.ts';
import { NEWS_STORIES, NURSES, TOWER } from '../support/news-answer-stories.ts';

function answerer(minConfidence?: number) {
  const index = createMemoryStoryIndex();
  for (const { story, articles } of [...ALL_STORIES, ...NEWS_STORIES]) index.upsertStory(story, articles);
  return createExtractiveAnswerer({ index, ...(minConfidence !== undefined ? { minConfidence } : {}) });
}

describe('answers that hold the asked type and subject', () => {
  it('answers who Serena Williams beat with the Kirilenko sentence, not another match in the round-up', async () => {
    const scoped = await answerer().answer('Who did Serena Williams beat?', { storyId: 'tennis' });
    expect(scoped.found).toBe(true);
    expect(scoped.citations[0]?.quote).toContain('Kirilenko');
    const open = await answerer().answer('Who did Serena Williams beat?');
    expect(open.found).toBe(true);
    expect(open.citations[0]?.quote).toContain('Kirilenko');
  });

  it('declines a who-question whose only candidate sentence names no new person', async () => {
    const result = await answerer().answer('Who repaired the burst water main in Thornbury?');
    expect(result.found).toBe(false);
  });

  it('answers a how-many question with the sentence that holds the number', async () => {
    const result = await answerer().answer('How many residents were evacuated from Lambert House?');
    expect(result.found).toBe(true);
    expect(result.citations[0]?.quote).toBe(TOWER.articles[0]?.paragraphs[1]);
  });

  it('answers a why-question with the sentence that states the cause', async () => {
    const result = await answerer().answer('Why was the A13 in Essex closed?');
    expect(result.found).toBe(true);
    expect(result.citations[0]?.quote).toContain('because a lorry had overturned');
  });

  it('declines a why-question when no sentence near the match states a cause', async () => {
    const result = await answerer().answer('Why did the Thornbury water main burst?', { storyId: 'water' });
    expect(result.found).toBe(false);
  });

  it('answers why a strike happened with the stated cause in the lead, not a consequence that says "since"', async () => {
    const result = await answerer().answer('Why did the nurses strike?');
    expect(result.found).toBe(true);
    expect(result.citations.map((c) => c.quote)).toEqual([NURSES.articles[0]?.paragraphs[0]]);
  });

  it('declines a why-question whose matching sentence states no cause, though its neighbour says "since"', async () => {
    const result = await answerer().answer('Why were patients asked to attend the emergency department?', {
      storyId: 'nurses',
    });
    expect(result.found).toBe(false);
  });

  it('declines everything above the threshold it is given (ask.minConfidence)', async () => {
    const strict = await answerer(0.99).answer('How many residents were evacuated from Lambert House?');
    expect(strict.found).toBe(false);
  });
});

describe('the question subject', () => {
  it('resolves a surname to the fuller name the article uses, and not to a namesake', () => {
    const subject = questionSubject('Who did Serena beat?');
    const [aliases] = subjectAliases(subject, 'Serena Williams won. Venus Williams lost.');
    expect(aliases?.has('williams')).toBe(true);
    expect(aliases?.has('venus')).toBe(false);
    expect(
      subjectShare(subjectAliases(subject, 'Serena Williams won.'), new Set(words('Williams won again.'))),
    ).toBe(1);
  });

  it('marks "who did <name> <verb>" questions as having a named agent', () => {
    expect(questionSubject('Who did Serena Williams beat?').namedAgent).toBe(true);
    expect(questionSubject('Who beat Serena Williams?').namedAgent).toBe(false);
  });
});

describe('answer confidence', () => {
  const base: ConfidenceSignals = {
    kind: 'person',
    coverage: 0.6,
    contextCoverage: 0.8,
    askCoverage: 1,
    bm25Share: 1,
    score: 0.7,
    margin: 0.1,
    typeMatch: true,
    specificsPresent: true,
    subjectInSentence: 1,
    subjectNear: 1,
    agreement: false,
    questionTerms: 4,
    articleCoverage: 1,
    missingRare: 0,
    phrase: 0.3,
    missingNear: 0,
    missingInArticle: 0,
    negationMismatch: false,
  };

  it('never falls when the sentence covers more of the question or leads by more', () => {
    expect(answerConfidence({ ...base, coverage: 0.9 })).toBeGreaterThanOrEqual(answerConfidence(base));
    expect(answerConfidence({ ...base, margin: 0.3 })).toBeGreaterThanOrEqual(answerConfidence(base));
  });

  it('falls when the question negates and the passage does not', () => {
    expect(answerConfidence({ ...base, negationMismatch: true })).toBeLessThan(answerConfidence(base));
  });
});
