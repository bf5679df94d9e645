import { z } from 'zod';
import type { RecordCodec } from '../store/record-store.ts';
import type { Story, StoredArticle } from './types.ts';

const sourceRef = z.object({ name: z.string(), url: z.string().exactOptional() });

export const storedArticleSchema: z.ZodType<StoredArticle> = z.object({
  id: z.string(),
  title: z.string(),
  label: z.string().exactOptional(),
  dateline: z.string().exactOptional(),
  byline: z.string().exactOptional(),
  paragraphs: z.array(z.string()),
  url: z.string().exactOptional(),
  guid: z.string().exactOptional(),
  publishedAt: z.string().exactOptional(),
  imageUrl: z.string().exactOptional(),
  siteName: z.string().exactOptional(),
  source: sourceRef,
  storyId: z.string(),
  contentHash: z.string(),
  fetchedAt: z.string(),
  sourceTopics: z.array(z.string()),
});

export const storySchema: z.ZodType<Story> = z.object({
  id: z.string(),
  title: z.string(),
  url: z.string().exactOptional(),
  articleIds: z.array(z.string()),
  sources: z.array(sourceRef),
  publishedAt: z.string(),
  firstSeenAt: z.string(),
  updatedAt: z.string(),
  contentHash: z.string(),
  topics: z.array(z.string()),
  entities: z.array(z.string()),
  sourceWeight: z.number(),
  featured: z.boolean(),
  imageUrl: z.string().exactOptional(),
  backlog: z.boolean().exactOptional(),
  sample: z.boolean().exactOptional(),
  guildIds: z.array(z.string()).exactOptional(),
});

export const storyCodec: RecordCodec<Story> = { version: 1, schema: storySchema };
export const articleCodec: RecordCodec<StoredArticle> = { version: 1, schema: storedArticleSchema };
