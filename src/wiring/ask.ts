import { createAskService, type AskServiceWithIndex } from '../brief/ask-service.ts';
import { createExtractiveAnswerer } from '../brief/answer/extractive-answerer.ts';
import { createModelAnswerer } from '../brief/answer/model-answerer.ts';
import { createRateLimiter } from '../brief/answer/rate-limit.ts';
import type { Answerer } from '../brief/answer/answer-types.ts';
import { createStoryIndex } from '../brief/retrieval/story-index.ts';
import type { HeraldConfig } from '../config/schema.ts';
import type { LlmClient } from '../llm/types.ts';
import type { Logger } from '../logger.ts';
import type { StoryRepository } from '../news/story-repository.ts';

/** The answer index, the extractive answerer, the model in front of it when configured. */
export function buildAsk(options: { config: HeraldConfig; repository: StoryRepository; llm: LlmClient | undefined; log: Logger; now: () => number }): AskServiceWithIndex {
  const { config } = options;
  const index = createStoryIndex();
  const extractive = createExtractiveAnswerer({ index });
  const answerer: Answerer = options.llm
    ? createModelAnswerer({ llm: options.llm, index, fallback: extractive, maxPassages: config.ask.maxPassages })
    : extractive;
  const limiter = createRateLimiter({
    perUser: { limit: config.ask.perUser.limit, windowMs: config.ask.perUser.windowSeconds * 1000 },
    perGuild: { limit: config.ask.perGuild.limit, windowMs: config.ask.perGuild.windowSeconds * 1000 },
    now: options.now,
  });
  return createAskService({ repository: options.repository, index, answerer, limiter, log: options.log });
}
