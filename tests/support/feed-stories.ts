// Stories for the channel feed tests: a shelf the tests add to and update (as an ingest would),
// and a summary per story made from its text, as the extractive summarizer would.
import { createListedStoryFinder } from '../../src/brief/story-finder.ts';
import type { StorySummary } from '../../src/brief/summary-types.ts';
import { createGuildNotifier, type GuildNotifier } from '../../src/delivery/notices.ts';
import type { DeliveryTransport } from '../../src/delivery/sink.ts';
import type { StoreBackend } from '../../src/store/backend.ts';
import type { FeedStories } from '../../src/feeds/feed-service.ts';
import type { Story } from '../../src/news/types.ts';
import { testCourier } from './test-courier.ts';
import { noticeText, surfaceWords } from '../../src/render/delivery-words.ts';

export interface StoryInput {
  title?: string;
  topics?: string[];
  entities?: string[];
  sources?: string[];
  /** The summary's sentences. */
  text?: string[];
  firstSeenAt?: string;
  publishedAt?: string;
  backlog?: boolean;
  imageUrl?: string;
}

export interface StoryShelf extends FeedStories {
  /** Adds or replaces a story; returns its id (what the ingest's change notification carries). */
  put(id: string, input?: StoryInput): string;
  summaryOf(story: Story): Promise<StorySummary>;
}

export function createStoryShelf(now: () => number = Date.now): StoryShelf {
  const stories = new Map<string, Story>();
  const texts = new Map<string, string[]>();
  return {
    put(id, input = {}) {
      const at = new Date(now()).toISOString();
      const sources = (input.sources ?? ['Example News']).map((name) => ({
        name,
        url: `https://${name.toLowerCase().replace(/\s+/g, '-')}.example`,
      }));
      const text = input.text ?? [`What happened in ${id}.`];
      texts.set(id, text);
      stories.set(id, {
        id,
        title: input.title ?? `Story ${id}`,
        url: `https://news.example/${id}`,
        articleIds: sources.map((_, index) => `a-${id}-${index}`),
        sources,
        publishedAt: input.publishedAt ?? input.firstSeenAt ?? at,
        firstSeenAt: input.firstSeenAt ?? at,
        updatedAt: at,
        contentHash: `h-${id}-${text.join('|').length}-${text.length}`,
        topics: input.topics ?? ['science'],
        entities: input.entities ?? [],
        sourceWeight: 1,
        featured: false,
        ...(input.backlog ? { backlog: true } : {}),
        ...(input.imageUrl ? { imageUrl: input.imageUrl } : {}),
      });
      return id;
    },
    async getStory(id) {
      return stories.get(id);
    },
    ...createListedStoryFinder(async () => [...stories.values()]),
    async summaryOf(story) {
      return {
        v: 1,
        headline: story.title,
        sentences: texts.get(story.id) ?? [story.title],
        keyFacts: [],
        topics: [],
        entities: [],
        summarizer: 'extractive',
      };
    },
  };
}

/** The guild notifier as the composition root builds it, on a test store and the transport's sink. */
export function testNotifier(
  backend: StoreBackend,
  transport: DeliveryTransport,
  now: () => number = Date.now,
): GuildNotifier {
  return createGuildNotifier({
    courier: testCourier(backend, transport.sink, { now }),
    access: transport.access,
    word: (notice) => noticeText(notice, surfaceWords(transport.sink.surface)),
    log: { info: () => {}, warn: () => {}, error: () => {} },
  });
}
