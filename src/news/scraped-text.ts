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
import { splitSentences } from '../text/sentences.ts';
import { takeLeadingMetadata } from './text-metadata.ts';

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
  const paragraphs: string[] = [];
  let current = '';
  for (const sentence of splitSentences(text)) {
    current = current === '' ? sentence : `${current} ${sentence}`;
    if (current.length >= 400) {
      paragraphs.push(current);
      current = '';
    }
  }
  if (current !== '') paragraphs.push(current);
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

const MAX_DERIVED_TITLE_CHARS = 160;
const MIN_TITLE_WORDS = 4;

/**
 * The headline of a text that has none: its first whole sentence (the text keeps it), shortened
 * at a word with an ellipsis when it is very long.
 */
function titleFromText(text: string): string {
  // "Anthrax. Smallpox. A deadly strain …": a lead of one-word sentences reads on into the next.
  const sentences = splitSentences(text);
  let sentence = sentences.shift() ?? text;
  while (wordCount(sentence) < MIN_TITLE_WORDS && sentences.length > 0) sentence += ` ${sentences.shift()}`;
  if (sentence.length <= MAX_DERIVED_TITLE_CHARS) return sentence;
  return `${sentence.slice(0, MAX_DERIVED_TITLE_CHARS - 3).replace(/\s+\S*$/u, '')}…`;
}

/**
 * "Washington (CNN) -- …", "Des Moines, Iowa (CNN)Martin …", "(CNN)The …": a dateline whose
 * place is not in capitals, or a credit glued to the text, which the shared parser leaves alone.
 * The credit in brackets, then a dash or a word glued to it, makes it a dateline; "The World
 * Health Organization (WHO) said" has neither.
 */
const CREDITED_DATELINE =
  /^((?:(?:[\p{Lu}][\p{L}.'’-]*\s+){0,3}[\p{Lu}][\p{L}.'’-]*(?:,\s*[\p{Lu}][\p{L}.'’-]*(?:\s+[\p{Lu}][\p{L}.'’-]*){0,2})?)?)\s*\(([\p{Lu}][\p{L} ]{1,20})\)(?:\s*(?:—|–|--|-)\s+|(?=[\p{Lu}“"‘'\d]))/u;

function splitDateline(first: string): { place?: string; agency?: string; rest: string } {
  const shared = parseDateline(first);
  if (shared.place || shared.agency) return shared;
  const credited = CREDITED_DATELINE.exec(first);
  if (!credited) return shared;
  const rest = first.slice(credited[0].length);
  const place = credited[1]?.trim();
  return place ? { place, agency: credited[2] ?? '', rest } : { agency: credited[2] ?? '', rest };
}

/** Parses pasted article text; returns an article with no paragraphs for empty input. */
export function parseScrapedText(text: string): CleanArticle {
  const unwrapped = unwrap(
    text
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .map(normalizeWhitespace)
      .filter((line) => line.length > 0),
  );
  // A byline or stamp above everything is metadata, not the headline.
  const metadata = takeLeadingMetadata(unwrapped);
  const lines = unwrapped.flatMap(splitLongBlock);

  // Leading boilerplate (a "Share" line above the headline) is not the headline.
  while (lines.length > 0 && isBoilerplateLine(lines[0] ?? '')) lines.shift();

  let label: string | undefined;
  let title: string | undefined;
  if (looksLikeLabel(lines[0] ?? '', lines[1]) && lines.length > 2) {
    label = lines.shift();
  }
  if (lines.length > 1 && looksLikeHeadline(lines[0] ?? '')) title = lines.shift();
  // A byline or stamp between the headline and the text.
  const below = takeLeadingMetadata(lines);
  const byline = metadata.byline ?? below.byline;
  const publishedAt = metadata.publishedAt ?? below.publishedAt;

  const paragraphs = cleanParagraphs(lines);
  const article: CleanArticle = { title: title ?? '', paragraphs };
  const first = paragraphs[0];
  if (first !== undefined) {
    const dateline = splitDateline(first);
    if (dateline.place) article.dateline = dateline.place;
    if (dateline.place || dateline.agency) {
      if (dateline.rest) paragraphs[0] = dateline.rest;
      else paragraphs.shift();
    }
    if (!title && paragraphs[0]) article.title = titleFromText(paragraphs[0]);
  }
  if (label) article.label = label;
  if (byline) article.byline = byline;
  if (publishedAt) article.publishedAt = publishedAt;
  return article;
}
