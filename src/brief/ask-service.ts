import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { StoryRepository } from '../news/story-repository.ts';
import { isVisibleTo } from '../news/types.ts';
import type { AskService } from '../services.ts';
import type { Answerer } from './answer/answer-types.ts';
import type { StoryIndex } from './retrieval/story-index.ts';

/** The rate limiter's verdict for one question. */
export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

export interface AskRateLimiter {
  check(userId: string, guildId?: string): RateDecision;
}

export interface AskServiceWithIndex extends AskService {
  /** Rebuilds the passage index from the store (at start); returns the stories indexed. */
  rebuild(): Promise<number>;
  /** Re-indexes these stories after an ingest, or drops them when they are gone. */
  refresh(storyIds: readonly string[]): Promise<void>;
}

export function createAskService(options: {
  repository: StoryRepository;
  index: StoryIndex;
  answerer: Answerer;
  limiter: AskRateLimiter;
  log: Logger;
}): AskServiceWithIndex {
  const { repository, index, answerer, limiter } = options;
  // Built on first use when nothing built it at start (the command line never starts jobs).
  let built: Promise<number> | undefined;

  async function refresh(storyIds: readonly string[]): Promise<void> {
    for (const id of storyIds) {
      const story = await repository.getStory(id);
      if (!story) index.removeStory(id);
      else index.upsertStory(story, await repository.articlesOf(story));
    }
  }

  async function rebuild(): Promise<number> {
    const stories = await repository.listStories();
    for (const story of stories) index.upsertStory(story, await repository.articlesOf(story));
    options.log.info({ stories: stories.length, passages: index.size() }, 'answer index built');
    return stories.length;
  }

  return {
    async ask(request) {
      const question = request.question.trim();
      if (question.length < 3) throw new UserError('Ask a question in a few words, like "what did the central bank decide?"');
      const decision = limiter.check(request.userId, request.guildId);
      if (!decision.ok) throw new UserError(`You are asking faster than I can keep up with. Try again in ${Math.ceil(decision.retryAfterMs / 1000)} s.`);
      await (built ??= rebuild());
      if (request.storyId !== undefined) {
        if (!index.hasStory(request.storyId)) await refresh([request.storyId]);
        const story = index.hasStory(request.storyId) ? await repository.getStory(request.storyId) : undefined;
        // Another server's own story reads exactly like one Herald does not have.
        if (!story || !isVisibleTo(story, request.audience)) throw new UserError('I do not have that story. Pick one from the list as you type.');
      }
      return answerer.answer(question, { audience: request.audience, ...(request.storyId !== undefined ? { storyId: request.storyId } : {}) });
    },
    rebuild() {
      built = rebuild();
      return built;
    },
    refresh,
  };
}
