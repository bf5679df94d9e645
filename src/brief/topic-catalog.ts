/**
 * What a reader can follow: the taxonomy's sections, and the names (people, places,
 * organizations) that appear in stored stories. Resolves what a reader typed to one topic.
 */
import { UserError } from '../errors.ts';
import { nearestName } from '../text/near-names.ts';
import { entityMatchKeys, entityTopicKey } from './topics/entities.ts';
import { CALENDAR } from './topics/name-words.ts';
import type { Taxonomy } from './topics/taxonomy.ts';
import type { StoryFinder } from './story-finder.ts';
import type { Audience, Story } from '../news/types.ts';

/** A topic a reader asked for, resolved. */
export interface ResolvedTopic {
  key: string;
  label: string;
  kind: 'section' | 'entity';
}

export interface SectionCount {
  key: string;
  name: string;
  description: string;
  stories: number;
}

export interface EntityCount {
  key: string;
  /** The spelling used most often in the stories. */
  name: string;
  stories: number;
}

/** /topics and `npm start -- topics`: sections with story counts, then the most-mentioned names. */
export interface TopicOverview {
  sections: SectionCount[];
  entities: EntityCount[];
}

/**
 * A story's stored names as a reader should see them, cleaned on read so stories tagged by an
 * older tagger read like new ones: possessives folded ("Syria’s" is "Syria"), weekdays and
 * months dropped ("Sundays"), and a lone first name dropped when the story names that person
 * in full ("Ahmad" beside "Ahmad al-Sharaa").
 */
export function storedNames(entities: readonly string[]): string[] {
  const firstWords = new Set(
    entities.filter((e) => e.trim().includes(' ')).map((e) => entityTopicKey(e.trim().split(/\s+/)[0] ?? '')),
  );
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of entities) {
    const name = raw.trim().replace(/['’]s$/u, '');
    const key = entityTopicKey(name);
    if (key.length === 0 || seen.has(key) || CALENDAR.has(key)) continue;
    if (!key.includes(' ') && firstWords.has(key)) continue;
    seen.add(key);
    out.push(name);
  }
  return out;
}

interface EntityTally {
  stories: number;
  spellings: Map<string, number>;
}

/** Counts, per entity topic key, the stories naming it and how each spelling is used. */
function tallyEntities(stories: readonly Pick<Story, 'entities'>[]): Map<string, EntityTally> {
  const tallies = new Map<string, EntityTally>();
  for (const story of stories) {
    const seen = new Set<string>();
    for (const name of storedNames(story.entities)) {
      const key = entityTopicKey(name);
      if (key.length === 0) continue;
      const tally = tallies.get(key) ?? { stories: 0, spellings: new Map<string, number>() };
      if (!seen.has(key)) tally.stories += 1;
      seen.add(key);
      tally.spellings.set(name, (tally.spellings.get(name) ?? 0) + 1);
      tallies.set(key, tally);
    }
  }
  return tallies;
}

function commonestSpelling(tally: EntityTally, fallback: string): string {
  let best = fallback;
  let bestCount = 0;
  for (const [name, count] of tally.spellings) {
    if (count > bestCount || (count === bestCount && name.localeCompare(best) < 0)) {
      best = name;
      bestCount = count;
    }
  }
  return best;
}

/**
 * A section by key or name, or a name seen in stored stories (matched as entity topic keys, so
 * "U.S." finds "United States"). UserError naming /topics when Herald has never seen it.
 */
export function resolveTopic(
  typed: string,
  taxonomy: Taxonomy,
  stories: readonly Pick<Story, 'topics' | 'entities'>[],
): ResolvedTopic {
  const text = typed.trim();
  if (text.length === 0)
    throw new UserError('Name a topic to follow, such as Business or a country. /topics lists them.');
  const section = taxonomy.find(text);
  if (section) return { key: section.key, label: section.name, kind: 'section' };
  const key = entityTopicKey(text);
  const tally = key.length > 0 ? tallyEntities(stories).get(key) : undefined;
  if (tally) return { key, label: commonestSpelling(tally, text), kind: 'entity' };
  // A short form a story uses for a name ("Putin" for "Vladimir Putin") is followed as typed.
  if (
    key.length > 0 &&
    stories.some((story) => story.entities.some((name) => entityMatchKeys(name).includes(key)))
  ) {
    return { key, label: text, kind: 'entity' };
  }
  // Source-assigned topics that are not sections live only in story.topics.
  if (key.length > 0 && stories.some((story) => story.topics.includes(key)))
    return { key, label: text, kind: 'entity' };
  const near = nearestName(
    text,
    taxonomy.sections.map((section) => section.name),
  );
  throw new UserError(
    `I don't know the topic "${text.slice(0, 100)}" yet.${near ? ` Did you mean ${near}?` : ''} /topics lists the sections and the names in the news; a name becomes followable once a story mentions it.`,
  );
}

/** Stories read to name a followed topic: its commonest spelling among the newest that carry it. */
const TOPIC_EVIDENCE = 200;

/** resolveTopic over the stories the catalog finds carrying the typed name, not over every story. */
export async function findTopic(
  typed: string,
  taxonomy: Taxonomy,
  stories: Pick<StoryFinder, 'carrying'>,
  audience: Audience,
): Promise<ResolvedTopic> {
  const text = typed.trim();
  const key = entityTopicKey(text);
  const pool =
    taxonomy.find(text) === undefined && key.length > 0
      ? await stories.carrying(key, audience, TOPIC_EVIDENCE)
      : [];
  return resolveTopic(typed, taxonomy, pool);
}

/** Sections in taxonomy order with their story counts, and the `entityLimit` most-mentioned names. */
export function topicOverview(
  taxonomy: Taxonomy,
  stories: readonly Pick<Story, 'topics' | 'entities'>[],
  entityLimit = 25,
): TopicOverview {
  const sections = taxonomy.sections.map((section) => ({
    key: section.key,
    name: section.name,
    description: section.description,
    stories: stories.filter((story) => story.topics.includes(section.key)).length,
  }));
  const entities = [...tallyEntities(stories).entries()]
    .map(([key, tally]) => ({ key, name: commonestSpelling(tally, key), stories: tally.stories }))
    .sort((a, b) => b.stories - a.stories || a.name.localeCompare(b.name))
    .slice(0, entityLimit);
  return { sections, entities };
}
