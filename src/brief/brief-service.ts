import { UserError } from '../errors.ts';
import { representativeArticle, type StoryRepository } from '../news/story-repository.ts';
import { isVisibleTo, type Audience, type Story, type StoredArticle } from '../news/types.ts';
import { rankStories, type RankedStory } from './ranking.ts';
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
  summaries: SummaryService;
  taxonomy: Taxonomy;
  now: () => number;
  halfLifeHours: number;
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

  async function ranked(request: TopStoriesRequest): Promise<RankedStory[]> {
    let stories = (await repository.listStories()).filter((story) => isVisibleTo(story, request.audience));
    const wanted = [...(request.topic ? [request.topic] : []), ...(request.topics ?? [])];
    if (wanted.length > 0) {
      const matchers = wanted.map(topicMatcher);
      const matching = stories.filter((story) => matchers.some((match) => match(story)));
      if (matching.length === 0 && request.topic && !taxonomy.has(request.topic)) {
        throw new UserError(`I have no stories on "${request.topic}". /topics lists the sections and names I know.`);
      }
      stories = matching;
    }
    if (request.since) {
      const since = Date.parse(request.since);
      stories = stories.filter((story) => Date.parse(story.firstSeenAt) > since);
    }
    if (!request.includeBacklog) stories = stories.filter((story) => story.backlog !== true);
    if (request.excludeStoryIds) stories = stories.filter((story) => !request.excludeStoryIds?.has(story.id));
    return rankStories(stories, {
      now: options.now(),
      halfLifeHours: options.halfLifeHours,
      frontPageTopics: taxonomy.keys().slice(0, 4),
    });
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
      const stories = await repository.listStories();
      return stories
        .filter((story) => isVisibleTo(story, audience))
        .filter((story) => words.every((word) => story.title.toLowerCase().includes(word) || story.id.startsWith(word)))
        .sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt))
        .slice(0, limit);
    },
  };
}
