/**
 * Tags a story with its sections and entity topics: the source's default topics first, then
 * the model's topics (when a model summary gave some, checked against the taxonomy) or the
 * offline classifier, plus the people, places and organizations a reader can follow.
 */
import {
  entityMatchKeys,
  entityTopicKey,
  findNames,
  salience,
  type EntityKind,
  type NamedEntity,
} from './entities.ts';
import type { Gazetteer } from './gazetteer.ts';
import type { SectionClassifier } from './section-classifier.ts';
import type { Taxonomy } from './taxonomy.ts';

/** What the tagger reads from a story (its representative article). */
export interface StoryTopicInput {
  title: string;
  paragraphs: string[];
  /** Topics the source assigns by default (section names or keys, or entity names). */
  sourceTopics: string[];
  /** Topics a model summary proposed; when any is a valid section they replace the classifier. */
  modelTopics?: string[];
  /**
   * The section the page itself declares (article:section, a label above the headline). When it
   * names a taxonomy section the story is filed there too: a technology story from a business
   * outlet's Technology pages is technology news.
   */
  label?: string;
}

/** A name a reader can follow, in its canonical form, with the shorter forms that match it. */
export interface FollowableName {
  name: string;
  kind: EntityKind;
  aliases: string[];
}

/** The topics of one story. */
export interface StoryTopics {
  /** Section keys from the taxonomy, most certain first. */
  sections: string[];
  /** Followable names in canonical form ("Vladimir Putin", "Syria"), most salient first. */
  entities: string[];
  /** The same names with their kinds and aliases. */
  names: FollowableName[];
  /** Everything a subscription can match: section keys, then entity and alias keys, deduplicated. */
  topics: string[];
}

export interface StoryTopicTaggerOptions {
  classifier: SectionClassifier;
  taxonomy: Taxonomy;
  /**
   * A bound on stored names per story, not a choice of which matter (salience does that).
   * Default 200 (a results table can name that many).
   */
  maxEntities?: number;
  /**
   * Finds the countries a story names only by their people or cities ("Syrian", "Homs"), so a
   * reader following Syria gets it. Without one, only countries named outright are topics.
   */
  gazetteer?: Gazetteer;
}

/** Tags stories with sections and entities. */
export interface StoryTopicTagger {
  tag(input: StoryTopicInput): StoryTopics;
}

/** Keeps the model's topics that name a taxonomy section, as section keys, in order, once each. */
export function checkModelTopics(modelTopics: string[], taxonomy: Taxonomy): string[] {
  const keys: string[] = [];
  for (const topic of modelTopics) {
    const section = taxonomy.find(topic);
    if (section && !keys.includes(section.key)) keys.push(section.key);
  }
  return keys;
}

/**
 * A name is followable when the story gives a reason to think a reader would follow it there:
 * its kind is known, or it is mentioned twice, or it is in the headline or the lead.
 */
export function isFollowable(e: NamedEntity): boolean {
  return e.kind !== 'other' || e.count >= 2 || salience(e) > e.count;
}

/**
 * Places written as another spelling of a country ("USA", "Holland") under the country's name,
 * the spelling kept as an alias; two spellings of one country in a story become one name.
 */
function oneNamePerCountry(names: readonly FollowableName[], gazetteer: Gazetteer): FollowableName[] {
  const out: FollowableName[] = [];
  const byKey = new Map<string, FollowableName>();
  for (const name of names) {
    const country = name.kind === 'place' ? gazetteer.countryNamed?.(name.name) : undefined;
    const renamed = country ? { ...name, name: country, aliases: [...name.aliases, name.name] } : name;
    const key = entityTopicKey(renamed.name);
    const known = byKey.get(key);
    if (known) {
      for (const alias of renamed.aliases) if (!known.aliases.includes(alias)) known.aliases.push(alias);
      continue;
    }
    const copy = { ...renamed, aliases: [...renamed.aliases] };
    byKey.set(key, copy);
    out.push(copy);
  }
  return out;
}

export function createStoryTopicTagger(options: StoryTopicTaggerOptions): StoryTopicTagger {
  const { classifier, taxonomy } = options;
  const maxEntities = options.maxEntities ?? 200;

  function pickNames(title: string, paragraphs: string[], extra: string[]): FollowableName[] {
    const names: FollowableName[] = [];
    const seen = new Set<string>();
    const candidates = [
      ...extra.map((name) => ({ name, kind: 'other' as const, aliases: [] })),
      ...findNames({ title, paragraphs })
        .filter(isFollowable)
        .map(({ name, kind, aliases }) => ({ name, kind, aliases })),
    ];
    for (const candidate of candidates) {
      const key = entityTopicKey(candidate.name);
      if (key.length === 0 || seen.has(key) || taxonomy.has(key)) continue;
      seen.add(key);
      names.push(candidate);
    }
    return names.slice(0, maxEntities + extra.length);
  }

  return {
    tag({ title, paragraphs, sourceTopics, modelTopics, label }) {
      const sections = checkModelTopics(sourceTopics, taxonomy);
      const declared = label === undefined ? undefined : taxonomy.find(label)?.key;
      if (declared !== undefined && !sections.includes(declared)) sections.push(declared);
      const fromModel = modelTopics ? checkModelTopics(modelTopics, taxonomy) : [];
      const assigned =
        fromModel.length > 0
          ? fromModel
          : classifier.classify({ title, text: paragraphs.join('\n\n') }).map((s) => s.key);
      for (const key of assigned) if (!sections.includes(key)) sections.push(key);

      // A source topic that is not a section ("Syria" for a Syria feed) is an entity topic.
      const sourceEntities = sourceTopics.filter((t) => !taxonomy.has(t) && t.trim().length > 0);
      let names = pickNames(title, paragraphs, sourceEntities);
      if (options.gazetteer) {
        names = oneNamePerCountry(names, options.gazetteer);
        // Only names taken for places: a city's name on a team ("Pittsburgh beat Boston") is not one.
        const places = names.filter((n) => n.kind === 'place').map((n) => n.name);
        const text = [title, ...paragraphs].join('\n');
        const have = new Set(names.map((n) => entityTopicKey(n.name)));
        for (const country of options.gazetteer.countriesOf({ text, places }))
          if (!have.has(entityTopicKey(country))) names.push({ name: country, kind: 'place', aliases: [] });
      }
      const keys = names.flatMap((n) => [...entityMatchKeys(n.name), ...n.aliases.map(entityTopicKey)]);
      const topics = [...new Set([...sections, ...keys])];
      return { sections, entities: names.map((n) => n.name), names, topics };
    },
  };
}
