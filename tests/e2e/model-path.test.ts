// The model path end to end: Herald pointed at a local OpenAI-compatible server.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.ts';
import { startBot, type BotHarness } from '../support/herald-harness.ts';
import { waitFor } from '../support/wait.ts';

let harness: BotHarness | undefined;
let model: FakeOpenAi | undefined;
afterEach(async () => {
  await harness?.close();
  await model?.close();
  harness = undefined;
  model = undefined;
});

describe('with a model configured', () => {
  it('summarizes each story once, however many guilds and readers ask at the same time', async () => {
    model = await startFakeOpenAi();
    // A summary with no names or numbers at all: grounded for any story.
    model.setDefault(() => ({
      content: JSON.stringify({
        headline: 'the latest',
        bullets: ['work goes on.', 'more is due.'],
        whyItMatters: 'it touches many readers.',
        topics: ['world', 'not-a-section'],
        entities: [],
      }),
    }));
    harness = await startBot({ env: { OPENAI_BASE_URL: model.baseURL, OPENAI_MODEL: 'fake-model' } });
    const readers = Array.from({ length: 12 }, () =>
      harness!.herald.services.brief.top({ audience: 'operator', count: 4, includeBacklog: true }),
    );
    const briefs = await Promise.all(readers);
    expect(briefs.every((b) => b.length === 4)).toBe(true);
    expect(briefs[0]!.every((item) => item.summary.summarizer === 'model')).toBe(true);
    const summaryCalls = model.requests.filter((r) => JSON.stringify(r.body).includes('summar'));
    expect(summaryCalls).toHaveLength(4);
    const status = await harness.herald.services.status.snapshot();
    expect(status.model).toMatchObject({ mode: 'model', model: 'fake-model', calls: 4 });
    // The model's topics, checked against the taxonomy, now tag those stories.
    for (const item of briefs[0]!)
      expect((await harness.herald.services.brief.detail(item.story.id, 'operator'))?.story.topics).toEqual([
        'world',
      ]);
    // Asking again later is served from the cache.
    await harness.herald.services.brief.top({ audience: 'operator', count: 4, includeBacklog: true });
    expect(model.requests.filter((r) => JSON.stringify(r.body).includes('summar'))).toHaveLength(4);
  });

  it("acknowledges /ask within Discord's 3 seconds even when the model takes 5", async () => {
    model = await startFakeOpenAi();
    model.setDefault(() => ({
      content: JSON.stringify({ found: false, answer: '', citations: [] }),
      delayMs: 5000,
    }));
    harness = await startBot({ env: { OPENAI_BASE_URL: model.baseURL } });
    const fake = harness.fake;
    const sent = await fake.dispatchInteraction({
      kind: 'command',
      name: 'ask',
      options: [{ name: 'question', type: 3, value: 'How much is Brightwater paying for Ostlund Dairy?' }],
    });
    // /ask defers before any slow work, so the acknowledgement cannot wait on the model: the
    // first answer is a deferral (type 5), made while the model is still thinking.
    const callback = await fake.waitForRequest((r) => r.path.startsWith(`/interactions/${sent.id}/`));
    expect(callback.status).toBe(204);
    expect((callback.body as { type: number }).type).toBe(5);
    expect(fake.requests.some((r) => r.method === 'PATCH' && r.path.includes(sent.token))).toBe(false);
    const edit = await fake.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(sent.token));
    // The answer arrives after the model's 5 s, as an edit of the deferred reply.
    expect(JSON.stringify(edit.body)).toContain("couldn't find that");
    expect(fake.requests.some((r) => JSON.stringify(r.response ?? '').includes('10062'))).toBe(false);
    await waitFor(() => model!.requests.length >= 1, { what: 'a model call' });
  });
});
