/**
 * Matches a batch of stories to channel feeds through two inverted indexes (topic key to feeds,
 * source name to feeds), so a batch costs what it matches rather than feeds x stories. A feed
 * with a topic is indexed by its topic and checks its source (if any) on the candidates; a feed
 * with only a source is indexed by the source. Include/exclude filters run last, on candidates.
 */
import { entityTopicKey } from '../brief/topics/entities.ts';
import { compileFeedFilters, createSharedFilterCompiler, type MatchText, type StoryFilter } from './filters.ts';

/** What matching needs of a feed. */
export interface MatchableFeed {
  id: string;
  topic?: { key: string };
  source?: string;
  include?: string;
  exclude?: string;
}

/** What matching needs of a story. */
export interface FeedMatchStory {
  id: string;
  /** Section and entity topic keys. */
  topics: readonly string[];
  /** Entity display names; folded with entityTopicKey like topic keys. */
  entities: readonly string[];
  sources: readonly { name: string }[];
}

export interface FeedMatcher {
  /** Feeds held (feeds whose stored filter no longer compiles are left out). */
  size(): number;
  /**
   * Per feed with at least one match, the matching story ids in batch order. `textOf` gives a
   * story's text for the filters; it is asked only for stories a filtered feed may take.
   */
  match(stories: readonly FeedMatchStory[], textOf: (story: FeedMatchStory) => MatchText): Map<string, string[]>;
}

interface IndexedFeed {
  id: string;
  /** Lower-case source name the story must carry, for a feed indexed by topic. */
  source: string | undefined;
  filter: StoryFilter | undefined;
}

export function sourceKey(name: string): string {
  return name.trim().toLowerCase();
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function createFeedMatcher(feeds: Iterable<MatchableFeed>, onBadFilter?: (feedId: string, error: unknown) => void): FeedMatcher {
  const byTopic = new Map<string, IndexedFeed[]>();
  const bySource = new Map<string, IndexedFeed[]>();
  const compile = createSharedFilterCompiler();
  let count = 0;
  for (const feed of feeds) {
    let filter: StoryFilter | undefined;
    try {
      filter = compileFeedFilters(feed, compile);
    } catch (error) {
      onBadFilter?.(feed.id, error);
      continue;
    }
    const source = feed.source === undefined ? undefined : sourceKey(feed.source);
    const topic = feed.topic === undefined ? '' : entityTopicKey(feed.topic.key);
    if (topic.length > 0) push(byTopic, topic, { id: feed.id, source, filter });
    else if (source !== undefined) push(bySource, source, { id: feed.id, source: undefined, filter });
    else continue;
    count += 1;
  }

  return {
    size: () => count,
    match(stories, textOf) {
      const result = new Map<string, string[]>();
      const seenStory = new Set<string>();
      for (const story of stories) {
        if (seenStory.has(story.id)) continue;
        seenStory.add(story.id);
        const sources = new Set(story.sources.map((source) => sourceKey(source.name)));
        const candidates: IndexedFeed[] = [];
        const keys = new Set<string>();
        for (const topic of story.topics) keys.add(entityTopicKey(topic));
        for (const entity of story.entities) keys.add(entityTopicKey(entity));
        for (const key of keys) {
          for (const feed of byTopic.get(key) ?? []) {
            if (feed.source === undefined || sources.has(feed.source)) candidates.push(feed);
          }
        }
        for (const source of sources) for (const feed of bySource.get(source) ?? []) candidates.push(feed);
        if (candidates.length === 0) continue;
        let text: MatchText | undefined;
        // A feed reached through two of the story's keys still takes the story once.
        const judged = new Set<string>();
        for (const feed of candidates) {
          if (judged.has(feed.id)) continue;
          judged.add(feed.id);
          if (feed.filter) {
            text ??= textOf(story);
            if (!feed.filter(text)) continue;
          }
          push(result, feed.id, story.id);
        }
      }
      return result;
    },
  };
}
