/**
 * `/sources import` and `/sources export`: admins moving from another reader bring their feeds
 * as an OPML file, and can take Herald's list elsewhere the same way. An import adds each feed
 * as `/sources add` would (read once at once, refused with the reason when it does not work),
 * one after another so the per-server limit and duplicate checks see every earlier add.
 */
import path from 'node:path';
import { isUserError, UserError } from '../errors.ts';
import { decodeBody } from './fetch/decode-body.ts';
import { readLocalFile } from './local-files.ts';
import type { Logger } from '../logger.ts';
import { buildOpml, parseOpml, type OpmlSource } from './opml.ts';
import { isFetchError, type SafeFetcher } from './safe-fetch.ts';
import type { SourceAdmin } from './source-admin.ts';
import type { RegisteredSource, SourceRegistry } from './source-registry.ts';

/** Larger than any honest reading list (a thousand feeds is about 200 KiB). */
export const OPML_MAX_BYTES = 1024 * 1024;
/** Feeds read from one file; the rest are reported, not silently dropped. */
export const OPML_MAX_FEEDS = 100;

/** A file attached to a command, as Discord describes it. */
export interface OpmlAttachment {
  url: string;
  name: string;
  /** Bytes, as Discord reports them before the download. */
  size: number;
}

/** What became of one feed listed in the file. */
export interface OpmlImportLine {
  url: string;
  /** The name it was added under, or the file's title for it. */
  name: string | undefined;
  added: boolean;
  /** Stories stored by the first read when added; the reason when refused. */
  detail: string;
  /** A MonitoRSS feed's channel: the channel feed made for it (its id), or why none was. */
  channelFeed?: { channelId: string; feedId?: string; detail: string };
  /** What the file said about this feed that Herald could not keep, one item each. */
  notKept?: string[];
}

export interface OpmlExport {
  opml: string;
  sources: OpmlSource[];
  /** Sources with no feed URL (local folders), which OPML cannot carry. */
  leftOut: number;
}

export interface OpmlService {
  /** Downloads an attached OPML file (size-capped, through the safe fetcher) and imports it. */
  importAttachment(guildId: string, attachment: OpmlAttachment): Promise<OpmlImportLine[]>;
  /** Imports OPML text already in hand. */
  importText(guildId: string, text: string): Promise<OpmlImportLine[]>;
  /** Reads a local OPML file (the terminal and the command line have paths, not attachments). */
  importFile(guildId: string, file: string): Promise<OpmlImportLine[]>;
  /** A server's sources (the configured ones and its own), or every source without a server. */
  exportSources(guildId: string | undefined): Promise<OpmlExport>;
}

export interface OpmlServiceDeps {
  sourceAdmin: Pick<SourceAdmin, 'add'>;
  /**
   * Imports a JSON export (MonitoRSS's) instead, when the file is JSON: its feeds become sources
   * and channel feeds (src/feeds/monitorss-import.ts). Without it a JSON file is refused.
   */
  importJson?: (guildId: string, text: string) => Promise<OpmlImportLine[]>;
  registry: Pick<SourceRegistry, 'all' | 'forGuild'>;
  /** Capped at OPML_MAX_BYTES in production; the declared size and the body are checked too. */
  fetcher: SafeFetcher;
  log: Logger;
  now: () => number;
}

const kib = (bytes: number): string => `${Math.ceil(bytes / 1024)} KiB`;

export function createOpmlService(deps: OpmlServiceDeps): OpmlService {
  async function importText(guildId: string, text: string): Promise<OpmlImportLine[]> {
    // OPML is XML: a file that opens as JSON is another reader's export.
    if (/^\s*[[{]/.test(text)) {
      if (!deps.importJson)
        throw new UserError('That file is JSON; I import OPML files and MonitoRSS exports only.');
      return deps.importJson(guildId, text);
    }
    const feeds = parseOpml(text);
    if (feeds.length === 0) throw new UserError('That OPML file lists no feeds (no outline has an xmlUrl).');
    const lines: OpmlImportLine[] = [];
    for (const [index, feed] of feeds.entries()) {
      if (index >= OPML_MAX_FEEDS) {
        lines.push({
          url: feed.url,
          name: feed.title,
          added: false,
          detail: `not read: one import takes at most ${OPML_MAX_FEEDS} feeds`,
        });
        continue;
      }
      try {
        const result = await deps.sourceAdmin.add(guildId, {
          url: feed.url,
          topics: [],
          ...(feed.title ? { name: feed.title.slice(0, 100) } : {}),
        });
        lines.push({
          url: feed.url,
          name: result.name,
          added: true,
          detail: `${result.stored} ${result.stored === 1 ? 'story' : 'stories'} stored`,
        });
      } catch (error) {
        if (!isUserError(error))
          deps.log.error({ guildId, url: feed.url, err: error }, 'OPML import: adding a feed failed');
        lines.push({
          url: feed.url,
          name: feed.title,
          added: false,
          detail: isUserError(error) ? error.message : 'something went wrong on my side (logged)',
        });
      }
    }
    return lines;
  }

  /** The checks a downloaded attachment gets, for text read from a file too. */
  function checkedBody(name: string, body: string): string {
    if (Buffer.byteLength(body) > OPML_MAX_BYTES)
      throw new UserError(`${name} is larger than ${kib(OPML_MAX_BYTES)}, the most an OPML file may be.`);
    // Served as octet-stream, a picture or archive attached by mistake decodes to text with NULs.
    if (body.includes('\u0000'))
      throw new UserError(
        `${name} is not a text file; attach the .opml file your feed reader exported (or a MonitoRSS .json export).`,
      );
    return body;
  }

  return {
    importText,
    async importFile(guildId, file) {
      let body: string;
      try {
        body = decodeBody(readLocalFile(file, OPML_MAX_BYTES), undefined);
      } catch (error) {
        if (isUserError(error)) throw error;
        throw new UserError(`I could not read ${file}: ${(error as Error).message}`);
      }
      return importText(guildId, checkedBody(path.basename(file), body));
    },
    async importAttachment(guildId, attachment) {
      if (attachment.size > OPML_MAX_BYTES) {
        throw new UserError(
          `${attachment.name} is ${kib(attachment.size)}; an OPML file may be at most ${kib(OPML_MAX_BYTES)}.`,
        );
      }
      let body: string;
      try {
        const result = await deps.fetcher.fetch(attachment.url, { accept: 'attachment' });
        if (result.status !== 'ok') throw new Error('the attachment answered 304 to a first request');
        body = result.body;
      } catch (error) {
        deps.log.warn({ guildId, err: error }, 'OPML import: attachment download failed');
        throw new UserError(
          `I could not download ${attachment.name}: ${isFetchError(error) ? error.message : 'the download failed.'}`,
        );
      }
      return importText(guildId, checkedBody(attachment.name, body));
    },
    async exportSources(guildId) {
      const registered: RegisteredSource[] = guildId
        ? await deps.registry.forGuild(guildId)
        : await deps.registry.all();
      const sources = registered.flatMap((s) =>
        s.config.url ? [{ name: s.config.name, url: s.config.url }] : [],
      );
      const title = guildId ? 'Herald sources for this server' : 'Herald sources';
      return {
        opml: buildOpml(title, sources, new Date(deps.now())),
        sources,
        leftOut: registered.length - sources.length,
      };
    },
  };
}
