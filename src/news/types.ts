/**
 * The shapes that flow from ingestion to every reader of the store. Ingestion produces
 * CleanArticle values; the store keeps StoredArticle and Story values.
 */

/** One article after extraction and cleaning, before it has an identity in the store. */
export interface CleanArticle {
  /** The headline. */
  title: string;
  /** Section label a site put above the headline, such as "Featured" or "World". */
  label?: string;
  /** The place in a dateline lead such as "MOSCOW — …", kept apart from the text. */
  dateline?: string;
  byline?: string;
  /** Body paragraphs, boilerplate removed; the dateline prefix is stripped from the first. */
  paragraphs: string[];
  /** Canonical URL (tracking parameters removed, rel=canonical honoured) when there is one. */
  url?: string;
  /** Feed GUID or id when the item had one. */
  guid?: string;
  /** ISO-8601 publication time when the source gave one. */
  publishedAt?: string;
  imageUrl?: string;
  /** The name the page declares for its site (og:site_name, JSON-LD publisher, application-name). */
  siteName?: string;
}

/** Where an article came from, as configured or added with /sources. */
export interface SourceRef {
  name: string;
  url?: string;
}

export interface StoredArticle extends CleanArticle {
  /** Identity key: derived from the canonical URL, else the GUID, else the content hash. */
  id: string;
  source: SourceRef;
  /** The story this article belongs to (syndicated copies share one). */
  storyId: string;
  /** Hash of the normalized body text. */
  contentHash: string;
  /** ISO-8601 time Herald first stored it. */
  fetchedAt: string;
  /** Topics the source assigns by default. */
  sourceTopics: string[];
}

/** One news story: every syndicated copy of it merged, listing all its sources. */
export interface Story {
  id: string;
  title: string;
  /** The primary link: the first article's canonical URL. */
  url?: string;
  articleIds: string[];
  sources: SourceRef[];
  /** ISO-8601: the earliest publication time among its articles. */
  publishedAt: string;
  /** ISO-8601: when Herald first stored it. */
  firstSeenAt: string;
  /** ISO-8601: when an article was last merged in. */
  updatedAt: string;
  /**
   * Hash of the representative text; a summary is cached under it, so an updated story is
   * summarized again and an unchanged one never is.
   */
  contentHash: string;
  /** Section and entity topics, lower-case keys as in the taxonomy. */
  topics: string[];
  /** Named people, places and organizations. */
  entities: string[];
  /** Highest source weight among its sources. */
  sourceWeight: number;
  /** True when any of its sources is marked featured. */
  featured: boolean;
  imageUrl?: string;
  /** True when the story arrived in a feed's first ingest (backlog): never pushed to digests. */
  backlog?: boolean;
  /** True for the bundled sample news: ranked below every real story. */
  sample?: boolean;
  /**
   * Present when every copy came from sources particular servers added: only those servers
   * see the story. Absent when any copy came from a shared source: everyone sees it.
   */
  guildIds?: string[];
}

/**
 * Who is reading. The operator's command line sees every story. A reader sees the shared
 * stories and those brought by the own feeds of the servers listed (none in a DM).
 */
export type Audience = 'operator' | { readonly guildIds: readonly string[] };

/** A reader in a server sees that server's stories; outside any server, shared ones only. */
export function readerIn(guildId: string | undefined): Audience {
  return { guildIds: guildId === undefined ? [] : [guildId] };
}

export function isVisibleTo(story: { readonly guildIds?: readonly string[] }, audience: Audience): boolean {
  if (audience === 'operator' || story.guildIds === undefined) return true;
  return story.guildIds.some((id) => audience.guildIds.includes(id));
}

/**
 * The audience of a story after a copy arrives from another source: shared as soon as any
 * shared source carries it, otherwise every server whose own feeds brought a copy.
 */
export function widenAudience(
  current: readonly string[] | undefined,
  added: readonly string[] | undefined,
): string[] | undefined {
  if (current === undefined || added === undefined) return undefined;
  return [...new Set([...current, ...added])].sort();
}

export function sameAudience(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((id) => b.includes(id));
}

/** The story with its audience set; absent `guildIds` means every server sees it. */
export function withAudience(story: Story, guildIds: readonly string[] | undefined): Story {
  const { guildIds: _previous, ...rest } = story;
  return guildIds === undefined ? rest : { ...rest, guildIds: [...guildIds] };
}

/** Different outlets carrying a story (the same outlet under two feeds counts once). */
export function outletCount(story: Pick<Story, 'sources'>): number {
  return new Set(story.sources.map((source) => source.name.trim().toLowerCase())).size;
}
