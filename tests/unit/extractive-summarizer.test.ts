import { describe, expect, it } from 'vitest';
import { createExtractiveSummarizer } from '../../src/brief/extractive-summarizer.ts';
import { storySummarySchema } from '../../src/brief/summary-types.ts';

const article = {
  title: 'City council approves new flood barrier after record storm',
  paragraphs: [
    'By . Jane Doe . PUBLISHED: . 09:30 EST, 20 August 2012 .',
    'SPRINGFIELD (Reuters) — The Springfield city council approved a $40 million flood barrier on Tuesday, weeks after a record storm flooded 1,200 homes along the river.',
    'Click here to read more stories like this.',
    'The barrier will run for 3.5 miles along the east bank and is due to be finished by 2027, Mayor Ana Ruiz said.',
    '"We cannot let families lose everything again," Ruiz told reporters. The council vote was 7 to 2.',
    'Two members said the flood barrier costs too much and asked the state to share the bill.',
    'WATCH THE VIDEO BELOW',
    'The storm in June dropped 11 inches of rain in two days, the most since records began, and the river crested at a record height.',
    "Engineers said the barrier would protect homes from a storm like June's record storm.",
    'Local shops reopened last month.',
  ],
};

describe('extractive summarizer', () => {
  it('returns a valid summary of 2 to 4 sentences within the character budget', async () => {
    const s = createExtractiveSummarizer({ maxChars: 400 });
    const summary = await s.summarize(article);
    expect(storySummarySchema.safeParse(summary).success).toBe(true);
    expect(summary.sentences.length).toBeGreaterThanOrEqual(2);
    expect(summary.sentences.length).toBeLessThanOrEqual(4);
    expect(summary.sentences.join(' ').length).toBeLessThanOrEqual(400);
    expect(summary.summarizer).toBe('extractive');
    expect(summary.headline).toBe(article.title);
  });

  it('never picks boilerplate: bylines, timestamps, link prompts, shouting', async () => {
    const summary = await createExtractiveSummarizer({ maxSentences: 4, maxChars: Infinity }).summarize(
      article,
    );
    const text = summary.sentences.join(' ');
    expect(text).not.toMatch(/Click here|PUBLISHED|By \.|WATCH/u);
  });

  it('strips the dateline and keeps whole sentences in article order', async () => {
    const summary = await createExtractiveSummarizer({ maxChars: Infinity }).summarize(article);
    expect(summary.sentences[0]).toMatch(/^The Springfield city council approved/u);
    const all = article.paragraphs.join(' ');
    const positions = summary.sentences.map((s) => all.indexOf(s));
    for (const p of positions) expect(p).toBeGreaterThanOrEqual(0);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const s of summary.sentences) expect(s).toMatch(/[.!?"”]$/u);
  });

  it('reads on its own: no "He said" without the sentence before it, no bare surname before the full name', () => {
    const tunnel = {
      title: 'Harbor tunnel reopens after eight months of repairs',
      paragraphs: [
        'The harbor tunnel reopened to traffic on Monday after eight months of repairs to its flooded eastern section.',
        'Ferries had carried most commuters across the bay while the tunnel was shut.',
        'Transport director Mira Kovac cut a ribbon at the western entrance before dawn.',
        'Kovac said the tunnel repairs cost 90 million crowns and that traffic through the harbor tunnel would return to normal within a week.',
        'A brass band played at the entrance.',
        'He said the tunnel repairs came in under budget and that the harbor tunnel traffic plan would stay.',
        'Drivers queued for an hour to be the first through the tunnel.',
      ],
    };
    for (const maxSentences of [2, 3, 4]) {
      const picks = createExtractiveSummarizer().pick(tunnel, { maxSentences });
      picks.forEach((sentence, i) => {
        if (/^He\b/.test(sentence))
          expect(picks[i - 1]).toBe(tunnel.paragraphs[tunnel.paragraphs.indexOf(sentence) - 1]);
        if (sentence.startsWith('Kovac'))
          expect(picks.slice(0, i).some((earlier) => earlier.includes('Mira Kovac'))).toBe(true);
      });
      // The central quote is kept, with its speaker introduced.
      if (maxSentences >= 3) expect(picks).toContain(tunnel.paragraphs[3]);
    }
  });

  it('drops a sentence that repeats one already picked', () => {
    const repeated = {
      title: 'Storm hits coast',
      paragraphs: [
        'A powerful storm hit the northern coast on Monday, cutting power to thousands of homes.',
        'A powerful storm hit the northern coast on Monday and cut power to thousands of homes there.',
        'Rescue teams reached three stranded villages by boat late in the evening, officials said.',
        'Schools will stay closed until Thursday while crews repair the damaged lines.',
      ],
    };
    const picked = createExtractiveSummarizer({ maxSentences: 2, maxChars: Infinity }).pick(repeated);
    expect(picked).toHaveLength(2);
    expect(picked.filter((s) => s.startsWith('A powerful storm'))).toHaveLength(1);
  });

  it('clips a single over-long sentence instead of returning nothing', () => {
    const long = {
      title: 'x',
      paragraphs: [`The committee said that ${'very '.repeat(80)}long reports were filed today.`],
    };
    const [only] = createExtractiveSummarizer({ maxChars: 120 }).pick(long);
    expect(only?.length).toBeLessThanOrEqual(120);
    expect(only?.endsWith('…')).toBe(true);
  });

  it('collects key facts with numbers and recurring names as entities', async () => {
    const summary = await createExtractiveSummarizer({ maxSentences: 2, maxChars: Infinity }).summarize(
      article,
    );
    expect(summary.keyFacts.length).toBeGreaterThan(0);
    for (const fact of summary.keyFacts) expect(fact).toMatch(/\d/u);
    expect(summary.entities).toContain('Ana Ruiz');
    expect(summary.entities).not.toContain('Jane Doe');
  });
});

describe('summaries a reader can follow on their own', () => {
  it('never ends on or consists of a quotation whose speaker is left to another sentence', async () => {
    const summarizer = createExtractiveSummarizer();
    const input = {
      title: 'Minister backs rebuilding of the border crossing',
      paragraphs: [
        'The foreign minister of Valoria backed the rebuilding of the Estrava border crossing on Tuesday.',
        'Speaking to reporters in the capital, the minister was asked about the crossing.',
        '“You know that we have always stood for reopening the crossing and rebuilding the border road.”',
        'Work on the border road is expected to start in the spring and to take two years.',
        'Traders on both sides of the border have asked for the crossing to reopen since it closed.',
      ],
    };
    for (const maxSentences of [1, 2, 3]) {
      const sentences = summarizer.pick(input, { maxSentences, maxChars: Infinity });
      expect(sentences.some((sentence) => sentence.startsWith('“'))).toBe(false);
    }
    const attributed = {
      ...input,
      paragraphs: input.paragraphs.map((p) =>
        p.startsWith('“') ? `${p.slice(0, -2)},” the minister said.` : p,
      ),
    };
    expect((await summarizer.summarize(attributed)).sentences.join(' ')).toMatch(/the minister said/);
  });

  it('does not open on a pronoun whose referent the summary leaves out', () => {
    const summarizer = createExtractiveSummarizer();
    const opensWithIt = {
      title: '',
      paragraphs: [
        'It has long been known as the quietest of the county’s summer sports.',
        'Now bubble football, played by teams inside inflatable balls, is drawing crowds in Caldera.',
        'The league started with four teams and now has twelve, its organizers said.',
        'Matches are played on Sunday mornings at the old athletics ground.',
      ],
    };
    for (const maxSentences of [1, 2, 3]) {
      const [first] = summarizer.pick(opensWithIt, { maxSentences, maxChars: Infinity });
      expect(first).not.toMatch(/^It\b/);
    }
  });
});
