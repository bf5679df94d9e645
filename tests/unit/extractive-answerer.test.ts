import { describe, expect, it } from 'vitest';
import { NOT_FOUND_IN_STORY_TEXT, NOT_FOUND_TEXT } from '../../src/brief/answer/answer-types.ts';
import { createExtractiveAnswerer } from '../../src/brief/answer/extractive-answerer.ts';
import { answerKind, hasAnswerCue } from '../../src/brief/answer/question-cues.ts';
import { createMemoryStoryIndex as createStoryIndex } from '../../src/brief/retrieval/fts-story-index.ts';
import { words } from '../../src/brief/retrieval/text-terms.ts';
import { ALL_STORIES } from '../support/ask-stories.ts';

function answerer() {
  const index = createStoryIndex();
  for (const { story, articles } of ALL_STORIES) index.upsertStory(story, articles);
  return createExtractiveAnswerer({ index });
}

describe('extractive answerer', () => {
  it('answers a "when" question with the dated sentence and a numbered citation', async () => {
    const result = await answerer().answer('When will the Harker Bridge reopen?');
    expect(result.found).toBe(true);
    expect(result.via).toBe('extractive');
    expect(result.answer).toMatch(
      /^Council leader Ada Brennan said the bridge would reopen in the autumn of 2026\. \[1\]/,
    );
    expect(result.citations[0]).toEqual({
      storyId: 'bridge',
      title: 'Marlow council closes Harker Bridge',
      url: 'https://news.example/bridge',
      quote: 'Council leader Ada Brennan said the bridge would reopen in the autumn of 2026.',
    });
  });

  it('prefers the sentence holding a number for "how much"', async () => {
    const result = await answerer().answer('How much will the bridge repairs cost?');
    expect(result.citations[0]?.quote).toBe('The repairs are expected to cost 4.2 million pounds.');
  });

  it('prefers the sentence holding a new name for "who"', async () => {
    const result = await answerer().answer('Who is the new conductor of the Velden Philharmonic?');
    expect(result.citations[0]?.quote).toContain('Tomasz Reyes');
  });

  it('answers a "where" question from the sentence with the place', async () => {
    const result = await answerer().answer('Where was Reyes born?');
    expect(result.citations[0]?.quote).toContain('Lisbon');
  });

  it('declines a question about something no story covers', async () => {
    const result = await answerer().answer('What is the capital of Peru?');
    expect(result).toEqual({ answer: NOT_FOUND_TEXT, found: false, citations: [], via: 'extractive' });
  });

  it('declines when the question names something the matching story never mentions', async () => {
    // Shares "Velden" with the orchestra story, but the story has no marathon.
    expect((await answerer().answer('Who won the Velden marathon?')).found).toBe(false);
    // Right story, wrong year: the question's specific number is not in it.
    expect((await answerer().answer('Did the Harker Bridge close in 1998?')).found).toBe(false);
  });

  it('reads a possessive name as the name, not as a missing "s"', async () => {
    const result = await answerer().answer("When will Marlow's Harker Bridge reopen?");
    expect(result.citations[0]?.quote).toContain('autumn of 2026');
  });

  it('declines when the sentence shares only the story subject, not what is asked about it', async () => {
    // Every word but "designed" is the story's subject; nothing says who designed the bridge.
    expect((await answerer().answer('Who designed the Harker Bridge?')).found).toBe(false);
  });

  it('does not take the question\'s own number or year as the answer to "how many" or "when"', () => {
    const q = new Set(words('How many flights were cancelled after the 2009 eruption?'));
    expect(hasAnswerCue('The volcano last erupted in 2009.', 'number', q)).toBe(false);
    expect(hasAnswerCue('About 200 flights were cancelled.', 'number', q)).toBe(true);
    const when = new Set(words('When did the 2009 eruption end?'));
    expect(hasAnswerCue('The 2009 eruption was large.', 'time', when)).toBe(false);
    expect(hasAnswerCue('It ended in March.', 'time', when)).toBe(true);
  });

  it('declines an empty or all-filler question', async () => {
    expect((await answerer().answer('What is it?')).found).toBe(false);
    expect((await answerer().answer('   ')).found).toBe(false);
  });

  it('keeps a scoped question to its story and says so when it is not there', async () => {
    const a = answerer();
    const inStory = await a.answer('When will it reopen?', { storyId: 'bridge' });
    expect(inStory.citations.every((c) => c.storyId === 'bridge')).toBe(true);
    const elsewhere = await a.answer('Who is the new chief conductor?', { storyId: 'bridge' });
    expect(elsewhere).toMatchObject({ found: false, answer: NOT_FOUND_IN_STORY_TEXT });
  });

  it('never quotes a sentence that tries to instruct an assistant', async () => {
    const result = await answerer().answer('Has the ferry company gone bankrupt?');
    expect(result.citations.map((c) => c.quote).join(' ')).not.toMatch(/ignore previous instructions/i);
    const ranked = answerer().rank('ferry company bankrupt instructions', { limit: 20 });
    expect(ranked.some((r) => /ignore previous/i.test(r.text))).toBe(false);
  });

  it('reads the kind of answer a question wants', () => {
    expect(answerKind('When did the strike end?')).toBe('time');
    expect(answerKind('In what year was it built?')).toBe('time');
    expect(answerKind('How many ferries run?')).toBe('number');
    expect(answerKind('Where is Calder Island?')).toBe('place');
    expect(answerKind('Who leads the council?')).toBe('person');
    expect(answerKind('Which company bought the mill?')).toBe('person');
    expect(answerKind('Why did prices rise?')).toBe('reason');
    expect(answerKind('How did the fire start?')).toBe('manner');
    expect(answerKind('What did the report find?')).toBe('other');
  });
});
