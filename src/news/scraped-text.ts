/**
 * Pasted or scraped article text (.txt), in the shape sites that republish wire stories give:
 *
 *   Featured                       <- optional section label
 *   Headline of the story          <- headline
 *   MOSCOW — First paragraph …     <- dateline lead
 *   More paragraphs …
 *   Copyright © 2026 Publisher     <- boilerplate, removed by the cleaning pass
 *
 * Paragraphs are lines; blank lines are optional. Hard-wrapped text (a sentence broken over
 * several lines) is joined back first.
 */
import type { CleanArticle } from './types.ts';
import {
  cleanParagraphs,
  isBoilerplateLine,
  normalizeWhitespace,
  parseDateline,
  wordCount,
} from './text-clean.ts';

const MAX_LABEL_WORDS = 4;
const MAX_LABEL_CHARS = 32;
const MAX_HEADLINE_CHARS = 220;
/** A single block longer than this is split into paragraphs of a few sentences. */
const LONG_BLOCK_CHARS = 1200;

/** Joins lines that a fixed-width wrap broke mid-sentence. */
function unwrap(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const previous = out[out.length - 1];
    const wrapped =
      previous !== undefined &&
      previous.length >= 50 &&
      !/[.!?:;"”’)\]]$/.test(previous) &&
      /^[\p{Ll}\p{N}(“"']/u.test(line);
    if (wrapped) out[out.length - 1] = `${previous} ${line}`;
    else out.push(line);
  }
  return out;
}

/** Splits one very long block (text pasted without line breaks) at sentence ends. */
function splitLongBlock(text: string): string[] {
  if (text.length <= LONG_BLOCK_CHARS) return [text];
  const sentences = text.match(/[^.!?]+(?:[.!?]+["”’)]*\s+|[.!?]*["”’)]*$)/g) ?? [text];
  const paragraphs: string[] = [];
  let current = '';
  for (const sentence of sentences) {
    current += sentence;
    if (current.length >= 400) {
      paragraphs.push(current.trim());
      current = '';
    }
  }
  if (current.trim()) paragraphs.push(current.trim());
  return paragraphs;
}

function looksLikeLabel(line: string, next: string | undefined): boolean {
  if (next === undefined) return false;
  const words = wordCount(line);
  return (
    words >= 1 &&
    words <= MAX_LABEL_WORDS &&
    line.length <= MAX_LABEL_CHARS &&
    !/[.!?:,;]$/.test(line) &&
    looksLikeHeadline(next)
  );
}

function looksLikeHeadline(line: string): boolean {
  if (line.length > MAX_HEADLINE_CHARS || wordCount(line) < 2) return false;
  // A dateline lead is the body, not the headline.
  const dateline = parseDateline(line);
  if (dateline.place || dateline.agency) return false;
  // Headlines rarely end in a full stop; a one-sentence line ending in "." is body text.
  return !/[^.]\.$/.test(line) || wordCount(line) <= 14;
}

/** Derives a title from the first sentence when the text has no headline line. */
function titleFromText(text: string): string {
  const sentence = /^(.{20,200}?[.!?])(\s|$)/.exec(text)?.[1] ?? text;
  return sentence.length > 160 ? `${sentence.slice(0, 157).replace(/\s+\S*$/, '')}…` : sentence;
}

/** Parses pasted article text; returns an article with no paragraphs for empty input. */
export function parseScrapedText(text: string): CleanArticle {
  const lines = unwrap(
    text
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .map(normalizeWhitespace)
      .filter((line) => line.length > 0),
  ).flatMap(splitLongBlock);

  // Leading boilerplate (a byline or "Share" line above the headline) is not the headline.
  while (lines.length > 0 && isBoilerplateLine(lines[0] ?? '')) lines.shift();

  let label: string | undefined;
  let title: string | undefined;
  if (looksLikeLabel(lines[0] ?? '', lines[1]) && lines.length > 2) {
    label = lines.shift();
  }
  if (lines.length > 1 && looksLikeHeadline(lines[0] ?? '')) title = lines.shift();

  const paragraphs = cleanParagraphs(lines);
  const article: CleanArticle = { title: title ?? '', paragraphs };
  const first = paragraphs[0];
  if (first !== undefined) {
    const dateline = parseDateline(first);
    if (dateline.place) article.dateline = dateline.place;
    if (dateline.place || dateline.agency) {
      if (dateline.rest) paragraphs[0] = dateline.rest;
      else paragraphs.shift();
    }
    if (!title && paragraphs[0]) article.title = titleFromText(paragraphs[0]);
  }
  if (label) article.label = label;
  return article;
}
