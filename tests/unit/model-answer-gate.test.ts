import { describe, expect, it } from 'vitest';
import { createExtractiveAnswerer } from '../../src/brief/answer/extractive-answerer.ts';
import type { DeclineReason } from '../../src/brief/answer/model-answerer.ts';
import { createModelAnswerer } from '../../src/brief/answer/model-answerer.ts';
import { createMemoryStoryIndex } from '../../src/brief/retrieval/fts-story-index.ts';
import type { JsonCompletionRequest, LlmClient } from '../../src/llm/types.ts';
import { ALL_STORIES } from '../support/ask-stories.ts';
import { NEWS_STORIES } from '../support/news-answer-stories.ts';

/** A model that cites the passage holding `quote`, and records what it was asked. */
function citingModel(answer: string, quote: string): LlmClient & { requests: JsonCompletionRequest[] } {
  const requests: JsonCompletionRequest[] = [];
  return {
    model: 'fake',
    requests,
    completeJson(request) {
      requests.push(request);
      const blocks = [...request.user.matchAll(/<passage number="(\d+)"[^>]*>\n([^]*?)\n<\/passage>/g)];
      const passage = Number(blocks.find((m) => (m[2] ?? '').includes(quote))?.[1] ?? 0);
      return Promise.resolve({
        found: true,
        answer: `${answer} [${passage}]`,
        citations: [{ passage, quote }],
      });
    },
    usage: () => ({ calls: requests.length, failures: 0, promptTokens: 0, completionTokens: 0 }),
  };
}

function setup(llm: LlmClient) {
  const index = createMemoryStoryIndex();
  for (const { story, articles } of [...ALL_STORIES, ...NEWS_STORIES]) index.upsertStory(story, articles);
  const extractive = createExtractiveAnswerer({ index });
  const declines: DeclineReason[] = [];
  const answerer = createModelAnswerer({
    llm,
    index,
    fallback: extractive,
    gate: extractive,
    onDecline: (reason) => declines.push(reason),
  });
  return { answerer, declines };
}

const HOW_MANY = 'How many residents were evacuated from Lambert House?';

describe('model answers gated by the answer confidence', () => {
  it('declines without asking the model when the offline confidence is too low', async () => {
    const llm = citingModel('A council crew repaired it.', 'The water main was repaired before dawn');
    const { answerer, declines } = setup(llm);
    const result = await answerer.answer('Who repaired the burst water main in Thornbury?');
    expect(result.found).toBe(false);
    expect(llm.requests).toHaveLength(0);
    expect(declines).toEqual(['not-confident']);
  });

  it('declines a model answer whose citations hold no number for a how-many question', async () => {
    const llm = citingModel(
      'Residents were evacuated.',
      'Residents of the Lambert House tower block were evacuated',
    );
    const { answerer, declines } = setup(llm);
    const result = await answerer.answer(HOW_MANY);
    expect(result.found).toBe(false);
    expect(llm.requests).toHaveLength(1);
    expect(declines).toEqual(['citations-lack-asked-type']);
  });

  it('shows a model answer whose citation holds the asked number', async () => {
    const llm = citingModel('140 residents were led out.', 'Fire crews said 140 residents were led out');
    const { answerer, declines } = setup(llm);
    const result = await answerer.answer(HOW_MANY);
    expect(result).toMatchObject({ found: true, via: 'model' });
    expect(result.citations[0]?.quote).toContain('140 residents');
    expect(declines).toEqual([]);
  });
});
