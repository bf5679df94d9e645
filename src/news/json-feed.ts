/**
 * JSON Feed 1.0 / 1.1 (https://jsonfeed.org) into the common feed shape, validated with zod
 * because the body comes from anywhere.
 */
import { z } from 'zod';
import { FeedError, plainText, toIsoDate } from './feed-common.ts';
import type { FeedItem, ParsedFeed } from './feed-common.ts';

const Author = z.object({ name: z.string().optional() }).loose();

const JsonFeedItem = z
  .object({
    id: z.union([z.string(), z.number()]).optional(),
    url: z.string().optional(),
    external_url: z.string().optional(),
    title: z.string().optional(),
    content_html: z.string().optional(),
    content_text: z.string().optional(),
    summary: z.string().optional(),
    image: z.string().optional(),
    banner_image: z.string().optional(),
    date_published: z.string().optional(),
    date_modified: z.string().optional(),
    author: Author.optional(),
    authors: z.array(Author).optional(),
  })
  .loose();

const JsonFeed = z
  .object({
    version: z.string().refine((version) => version.includes('jsonfeed.org'), 'not a JSON Feed version'),
    title: z.string().optional(),
    home_page_url: z.string().optional(),
    items: z.array(z.unknown()),
  })
  .loose();

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** content_text becomes simple paragraphs so every item carries HTML like the XML formats. */
function textToHtml(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => `<p>${escapeHtml(paragraph.trim())}</p>`)
    .join('\n');
}

function toItem(raw: z.infer<typeof JsonFeedItem>): FeedItem {
  const item: FeedItem = { title: plainText(raw.title) ?? '' };
  const link = raw.url ?? raw.external_url;
  if (link) item.link = link;
  if (raw.id !== undefined && String(raw.id).trim()) item.guid = String(raw.id);
  const published = toIsoDate(raw.date_published ?? raw.date_modified);
  if (published) item.publishedAt = published;
  if (raw.summary) item.summaryHtml = escapeHtml(raw.summary);
  const content = raw.content_html ?? (raw.content_text ? textToHtml(raw.content_text) : undefined);
  if (content) item.contentHtml = content;
  const image = raw.image ?? raw.banner_image;
  if (image) item.imageUrl = image;
  const author = plainText(raw.authors?.[0]?.name ?? raw.author?.name);
  if (author) item.author = author;
  return item;
}

/** Parses a JSON Feed document; items that do not match the schema are skipped, not fatal. */
export function readJsonFeed(text: string): ParsedFeed {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FeedError(
      `not a feed: malformed JSON (${error instanceof Error ? error.message : 'parse error'})`,
    );
  }
  const feed = JsonFeed.safeParse(json);
  if (!feed.success) throw new FeedError('not a feed: JSON without a JSON Feed "version" and "items"');
  const items = feed.data.items.flatMap((entry) => {
    const item = JsonFeedItem.safeParse(entry);
    return item.success ? [toItem(item.data)] : [];
  });
  const parsed: ParsedFeed = { title: plainText(feed.data.title) ?? '', items };
  if (feed.data.home_page_url) parsed.link = feed.data.home_page_url;
  return parsed;
}
