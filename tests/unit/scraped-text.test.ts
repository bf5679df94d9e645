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

describe('parseScrapedText on article text saved without a headline line', () => {
  const ice =
    '(CNN) -- A slab of sea ice twice the size of Lake Geneva has split from a glacier in northern Canada, according to researchers in the U.S. The 120 square-kilometer slab broke away on Monday, the team said. ' +
    'Satellite images show the crack widening over the past month. '.repeat(30);

  it('takes the first whole sentence as the headline and keeps it in the text', () => {
    const article = parseScrapedText(ice);
    expect(article.title).toBe(
      'A slab of sea ice twice the size of Lake Geneva has split from a glacier in northern Canada, according to researchers in the U.S.',
    );
    expect(article.paragraphs[0]).toMatch(
      /^A slab of sea ice .* in the U\.S\. The 120 square-kilometer slab/,
    );
    expect(article.paragraphs.join(' ')).not.toMatch(/(^| )S\. The 120/);
  });

  it('reads a flattened byline and publication stamps as metadata, not as the headline', () => {
    const text =
      'By . Nora Whitcombe . PUBLISHED: . 09:14 EST, 4 March 2014 . | . UPDATED: . 11:02 EST, 4 March 2014 . ' +
      'A lifeboat crew rescued four walkers cut off by the tide below the cliffs on Tuesday evening. ' +
      'The coastguard said the group had ignored warning signs at the foot of the path. '.repeat(8);
    const article = parseScrapedText(text);
    expect(article.title).toBe(
      'A lifeboat crew rescued four walkers cut off by the tide below the cliffs on Tuesday evening.',
    );
    expect(article.byline).toBe('Nora Whitcombe');
    expect(article.publishedAt).toBe('2014-03-04T14:14:00.000Z');
    expect(article.paragraphs[0]).toMatch(/^A lifeboat crew/);
  });

  it('keeps co-authors and a staff credit as the byline', () => {
    const text =
      'By . Staff Reporter . and Lewis Arden . Created: 3 May 2012 | Updated: 5 May 2012 . ' +
      'Council leaders approved the new bus lanes after a two-hour debate on Thursday night. ' +
      'Residents had opposed the plan at three public meetings. '.repeat(6);
    const article = parseScrapedText(text);
    expect(article.byline).toBe('Staff Reporter and Lewis Arden');
    expect(article.title).toMatch(/^Council leaders approved/);
    expect(article.publishedAt).toBe('2012-05-03T00:00:00.000Z');
  });

  it('reads a byline line and a stamp line as metadata when they stand on their own lines', () => {
    const text = [
      'By Priya Natarajan',
      'PUBLISHED: 16:40 BST, 12 June 2015',
      'Flood defences on the river were raised overnight as more rain was forecast for the weekend, officials said.',
      'The works cost about £2m and were finished ahead of schedule. '.repeat(5),
    ].join('\n');
    const article = parseScrapedText(text);
    expect(article.byline).toBe('Priya Natarajan');
    expect(article.publishedAt).toBe('2015-06-12T15:40:00.000Z');
    expect(article.title).toMatch(/^Flood defences on the river/);
  });

  it('splits a credit glued to the text off the lead ("(CNN)The …", "Place (CNN) -- …")', () => {
    const body = ' The ruling can be appealed within thirty days of its publication.'.repeat(5);
    expect(parseScrapedText(`(CNN)The appeals court struck down the ban on Friday.${body}`).title).toBe(
      'The appeals court struck down the ban on Friday.',
    );
    const placed = parseScrapedText(`Boise, Idaho (CNN) -- The appeals court struck down the ban.${body}`);
    expect(placed).toMatchObject({
      title: 'The appeals court struck down the ban.',
      dateline: 'Boise, Idaho',
    });
    // An acronym in brackets inside a sentence is not a credit.
    expect(parseScrapedText(`The Port Authority (PA) said the ban ends.${body}`).title).toBe(
      'The Port Authority (PA) said the ban ends.',
    );
  });

  it('reads a lead of one-word sentences on into the next for the headline', () => {
    const text = `Measles. Mumps. A third outbreak this year has closed two schools in the county.${' Parents were told on Monday.'.repeat(8)}`;
    expect(parseScrapedText(text).title).toBe(
      'Measles. Mumps. A third outbreak this year has closed two schools in the county.',
    );
  });
});
