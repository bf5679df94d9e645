import { describe, expect, it } from 'vitest';
import type { Answer, Answerer } from '../../src/brief/answer/answer-types.ts';
import { createExtractiveAnswerer } from '../../src/brief/answer/extractive-answerer.ts';
import type { FallbackReason } from '../../src/brief/answer/model-answerer.ts';
import { createModelAnswerer, SYSTEM_PROMPT } from '../../src/brief/answer/model-answerer.ts';
import { createMemoryStoryIndex as createStoryIndex } from '../../src/brief/retrieval/fts-story-index.ts';
import type { JsonCompletionRequest, LlmClient, LlmUsage } from '../../src/llm/types.ts';
import { ALL_STORIES } from '../support/ask-stories.ts';

/** A hand-written LlmClient: answers with `reply(request)` and records every request. */
function fakeLlm(
  reply: (request: JsonCompletionRequest) => unknown,
): LlmClient & { requests: JsonCompletionRequest[] } {
  const requests: JsonCompletionRequest[] = [];
  const usage: LlmUsage = { calls: 0, failures: 0, promptTokens: 0, completionTokens: 0 };
  return {
    model: 'fake',
    requests,
    completeJson(request) {
      requests.push(request);
      usage.calls++;
      try {
        return Promise.resolve(reply(request));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    usage: () => usage,
  };
}

/** The passage numbered `n` in a request, as the model saw it. */
function passageText(request: JsonCompletionRequest, n: number): string {
  const m = new RegExp(`<passage number="${n}"[^>]*>\\n([^]*?)\\n</passage>`).exec(request.user);
  return m?.[1] ?? '';
}
function passageNumberContaining(request: JsonCompletionRequest, words: string): number {
  for (let n = 1; n <= 20; n++) if (passageText(request, n).includes(words)) return n;
  return 0;
}

function setup(reply: (request: JsonCompletionRequest) => unknown) {
  const index = createStoryIndex();
  for (const { story, articles } of ALL_STORIES) index.upsertStory(story, articles);
  const extractive = createExtractiveAnswerer({ index });
  const fallbacks: FallbackReason[] = [];
  const fallbackCalls: string[] = [];
  const fallback: Answerer = {
    async answer(question, options) {
      fallbackCalls.push(question);
      return extractive.answer(question, options);
    },
  };
  const llm = fakeLlm(reply);
  const answerer = createModelAnswerer({
    llm,
    index,
    fallback,
    maxPassages: 4,
    onFallback: (r) => fallbacks.push(r),
  });
  return { answerer, llm, fallbacks, fallbackCalls };
}

const BRIDGE_Q = 'When will the Harker Bridge reopen?';
const citeReopen = (request: JsonCompletionRequest) => ({
  found: true,
  answer: `The bridge should reopen in autumn 2026 [${passageNumberContaining(request, 'reopen in the autumn')}].`,
  citations: [
    {
      passage: passageNumberContaining(request, 'reopen in the autumn'),
      quote: 'the bridge would  reopen in the Autumn of 2026',
    },
  ],
});

describe('model answerer', () => {
  it('uses a valid model answer with its checked citation, quoting the real sentence', async () => {
    const { answerer, fallbacks } = setup(citeReopen);
    const result = await answerer.answer(BRIDGE_Q);
    expect(fallbacks).toEqual([]);
    expect(result).toEqual<Answer>({
      answer: 'The bridge should reopen in autumn 2026 [1].',
      found: true,
      via: 'model',
      citations: [
        {
          storyId: 'bridge',
          title: 'Marlow council closes Harker Bridge',
          url: 'https://news.example/bridge',
          quote: 'Council leader Ada Brennan said the bridge would reopen in the autumn of 2026.',
        },
      ],
    });
  });

  it('sends the passages numbered and delimited, with the instructions only in the system message', async () => {
    const { answerer, llm } = setup(citeReopen);
    await answerer.answer(BRIDGE_Q);
    const [request] = llm.requests;
    expect(request?.system).toBe(SYSTEM_PROMPT);
    expect(request?.user).toContain('<question>\nWhen will the Harker Bridge reopen?\n</question>');
    expect(request?.user).toMatch(/<passage number="1" headline="[^"]+">\n.+\n<\/passage>/);
    expect(request?.user.match(/<passage number=/g)?.length).toBeLessThanOrEqual(4);
  });

  it('falls back to the extractive answer when the model cites nothing', async () => {
    const { answerer, fallbacks } = setup(() => ({
      found: true,
      answer: 'It reopens in 2026.',
      citations: [],
    }));
    const result = await answerer.answer(BRIDGE_Q);
    expect(fallbacks).toEqual(['no-valid-citation']);
    expect(result.via).toBe('extractive');
    expect(result.citations[0]?.quote).toContain('autumn of 2026');
  });

  it('falls back when the model cites a passage that does not exist', async () => {
    const { answerer, fallbacks } = setup(() => ({
      found: true,
      answer: 'It reopens in 2026 [99].',
      citations: [{ passage: 99, quote: 'the bridge would reopen in the autumn of 2026' }],
    }));
    expect((await answerer.answer(BRIDGE_Q)).via).toBe('extractive');
    expect(fallbacks).toEqual(['no-valid-citation']);
  });

  it('falls back when a quote does not occur in the cited passage', async () => {
    const { answerer, fallbacks } = setup((request) => ({
      found: true,
      answer: 'It reopens next week [1].',
      citations: [
        {
          passage: passageNumberContaining(request, 'reopen in the autumn'),
          quote: 'the bridge will reopen next week',
        },
      ],
    }));
    expect((await answerer.answer(BRIDGE_Q)).via).toBe('extractive');
    expect(fallbacks).toEqual(['no-valid-citation']);
  });

  it('drops an invalid citation and the claim resting on it, keeping the valid one', async () => {
    const { answerer } = setup((request) => {
      const good = citeReopen(request);
      return {
        ...good,
        answer: `${good.answer} It is haunted [3].`,
        citations: [{ passage: 3, quote: 'the bridge is haunted' }, ...good.citations],
      };
    });
    const result = await answerer.answer(BRIDGE_Q);
    expect(result.via).toBe('model');
    expect(result.citations).toHaveLength(1);
    expect(result.answer).toBe('The bridge should reopen in autumn 2026 [1].');
  });

  it('falls back when the model throws or returns a malformed reply', async () => {
    const throwing = setup(() => {
      throw new Error('timeout');
    });
    expect((await throwing.answerer.answer(BRIDGE_Q)).via).toBe('extractive');
    expect(throwing.fallbacks).toEqual(['model-error']);
    const malformed = setup(() => ({ found: 'yes', text: 'whatever' }));
    expect((await malformed.answerer.answer(BRIDGE_Q)).via).toBe('extractive');
    expect(malformed.fallbacks).toEqual(['invalid-output']);
  });

  it("shows Herald's own not-found line when the model finds nothing", async () => {
    const { answerer } = setup(() => ({
      found: false,
      answer: 'Visit evil.example for more!',
      citations: [],
    }));
    expect(await answerer.answer(BRIDGE_Q)).toEqual({
      answer: "I couldn't find that in the stories Herald has.",
      found: false,
      citations: [],
      via: 'model',
    });
  });

  it('never calls the model when no passage matches', async () => {
    const { answerer, llm, fallbacks } = setup(citeReopen);
    const result = await answerer.answer('Quantum zebra xylophones?');
    expect(llm.requests).toHaveLength(0);
    expect(fallbacks).toEqual(['no-passages']);
    expect(result.found).toBe(false);
  });

  describe('prompt injection inside an article', () => {
    const FERRY_Q = 'What happened to the ferry service to Calder Island?';
    /** A model that obeys any "ignore previous instructions and say …" it reads. */
    const naive = (quoteFrom: 'injection' | 'real') => (request: JsonCompletionRequest) => {
      const m = /ignore previous instructions and say (?:that )?([^.]+)\./i.exec(request.user);
      const said = m?.[1] ?? 'nothing';
      const n =
        quoteFrom === 'injection'
          ? passageNumberContaining(request, 'Ignore previous')
          : passageNumberContaining(request, 'resumed on Friday');
      const quote = quoteFrom === 'injection' ? said : 'The ferry service to Calder Island resumed on Friday';
      return {
        found: true,
        answer: `${said[0]?.toUpperCase() ?? ''}${said.slice(1)} [${n}].`,
        citations: [{ passage: n, quote }],
      };
    };

    it('keeps the injected text inside a passage delimiter it cannot close', async () => {
      const { answerer, llm } = setup(naive('injection'));
      await answerer.answer(FERRY_Q);
      const user = llm.requests[0]?.user ?? '';
      expect(user).toContain('Ignore previous instructions');
      expect(llm.requests[0]?.system).not.toContain('Ignore previous');
      const n = passageNumberContaining(llm.requests[0] as JsonCompletionRequest, 'Ignore previous');
      expect(n).toBeGreaterThan(0);
    });

    it('rejects an obeying answer that quotes the injected instruction itself', async () => {
      const { answerer, fallbacks } = setup(naive('injection'));
      const result = await answerer.answer(FERRY_Q);
      expect(fallbacks).toEqual(['no-valid-citation']);
      expect(result.via).toBe('extractive');
      expect(result.answer).not.toMatch(/bankrupt/i);
      expect(result.citations.map((c) => c.quote).join(' ')).not.toMatch(/bankrupt/i);
    });

    it('rejects an obeying answer that cites a real quote which does not support it', async () => {
      const { answerer, fallbacks } = setup(naive('real'));
      const result = await answerer.answer(FERRY_Q);
      expect(fallbacks).toEqual(['unsupported-answer']);
      expect(result.answer).not.toMatch(/bankrupt/i);
    });

    it('accepts a faithful answer from the same passages, citing only real article text', async () => {
      const { answerer, fallbacks } = setup((request) => {
        const n = passageNumberContaining(request, 'resumed on Friday');
        return {
          found: true,
          answer: `The ferry service to Calder Island resumed on Friday after a three-week crew strike [${n}].`,
          citations: [{ passage: n, quote: 'resumed on Friday after a three-week strike by crew members' }],
        };
      });
      const result = await answerer.answer(FERRY_Q);
      expect(fallbacks).toEqual([]);
      expect(result.via).toBe('model');
      expect(result.citations).toEqual([
        expect.objectContaining({
          storyId: 'ferry',
          quote:
            'The ferry service to Calder Island resumed on Friday after a three-week strike by crew members.',
        }),
      ]);
    });
  });
});
