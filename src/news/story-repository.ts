import type { RecordStore } from '../store/types.ts';
import type { Story, StoredArticle } from './types.ts';

/**
 * Stories and their articles, the cached article store every reader works from. Reads go to
 * the store each time, so several instances sharing Redis see each other's ingests.
 */
export interface StoryRepository {
  getStory(id: string): Promise<Story | undefined>;
  getArticle(id: string): Promise<StoredArticle | undefined>;
  /** The story's articles in the order they were merged in; missing ones are skipped. */
  articlesOf(story: Story): Promise<StoredArticle[]>;
  listStories(): Promise<Story[]>;
  countStories(): Promise<number>;
  putStory(story: Story): Promise<void>;
  putArticle(article: StoredArticle): Promise<void>;
  deleteStory(story: Story): Promise<void>;
}

export function createStoryRepository(stores: { stories: RecordStore<Story>; articles: RecordStore<StoredArticle> }): StoryRepository {
  const { stories, articles } = stores;
  return {
    getStory: (id) => stories.get(id),
    getArticle: (id) => articles.get(id),
    async articlesOf(story) {
      const found = await Promise.all(story.articleIds.map((id) => articles.get(id)));
      return found.filter((article): article is StoredArticle => article !== undefined);
    },
    async listStories() {
      const all: Story[] = [];
      for await (const [, story] of stories.entries()) all.push(story);
      return all;
    },
    async countStories() {
      let count = 0;
      for await (const _entry of stories.entries()) count += 1;
      return count;
    },
    putStory: (story) => stories.set(story.id, story),
    putArticle: (article) => articles.set(article.id, article),
    async deleteStory(story) {
      for (const id of story.articleIds) await articles.delete(id);
      await stories.delete(story.id);
    },
  };
}

/** The article a story is summarized from: the fullest copy. */
export function representativeArticle(articles: readonly StoredArticle[]): StoredArticle | undefined {
  let best: StoredArticle | undefined;
  let bestLength = -1;
  for (const article of articles) {
    const length = article.paragraphs.reduce((sum, p) => sum + p.length, 0);
    if (length > bestLength) {
      best = article;
      bestLength = length;
    }
  }
  return best;
}
