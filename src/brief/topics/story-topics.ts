/**
 * Tags a story with its sections and entity topics: the source's default topics first, then
 * the model's topics (when a model summary gave some, checked against the taxonomy) or the
 * offline classifier, plus the people, places and organizations its text names.
 */
import { entityTopicKey, extractEntities, type Entity } from './entities.ts';
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
}

/** The topics of one story. */
export interface StoryTopics {
  /** Section keys from the taxonomy, most certain first. */
  sections: string[];
  /** Entity display names ("Syria", "Bank of England"), most mentioned first. */
  entities: string[];
  /** The followable names with their kinds, in the order of `entities`. */
  names: { name: string; kind: Entity['kind'] }[];
  /** Everything a subscription can match: section keys then entity topic keys, deduplicated. */
  topics: string[];
}

export interface StoryTopicTaggerOptions {
  classifier: SectionClassifier;
  taxonomy: Taxonomy;
  /** At most this many entities per story. Default 8. */
  maxEntities?: number;
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

export function createStoryTopicTagger(options: StoryTopicTaggerOptions): StoryTopicTagger {
  const { classifier, taxonomy } = options;
  const maxEntities = options.maxEntities ?? 8;

  function pickEntities(title: string, body: string, extra: string[]): string[] {
    const inBody = extractEntities(body);
    const bodyKeys = new Set(inBody.map((e) => entityTopicKey(e.name)));
    // Headlines are title-cased, so a capitalized headline word is only trusted when it is a
    // known place or the body names it too.
    const inTitle = extractEntities(title).filter((e) => e.kind === 'place' || bodyKeys.has(entityTopicKey(e.name)));
    const score = new Map<string, { entity: Entity; score: number }>();
    for (const [list, weight] of [[inBody, 1], [inTitle, 2]] as const) {
      for (const entity of list) {
        const key = entityTopicKey(entity.name);
        const prior = score.get(key);
        score.set(key, { entity: prior?.entity ?? entity, score: (prior?.score ?? 0) + entity.count * weight });
      }
    }
    // A single unexplained mention of an untyped name is too often noise to subscribe to.
    const ranked = [...score.values()]
      .filter(({ entity, score: s }) => entity.kind !== 'other' || s >= 2)
      .sort((a, b) => b.score - a.score)
      .map(({ entity }) => entity.name);
    const names: string[] = [];
    const seen = new Set<string>();
    for (const name of [...extra, ...ranked]) {
      const key = entityTopicKey(name);
      if (key.length === 0 || seen.has(key) || taxonomy.has(key)) continue;
      seen.add(key);
      names.push(name);
    }
    return names.slice(0, maxEntities + extra.length);
  }

  return {
    tag({ title, paragraphs, sourceTopics, modelTopics }) {
      const body = paragraphs.join('\n\n');
      const sections = checkModelTopics(sourceTopics, taxonomy);
      const fromModel = modelTopics ? checkModelTopics(modelTopics, taxonomy) : [];
      const assigned = fromModel.length > 0 ? fromModel : classifier.classify({ title, text: body }).map((s) => s.key);
      for (const key of assigned) if (!sections.includes(key)) sections.push(key);

      // A source topic that is not a section ("Syria" for a Syria feed) is an entity topic.
      const sourceEntities = sourceTopics.filter((t) => !taxonomy.has(t) && t.trim().length > 0);
      const entities = pickEntities(title, body, sourceEntities);
      const topics = [...new Set([...sections, ...entities.map(entityTopicKey)])];
      const kinds = new Map([...extractEntities(title), ...extractEntities(body)].map((e) => [entityTopicKey(e.name), e.kind]));
      const names = entities.map((name) => ({ name, kind: kinds.get(entityTopicKey(name)) ?? 'other' }));
      return { sections, entities, names, topics };
    },
  };
}
