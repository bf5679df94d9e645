import { UserError } from '../errors.ts';
import { representativeArticle, type StoryRepository } from '../news/story-repository.ts';
import { isVisibleTo, outletCount, type Audience, type Story, type StoredArticle } from '../news/types.ts';
import { bestPossibleScore, compareRanked, scoreStory, type RankedStory } from './ranking.ts';
import type { CatalogQuery } from './story-catalog.ts';
import type { StoryFinder } from './story-finder.ts';
import type { SummaryService } from './summary-service.ts';
import type { StorySummary, SummaryInput } from './summary-types.ts';
import { entityMatchKeys, entityTopicKey } from './topics/entities.ts';
import { checkModelTopics } from './topics/story-topics.ts';
import type { Taxonomy } from './topics/taxonomy.ts';

export interface BriefItem extends RankedStory {
  summary: StorySummary;
}

export interface TopStoriesRequest {
  /** Whose brief: stories from a server's own feeds are shown in that server only. */
  audience: Audience;
  count: number;
  /** A section ("Business"), or an entity topic ("Syria"), matched case-insensitively. */
  topic?: string;
  /** Several topics: a story matching any of them is kept (channel digests). */
  topics?: readonly string[];
  /** Only stories first seen after this ISO time (digests: since the channel's last one). */
  since?: string;
  excludeStoryIds?: ReadonlySet<string>;
  /** Feed backlog from a first ingest is left out of digests, but /brief may show it. */
  includeBacklog?: boolean;
  /** Only stories this many different outlets carry (a digest's coverage threshold). */
  minSources?: number;
}

export interface StoryDetail {
  story: Story;
  summary: StorySummary;
  articles: StoredArticle[];
}

export interface BriefService {
  top(request: TopStoriesRequest): Promise<BriefItem[]>;
  /** Ranked stories with their score parts, without summarizing (for --json explanations). */
  ranked(request: TopStoriesRequest): Promise<RankedStory[]>;
  /** The story when it exists and the audience may see it. */
  detail(storyId: string, audience: Audience): Promise<StoryDetail | undefined>;
  /** Stories the audience sees whose title contains every word typed, newest first (autocomplete). */
  findByTitle(text: string, limit: number, audience: Audience): Promise<Story[]>;
  summaryOf(story: Story): Promise<StorySummary>;
}

export interface BriefServiceOptions {
  repository: StoryRepository;
  /** Picks the stories a brief reads (the story catalog), instead of reading them all. */
  finder: StoryFinder;
  summaries: SummaryService;
  taxonomy: Taxonomy;
  now: () => number;
  halfLifeHours: number;
}

/** The taxonomy's first sections are front-page material: a story in one ranks a little higher. */
export function frontPageTopics(taxonomy: Taxonomy): string[] {
  return taxonomy.keys().slice(0, 4);
}

export function summaryInputOf(story: Story, articles: readonly StoredArticle[]): SummaryInput {
  const article = representativeArticle(articles);
  const input: SummaryInput = { title: story.title, paragraphs: article?.paragraphs ?? [story.title] };
  if (article?.label) input.label = article.label;
  if (article?.dateline) input.dateline = article.dateline;
  return input;
}

export function createBriefService(options: BriefServiceOptions): BriefService {
  const { repository, summaries, taxonomy } = options;

  function topicMatcher(topic: string): (story: Story) => boolean {
    const section = taxonomy.find(topic);
    const entityKey = entityTopicKey(topic);
    return (story) =>
      (section !== undefined && story.topics.includes(section.key)) ||
      story.entities.some((entity) => entityMatchKeys(entity).includes(entityKey));
  }

  /**
   * The `count` best stories for the request. Stories are read newest first, a page at a time,
   * and reading stops once no older story could outscore the ones chosen (see
   * bestPossibleScore): a brief reads a few hundred stories however many are stored.
   */
  async function ranked(request: TopStoriesRequest): Promise<RankedStory[]> {
    const wanted = [...(request.topic ? [request.topic] : []), ...(request.topics ?? [])];
    const matchers = wanted.map(topicMatcher);
    const since = request.since === undefined ? undefined : Date.parse(request.since);
    const single = wanted.length === 1 ? (wanted[0] ?? '') : undefined;
    const rankingOptions = {
      now: options.now(),
      halfLifeHours: options.halfLifeHours,
      frontPageTopics: frontPageTopics(taxonomy),
    };
    const query: CatalogQuery = {
      audience: request.audience,
      ...(request.includeBacklog ? {} : { excludeBacklog: true }),
      ...(since !== undefined && Number.isFinite(since) ? { firstSeenAfterMs: since } : {}),
      // One topic narrows the read itself; the matcher below still decides.
      ...(single !== undefined ? { topicKey: taxonomy.find(single)?.key ?? entityTopicKey(single) } : {}),
    };
    let chosen: RankedStory[] = [];
    let matched = false;
    for await (const page of options.finder.newest(query)) {
      for (const story of page) {
        if (matchers.length > 0 && !matchers.some((match) => match(story))) continue;
        matched = true;
        if (request.excludeStoryIds?.has(story.id)) continue;
        if (request.minSources !== undefined && outletCount(story) < request.minSources) continue;
        chosen.push(scoreStory(story, rankingOptions));
      }
      chosen = chosen.sort(compareRanked).slice(0, request.count);
      const oldest = page[page.length - 1];
      const last = chosen[request.count - 1];
      // Scores are rounded to four places: keep reading while an older story could tie.
      // Any real story outranks sample news: while a sample story is chosen, keep reading.
      if (
        oldest !== undefined &&
        last !== undefined &&
        last.story.sample !== true &&
        last.score > bestPossibleScore(Date.parse(oldest.publishedAt) || 0, rankingOptions) + 1e-4
      )
        break;
    }
    if (!matched && request.topic && !taxonomy.has(request.topic)) {
      throw new UserError(
        `I have no stories on "${request.topic}". /topics lists the sections and names I know.`,
      );
    }
    return chosen;
  }

  async function summaryOf(story: Story): Promise<StorySummary> {
    const articles = await repository.articlesOf(story);
    const summary = await summaries.summaryFor(story, summaryInputOf(story, articles));
    await adoptModelTopics(story, summary);
    return summary;
  }

  /**
   * A model summary's topics, where they name taxonomy sections, replace the offline
   * classifier's guess for the story (read by /brief topic filters and later digests).
   */
  async function adoptModelTopics(story: Story, summary: StorySummary): Promise<void> {
    if (summary.summarizer !== 'model') return;
    const sections = checkModelTopics(summary.topics, taxonomy);
    if (sections.length === 0 || sections.join() === story.topics.join()) return;
    story.topics = sections;
    await repository.putStory(story);
  }

  return {
    ranked,
    summaryOf,
    async top(request) {
      const chosen = (await ranked(request)).slice(0, request.count);
      return Promise.all(chosen.map(async (item) => ({ ...item, summary: await summaryOf(item.story) })));
    },
    async detail(storyId, audience) {
      const story = await repository.getStory(storyId);
      if (!story || !isVisibleTo(story, audience)) return undefined;
      const articles = await repository.articlesOf(story);
      const summary = await summaries.summaryFor(story, summaryInputOf(story, articles));
      await adoptModelTopics(story, summary);
      return { story, summary, articles };
    },
    async findByTitle(text, limit, audience) {
      const words = text.toLowerCase().split(/\s+/).filter(Boolean);
      return options.finder.titled(words, audience, limit);
    },
  };
}
