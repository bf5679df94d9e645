/**
 * The summary every reader of a story sees, whichever summarizer made it, and the
 * Summarizer port. Stored summaries carry a schema version so a later shape can migrate old
 * records on read instead of failing on them.
 */
import { z } from 'zod';

export const STORY_SUMMARY_VERSION = 1;

export const storySummarySchema = z.object({
  /** Schema version of the stored record. */
  v: z.literal(STORY_SUMMARY_VERSION),
  /** A short headline; the article title for extractive summaries. */
  headline: z.string().min(1).max(256),
  /** 2–4 sentences of prose, in reading order, that together fit an embed description. */
  sentences: z.array(z.string().min(1)).min(1).max(4),
  /** 2–4 short bullets (model summaries). */
  bullets: z.array(z.string().min(1)).max(4).optional(),
  /** One line on why the story matters (model summaries). */
  whyItMatters: z.string().min(1).optional(),
  /** Sentences carrying numbers and names, for /story. */
  keyFacts: z.array(z.string()),
  /** Lower-case topic keys. */
  topics: z.array(z.string()),
  /** Named people, places and organizations as written in the article. */
  entities: z.array(z.string()),
  summarizer: z.enum(['extractive', 'model']),
  /** Model name when summarizer is 'model'. */
  model: z.string().optional(),
  /** Prompt version when summarizer is 'model'. */
  promptVersion: z.string().optional(),
});

/** A story's summary. `sentences` always exists so every renderer has prose to show. */
export type StorySummary = z.infer<typeof storySummarySchema>;

/** Parses a stored value; returns undefined for anything that is not a current summary. */
export function parseStoredSummary(value: unknown): StorySummary | undefined {
  const parsed = storySummarySchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** What a summarizer reads: the cleaned article, never HTML. */
export interface SummaryInput {
  title: string;
  paragraphs: string[];
  /** Section label such as "World"; context only. */
  label?: string;
  /** Dateline place such as "MOSCOW"; context only. */
  dateline?: string;
}

/** Turns one article into a summary. Implementations must not throw for ordinary text. */
export interface Summarizer {
  /** Identifies the kind for cache keys: 'extractive' or 'model'. */
  readonly id: 'extractive' | 'model';
  /** The model name for cache keys ('' when none). */
  readonly model: string;
  /** The prompt version for cache keys ('' when none). */
  readonly promptVersion: string;
  summarize(input: SummaryInput): Promise<StorySummary>;
}
