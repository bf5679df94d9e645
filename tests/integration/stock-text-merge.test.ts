// Stories merge on the text that makes them one story, never on stock text alone: three flat
// listings that share only a landlord's standard paragraph stay three stories, while one wire
// story carried by two outlets still merges, with both matchers (in memory and in SQLite).
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteDedupIndex } from '../../src/news/dedup-index.ts';
import { planStories, prepareArticles, type PreparedArticle } from '../../src/news/pipeline.ts';
import { createStoryMatcher, type StoryMatcher } from '../../src/news/story-merge.ts';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/store/sqlite-database.ts';

const LANDLORD =
  'Harbourside Lettings manages more than four hundred homes across the city and every property we let has been inspected by our own team, comes with a deposit held in a government-approved scheme, and is looked after by a maintenance line that answers day and night. Viewings can be booked online or by calling our office on Dock Street, which is open seven days a week.';

const LISTINGS = [
  [
    'Two-bedroom flat on Quay Road with river views',
    'A bright two-bedroom flat on the third floor of a converted grain store, with a long balcony over the river and a fitted kitchen.',
    'Both bedrooms are doubles and the bathroom was refitted last spring. Bills are not included and pets are allowed on request.',
  ],
  [
    'Studio above the bakery on Mill Lane',
    'A compact studio above a working bakery, with a sleeping alcove, a small shower room and a window seat looking onto the market square.',
    'Suits a single professional; the rent includes water and broadband, and the bakery below closes at four in the afternoon.',
  ],
  [
    'Family house with garden near Westfield school',
    'A three-bedroom terraced house five minutes from Westfield primary school, with a south-facing garden, a shed and parking for one car.',
    'The ground floor has a through lounge and a kitchen-diner; upstairs are two doubles, a single and a family bathroom with a bath.',
  ],
];

const WIRE = [
  'Dockworkers at the port of Caldera walked out on Monday after talks over a new pay deal broke down late on Sunday night, leaving dozens of ships waiting offshore.',
  'The union said its members had rejected an offer of a four percent rise over two years, saying it fell far short of the rise in living costs since the last agreement.',
  'The port authority said it regretted the strike and had asked the national mediation service to bring both sides back to the table before the end of the week.',
  'Shipping companies warned that a long stoppage would delay deliveries of fuel and grain to the region, where stocks were already running low after a cold winter.',
];

/** A file saved from an outlet: the headline, the wire text with the outlet's edits, its own lines. */
function outletCopy(outlet: string, headline: string, edit: (text: string) => string, own: string): string {
  return [headline, ...WIRE.map(edit), own].join('\n');
}

function prepared(): PreparedArticle[] {
  const texts = [
    ...LISTINGS.map(([title = '', ...own]) => [title, ...own, LANDLORD].join('\n')),
    outletCopy(
      'Caldera Courier',
      'Caldera dockworkers strike as pay talks collapse',
      (t) => t,
      'Read more of our port coverage in the business pages this week.',
    ),
    outletCopy(
      'Valley Post',
      'Port of Caldera hit by strike after pay talks fail',
      (t) => t.replace('dozens of', 'more than forty').replace('national mediation', 'state mediation'),
      'The Valley Post will follow the strike as it develops.',
    ),
  ];
  const { articles } = prepareArticles(
    texts.map((body, i) => ({ kind: 'text', body, sourceName: `outlet ${i}` })),
  );
  expect(articles).toHaveLength(5);
  return articles;
}

function storiesOf(matcher: StoryMatcher): string[] {
  return planStories(prepared(), { matcher, findStored: () => undefined }).map((decision) =>
    decision.kind === 'already-stored' ? decision.storedId : decision.storyId,
  );
}

let database: SqliteDatabase | undefined;
afterEach(() => {
  database?.close();
  database = undefined;
});

describe('stories that share only stock text', () => {
  it('keep three listings sharing a landlord’s paragraph apart, and merge one wire story from two outlets (in memory)', () => {
    const [a, b, c, wire, copy] = storiesOf(createStoryMatcher());
    expect(new Set([a, b, c]).size).toBe(3);
    expect(copy).toBe(wire);
    expect([a, b, c]).not.toContain(wire);
  });

  it('decide the same in the index kept in SQLite, with each article committed before the next', () => {
    database = openSqliteDatabase(':memory:');
    const index = createSqliteDedupIndex(database);
    const storyIds = prepared().map((article, i) => {
      index.beginRun();
      const storyId = index.matcher.findMatch(article.article)?.storyId ?? `s-${i}`;
      index.persist([{ storyId, article: article.article }]);
      return storyId;
    });
    const [a, b, c, wire, copy] = storyIds;
    expect(new Set([a, b, c]).size).toBe(3);
    expect(copy).toBe(wire);
  });
});
