/**
 * `/sources import` of a MonitoRSS export (JSON): admins moving from MonitoRSS keep what maps.
 * Each feed's url becomes a source as `/sources add` makes one; where the export names a channel,
 * a channel feed follows that source there, its message text translated into a template with
 * Herald's placeholders and its word filters into include/exclude. What does not map (custom
 * embeds, webhooks, filters on authors or tags, placeholders Herald has no value for) is listed
 * per feed, never silently dropped. The whole file is checked before anything is stored.
 */
import { z } from 'zod';
import { TERMINAL_CHANNEL_ID, TERMINAL_GUILD_ID } from '../delivery/destination.ts';
import { isUserError, UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { OPML_MAX_FEEDS, type OpmlImportLine } from '../news/opml-service.ts';
import type { SourceAdmin } from '../news/source-admin.ts';
import { fromMonitorRss, parseTemplate, TEMPLATE_MAX_LENGTH } from '../render/templates.ts';
import type { FeedService } from './feed-service.ts';

const monitorRssFeedSchema = z.looseObject({
  url: z.string().trim().min(1),
  title: z.string().optional(),
  /** The Discord channel the feed posted in (an id). */
  channel: z.string().optional(),
  /** The message text, with `{{placeholders}}`. */
  text: z.string().optional(),
  embeds: z.array(z.unknown()).optional(),
  /** Per article field, the words an article must (or, with `!`, must not) contain. */
  filters: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
});
type MonitorRssFeed = z.infer<typeof monitorRssFeedSchema>;

/** A backup object holding the feeds (`{ "feeds": [...] }`); a bare list of feeds is taken too. */
const monitorRssExportSchema = z.looseObject({ feeds: z.array(monitorRssFeedSchema) });

/** Settings read above, and MonitoRSS's own bookkeeping, which means nothing to Herald. */
const HANDLED_KEYS = new Set(['url', 'title', 'channel', 'text', 'embeds', 'filters']);
const BOOKKEEPING_KEYS = new Set(['_id', 'id', '__v', 'guild', 'addedAt', 'createdAt', 'updatedAt']);

/** Article fields whose word filters Herald's include/exclude can carry (they match the story's text). */
const TEXT_FIELDS = new Set(['title', 'description', 'summary', 'content']);

const DISCORD_ID = /^\d{15,25}$/;

export interface MonitorRssImportDeps {
  sourceAdmin: Pick<SourceAdmin, 'add'>;
  /** The name of a source the server already reads from this url, if any. */
  sourceNameFor(guildId: string, url: string): Promise<string | undefined>;
  feeds: Pick<FeedService, 'add' | 'edit'>;
  log: Pick<Logger, 'error'>;
}

/** Parses and checks the whole export; UserError naming what is wrong, before anything is stored. */
export function parseMonitorRssExport(text: string): MonitorRssFeed[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UserError(
      `That file is not valid JSON (${(error as Error).message.slice(0, 120)}). Nothing was added.`,
    );
  }
  const parsed = monitorRssExportSchema.safeParse(Array.isArray(raw) ? { feeds: raw } : raw);
  if (!parsed.success) {
    const where = (parsed.error.issues[0]?.path ?? [])
      .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
      .join('')
      .replace(/^\./, '');
    throw new UserError(
      `That is not a MonitoRSS export: ${where || 'the file'} is missing or not what MonitoRSS writes. Nothing was added.`,
    );
  }
  const { feeds } = parsed.data;
  if (feeds.length === 0) throw new UserError('That MonitoRSS export lists no feeds.');
  return feeds;
}

/** The message text as a Herald template, and what of it could not be kept. */
export function translateMessage(text: string): { template?: string; notKept: string[] } {
  const notKept: string[] = [];
  const translated = fromMonitorRss(text)
    .replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (whole) => {
      notKept.push(`placeholder ${whole.slice(0, 40)} (Herald has no such value; left out)`);
      return '';
    })
    .trim();
  if (translated === '') return { notKept };
  if (translated.length > TEMPLATE_MAX_LENGTH) {
    notKept.push(`message text (longer than ${TEMPLATE_MAX_LENGTH} characters; Herald's default is used)`);
    return { notKept };
  }
  try {
    return { template: parseTemplate(translated).source, notKept };
  } catch (error) {
    if (!isUserError(error)) throw error;
    notKept.push(`message text (${error.message})`);
    return { notKept };
  }
}

/** Word filters on an article's text as include/exclude keywords; the rest listed. */
export function translateFilters(filters: MonitorRssFeed['filters']): {
  include?: string;
  exclude?: string;
  notKept: string[];
} {
  const include = new Set<string>();
  const exclude = new Set<string>();
  const notKept: string[] = [];
  for (const [field, raw] of Object.entries(filters ?? {})) {
    const values = typeof raw === 'string' ? [raw] : raw;
    if (!TEXT_FIELDS.has(field.toLowerCase())) {
      notKept.push(`filter on ${field.slice(0, 40)} (Herald filters on a story's words only)`);
      continue;
    }
    for (const value of values) {
      const negated = value.trim().startsWith('!');
      // `~` marks MonitoRSS's broad match; Herald's keywords match words anywhere in the story.
      const word = value.trim().replace(/^!?~?/, '').trim();
      if (word === '' || word.includes(',') || word.startsWith('/')) {
        notKept.push(`filter "${value.slice(0, 40)}" on ${field.slice(0, 40)}`);
        continue;
      }
      (negated ? exclude : include).add(word);
    }
  }
  return {
    ...(include.size > 0 ? { include: [...include].join(', ') } : {}),
    ...(exclude.size > 0 ? { exclude: [...exclude].join(', ') } : {}),
    notKept,
  };
}

