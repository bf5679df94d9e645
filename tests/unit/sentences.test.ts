import { describe, expect, it } from 'vitest';
import { splitSentences, STOPWORDS, tokenizeWords } from '../../src/brief/sentences.ts';

describe('splitSentences', () => {
  it('splits ordinary sentences', () => {
    expect(splitSentences('The vote passed. Critics objected! Will it last? Nobody knows.')).toEqual([
      'The vote passed.',
      'Critics objected!',
      'Will it last?',
      'Nobody knows.',
    ]);
  });

  it('keeps titles, months and initials inside the sentence', () => {
    const text =
      'Gen. Mark Milley met Dr. Jane Smith on Jan. 5 in St. Louis. J.K. Rowling and Mr. Brown were there. It rained.';
    expect(splitSentences(text)).toEqual([
      'Gen. Mark Milley met Dr. Jane Smith on Jan. 5 in St. Louis.',
      'J.K. Rowling and Mr. Brown were there.',
      'It rained.',
    ]);
  });

  it('keeps U.S. and a.m. mid-sentence but splits when the next word opens a sentence', () => {
    expect(splitSentences('U.S. officials met at 9 a.m. Tuesday in the U.S. The talks failed.')).toEqual([
      'U.S. officials met at 9 a.m. Tuesday in the U.S.',
      'The talks failed.',
    ]);
  });

  it('does not split decimals or quotations followed by the speaker', () => {
    expect(
      splitSentences('Growth was 3.5 percent. "We are pleased," he said. "Very pleased." She left.'),
    ).toEqual(['Growth was 3.5 percent.', '"We are pleased," he said.', '"Very pleased."', 'She left.']);
    expect(splitSentences('"Is it over?" she asked. Yes.')).toEqual(['"Is it over?" she asked.', 'Yes.']);
  });

  it('treats an ellipsis before lower case as part of the sentence', () => {
    expect(splitSentences('He paused... and went on. Then… Silence.')).toEqual([
      'He paused... and went on.',
      'Then…',
      'Silence.',
    ]);
  });

  it('keeps a dateline with the first sentence', () => {
    expect(splitSentences('MOSCOW (Reuters) — Talks resumed on Monday. Both sides spoke.')).toEqual([
      'MOSCOW (Reuters) — Talks resumed on Monday.',
      'Both sides spoke.',
    ]);
  });

  it('splits tokenized " . " boundaries as in CNN/DM text', () => {
    expect(splitSentences('Ornelas gets ban . He won in 2005 .')).toEqual([
      'Ornelas gets ban .',
      'He won in 2005 .',
    ]);
  });
});

describe('tokenizeWords', () => {
  it('lower-cases and splits on punctuation', () => {
    expect(tokenizeWords("The U.S. economy grew 3.5% — it's “strong”.")).toEqual([
      'the',
      'u',
      's',
      'economy',
      'grew',
      '3',
      '5',
      'it',
      's',
      'strong',
    ]);
  });

  it('ships a stopword list of common function words', () => {
    expect(STOPWORDS.has('the')).toBe(true);
    expect(STOPWORDS.has('economy')).toBe(false);
  });
});

describe('splitSentences with "No."', () => {
  it('keeps "No. 10" together but ends a sentence on the word "no"', () => {
    expect(splitSentences('He lives at No. 10 Downing Street. The answer was no. She left.')).toEqual([
      'He lives at No. 10 Downing Street.',
      'The answer was no.',
      'She left.',
    ]);
  });
});

describe('splitSentences on abbreviations, lists and page numbers', () => {
  it('splits after a country abbreviation only before a sentence opener', () => {
    expect(splitSentences('The fund is based in the U.K. The U.K. Treasury declined to comment.')).toEqual([
      'The fund is based in the U.K.',
      'The U.K. Treasury declined to comment.',
    ]);
  });

  it('keeps numbered list markers with their item', () => {
    expect(
      splitSentences('The plan has three steps: 1. Close the road. 2. Rebuild the bridge. 3. Reopen it.'),
    ).toEqual(['The plan has three steps: 1. Close the road.', '2. Rebuild the bridge.', '3. Reopen it.']);
  });

  it('keeps page references, initials and company names inside the sentence', () => {
    expect(
      splitSentences(
        'See p. 14 of the report by Albert I. Jones of Harbor Co. in St. Paul. It was filed at 4 p.m. Friday.',
      ),
    ).toEqual([
      'See p. 14 of the report by Albert I. Jones of Harbor Co. in St. Paul.',
      'It was filed at 4 p.m. Friday.',
    ]);
  });
});
