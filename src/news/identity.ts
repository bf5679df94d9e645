/**
 * Article identity: the same article fetched twice, re-dated, or with tracking parameters or
 * a changed GUID query string must map to the same id, so it is stored once.
 *
 * Precedence: canonical URL, else GUID, else a hash of the normalized body text.
 */
import { hash } from 'node:crypto';
import { spaceNonWordRuns } from './text-clean.ts';

/** Query parameters that only track the reader or the campaign; they never select content. */
const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'twclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  'ref',
  'ref_src',
  'ref_url',
  'referrer',
  'cmpid',
  'cmp',
  'icid',
  'ocid',
  'ncid',
  'sr_share',
  'smid',
  'smtyp',
  'spm',
  '_ga',
  '_gl',
  'mkt_tok',
  'hsenc',
  '_hsenc',
  '_hsmi',
  'oly_enc_id',
  'oly_anon_id',
  'vero_id',
  'wt.mc_id',
  'ito',
]);

const TRACKING_PREFIXES = ['utm_', 'pk_', 'mtm_', 'hmb_', 'at_'];

function isTrackingParam(name: string): boolean {
  const key = name.toLowerCase();
  return TRACKING_PARAMS.has(key) || TRACKING_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** Keeps the content-selecting parameters of a query string, sorted, as "a=1&b=2". */
function normalizeQuery(params: URLSearchParams): string {
  const kept = [...params.entries()].filter(([name]) => !isTrackingParam(name));
  kept.sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : av > bv ? 1 : 0) : a < b ? -1 : 1));
  return new URLSearchParams(kept).toString();
}

/**
 * Canonical form of an http(s) URL: lower-case scheme and host, default port, fragment and
 * tracking parameters dropped, the rest of the query sorted, one trailing slash removed from
 * non-root paths. Returns undefined for anything that is not an absolute http(s) URL.
 */
export function canonicalizeUrl(url: string, base?: string): string | undefined {
  let parsed: URL;
  try {
    parsed = base === undefined ? new URL(url.trim()) : new URL(url.trim(), base);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  parsed.hash = '';
  parsed.username = '';
  parsed.password = '';
  // URL already lower-cases the host and drops a default port; a trailing dot is the same host.
  parsed.hostname = parsed.hostname.replace(/\.$/, '');
  const query = normalizeQuery(parsed.searchParams);
  parsed.search = query ? `?${query}` : '';
  if (parsed.pathname.length > 1 && parsed.pathname.endsWith('/')) {
    parsed.pathname = parsed.pathname.replace(/\/+$/, '') || '/';
  }
  return parsed.toString();
}

/**
 * A GUID in comparable form. URL-shaped GUIDs are canonicalized like links; other GUIDs
 * ("tag:site,2026:123?ref=rss") keep their stem and lose tracking parameters, so a feed that
 * starts appending a campaign to its GUIDs does not re-publish everything.
 */
export function normalizeGuid(guid: string): string {
  const trimmed = guid.trim();
  const asUrl = canonicalizeUrl(trimmed);
  if (asUrl !== undefined) return asUrl;
  const queryAt = trimmed.indexOf('?');
  if (queryAt === -1) return trimmed;
  const stem = trimmed.slice(0, queryAt);
  const query = normalizeQuery(new URLSearchParams(trimmed.slice(queryAt + 1).split('#')[0]));
  return query ? `${stem}?${query}` : stem;
}

function sha256Hex(text: string): string {
  // The one-shot digest: no Hash object per call (every article is hashed once or twice).
  return hash('sha256', text, 'hex');
}

/** Text as compared for identity: case, punctuation, quote style and spacing do not count. */
export function normalizeForHash(paragraphs: readonly string[]): string {
  return spaceNonWordRuns(paragraphs.join(' ').normalize('NFKC').toLowerCase()).trim();
}

/** sha256 (hex, 32 chars) of the normalized body text. */
export function contentHash(paragraphs: readonly string[]): string {
  return sha256Hex(normalizeForHash(paragraphs)).slice(0, 32);
}

/** What an identity is derived from; contentHash comes from {@link contentHash}. */
export interface IdentityInput {
  url?: string;
  guid?: string;
  contentHash: string;
}

/**
 * Stable article id: "u-" + hash of the canonical URL, else "g-" + hash of the normalized
 * GUID, else "h-" + the content hash. 16 hex digits (64 bits) keep ids short enough to type
 * in a command while collisions stay negligible for any store Herald will hold.
 */
export function articleIdentity(input: IdentityInput): string {
  const url = input.url === undefined ? undefined : canonicalizeUrl(input.url);
  if (url !== undefined) return `u-${sha256Hex(url).slice(0, 16)}`;
  const guid = input.guid?.trim();
  if (guid) return `g-${sha256Hex(normalizeGuid(guid)).slice(0, 16)}`;
  return `h-${input.contentHash.slice(0, 16)}`;
}

/**
 * Drops identifiers that several items of ONE feed share. Some feeds give every item the same
 * GUID (or link every item to the home page); trusting that would collapse distinct items into
 * one, so those items fall back to their other identifiers or their content hash.
 */
export function dropSharedIdentifiers<T extends { guid?: string; url?: string }>(items: readonly T[]): T[] {
  // Each identifier normalized once: parsing URLs is most of this function's work.
  const guids = items.map((item) => (item.guid ? normalizeGuid(item.guid) : undefined));
  const urls = items.map((item) => (item.url ? canonicalizeUrl(item.url) : undefined));
  const guidCounts = countBy(guids);
  const urlCounts = countBy(urls);
  return items.map((item, i) => {
    const copy = { ...item };
    const guid = guids[i];
    if (guid !== undefined && (guidCounts.get(guid) ?? 0) > 1) delete copy.guid;
    const url = urls[i];
    if (url !== undefined && (urlCounts.get(url) ?? 0) > 1) delete copy.url;
    return copy;
  });
}

function countBy(keys: readonly (string | undefined)[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}
