/** Shapes and helpers shared by the XML and JSON feed readers. */
import { decodeCharacterReferences } from './text-clean.ts';

/** One entry of a feed, before cleaning. HTML fields are raw markup from the feed. */
export interface FeedItem {
  title: string;
  link?: string;
  guid?: string;
  /** ISO-8601. */
  publishedAt?: string;
  summaryHtml?: string;
  contentHtml?: string;
  imageUrl?: string;
  author?: string;
}

/** A parsed feed. */
export interface ParsedFeed {
  title: string;
  link?: string;
  items: FeedItem[];
}

/** The body could not be read as a feed; the message says why, for the source's status. */
export class FeedError extends Error {
  override readonly name = 'FeedError';
}

/** Plain single-line text: markup from over-eager feeds removed, spacing collapsed. */
export function plainText(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // Titles are often escaped twice ("&amp;amp;", "&#x0024;"): what remains after the XML
  // decoding is HTML, and its references are decoded like a browser would show them.
  const text = decodeCharacterReferences(value.replace(/<[^>]{0,500}>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
  return text || undefined;
}

/** ISO-8601 from RFC 822 ("Tue, 03 Mar 2026 10:00:00 GMT") or ISO input; undefined if unreadable. */
export function toIsoDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const time = Date.parse(value.trim());
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
