import { describe, expect, it } from 'vitest';
import { parseScrapedText } from '../../src/news/scraped-text.ts';

const wire = [
  'Featured',
  'Port strike halts container traffic in Caldera',
  'CALDERA — Dockworkers walked off the job on Wednesday in protest at automation plans for two terminals.',
  '',
  'The union said about 3,200 members joined the strike, which it described as open-ended.',
  'The port authority said no permanent employee would lose their job.',
  'Copyright © 2026 Coastline Courier',
  'Source link',
  'Related Posts',
  'Fuel prices rise for third straight week',
  '1 of 1,510',
].join('\n');

describe('parseScrapedText', () => {
  it('reads label, headline, dateline and body, and drops the boilerplate', () => {
    expect(parseScrapedText(wire)).toEqual({
      title: 'Port strike halts container traffic in Caldera',
      label: 'Featured',
      dateline: 'CALDERA',
      paragraphs: [
        'Dockworkers walked off the job on Wednesday in protest at automation plans for two terminals.',
        'The union said about 3,200 members joined the strike, which it described as open-ended.',
        'The port authority said no permanent employee would lose their job.',
      ],
    });
  });

  it('works without a label line', () => {
    const article = parseScrapedText(wire.split('\n').slice(1).join('\n'));
    expect(article.label).toBeUndefined();
    expect(article.title).toBe('Port strike halts container traffic in Caldera');
    expect(article.dateline).toBe('CALDERA');
  });

  it('skips a byline and share line between headline and lead', () => {
    const text =
      'World News\nCaldera dockworkers walk out\nBy Ana Morel, Wire\nShare this article\nCALDERA (Wire) — Dockworkers walked off the job.\nMore text follows here.';
    const article = parseScrapedText(text);
    expect(article).toMatchObject({
      label: 'World News',
      title: 'Caldera dockworkers walk out',
      dateline: 'CALDERA',
    });
    expect(article.paragraphs).toEqual(['Dockworkers walked off the job.', 'More text follows here.']);
  });

  it('derives a title from the first sentence of text pasted as one block, and splits it', () => {
    const sentence =
      'The runner was banned for four years after irregular blood values were found in his passport. ';
    const article = parseScrapedText(`(CNN) -- ${sentence.repeat(20)}`);
    expect(article.title).toBe(sentence.trim());
    expect(article.paragraphs.length).toBeGreaterThan(1);
    expect(article.paragraphs[0]?.startsWith('The runner')).toBe(true);
  });

  it('joins hard-wrapped lines back into paragraphs', () => {
    const text =
      'Headline about the wrapped story\nThe first paragraph was wrapped at a fixed width by the tool\nthat exported it, so it continues here.\nA second paragraph.';
    expect(parseScrapedText(text).paragraphs).toEqual([
      'The first paragraph was wrapped at a fixed width by the tool that exported it, so it continues here.',
      'A second paragraph.',
    ]);
  });

  it('returns no paragraphs for empty or boilerplate-only text', () => {
    expect(parseScrapedText('').paragraphs).toEqual([]);
    expect(parseScrapedText('Share this article\nAdvertisement\n© 2026 X').paragraphs).toEqual([]);
  });
});
