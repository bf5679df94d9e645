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
import { countNewsFiles, folderWindows, skippedFiles } from './folder-windows.ts';
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
  /**
   * Files, directories or URLs from the command line. A directory is read and committed in
   * windows (memory stays flat whatever its size); the report's lists keep at most
   * REPORT_ITEMS_KEPT items each, `counts` has the totals.
   */
  ingestLocations(
    locations: readonly string[],
    onProgress?: (progress: IngestProgress) => void,
  ): Promise<BulkIngestReport>;
  /**
   * The bundled sample news in `dir`, marked as sample: it ranks below any real story, and a
   * real copy of one of its stories makes that story real.
   */
  ingestSampleNews(dir: string): Promise<IngestReport>;
  lastReport(): { at: string; report: IngestReport } | undefined;
  /** Resolves when no run is in flight (shutdown waits for it before closing the store). */
  idle(): Promise<void>;
}

/** Where an ingest of command-line locations stands; told after every window and location. */
export interface IngestProgress {
  location: string;
  /** Files of this location done so far (1 for a file or URL). */
  files: number;
  /** News files in this location, when it is a directory. */
  totalFiles?: number;
  /** Location finished. */
  done: boolean;
  counts: IngestCounts;
}

export interface IngestCounts {
  added: number;
  merged: number;
  skipped: number;
  failed: number;
}

export type BulkIngestReport = IngestReport & { counts: IngestCounts };

/** Items each list of a bulk report keeps (the first ones); the counts cover all. */
export const REPORT_ITEMS_KEPT = 1000;

function createReportTally(): { add(part: IngestReport): void; report(): BulkIngestReport } {
  const kept = emptyReport();
  const counts: IngestCounts = { added: 0, merged: 0, skipped: 0, failed: 0 };
  const keep = <T>(list: T[], items: readonly T[]): void => {
    const room = REPORT_ITEMS_KEPT - list.length;
    if (room > 0) list.push(...items.slice(0, room));
  };
  return {
    add(part) {
      counts.added += part.added.length;
      counts.merged += part.merged.length;
      counts.skipped += part.skipped.length;
      counts.failed += part.failed.length;
      keep(kept.added, part.added);
      keep(kept.merged, part.merged);
      keep(kept.skipped, part.skipped);
      keep(kept.failed, part.failed);
      keep(kept.changedStoryIds, part.changedStoryIds);
    },
    report: () => ({ ...kept, counts: { ...counts } }),
  };
}

function countsOf(report: IngestReport): IngestCounts {
  return {
    added: report.added.length,
    merged: report.merged.length,
    skipped: report.skipped.length,
    failed: report.failed.length,
  };
}

function addInto(total: IngestReport, part: IngestReport): void {
  total.added.push(...part.added);
  total.merged.push(...part.merged);
  total.skipped.push(...part.skipped);
  total.failed.push(...part.failed);
  total.changedStoryIds.push(...part.changedStoryIds);
}

function isDirectory(location: string): boolean {
  try {
    return statSync(location).isDirectory();
  } catch {
    throw new UserError(`${location}: no such file or directory`);
  }
}

/** What files handed over on the command line are: an unweighted source named after them. */
function localMeta(name: string): SourceMeta {
  return { name, weight: 1, featured: false, topics: [] };
}

