import { UserError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { StoryRepository } from '../../news/story-repository.ts';
import { isVisibleTo, type Audience } from '../../news/types.ts';
import type { Answer, Answerer } from './answer-types.ts';
import { isStoreReadError } from '../../store/record-store.ts';
import type { IndexSync } from '../retrieval/index-sync.ts';
import type { StoryIndex } from '../retrieval/story-index.ts';

export interface AskRequest {
  question: string;
  /** Keep to one story (scoped follow-up). */
  storyId?: string;
  userId: string;
  /** For the per-server rate limit. */
  guildId: string | undefined;
  /** Whose stories the answer may draw on (a server's own feeds stay in that server). */
  audience: Audience;
  /**
   * The one local user of the terminal chat, asking on their own machine: the limits that keep
   * a server's readers from flooding the shared model do not apply.
   */
  localUser?: boolean;
}

/** Answers from the cached stories, rate limited per user and guild (UserError when over). */
export interface AskService {
  ask(request: AskRequest): Promise<Answer>;
}

/** The rate limiter's verdict for one question. */
export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

export interface AskRateLimiter {
  check(userId: string, guildId?: string): Promise<RateDecision>;
}

export interface AskServiceWithIndex extends AskService {
  /**
   * Brings the persistent passage index up to date with what the store changed since it last
   * looked (after an ingest, at start, or after another instance's ingest); returns the
   * stories re-indexed. Nothing is rebuilt at start.
   */
  catchUp(): Promise<number>;
}

export function createAskService(options: {
  repository: StoryRepository;
  index: StoryIndex;
  sync: IndexSync;
  answerer: Answerer;
  limiter: AskRateLimiter;
  log: Logger;
}): AskServiceWithIndex {
  const { repository, index, answerer, limiter, sync, log } = options;

  return {
    async ask(request) {
      const question = request.question.trim();
      if (question.length < 3)
        throw new UserError('Ask a question in a few words, like "what did the central bank decide?"');
      const decision = request.localUser
        ? ({ ok: true } as const)
        : await limiter.check(request.userId, request.guildId);
      if (!decision.ok)
        throw new UserError(
          `You are asking faster than I can keep up with. Try again in ${Math.ceil(decision.retryAfterMs / 1000)} s.`,
        );
      // Cheap when nothing changed (one read of the change log); what another process stored
      // since is in the answer. Reading never needs to write: when the store cannot be
      // written (disk full, read-only) or read just now, the answer comes from the index as it is.
      // Damage (a change log that cannot be read) is not a passing fault: it is reported.
      await sync.catchUp().catch((error: unknown) => {
        if (isStoreReadError(error)) throw error;
        log.warn({ err: error }, 'answer index could not catch up; answering from it as it is');
      });
      if (request.storyId !== undefined) {
        const story = index.hasStory(request.storyId)
          ? await repository.getStory(request.storyId)
          : undefined;
        // Another server's own story reads exactly like one Herald does not have.
        if (!story || !isVisibleTo(story, request.audience))
          throw new UserError(
            // The terminal's local user has no list as you type.
            request.localUser
              ? 'I do not have that story. /brief shows the stories with their ids (s-…).'
              : 'I do not have that story. Pick one from the list as you type.',
          );
      }
      return answerer.answer(question, {
        audience: request.audience,
        ...(request.storyId !== undefined ? { storyId: request.storyId } : {}),
      });
    },
    catchUp: () => sync.catchUp(),
  };
}
