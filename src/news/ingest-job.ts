import { statSync } from 'node:fs';
import path from 'node:path';
import { describeError, UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { createLeaseHolder, takeLease, type LeaseHolder } from '../store/leases.ts';
import type { ClaimStore } from '../store/types.ts';
import { emptyReport, type ArticleIngestor, type IngestReport, type SourceMeta } from './ingest-service.ts';
import type { RawInput } from './pipeline.ts';
import type { StoryRepository } from './story-repository.ts';
import { decodeBody } from './fetch/decode-body.ts';
import { isFetchError, type SafeFetcher } from './safe-fetch.ts';
import { readLocalFile } from './local-files.ts';
import { KIND_BY_EXTENSION, loadSampleNews, localInput, NOT_NEWS_FILE } from './sample-news.ts';
import { isDue, recordFailure, recordSuccess, type BackoffPolicy } from './source-health.ts';
import type { RegisteredSource, SourceRegistry, SourceState } from './source-registry.ts';

/** Files are held to the same cap as fetched bodies unless the job is given its own. */
const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

/**
 * Reads a file, or every news file in a directory, as raw inputs; each file at most maxBytes
 * and text. `sourceName` is the configured source's name: files named "outlet--slug" keep
 * their outlet, the others show this name. In a directory, a file that is refused (too large, binary) is told to
 * `onRefused` and left out, so it does not take the other files down with it.
 */
export function readLocalInputs(
  location: string,
  sourceName?: string,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
  onRefused?: (message: string) => void,
  onSkipped?: (file: string, reason: string) => void,
): RawInput[] {
  // Charset found as for a fetched body (BOM, XML declaration, meta charset, else UTF-8 or windows-1252).
  const read = (file: string): string => decodeBody(readLocalFile(file, maxBytes), undefined);
  let stats;
  try {
    stats = statSync(location);
  } catch {
    throw new UserError(`${location}: no such file or directory`);
  }
  if (stats.isDirectory()) {
    const refused = new Set<string>();
    const readOrSkip = (file: string): string => {
      try {
        return read(file);
      } catch (error) {
        if (!(error instanceof UserError) || onRefused === undefined) throw error;
        onRefused(error.message);
        refused.add(file);
        return '';
      }
    };
    return loadSampleNews(location, sourceName, readOrSkip, onSkipped).filter(
      (input) => refused.size === 0 || input.body !== '',
    );
  }
  const kind = KIND_BY_EXTENSION[path.extname(location).toLowerCase()];
  if (!kind) throw new UserError(`${location}: ${NOT_NEWS_FILE}`);
  return [localInput(location, kind, read(location), sourceName)];
}

function parseLocationUrl(location: string): URL {
  try {
    return new URL(location);
  } catch {
    throw new UserError(`${location}: not a valid URL`);
  }
}

/** A fetched body is a feed unless it is plainly an HTML page. */
function kindOfFetched(contentType: string, body: string): RawInput['kind'] {
  if (/html/i.test(contentType) && !/^\s*<\?xml/i.test(body)) return 'html';
  if (/text\/plain/i.test(contentType)) return 'text';
  return 'feed';
}

export function sourceMeta(source: RegisteredSource): SourceMeta {
  const { config } = source;
  const meta: SourceMeta = {
    name: config.name,
    weight: config.weight,
    featured: config.featured,
    topics: config.topics,
  };
  if (config.url) meta.url = config.url;
  if (source.guildIds) meta.guildIds = source.guildIds;
  return meta;
}

export interface IngestJobOptions {
  registry: SourceRegistry;
  ingestor: ArticleIngestor;
  fetcher: SafeFetcher;
  claims: ClaimStore;
  log: Logger;
  now: () => number;
  backoff: BackoffPolicy;
  /** Told about every story a run created or changed (answer index, subscriptions). */
  onChanged: (report: IngestReport) => Promise<void>;
  /** How long one instance holds the run (several instances on Redis take turns). */
  runClaimMs: number;
  /** Who takes the run lease (default: this process). */
  leaseHolder?: LeaseHolder;
  repository: StoryRepository;
  /** Stories not updated for this long are removed after a run. */
  retentionMs: number;
  /** Largest local file read (default 5 MiB, like a fetched body). */
  maxFileBytes?: number;
}

export interface IngestJob {
  /** Ingests every due source; resolves to the run's report (empty when another instance ran it). */
  runAll(): Promise<IngestReport & { ran: boolean }>;
  /** One source now, regardless of backoff (`/sources add` tries the source at once). */
  runSource(source: RegisteredSource): Promise<IngestReport>;
  /** Files, directories or URLs from the command line. */
  ingestLocations(locations: readonly string[], onProgress?: (line: string) => void): Promise<IngestReport>;
  /**
   * The bundled sample news in `dir`, marked as sample: it ranks below any real story, and a
   * real copy of one of its stories makes that story real.
   */
  ingestSampleNews(dir: string): Promise<IngestReport>;
  lastReport(): { at: string; report: IngestReport } | undefined;
  /** Resolves when no run is in flight (shutdown waits for it before closing the store). */
  idle(): Promise<void>;
}

function addInto(total: IngestReport, part: IngestReport): void {
  total.added.push(...part.added);
  total.merged.push(...part.merged);
  total.skipped.push(...part.skipped);
  total.failed.push(...part.failed);
  total.changedStoryIds.push(...part.changedStoryIds);
}

export function createIngestJob(options: IngestJobOptions): IngestJob {
  const { registry, ingestor, fetcher, log, now } = options;
  const holder = options.leaseHolder ?? createLeaseHolder();
  let running: Promise<IngestReport & { ran: boolean }> | undefined;
  let last: { at: string; report: IngestReport } | undefined;

  /**
   * A source is a feed: an HTML page served in its place is reported as "not a feed". A URL
   * handed to `ingest` on the command line may also be a single article page.
   */
  async function fetchSource(source: RegisteredSource, pagesAllowed: boolean): Promise<IngestReport> {
    const url = source.config.url as string;
    const state = await registry.state(source.key);
    const result = await fetcher.fetch(url, {
      accept: pagesAllowed ? 'any' : 'feed',
      ...(state.health.etag ? { etag: state.health.etag } : {}),
      ...(state.health.lastModified ? { lastModified: state.health.lastModified } : {}),
    });
    const at = new Date(now()).toISOString();
    if (result.status === 'not-modified') {
      await registry.saveState(source.key, { ...state, health: recordSuccess(state.health, now()) });
      return emptyReport();
    }
    const kind = pagesAllowed ? kindOfFetched(result.contentType, result.body) : 'feed';
    const input: RawInput = {
      kind,
      body: result.body,
      url: result.url,
      sourceName: source.config.name,
      contentType: result.contentType,
    };
    // A URL handed to `ingest` is named after its host until the page says what it is called.
    if (pagesAllowed) input.nameIsGuess = true;
    // The first ingest of a feed stores its backlog so old items never flood digests.
    const backlog = state.firstIngestAt === undefined;
    const report = await ingestor.ingest([input], sourceMeta(source), {
      backlog,
      ageLimit: true,
      fetchTeasers: true,
    });
    const validators = {
      ...(result.etag ? { etag: result.etag } : {}),
      ...(result.lastModified ? { lastModified: result.lastModified } : {}),
    };
    const feedError = report.failed[0]?.message;
    const health = feedError
      ? recordFailure(state.health, feedError, now(), options.backoff)
      : recordSuccess(state.health, now(), validators);
    const next: SourceState = {
      health,
      lastRun: {
        at,
        added: report.added.length,
        merged: report.merged.length,
        skipped: report.skipped.length,
        failed: report.failed.length,
        ...(feedError ? { error: feedError } : {}),
      },
    };
    const firstIngestAt = state.firstIngestAt ?? (feedError ? undefined : at);
    if (firstIngestAt) next.firstIngestAt = firstIngestAt;
    await registry.saveState(source.key, next);
    return report;
  }

  async function runSource(source: RegisteredSource, pagesAllowed = false): Promise<IngestReport> {
    try {
      if (source.config.url) return await fetchSource(source, pagesAllowed);
      const refused: string[] = [];
      const inputs = readLocalInputs(
        source.config.path as string,
        source.config.name,
        options.maxFileBytes,
        (message) => refused.push(message),
      );
      const report = await ingestor.ingest(inputs, sourceMeta(source));
      for (const message of refused) report.failed.push({ source: source.config.name, message });
      const state = await registry.state(source.key);
      const at = new Date(now()).toISOString();
      await registry.saveState(source.key, {
        ...state,
        health: recordSuccess(state.health, now()),
        lastRun: {
          at,
          added: report.added.length,
          merged: report.merged.length,
          skipped: report.skipped.length,
          failed: report.failed.length,
        },
      });
      return report;
    } catch (error) {
      const message =
        isFetchError(error) || error instanceof UserError
          ? error.message
          : 'internal error while ingesting (logged)';
      if (!(isFetchError(error) || error instanceof UserError))
        log.error({ source: source.key, err: error }, 'ingest failed');
      const state = await registry.state(source.key);
      await registry.saveState(source.key, {
        ...state,
        health: recordFailure(state.health, message, now(), options.backoff),
      });
      const report = emptyReport();
      report.failed.push({ source: source.config.name, message });
      return report;
    }
  }

  /** Retention: stories nobody updated for retentionMs leave the store (and the answer index). */
  async function pruneExpired(): Promise<string[]> {
    const cutoff = now() - options.retentionMs;
    const removed: string[] = [];
    // Collected first, deleted after: deleting while the index or the store is being read
    // could skip rows. Only the expired stories are read (an index where the store keeps one).
    const expired = [];
    for await (const story of options.repository.storiesUpdatedBefore(cutoff)) expired.push(story);
    for (const story of expired) {
      await options.repository.deleteStory(story);
      removed.push(story.id);
    }
    if (removed.length > 0) log.info({ removed: removed.length }, 'expired stories removed');
    return removed;
  }

  async function runAllNow(): Promise<IngestReport & { ran: boolean }> {
    const lease = await takeLease(options.claims, 'ingest-run', options.runClaimMs, holder);
    if (lease.token === undefined) {
      log.info(
        { heldBy: lease.heldBy ?? 'unknown' },
        'ingest run skipped: another process holds the run lease (it ran within the interval)',
      );
      return { ...emptyReport(), ran: false };
    }
    const total = emptyReport();
    for (const source of await registry.all()) {
      if (source.config.url && !isDue((await registry.state(source.key)).health, now())) continue;
      const report = await runSource(source);
      addInto(total, report);
      if (report.failed.length > 0) log.warn({ source: source.key, failed: report.failed }, 'source failed');
    }
    total.changedStoryIds.push(...(await pruneExpired()));
    last = { at: new Date(now()).toISOString(), report: total };
    log.info(
      {
        added: total.added.length,
        merged: total.merged.length,
        skipped: total.skipped.length,
        failed: total.failed.length,
      },
      'ingest run finished',
    );
    if (total.changedStoryIds.length > 0) await options.onChanged(total);
    return { ...total, ran: true };
  }

  return {
    runAll() {
      // Never overlapping itself: a tick that comes while a run is going joins it.
      running ??= runAllNow().finally(() => {
        running = undefined;
      });
      return running;
    },
    runSource: async (source) => {
      const report = await runSource(source);
      if (report.changedStoryIds.length > 0) await options.onChanged(report);
      return report;
    },
    async ingestLocations(locations, onProgress) {
      const configuredSourceAt = async (location: string) => {
        const wanted = path.resolve(location);
        return (await registry.all()).find(
          (source) => source.config.path !== undefined && path.resolve(source.config.path) === wanted,
        );
      };
      const total = emptyReport();
      for (const location of locations) {
        let report: IngestReport;
        // One bad argument fails alone, with its reason; the others are still ingested.
        try {
          if (/^https?:/i.test(location)) {
            const host = parseLocationUrl(location).hostname;
            report = await runSource(
              {
                key: location,
                config: { name: host, url: location, weight: 1, featured: false, topics: [] },
              },
              true,
            );
          } else {
            const refused: string[] = [];
            const skipped: { file: string; reason: string }[] = [];
            // A configured path keeps its configured name, weight and topics.
            const configured = await configuredSourceAt(location);
            const inputs = readLocalInputs(
              location,
              configured?.config.name,
              options.maxFileBytes,
              (message) => refused.push(message),
              (file, reason) => skipped.push({ file, reason }),
            );
            report = await ingestor.ingest(
              inputs,
              configured
                ? sourceMeta(configured)
                : {
                    name: inputs[0]?.sourceName ?? path.basename(location),
                    weight: 1,
                    featured: false,
                    topics: [],
                  },
            );
            for (const message of refused) report.failed.push({ source: location, message });
            for (const { file, reason } of skipped)
              report.skipped.push({ title: file, source: location, reason });
          }
        } catch (error) {
          if (!(error instanceof UserError)) log.error({ location, err: error }, 'ingest failed');
          report = emptyReport();
          report.failed.push({
            source: location,
            message: error instanceof UserError ? error.message : describeError(error),
          });
        }
        onProgress?.(
          `${location}: ${report.added.length} added, ${report.merged.length} merged, ${report.skipped.length} skipped${report.failed.length ? `, failed: ${report.failed.map((f) => f.message).join('; ')}` : ''}`,
        );
        addInto(total, report);
      }
      if (total.changedStoryIds.length > 0) await options.onChanged(total);
      return total;
    },
    async ingestSampleNews(dir) {
      const report = await ingestor.ingest(readLocalInputs(dir, undefined, options.maxFileBytes), {
        name: 'Sample news',
        weight: 1,
        featured: false,
        topics: [],
        sample: true,
      });
      if (report.changedStoryIds.length > 0) await options.onChanged(report);
      return report;
    },
    lastReport: () => last,
    async idle() {
      await running?.catch(() => undefined);
    },
  };
}