export function createIngestJob(options: IngestJobOptions): IngestJob {
  const { registry, ingestor, fetcher, log, now } = options;

  /** A directory in windows: read, matched and committed FILES_PER_WINDOW files at a time. */
  async function ingestFolder(
    dir: string,
    configured: RegisteredSource | undefined,
    settle: (part: IngestReport) => Promise<void>,
    onWindow: (files: number, totalFiles: number) => void,
  ): Promise<void> {
    const totalFiles = await countNewsFiles(dir);
    const read = (file: string): string =>
      decodeBody(readLocalFile(file, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES), undefined);
    // A configured path keeps its configured name, weight and topics.
    const meta = configured ? sourceMeta(configured) : localMeta(path.basename(path.resolve(dir)));
    const skipped = emptyReport();
    for await (const { file, reason } of skippedFiles(dir))
      skipped.skipped.push({ title: file, source: dir, reason });
    if (skipped.skipped.length > 0) await settle(skipped);
    let files = 0;
    const windowOptions = configured ? { read, sourceName: configured.config.name } : { read };
    for await (const window of folderWindows(dir, windowOptions)) {
      const report = await ingestor.ingest(window.inputs, meta);
      for (const message of window.refused) report.failed.push({ source: dir, message });
      await settle(report);
      files += window.files;
      onWindow(files, totalFiles);
    }
  }
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

  /** A configured file read whole (one file is one window). */
  async function readConfiguredFile(
    file: string,
    source: RegisteredSource,
  ): Promise<{ report: IngestReport; counts: IngestCounts }> {
    const refused: string[] = [];
    const inputs = readLocalInputs(file, source.config.name, options.maxFileBytes, (message) =>
      refused.push(message),
    );
    const report = await ingestor.ingest(inputs, sourceMeta(source));
    for (const message of refused) report.failed.push({ source: source.config.name, message });
    return { report, counts: countsOf(report) };
  }

  /**
   * A configured folder, on the schedule as on the command line: in windows, each window's
   * changes handed on (answer index, subscriptions) as it commits. The report keeps counts and
   * bounded lists, and no story ids: they were handed on already.
   */
  async function readConfiguredFolder(
    dir: string,
    source: RegisteredSource,
  ): Promise<{ report: IngestReport; counts: IngestCounts }> {
    const tally = createReportTally();
    await ingestFolder(
      dir,
      source,
      async (part) => {
        tally.add({ ...part, changedStoryIds: [] });
        if (part.changedStoryIds.length > 0) await options.onChanged(part);
      },
      () => undefined,
    );
    const { counts, ...report } = tally.report();
    return { report, counts };
  }

  async function runSource(source: RegisteredSource, pagesAllowed = false): Promise<IngestReport> {
    try {
      if (source.config.url) return await fetchSource(source, pagesAllowed);
      const location = source.config.path as string;
      const { report, counts } = isDirectory(location)
        ? await readConfiguredFolder(location, source)
        : await readConfiguredFile(location, source);
      const state = await registry.state(source.key);
      const at = new Date(now()).toISOString();
      await registry.saveState(source.key, {
        ...state,
        health: recordSuccess(state.health, now()),
        lastRun: { at, ...counts },
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
      const tally = createReportTally();
      const counted = (): IngestCounts => tally.report().counts;
      /** Tallies a part and hands what it changed on at once (index, subscribers), window by window. */
      const settle = async (part: IngestReport): Promise<void> => {
        tally.add(part);
        if (part.changedStoryIds.length > 0) await options.onChanged(part);
      };
      for (const location of locations) {
        // One bad argument fails alone, with its reason; the others are still ingested.
        try {
          if (/^https?:/i.test(location)) {
            const host = parseLocationUrl(location).hostname;
            await settle(
              await runSource(
                {
                  key: location,
                  config: { name: host, url: location, weight: 1, featured: false, topics: [] },
                },
                true,
              ),
            );
          } else if (isDirectory(location)) {
            await ingestFolder(location, await configuredSourceAt(location), settle, (files, totalFiles) =>
              onProgress?.({ location, files, totalFiles, done: false, counts: counted() }),
            );
          } else {
            const refused: string[] = [];
            // A configured path keeps its configured name, weight and topics.
            const configured = await configuredSourceAt(location);
            const inputs = readLocalInputs(
              location,
              configured?.config.name,
              options.maxFileBytes,
              (message) => refused.push(message),
            );
            const report = await ingestor.ingest(
              inputs,
              configured
                ? sourceMeta(configured)
                : localMeta(inputs[0]?.sourceName ?? path.basename(location)),
            );
            for (const message of refused) report.failed.push({ source: location, message });
            await settle(report);
          }
        } catch (error) {
          if (!(error instanceof UserError)) log.error({ location, err: error }, 'ingest failed');
          const report = emptyReport();
          report.failed.push({
            source: location,
            message: error instanceof UserError ? error.message : describeError(error),
          });
          tally.add(report);
        }
        onProgress?.({ location, files: 1, done: true, counts: counted() });
      }
      return tally.report();
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
