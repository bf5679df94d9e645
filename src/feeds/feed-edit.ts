/**
 * `/feed edit`: a feed changed in place. It keeps its id and its `since`, and the ledger keys
 * are per channel and story, so whatever it already posted is never posted again, whichever
 * settings change. Every setting is checked as `/feed add` checks it, before anything is saved.
 */
import type { StoryFinder } from '../brief/story-finder.ts';
import type { Taxonomy } from '../brief/topics/taxonomy.ts';
import type { DeliverySurface, DestinationAccess } from '../delivery/sink.ts';
import { UserError } from '../errors.ts';
import { readerIn } from '../news/types.ts';
import { findTopic } from '../brief/topic-catalog.ts';
import { checkedMinSources } from '../render/coverage.ts';
import { checkedTemplate } from '../render/templates.ts';
import { checkedMention, parseClear, parseTagMap, type ClearableSetting } from './feed-settings.ts';
import type { ChannelFeed } from './feed-types.ts';
import { compileFeedFilters } from './filters.ts';
import type { TemplateStyle } from '../render/templates.ts';

/** `/feed edit`: what to change; anything left out stays as it is. */
export interface FeedEditRequest {
  guildId: string | undefined;
  feedId: string;
  topic?: string;
  source?: string;
  include?: string;
  exclude?: string;
  threads?: boolean;
  style?: TemplateStyle;
  template?: string;
  /** A role id (on Discord) to ping in each new story's post. */
  mention?: string;
  minSources?: number;
  /** `section=tag, …` for forum posts. */
  tags?: string;
  /** Settings to remove, as typed (`mention, template`). */
  clear?: string;
}

export interface FeedEditResult {
  /** The same feed (same id), changed. */
  feed: ChannelFeed;
  /** The settings that changed, by their option names. */
  changed: string[];
}

export interface FeedEditDeps {
  taxonomy: Taxonomy;
  stories: Pick<StoryFinder, 'carrying'>;
  where: { surface: DeliverySurface; access: DestinationAccess };
  resolveSource(guildId: string, typed: string): Promise<string>;
  /** The channel's kind after checking Herald may post there as the feed needs. */
  checkChannel(guildId: string, channelId: string, threads: boolean): Promise<ChannelFeed['channelKind']>;
  now: string;
}

/** The stored field behind each option name. */
const FIELD_OF: Record<ClearableSetting, keyof ChannelFeed> = {
  topic: 'topic',
  source: 'source',
  include: 'include',
  exclude: 'exclude',
  style: 'style',
  template: 'template',
  mention: 'mention',
  min_sources: 'minSources',
  tags: 'tags',
};

function trimmed(text: string | undefined): string | undefined {
  const value = text?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export async function editFeed(
  feed: ChannelFeed,
  request: FeedEditRequest,
  deps: FeedEditDeps,
): Promise<FeedEditResult> {
  const next: Record<string, unknown> = { ...feed };
  const changed: string[] = [];
  const set = (option: string, field: keyof ChannelFeed, value: unknown): void => {
    next[field] = value;
    changed.push(option);
  };
  for (const option of request.clear === undefined ? [] : parseClear(request.clear)) {
    delete next[FIELD_OF[option]];
    changed.push(option);
  }

  const topicText = trimmed(request.topic);
  if (topicText !== undefined) {
    const topic = await findTopic(topicText, deps.taxonomy, deps.stories, readerIn(feed.guildId));
    set('topic', 'topic', { key: topic.key, label: topic.label, kind: topic.kind });
  }
  const sourceText = trimmed(request.source);
  if (sourceText !== undefined) set('source', 'source', await deps.resolveSource(feed.guildId, sourceText));
  const include = trimmed(request.include);
  const exclude = trimmed(request.exclude);
  compileFeedFilters({ ...(include ? { include } : {}), ...(exclude ? { exclude } : {}) });
  if (include !== undefined) set('include', 'include', include);
  if (exclude !== undefined) set('exclude', 'exclude', exclude);
  if (next.topic === undefined && next.source === undefined)
    throw new UserError('A feed follows a topic, a source, or both: keep at least one.');

  if (request.style !== undefined) set('style', 'style', request.style);
  if (request.template !== undefined) set('template', 'template', checkedTemplate(request.template));
  if (request.minSources !== undefined) {
    const count = checkedMinSources(request.minSources);
    if (count <= 1) {
      delete next.minSources;
      changed.push('min_sources');
    } else set('min_sources', 'minSources', count);
  }
  if (request.mention !== undefined)
    set('mention', 'mention', await checkedMention(deps.where, feed, request.mention));

  if (request.threads !== undefined || request.tags !== undefined) {
    const threads = request.threads ?? feed.threads;
    const kind = await deps.checkChannel(feed.guildId, feed.channelId, threads);
    next.channelKind = kind;
    if (request.threads !== undefined) set('threads', 'threads', kind === 'forum' || threads);
    if (request.tags !== undefined) {
      if (kind === 'text')
        throw new UserError('Tags apply to forum posts: this feed posts in a text channel.');
      const available =
        kind === 'forum' ? await deps.where.access.forumTags?.(feed.guildId, feed.channelId) : undefined;
      set('tags', 'tags', parseTagMap(request.tags, deps.taxonomy, available));
    }
  }

  if (changed.length === 0)
    throw new UserError('Nothing to change: give at least one setting (topic, template, mention, …).');
  return { feed: { ...(next as ChannelFeed), updatedAt: deps.now }, changed: [...new Set(changed)] };
}
