import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExtractiveSummarizer } from '../../src/brief/extractive-summarizer.ts';
import { createModelSummarizer } from '../../src/brief/model-summarizer.ts';
import { createSummaryService } from '../../src/brief/summary-service.ts';
import type { StorySummary } from '../../src/brief/summary-types.ts';
import { createOpenAiLlmClient } from '../../src/llm/openai-client.ts';
import { jsonContent, startFakeOpenAi } from '../support/fake-openai.ts';
import type { FakeOpenAi } from '../support/fake-openai.ts';
import { createMemoryRecordStore } from '../support/memory-stores.ts';

const article = {
  title: 'Springfield approves flood barrier',
  paragraphs: [
    'The Springfield city council approved a flood barrier on Tuesday after a record storm flooded 1,200 homes.',
    'Mayor Ana Ruiz said the barrier would be finished by 2027, and two council members voted against it.',
  ],
};
const modelAnswer = {
  headline: 'Springfield approves flood barrier',
  bullets: [
    'The council approved a flood barrier after 1,200 homes flooded.',
    'Mayor Ana Ruiz expects it by 2027.',
  ],
  whyItMatters: 'A record storm flooded homes in Springfield.',
  topics: ['local'],
  entities: ['Ana Ruiz'],
};

let fake: FakeOpenAi;
beforeEach(async () => {
  fake = await startFakeOpenAi();
  // A short delay keeps the first call in flight while the other readers arrive.
  fake.setDefault(() => ({ ...jsonContent(modelAnswer), delayMs: 30 }));
});
afterEach(async () => {
  await fake.close();
});

function build() {
  const llm = createOpenAiLlmClient({
    baseURL: fake.baseURL,
    model: 'm1',
    timeoutMs: 30_000,
    maxRetries: 1,
    breaker: { failureThreshold: 3, cooldownMs: 1000 },
  });
  const cache = createMemoryRecordStore<StorySummary>();
  const summarizer = createModelSummarizer({
    llm,
    fallback: createExtractiveSummarizer(),
    maxInputChars: 4000,
    promptVersion: 'p1',
  });
  return { llm, cache, service: createSummaryService({ summarizer, cache, summarizerId: 'model' }) };
}

describe('summary service', () => {
  it('makes one model call for a story however many guilds ask at once', async () => {
    const { llm, cache, service } = build();
    const results = await Promise.all(
      Array.from({ length: 25 }, () => service.summaryFor({ contentHash: 'h1' }, article)),
    );
    expect(fake.requests).toHaveLength(1);
    expect(llm.usage().calls).toBe(1);
    for (const r of results) expect(r.summarizer).toBe('model');
    expect(cache.sets).toBe(1);

    // Later readers are served from the cache.
    await service.summaryFor({ contentHash: 'h1' }, article);
    expect(fake.requests).toHaveLength(1);
    expect(service.stats()).toEqual({ hits: 25, misses: 1, made: 1 });
  });

  it('summarizes again when the story content changes', async () => {
    const { service } = build();
    await service.summaryFor({ contentHash: 'h1' }, article);
    await service.summaryFor(
      { contentHash: 'h2' },
      { ...article, paragraphs: [...article.paragraphs, 'The state agreed to pay half.'] },
    );
    expect(fake.requests).toHaveLength(2);
    expect(service.stats().misses).toBe(2);
  });

  it('caches a fallback summary only for a while so the model is tried again later', async () => {
    const { cache, service } = build();
    fake.setDefault(() => ({ status: 500 }));
    const summary = await service.summaryFor({ contentHash: 'h1' }, article);
    expect(summary.summarizer).toBe('extractive');
    expect(cache.ttls.get('h1:model:m1:p1')).toBe(15 * 60_000);

    fake.setDefault(() => jsonContent(modelAnswer));
    await service.summaryFor({ contentHash: 'h2' }, article);
    expect(cache.ttls.get('h2:model:m1:p1')).toBeUndefined();
  });

  it('keeps a summary only as long as its story can be kept', async () => {
    const cache = createMemoryRecordStore<StorySummary>();
    const retention = 8 * 86_400_000;
    const service = createSummaryService({
      summarizer: createExtractiveSummarizer(),
      cache,
      summarizerId: 'extractive',
      ttlMs: retention,
    });
    await service.summaryFor({ contentHash: 'h1' }, article);
    expect([...cache.ttls.values()]).toEqual([retention]);
  });

  it('keys the cache by summarizer, model and prompt version', async () => {
    const cache = createMemoryRecordStore<StorySummary>();
    const extractive = createSummaryService({
      summarizer: createExtractiveSummarizer(),
      cache,
      summarizerId: 'extractive',
    });
    const first = await extractive.summaryFor({ contentHash: 'h1' }, article);
    expect(first.summarizer).toBe('extractive');
    const keys: string[] = [];
    for await (const [key] of cache.entries()) keys.push(key);
    expect(keys).toEqual(['h1:extractive::']);
    expect(await extractive.cached({ contentHash: 'h1' })).toEqual(first);
    expect(await extractive.cached({ contentHash: 'other' })).toBeUndefined();
  });

  it('redoes a cached record that is not a valid current summary', async () => {
    const cache = createMemoryRecordStore<StorySummary>();
    await cache.set('h1:extractive::', { headline: 'old shape' } as unknown as StorySummary);
    const service = createSummaryService({
      summarizer: createExtractiveSummarizer(),
      cache,
      summarizerId: 'extractive',
    });
    const summary = await service.summaryFor({ contentHash: 'h1' }, article);
    expect(summary.v).toBe(1);
    expect(service.stats().misses).toBe(1);
  });
});
