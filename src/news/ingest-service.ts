import { describeError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { extractArticleFromHtml } from './html-extract.ts';
import {
  capArticleText,
  hashIdentifies,
  MIN_ARTICLE_WORDS,
  planStories,
  prepareArticles,
  upgradeTeaser,
  type PreparedArticle,
  type RawInput,
} from './pipeline.ts';
import type { SafeFetcher } from './safe-fetch.ts';
import { createMemoryDedupIndex, type DedupIndex } from './dedup-index.ts';
import type { MatchableArticle, StoryMatcher } from './story-merge.ts';
import { representativeArticle, type StoryRepository } from './story-repository.ts';
import {
  sameAudience,
  widenAudience,
  withAudience,
  type SourceRef,
  type Story,
  type StoredArticle,
} from './types.ts';

/** How a source's stories rank and are tagged; what /sources and config give. */
export interface SourceMeta {
  name: string;
  url?: string;
  weight: number;
  featured: boolean;
  topics: string[];
  /** The servers that added this source; absent for shared (configured) sources. */
  guildIds?: readonly string[];
  /** The bundled sample news: its stories are marked and rank below any real story. */
  sample?: boolean;
}

export interface IngestItemReport {
  title: string;
  source: string;
  storyId?: string;
  /** Why it was not added as a new story: merged, already stored, too short, … */
  reason?: string;
}

export interface IngestReport {
  added: IngestItemReport[];
  merged: IngestItemReport[];
  skipped: IngestItemReport[];
  failed: { source: string; message: string }[];
  /** Stories created or changed, for the answer index and subscriptions. */
  changedStoryIds: string[];
}

export function emptyReport(): IngestReport {
  return { added: [], merged: [], skipped: [], failed: [], changedStoryIds: [] };
}

export interface IngestOptions {
  /** Everything from this batch is backlog: stored and searchable, never pushed to digests. */
  backlog?: boolean;
  /**
   * Items older than maxAgeHours count as backlog too. On for feeds fetched from the web; off
   * for files an operator hands over on purpose (they asked for those stories).
   */
  ageLimit?: boolean;
  /** Fetch the full page of teaser-only feed items. Off for local files: no implicit network. */
  fetchTeasers?: boolean;
}

export interface ArticleIngestor {
  /** Cleans, identifies, merges and stores raw inputs from one source. */
  ingest(inputs: readonly RawInput[], source: SourceMeta, options?: IngestOptions): Promise<IngestReport>;
}

/** Tags a story with its taxonomy sections and followable names (brief/topics implements it). */
export interface StoryTagger {
  tag(input: { title: string; paragraphs: string[]; sourceTopics: string[] }): {
    sections: string[];
    entities: string[];
  };
}

export interface ArticleIngestorOptions {
  repository: StoryRepository;
  fetcher: SafeFetcher;
  tagger: StoryTagger;
  log: Logger;
  now: () => number;
  /** Items published longer ago than this are backlog. */
  maxAgeHours: number;
  /** Feed items with fewer words are teasers. */
  teaserWords: number;
  /** Body text kept per article (default 200,000 characters). */
  maxArticleChars?: number;
  /** Where near-duplicates are found; in this process's memory unless given. */
  dedup?: DedupIndex;
}

/**
 * New articles written per transaction. A crash loses at most the batch in flight (whole:
 * never an article without its story); the rerun stores it again. A commit costs more than
 * its rows: the dedup index's posting lists are keyed by hash, so any batch of a few thousand
 * keys touches pages all over them, and each commit writes those pages out again. 500 (a
 * large feed in one commit) spends that 2.5 times less often than 200 did; the batch held in
 * memory until then is a few MB.
 */
const ARTICLES_PER_COMMIT = 500;

const DEFAULT_MAX_ARTICLE_CHARS = 200_000;

/** Teaser pages fetched per batch: a feed of 500 teasers must not hold a run for hours. */
const MAX_PAGE_FETCHES_PER_BATCH = 25;

const SKIP_REASONS: Record<string, string> = {
  empty: 'no article text',
  // Said with the bar: someone trying Herald on a short text of their own learns what it takes.
  'too-short': `too short to be an article (fewer than ${MIN_ARTICLE_WORDS} words)`,
  'duplicate-in-batch': 'a copy of another item in the same batch',
};

/**
 * The write side of ingestion. The matcher and the identity indexes are built from the store
 * once and kept in step with every write, so dedup never rescans the store per article.
 */
export function createArticleIngestor(options: ArticleIngestorOptions): ArticleIngestor {
  const { repository, fetcher, tagger, log, now } = options;
  const dedup = options.dedup ?? createMemoryDedupIndex();
  let loaded: Promise<DedupState> | undefined;
  // Writes are serialized: two overlapping ingests would otherwise both plan "new story".
  let queue: Promise<unknown> = Promise.resolve();

  type DedupState = {
    matcher: StoryMatcher;
    /** Article id to the id of the story holding it. */
    storyOf: Map<string, string>;
    /** Content hash to article id. */
    byHash: Map<string, string>;
  };

  /**
   * Brings the dedup indexes up to date with the store. Articles another instance stored
   * since the last run are added, so its stories are matched instead of duplicated.
   */
  async function syncFromStore(state: DedupState): Promise<DedupState> {
    const stories = await repository.listStories();
    for (const story of stories) {
      for (const id of story.articleIds) {
        if (state.storyOf.has(id)) {
          state.storyOf.set(id, story.id);
          continue;
        }
        const article = await repository.getArticle(id);
        if (!article) continue;
        state.matcher.add(story.id, article);
        state.storyOf.set(article.id, story.id);
        state.byHash.set(article.contentHash, article.id);
      }
    }
    return state;
  }

  async function load(): Promise<DedupState> {
    // A run a crash cut short left a journal (stores without transactions): finish it first.
    const finished = await repository.finishInterruptedBatches();
    if (finished > 0)
      log.warn({ batches: finished }, 'finished ingest batches an earlier run left half-written');
    const state: DedupState = { matcher: dedup.matcher, storyOf: new Map(), byHash: new Map() };
    if (!dedup.persistent) return syncFromStore(state);
    // A replica is filled from the change log (from the store once, the first time).
    if (dedup.catchUp) await dedup.catchUp();
    else if (!dedup.ready()) await fillPersistentIndex();
    return state;
  }

  /**
   * A store written before the dedup index and the hash index existed: both are filled from
   * it once, then kept with every write.
   */
  async function fillPersistentIndex(): Promise<void> {
    const stories = await repository.listStories();
    for (let i = 0; i < stories.length; i += ARTICLES_PER_COMMIT) {
      const page = stories.slice(i, i + ARTICLES_PER_COMMIT);
      const entries: { storyId: string; article: MatchableArticle }[] = [];
      const articles: StoredArticle[] = [];
      for (const story of page) {
        for (const article of await repository.articlesOf(story)) {
          entries.push({ storyId: story.id, article });
          articles.push(article);
        }
      }
      await repository.commitBatch({ articles, stories: [], alsoWrite: () => dedup.persist(entries) });
    }
    dedup.markReady();
    log.info({ stories: stories.length }, 'dedup index filled from the store');
  }

  /** The story holding a stored article: known from the indexes, else (another instance wrote it) from the store. */
  async function storyIdOf(state: DedupState, articleId: string): Promise<string | undefined> {
    const known = state.storyOf.get(articleId);
    if (known !== undefined) return known;
    const storyId = (await repository.getArticle(articleId))?.storyId;
    if (storyId !== undefined) state.storyOf.set(articleId, storyId);
    return storyId;
  }

  async function fetchFullText(prepared: PreparedArticle, sourceName: string): Promise<PreparedArticle> {
    const url = prepared.article.url;
    if (!url) return prepared;
    try {
      const page = await fetcher.fetch(url, { accept: 'page' });
      if (page.status !== 'ok') return prepared;
      return upgradeTeaser(prepared, extractArticleFromHtml(page.body, page.url), sourceName);
    } catch (error) {
      // The teaser is still worth keeping; the page may come back next run.
      log.warn({ url, err: describeError(error) }, 'teaser page could not be fetched');
      return prepared;
    }
  }

  function tagStory(story: Story, articles: readonly StoredArticle[], sourceTopics: string[]): Story {
    const article = representativeArticle(articles);
    const tags = tagger.tag({
      title: story.title,
      paragraphs: article?.paragraphs ?? [],
      sourceTopics,
      ...(article?.label === undefined ? {} : { label: article.label }),
    });
    return { ...story, topics: tags.sections, entities: tags.entities };
  }

  async function ingestNow(
    inputs: readonly RawInput[],
    source: SourceMeta,
    ingestOptions: IngestOptions,
  ): Promise<IngestReport> {
    // A persistent index is current by construction; an in-memory one reads what other
    // instances stored since the last run.
    const firstRun = loaded === undefined;
    const state = loaded
      ? dedup.persistent
        ? await loaded
        : await syncFromStore(await loaded)
      : await (loaded = load());
    // A replica reads what other instances (and this one's earlier runs) stored since.
    if (!firstRun && dedup.catchUp) await dedup.catchUp();
    // With a persistent index the store answers every lookup: the maps are only this run's
    // cache, so a bulk import of many runs does not keep every article id it ever wrote.
    if (dedup.persistent) {
      state.storyOf.clear();
      state.byHash.clear();
    }
    dedup.beginRun();
    const report = emptyReport();
    /** Every story this run has written or is about to write, newest version. */
    const latest = new Map<string, Story>();
    /** The stories and new articles of the batch not yet committed. */
    let batchStories = new Map<string, Story>();
    let batchArticles = new Map<string, StoredArticle>();
    /** The batch's new articles as the dedup index keeps them. */
    let batchMatchables: { storyId: string; article: MatchableArticle }[] = [];
    const changedIds = new Set<string>();

    async function storyById(storyId: string): Promise<Story | undefined> {
      return batchStories.get(storyId) ?? latest.get(storyId) ?? (await repository.getStory(storyId));
    }

    /**
     * An article Herald already holds arrived again. From a source another audience reads (a
     * second server's feed, or a shared one), its story becomes visible to that audience too.
     */
    async function alreadyStored(
      storyId: string | undefined,
      title: string,
      sourceName: string,
    ): Promise<void> {
      const story = storyId === undefined ? undefined : await storyById(storyId);
      const audience = story && widenAudience(story.guildIds, source.guildIds);
      if (story && !sameAudience(audience, story.guildIds)) {
        batchStories.set(story.id, withAudience(story, audience));
        report.merged.push({
          title,
          source: sourceName,
          storyId: story.id,
          reason: 'already stored; now shown to this source’s readers too',
        });
        return;
      }
      report.skipped.push({ title, source: sourceName, reason: 'already stored' });
    }

    /** Tags the batch's stories and commits them with their new articles as one unit. */
    async function commitBatch(): Promise<void> {
      if (batchStories.size === 0 && batchArticles.size === 0) return;
      const tagged: Story[] = [];
      for (const story of batchStories.values()) {
        const articles: StoredArticle[] = [];
        for (const id of story.articleIds) {
          const article = batchArticles.get(id) ?? (await repository.getArticle(id));
          if (article) articles.push(article);
        }
        tagged.push(tagStory(story, articles, source.topics));
      }
      const matchables = batchMatchables;
      await repository.commitBatch({
        articles: [...batchArticles.values()],
        stories: tagged,
        alsoWrite: () => dedup.persist(matchables),
      });
      for (const story of tagged) {
        latest.set(story.id, story);
        changedIds.add(story.id);
      }
      for (const article of batchArticles.values()) {
        state.storyOf.set(article.id, article.storyId);
        state.byHash.set(article.contentHash, article.id);
      }
      log.debug(
        { source: source.name, articles: batchArticles.size, stories: tagged.length },
        'ingest batch committed',
      );
      batchStories = new Map();
      batchArticles = new Map();
      batchMatchables = [];
    }

    const prepared = prepareArticles(inputs, {
      teaserWords: options.teaserWords,
      maxArticleChars: options.maxArticleChars ?? DEFAULT_MAX_ARTICLE_CHARS,
    });
    for (const failure of prepared.failures)
      report.failed.push({ source: failure.sourceName, message: failure.message });
    for (const skip of prepared.skipped)
      report.skipped.push({
        title: skip.title,
        source: skip.sourceName,
        reason: SKIP_REASONS[skip.reason] ?? skip.reason,
      });

    const articles: PreparedArticle[] = [];
    let pageFetches = 0;
    for (const item of prepared.articles) {
      // The store is asked too: another instance sharing it may have stored the article since
      // this one built its indexes.
      const storedIn = await storyIdOf(state, item.id);
      if (storedIn !== undefined) {
        await alreadyStored(storedIn, item.article.title, item.sourceName);
        continue;
      }
      const fetchPage =
        item.needsFullText && ingestOptions.fetchTeasers === true && pageFetches < MAX_PAGE_FETCHES_PER_BATCH;
      if (fetchPage) pageFetches += 1;
      articles.push(
        capArticleText(
          fetchPage ? await fetchFullText(item, item.sourceName) : item,
          options.maxArticleChars ?? DEFAULT_MAX_ARTICLE_CHARS,
        ),
      );
    }

    // Same text under another id: the hash index is a point read, never a scan.
    const storedByHash = new Map<string, string>();
    for (const item of articles) {
      const id = state.byHash.get(item.contentHash) ?? (await repository.articleIdByHash(item.contentHash));
      if (id !== undefined) storedByHash.set(item.contentHash, id);
    }
    const decisions = planStories(articles, {
      matcher: state.matcher,
      findStored: (p) =>
        state.storyOf.has(p.id) ? p.id : hashIdentifies(p) ? storedByHash.get(p.contentHash) : undefined,
    });
    const fetchedAt = new Date(now()).toISOString();
    const maxAgeMs = options.maxAgeHours * 3_600_000;

    for (const decision of decisions) {
      const { prepared: item } = decision;
      const title = item.article.title;
      if (decision.kind === 'already-stored') {
        await alreadyStored(await storyIdOf(state, decision.storedId), title, item.sourceName);
        continue;
      }
      const ref: SourceRef = {
        name: item.sourceName === source.name || !item.sourceName ? source.name : item.sourceName,
      };
      if (item.article.url) ref.url = item.article.url;
      const stored: StoredArticle = {
        ...item.article,
        id: item.id,
        source: ref,
        storyId: decision.storyId,
        contentHash: item.contentHash,
        fetchedAt,
        sourceTopics: source.topics,
      };
      const publishedAt =
        item.article.publishedAt && Date.parse(item.article.publishedAt) <= now()
          ? item.article.publishedAt
          : fetchedAt;
      const old = ingestOptions.ageLimit === true && now() - Date.parse(publishedAt) > maxAgeMs;
      batchArticles.set(stored.id, stored);
      batchMatchables.push({ storyId: decision.storyId, article: item.article });

      const existing = await storyById(decision.storyId);
      let story: Story;
      // A "new" story whose id is already stored (written by another instance) is merged into.
      if (existing) {
        story = mergeIntoStory(existing, stored, ref, source, publishedAt, fetchedAt);
        report.merged.push({
          title,
          source: ref.name,
          storyId: story.id,
          reason: `merged into "${existing.title}"`,
        });
      } else {
        story = {
          id: decision.storyId,
          title,
          articleIds: [stored.id],
          sources: [ref],
          publishedAt,
          firstSeenAt: fetchedAt,
          updatedAt: fetchedAt,
          contentHash: stored.contentHash,
          topics: [],
          entities: [],
          sourceWeight: source.weight,
          featured: source.featured,
          ...(stored.url ? { url: stored.url } : {}),
          ...(stored.imageUrl ? { imageUrl: stored.imageUrl } : {}),
          ...(ingestOptions.backlog || old ? { backlog: true } : {}),
          ...(source.sample ? { sample: true } : {}),
          ...(source.guildIds ? { guildIds: [...source.guildIds].sort() } : {}),
        };
        report.added.push({ title, source: ref.name, storyId: story.id });
      }
      batchStories.set(story.id, story);
      if (batchArticles.size >= ARTICLES_PER_COMMIT) await commitBatch();
    }
    await commitBatch();
    report.changedStoryIds.push(...changedIds);
    return report;
  }

  return {
    ingest(inputs, source, ingestOptions = {}) {
      const run = queue.then(() => ingestNow(inputs, source, ingestOptions));
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

/** A syndicated copy joins its story: sources listed once, the fullest copy represents it. */
function mergeIntoStory(
  story: Story,
  article: StoredArticle,
  ref: SourceRef,
  source: SourceMeta,
  publishedAt: string,
  at: string,
): Story {
  const sources = story.sources.some((s) => s.name.toLowerCase() === ref.name.toLowerCase())
    ? story.sources
    : [...story.sources, ref];
  const { sample: _wasSample, ...kept } = story;
  const merged: Story = {
    // A copy from a real source makes the story real news.
    ...withAudience(
      source.sample && story.sample ? story : kept,
      widenAudience(story.guildIds, source.guildIds),
    ),
    // A batch finished from its journal may already list the article.
    articleIds: story.articleIds.includes(article.id) ? story.articleIds : [...story.articleIds, article.id],
    sources,
    publishedAt: Date.parse(publishedAt) < Date.parse(story.publishedAt) ? publishedAt : story.publishedAt,
    updatedAt: at,
    sourceWeight: Math.max(story.sourceWeight, source.weight),
    featured: story.featured || source.featured,
  };
  if (!merged.imageUrl && article.imageUrl) merged.imageUrl = article.imageUrl;
  if (!merged.url && article.url) merged.url = article.url;
  return merged;
}
