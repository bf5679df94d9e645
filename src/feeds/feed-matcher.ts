/**
 * Matches a batch of stories to channel feeds through two inverted indexes (topic key to feeds,
 * source name to feeds), so a batch costs what it matches rather than feeds x stories. A feed
 * with a topic is indexed by its topic and checks its source (if any) on the candidates; a feed
 * with only a source is indexed by the source. Include/exclude filters run last, on candidates.
 */
import { entityTopicKey } from '../brief/topics/entities.ts';
import {
  compileFeedFilters,
  createSharedFilterCompiler,
  type MatchText,
  type StoryFilter,
} from './filters.ts';

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
  /** Ids of the stories some feed with a filter may take: the only ones `match` asks text of. */
  needText(stories: readonly FeedMatchStory[]): Set<string>;
  /**
   * Per feed with at least one match, the matching story ids in batch order. `textOf` gives a
   * story's text for the filters; it is asked only for stories a filtered feed may take.
   */
  match(
    stories: readonly FeedMatchStory[],
    textOf: (story: FeedMatchStory) => MatchText,
  ): Map<string, string[]>;
}

interface IndexedFeed {
  /** Position in the index, for a per-story stamp instead of a set. */
  slot: number;
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

export function createFeedMatcher(
  feeds: Iterable<MatchableFeed>,
  onBadFilter?: (feedId: string, error: unknown) => void,
): FeedMatcher {
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
    if (topic.length > 0) push(byTopic, topic, { slot: count, id: feed.id, source, filter });
    else if (source !== undefined)
      push(bySource, source, { slot: count, id: feed.id, source: undefined, filter });
    else continue;
    count += 1;
  }

  return {
    size: () => count,
    needText(stories) {
      const wanted = new Set<string>();
      for (const story of stories) {
        const sources = story.sources.map((source) => sourceKey(source.name));
        const filtered = (feed: IndexedFeed): boolean =>
          feed.filter !== undefined && (feed.source === undefined || sources.includes(feed.source));
        const keys = [...story.topics, ...story.entities].map((text) => entityTopicKey(text));
        if (
          keys.some((key) => (byTopic.get(key) ?? []).some(filtered)) ||
          sources.some((source) => (bySource.get(source) ?? []).some(filtered))
        ) {
          wanted.add(story.id);
        }
      }
      return wanted;
    },
    match(stories, textOf) {
      const result = new Map<string, string[]>();
      const seenStory = new Set<string>();
      // stamp[slot] === round: the feed was already judged for this story (reached by two keys).
      const stamp = new Int32Array(count);
      let round = 0;
      // Stories repeat names and topics: fold each spelling once per batch.
      const folded = new Map<string, string>();
      const fold = (text: string): string => {
        let key = folded.get(text);
        if (key === undefined) {
          key = entityTopicKey(text);
          folded.set(text, key);
        }
        return key;
      };
      const judge = (feed: IndexedFeed, story: FeedMatchStory, text: () => MatchText): void => {
        if (stamp[feed.slot] === round) return;
        stamp[feed.slot] = round;
        if (feed.filter && !feed.filter(text())) return;
        push(result, feed.id, story.id);
      };
      for (const story of stories) {
        if (seenStory.has(story.id)) continue;
        seenStory.add(story.id);
        round += 1;
        let matchable: MatchText | undefined;
        const text = (): MatchText => (matchable ??= textOf(story));
        const sources = story.sources.map((source) => sourceKey(source.name));
        const keys = new Set<string>();
        for (const topic of story.topics) keys.add(fold(topic));
        for (const entity of story.entities) keys.add(fold(entity));
        for (const key of keys) {
          for (const feed of byTopic.get(key) ?? []) {
            if (feed.source === undefined || sources.includes(feed.source)) judge(feed, story, text);
          }
        }
        for (const source of new Set(sources))
          for (const feed of bySource.get(source) ?? []) judge(feed, story, text);
      }
      return result;
    },
  };
}
