import { describe, expect, it } from 'vitest';
import {
  cleanParagraphs,
  normalizeWhitespace,
  parseDateline,
  spaceNonWordRuns,
  wordCount,
} from '../../src/news/text-clean.ts';

describe('cleanParagraphs', () => {
  it('removes legal lines, pagers, source links and share/newsletter/cookie prompts', () => {
    const body = 'The council approved the budget on Tuesday after a long debate.';
    const out = cleanParagraphs([
      body,
      'Copyright © 2026 Example Publisher',
      '© 2026 Example Media. All rights reserved.',
      'Source link',
      '1 of 1,510',
      'Page 2 of 3',
      'Share this article',
      'Read more: Why the budget matters',
      'Sign up for our newsletter to get the news in your inbox.',
      'Subscribe now',
      'We use cookies to give you the best experience on our website.',
      'Advertisement',
      'By Jane Doe',
      'By Jane Doe, Reuters',
      'By Tribune staff',
    ]);
    expect(out).toEqual([body]);
  });

  it('cuts everything after a "Related Posts" heading that follows the body', () => {
    expect(
      cleanParagraphs(['Body text of the story here.', 'Related Posts', 'Another headline', 'And another']),
    ).toEqual(['Body text of the story here.']);
  });

  it('keeps prose that merely mentions boilerplate words, and keeps unicode quotes', () => {
    const lines = [
      'By Friday, the ministry said it would subscribe to the treaty’s monitoring scheme and publish its data.',
      '“We will not share the figures yet,” the spokeswoman said.',
      'Copyright law reform has been debated in parliament for a decade without a vote.',
    ];
    expect(cleanParagraphs(lines)).toEqual(lines);
  });

  it('normalizes whitespace and drops empty and repeated lines', () => {
    expect(cleanParagraphs(['  two\u00a0 spaces\n here ', '', 'two spaces here', '\u200b'])).toEqual([
      'two spaces here',
    ]);
  });
});

describe('parseDateline', () => {
  it.each([
    ['MOSCOW — The Kremlin said…', 'MOSCOW', undefined, 'The Kremlin said…'],
    ['WASHINGTON (AP) — Lawmakers voted…', 'WASHINGTON', 'AP', 'Lawmakers voted…'],
    ['KYIV, Ukraine — Air raid sirens…', 'KYIV, Ukraine', undefined, 'Air raid sirens…'],
    ['LONDON, March 3 (Reuters) - Shares rose…', 'LONDON', 'Reuters', 'Shares rose…'],
    ['NEW YORK -- Stocks fell…', 'NEW YORK', undefined, 'Stocks fell…'],
  ])('splits %s', (lead, place, agency, rest) => {
    const parsed = parseDateline(lead);
    expect(parsed.place).toBe(place);
    expect(parsed.agency).toBe(agency);
    expect(parsed.rest).toBe(rest);
  });

  it('reads an agency-only lead such as "(CNN) --"', () => {
    expect(parseDateline('(CNN) -- A runner was banned.')).toEqual({
      agency: 'CNN',
      rest: 'A runner was banned.',
    });
  });

  it('leaves ordinary sentences alone', () => {
    for (const text of [
      'The minister — who resigned — spoke.',
      'A well-known figure said so.',
      'I — for one — agree.',
    ]) {
      expect(parseDateline(text)).toEqual({ rest: text });
    }
  });
});

describe('normalizeWhitespace', () => {
  // The rule spelled out as regular expressions: zero-width characters go, every run of \s
  // becomes one space, none at either end.
  const byRule = (text: string): string =>
    text
      .replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, '')
      .replace(/\s+/g, ' ')
      .trim();

  it('collapses, trims and drops zero-width characters, and hands clean text back as it is', () => {
    const texts = [
      '',
      ' ',
      'Plain text.',
      ' lead',
      'trail ',
      'two  spaces',
      'tab\there',
      'no\u00a0break',
      'soft\u00adhyphen',
      'zero\u200bwidth',
      '\ufeffBOM',
      'ideographic\u3000space',
      'line\u2028break',
      'a \u200b b',
    ];
    for (const text of texts) expect(normalizeWhitespace(text), JSON.stringify(text)).toBe(byRule(text));
  });

  it('agrees with the rule on generated mixes of letters, spaces and invisible characters', () => {
    const alphabet = [
      'a',
      'Z',
      'é',
      '’',
      '𝄞',
      ' ',
      ' ',
      '\t',
      '\n',
      '\u00a0',
      '\u2003',
      '\u200b',
      '\u00ad',
      '\ufeff',
      '\u3000',
    ];
    let seed = 7;
    const next = (): number => (seed = (seed * 48271) % 2147483647);
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: next() % 12 }, () => alphabet[next() % alphabet.length]).join('');
      expect(normalizeWhitespace(text), JSON.stringify(text)).toBe(byRule(text));
    }
  });
});

describe('wordCount', () => {
  // Runs of letters and digits, except text in a script written without spaces, which is
  // segmented into dictionary words.
  const unspaced =
    /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
  const byRule = (text: string): number =>
    unspaced.test(text)
      ? [...segmenter.segment(text)].filter((s) => s.isWordLike).length
      : (text.match(/[\p{L}\p{N}]+/gu) ?? []).length;

  it('counts words in every script the same way, whatever punctuation and symbols surround them', () => {
    const alphabet = [
      'a',
      'Z',
      '7',
      'é',
      'ß',
      'Ж',
      'ع',
      'अ',
      '\u0301',
      '’',
      '—',
      '“',
      ' ',
      '-',
      '.',
      '€',
      '𝐀',
      '😀',
      'ก',
      '東',
      'カ',
      '\u00a0',
    ];
    let seed = 11;
    const next = (): number => (seed = (seed * 48271) % 2147483647);
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: next() % 16 }, () => alphabet[next() % alphabet.length]).join('');
      expect(wordCount(text), JSON.stringify(text)).toBe(byRule(text));
    }
  });
});

describe('spaceNonWordRuns', () => {
  it('replaces each run of characters other than letters and digits by one space, in every script', () => {
    const alphabet = [
      'a',
      'Z',
      '7',
      'é',
      'ß',
      'Ж',
      'ع',
      '\u0301',
      '’',
      '—',
      '“',
      ' ',
      '-',
      '.',
      '€',
      '𝐀',
      '😀',
      'ก',
      '東',
      '\u00a0',
      '²',
    ];
    let seed = 5;
    const next = (): number => (seed = (seed * 48271) % 2147483647);
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: next() % 16 }, () => alphabet[next() % alphabet.length]).join('');
      expect(spaceNonWordRuns(text), JSON.stringify(text)).toBe(text.replace(/[^\p{L}\p{N}]+/gu, ' '));
    }
  });

  it('does the same on a body longer than its reusable buffer', () => {
    const text = 'The council’s budget — approved on Tuesday, 2026 — “funds” 12 new buses. '.repeat(400);
    expect(text.length).toBeGreaterThan(16_384);
    expect(spaceNonWordRuns(text)).toBe(text.replace(/[^\p{L}\p{N}]+/gu, ' '));
  });
});
