// The model answerer through the real openai SDK client against the local OpenAI-compatible
// fake: the request it sends (strict JSON schema, delimited passages) and what it does with a
// good reply, a reply citing nothing, one citing a passage that does not exist, and errors.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FallbackReason } from '../../src/brief/answer/model-answerer.ts';
import { createExtractiveAnswerer } from '../../src/brief/answer/extractive-answerer.ts';
import { createModelAnswerer } from '../../src/brief/answer/model-answerer.ts';
import { createMemoryStoryIndex as createStoryIndex } from '../../src/brief/retrieval/fts-story-index.ts';
import { createOpenAiLlmClient } from '../../src/llm/openai-client.ts';
import type { FakeOpenAi } from '../support/fake-openai.ts';
import { jsonContent, startFakeOpenAi } from '../support/fake-openai.ts';
import { ALL_STORIES } from '../support/ask-stories.ts';

const QUESTION = 'Who is the new chief conductor of the Velden Philharmonic?';

describe('model answers through the OpenAI-compatible fake', () => {
  let fake: FakeOpenAi;
  beforeEach(async () => {
    fake = await startFakeOpenAi();
  });
  afterEach(async () => {
    await fake.close();
  });

  function build() {
    const index = createStoryIndex();
    for (const { story, articles } of ALL_STORIES) index.upsertStory(story, articles);
    const llm = createOpenAiLlmClient({
      baseURL: fake.baseURL,
      apiKey: 'test',
      model: 'fake-model',
      // Long enough for any loaded machine; the timeout path has its own test.
      timeoutMs: 30_000,
      maxRetries: 0,
      breaker: { failureThreshold: 100, cooldownMs: 1_000 },
    });
    const reasons: FallbackReason[] = [];
    const answerer = createModelAnswerer({
      llm,
      index,
      fallback: createExtractiveAnswerer({ index }),
      maxPassages: 3,
      onFallback: (r) => reasons.push(r),
    });
    return { answerer, reasons };
  }

  /** The number of the passage holding `words` in the last request the fake received. */
  function passageWith(words: string): number {
    const body = fake.requests.at(-1)?.body as { messages?: Array<{ content?: string }> } | undefined;
    const user = body?.messages?.map((m) => m.content ?? '').join('\n') ?? '';
    const blocks = [...user.matchAll(/<passage number="(\d+)"[^>]*>\n([^]*?)\n<\/passage>/g)];
    return Number(blocks.find((b) => (b[2] ?? '').includes(words))?.[1] ?? 0);
  }

  it('asks with a strict JSON schema and uses a reply whose citations check out', async () => {
    const { answerer, reasons } = build();
    fake.setDefault(() =>
      jsonContent({
        found: true,
        answer: `Tomasz Reyes [${passageWith('appointed Tomasz Reyes')}].`,
        citations: [
          {
            passage: passageWith('appointed Tomasz Reyes'),
            quote: 'has appointed Tomasz Reyes as its chief conductor',
          },
        ],
      }),
    );
    const result = await answerer.answer(QUESTION);
    expect(reasons).toEqual([]);
    expect(result).toMatchObject({ found: true, via: 'model', answer: 'Tomasz Reyes [1].' });
    expect(result.citations[0]).toMatchObject({
      storyId: 'orchestra',
      url: 'https://news.example/orchestra',
    });
    const format = (
      fake.requests[0]?.body as { response_format?: { type?: string; json_schema?: { strict?: boolean } } }
    ).response_format;
    expect(format?.type).toBe('json_schema');
    expect(format?.json_schema?.strict).toBe(true);
  });

  it('falls back to the extractive answer when the model cites nothing', async () => {
    const { answerer, reasons } = build();
    fake.enqueue(jsonContent({ found: true, answer: 'Tomasz Reyes.', citations: [] }));
    const result = await answerer.answer(QUESTION);
    expect(reasons).toEqual(['no-valid-citation']);
    expect(result).toMatchObject({ found: true, via: 'extractive' });
    expect(result.citations[0]?.quote).toContain('Tomasz Reyes');
  });

  it('falls back when the model cites a passage that does not exist', async () => {
    const { answerer, reasons } = build();
    fake.enqueue(
      jsonContent({
        found: true,
        answer: 'Tomasz Reyes [7].',
        citations: [{ passage: 7, quote: 'appointed Tomasz Reyes' }],
      }),
    );
    expect((await answerer.answer(QUESTION)).via).toBe('extractive');
    expect(reasons).toEqual(['no-valid-citation']);
  });

  it('falls back on a server error and on a reply that is not JSON', async () => {
    const { answerer, reasons } = build();
    fake.enqueue({ status: 500, message: 'boom' }, { content: 'Tomasz Reyes, probably.' });
    expect((await answerer.answer(QUESTION)).via).toBe('extractive');
    expect((await answerer.answer(QUESTION)).via).toBe('extractive');
    expect(reasons).toEqual(['model-error', 'model-error']);
  });
});