/** Settings of a feed that nothing above reads, named for the report. */
function unreadSettings(feed: MonitorRssFeed): string[] {
  const notKept: string[] = [];
  if (feed.embeds && feed.embeds.length > 0)
    notKept.push('custom embeds (Herald posts its own card; the message text is the template)');
  for (const key of Object.keys(feed)) {
    if (HANDLED_KEYS.has(key) || BOOKKEEPING_KEYS.has(key)) continue;
    notKept.push(`setting ${key.slice(0, 40)}`);
  }
  return notKept;
}

export interface MonitorRssImport {
  importText(guildId: string, text: string): Promise<OpmlImportLine[]>;
}

export function createMonitorRssImport(deps: MonitorRssImportDeps): MonitorRssImport {
  /** The source for a url: added now, or the one the server already reads. */
  async function sourceFor(
    guildId: string,
    feed: MonitorRssFeed,
  ): Promise<{ name: string; added: boolean; detail: string } | { refused: string }> {
    try {
      const result = await deps.sourceAdmin.add(guildId, {
        url: feed.url,
        topics: [],
        ...(feed.title?.trim() ? { name: feed.title.trim().slice(0, 100) } : {}),
      });
      const stories = `${result.stored} ${result.stored === 1 ? 'story' : 'stories'} stored`;
      return { name: result.name, added: true, detail: stories };
    } catch (error) {
      if (!isUserError(error))
        deps.log.error({ guildId, url: feed.url, err: error }, 'MonitoRSS import: adding a feed failed');
      const known = await deps.sourceNameFor(guildId, feed.url);
      if (known !== undefined)
        return { name: known, added: false, detail: `already a source here (${known})` };
      return { refused: isUserError(error) ? error.message : 'something went wrong on my side (logged)' };
    }
  }

  /** The channel feed for one exported feed, with its template and filters. */
  async function channelFeedFor(
    guildId: string,
    feed: MonitorRssFeed & { channel: string },
    source: string,
    notKept: string[],
  ): Promise<NonNullable<OpmlImportLine['channelFeed']>> {
    // The terminal is a server of one channel: every exported channel lands there.
    const channelId = guildId === TERMINAL_GUILD_ID ? TERMINAL_CHANNEL_ID : feed.channel.trim();
    if (guildId !== TERMINAL_GUILD_ID && !DISCORD_ID.test(channelId))
      return { channelId: channelId.slice(0, 40), detail: 'not a Discord channel id; no channel feed made' };
    const filters = translateFilters(feed.filters);
    const message = feed.text === undefined ? { notKept: [] } : translateMessage(feed.text);
    notKept.push(...filters.notKept, ...message.notKept);
    try {
      const { feed: made } = await deps.feeds.add({
        guildId,
        channelId,
        source,
        ...(filters.include ? { include: filters.include } : {}),
        ...(filters.exclude ? { exclude: filters.exclude } : {}),
        userId: 'monitorss-import',
      });
      if (message.template === undefined)
        return { channelId, feedId: made.id, detail: "posting Herald's card" };
      await deps.feeds.edit({ guildId, feedId: made.id, template: message.template, style: 'text' });
      return { channelId, feedId: made.id, detail: 'posting its message as the template' };
    } catch (error) {
      if (!isUserError(error))
        deps.log.error(
          { guildId, url: feed.url, err: error },
          'MonitoRSS import: making a channel feed failed',
        );
      return {
        channelId,
        detail: `no channel feed: ${isUserError(error) ? error.message : 'something went wrong on my side (logged)'}`,
      };
    }
  }

  return {
    async importText(guildId, text) {
      const feeds = parseMonitorRssExport(text);
      const lines: OpmlImportLine[] = [];
      for (const [index, feed] of feeds.entries()) {
        const line: OpmlImportLine = { url: feed.url, name: feed.title, added: false, detail: '' };
        lines.push(line);
        if (index >= OPML_MAX_FEEDS) {
          line.detail = `not read: one import takes at most ${OPML_MAX_FEEDS} feeds`;
          continue;
        }
        const source = await sourceFor(guildId, feed);
        if ('refused' in source) {
          line.detail = source.refused;
          continue;
        }
        Object.assign(line, { name: source.name, added: source.added, detail: source.detail });
        const notKept = unreadSettings(feed);
        const channel = feed.channel?.trim();
        if (channel)
          line.channelFeed = await channelFeedFor(guildId, { ...feed, channel }, source.name, notKept);
        else if (feed.text !== undefined || feed.filters !== undefined)
          notKept.push('message text and filters (no channel given, so no channel feed)');
        if (notKept.length > 0) line.notKept = notKept;
      }
      return lines;
    },
  };
}
