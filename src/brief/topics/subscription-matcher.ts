/**
 * Matches new stories to topic subscriptions through an inverted index (topic key to the
 * users following it), so a batch costs what it delivers, not subscriptions x stories.
 */
import { entityMatchKeys, entityTopicKey } from './entities.ts';

/** A reader following one topic: a section key or an entity name. */
export interface TopicSubscription {
  id: string;
  userId: string;
  topicKey: string;
}

/** What matching needs of a story. */
export interface MatchableStory {
  id: string;
  /** Section and entity topic keys. */
  topics: string[];
  /** Entity display names; each matches under its key and its short forms ("Putin" for "Vladimir Putin"). */
  entities: string[];
}

/** An in-memory index of subscriptions. */
export interface SubscriptionMatcher {
  /** Adds or replaces (by id) a subscription. */
  add(sub: TopicSubscription): void;
  /** Removes a subscription; false when there was none with that id. */
  remove(id: string): boolean;
  /** Number of subscriptions held. */
  size(): number;
  /**
   * For each subscriber with at least one matching story, the matching story ids in batch
   * order, each once however many of the subscriber's topics it matches.
   */
  match(stories: MatchableStory[]): Map<string, string[]>;
}

export function createSubscriptionMatcher(): SubscriptionMatcher {
  const byId = new Map<string, { userId: string; key: string }>();
  // topic key -> userId -> how many of that user's subscriptions use the key (ids differ).
  const index = new Map<string, Map<string, number>>();

  function unlink(key: string, userId: string): void {
    const users = index.get(key);
    if (!users) return;
    const n = (users.get(userId) ?? 0) - 1;
    if (n > 0) users.set(userId, n);
    else users.delete(userId);
    if (users.size === 0) index.delete(key);
  }

  return {
    add(sub) {
      // Folding on read migrates keys stored under an older folding ("syria’s" is "syria").
      const key = entityTopicKey(sub.topicKey);
      if (key.length === 0) return;
      const old = byId.get(sub.id);
      if (old) unlink(old.key, old.userId);
      byId.set(sub.id, { userId: sub.userId, key });
      const users = index.get(key) ?? new Map<string, number>();
      users.set(sub.userId, (users.get(sub.userId) ?? 0) + 1);
      index.set(key, users);
    },
    remove(id) {
      const old = byId.get(id);
      if (!old) return false;
      byId.delete(id);
      unlink(old.key, old.userId);
      return true;
    },
    size: () => byId.size,
    match(batch) {
      // A story listed twice in one batch is still delivered once.
      const seenIds = new Set<string>();
      const stories = batch.filter((s) => !seenIds.has(s.id) && seenIds.add(s.id));
      // Group the batch by key first, so each key's follower list is walked once per batch.
      const storiesByKey = new Map<string, number[]>();
      stories.forEach((story, position) => {
        const keys = new Set<string>();
        for (const t of story.topics) keys.add(entityTopicKey(t));
        for (const e of story.entities) for (const key of entityMatchKeys(e)) keys.add(key);
        for (const key of keys) {
          if (!index.has(key)) continue;
          const list = storiesByKey.get(key);
          if (list) list.push(position);
          else storiesByKey.set(key, [position]);
        }
      });
      const idOf = (p: number): string => (stories[p] as MatchableStory).id;
      const idsOf = new Map<number[], string[]>();
      const listsPerUser = new Map<string, number[][]>();
      for (const [key, positions] of storiesByKey) {
        idsOf.set(positions, positions.map(idOf));
        for (const userId of index.get(key)?.keys() ?? []) {
          const lists = listsPerUser.get(userId);
          if (lists) lists.push(positions);
          else listsPerUser.set(userId, [positions]);
        }
      }
      // A user reached through one key (the common case) takes that key's list as is; lists
      // of several keys are merged, deduplicated with a stamp per story rather than a Set.
      const stamp = new Int32Array(stories.length);
      let round = 0;
      const result = new Map<string, string[]>();
      for (const [userId, lists] of listsPerUser) {
        const first = lists[0];
        if (lists.length === 1 && first) {
          // A copy, so a caller editing one user's list cannot change another's.
          result.set(userId, (idsOf.get(first) ?? first.map(idOf)).slice());
          continue;
        }
        round++;
        const merged: number[] = [];
        for (const list of lists) {
          for (const p of list) {
            if (stamp[p] === round) continue;
            stamp[p] = round;
            merged.push(p);
          }
        }
        result.set(userId, merged.sort((a, b) => a - b).map(idOf));
      }
      return result;
    },
  };
}
