/**
 * Which stories a command needs, without reading every stored story: the catalog (see
 * story-catalog.ts) picks the ids, the store gives those stories. The listed finder does the
 * same over a plain list, for hand-written fakes and as the reference the catalog is held to.
 */
import type { Logger } from '../logger.ts';
import { isVisibleTo, type Audience, type Story } from '../news/types.ts';
import { isStoreReadError } from '../store/record-store.ts';
import { topicKeysOf, type CatalogQuery, type StoryCatalog } from './story-catalog.ts';

export type TopicRow = Pick<Story, 'topics' | 'entities'>;

export interface StoryFinder {
  /**
   * Visible stories newest first by publication (ties: id, descending), a page at a time
   * (`pageSize` stories, 200 unless a caller needs fewer, so it loads no more than it shows).
   */
  newest(query: CatalogQuery, pageSize?: number): AsyncIterable<Story[]>;
  /** At most `limit` visible stories carrying a topic key (a section key or a name's key), newest first. */
  carrying(topicKey: string, audience: Audience, limit: number): Promise<Story[]>;
  /** Visible stories whose title holds every word (or whose id starts with it), newest first. */
  titled(words: readonly string[], audience: Audience, limit: number): Promise<Story[]>;
  /** The sections and names of every visible story (what /topics counts). */
  topicRows(audience: Audience): Promise<TopicRow[]>;
  /** How many visible stories carry each of these sections, without reading the stories. */
  sectionCounts(audience: Audience, sectionKeys: readonly string[]): Promise<Map<string, number>>;
  count(): Promise<number>;
}

const PAGE = 200;

export function createCatalogStoryFinder(deps: {
  catalog: StoryCatalog;
  stories: { getStory(id: string): Promise<Story | undefined> };
  /** Brings the catalog up to date with the store (the answer index's catch-up). */
  catchUp: () => Promise<unknown>;
  log: Logger;
}): StoryFinder {
  const { catalog } = deps;
  /** Best effort: a store that cannot be written still answers from what the catalog holds. */
  async function current(): Promise<void> {
    await deps.catchUp().catch((error: unknown) => {
      // Damage (a change log that cannot be read) is reported, not read past.
      if (isStoreReadError(error)) throw error;
      deps.log.warn({ err: error }, 'story catalog could not catch up; reading what it holds');
    });
  }
  async function load(ids: readonly string[]): Promise<Story[]> {
    const stories = await Promise.all(ids.map((id) => deps.stories.getStory(id)));
    // A story deleted since the catalog last caught up is skipped.
    return stories.filter((story): story is Story => story !== undefined);
  }
  return {
    async *newest(query, pageSize = PAGE) {
      await current();
      let after: { publishedMs: number; storyId: string } | undefined;
      for (;;) {
        const rows = catalog.page(query, pageSize, after);
        if (rows.length === 0) return;
        const page = await load(rows.map((row) => row.storyId));
        if (page.length > 0) yield page;
        const last = rows[rows.length - 1];
        if (last === undefined || rows.length < pageSize) return;
        after = last;
      }
    },
    async carrying(topicKey, audience, limit) {
      await current();
      return load(catalog.page({ audience, topicKey }, limit).map((row) => row.storyId));
    },
    async titled(words, audience, limit) {
      await current();
      return load(catalog.titled(words, audience, limit));
    },
    async topicRows(audience) {
      await current();
      return catalog.topicRows(audience);
    },
    async sectionCounts(audience, sectionKeys) {
      await current();
      return catalog.sectionCounts(audience, sectionKeys);
    },
    async count() {
      await current();
      return catalog.count();
    },
  };
}

const newestFirst = (a: Story, b: Story): number => {
  const byTime = (Date.parse(b.publishedAt) || 0) - (Date.parse(a.publishedAt) || 0);
  return byTime !== 0 ? byTime : b.id < a.id ? -1 : b.id > a.id ? 1 : 0;
};

/** The same answers over a plain list of stories. */
export function createListedStoryFinder(list: () => Promise<readonly Story[]>): StoryFinder {
  async function matching(
    audience: Audience,
    keep: (story: Story) => boolean = () => true,
  ): Promise<Story[]> {
    return (await list()).filter((story) => isVisibleTo(story, audience) && keep(story)).sort(newestFirst);
  }
  return {
    async *newest(query, pageSize = PAGE) {
      const found = await matching(
        query.audience,
        (story) =>
          (!query.excludeBacklog || story.backlog !== true) &&
          (query.firstSeenAfterMs === undefined ||
            (Date.parse(story.firstSeenAt) || 0) > query.firstSeenAfterMs) &&
          (query.topicKey === undefined || topicKeysOf(story).includes(query.topicKey)),
      );
      for (let i = 0; i < found.length; i += pageSize) yield found.slice(i, i + pageSize);
    },
    async carrying(topicKey, audience, limit) {
      return (await matching(audience, (story) => topicKeysOf(story).includes(topicKey))).slice(0, limit);
    },
    async titled(words, audience, limit) {
      const folded = words.map((word) => word.toLowerCase());
      return (
        await matching(audience, (story) =>
          folded.every(
            (word, i) => story.title.toLowerCase().includes(word) || story.id.startsWith(words[i] ?? ''),
          ),
        )
      ).slice(0, limit);
    },
    async topicRows(audience) {
      return (await matching(audience)).map((story) => ({ topics: story.topics, entities: story.entities }));
    },
    async sectionCounts(audience, sectionKeys) {
      const visible = await matching(audience);
      return new Map(
        sectionKeys.map((key) => [key, visible.filter((story) => story.topics.includes(key)).length]),
      );
    },
    count: async () => (await list()).length,
  };
}
