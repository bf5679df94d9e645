/**
 * RSS 2.0 / RSS 1.0 (RDF), Atom and JSON Feed into one shape.
 *
 * Safety: fast-xml-parser runs with its own entity processing OFF. A DOCTYPE that declares
 * entities is refused before parsing (that is how "billion laughs" and external-entity
 * attacks start), nothing outside the document is ever read, and text is decoded here with
 * the five predefined XML entities and numeric references only.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { FeedError, plainText, toIsoDate } from './feed-common.ts';
import type { FeedItem, ParsedFeed } from './feed-common.ts';
import { readJsonFeed } from './json-feed.ts';

export { FeedError } from './feed-common.ts';
export type { FeedItem, ParsedFeed } from './feed-common.ts';

// Fields that may carry markup are kept raw (stop nodes) and decoded by rawText below, so that
// unescaped HTML inside a description survives as HTML instead of being parsed as XML.
const RAW_FIELDS = ['description', 'content:encoded', 'summary', 'content'];

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  cdataPropName: '#cdata',
  stopNodes: RAW_FIELDS.flatMap((name) => [`*.item.${name}`, `*.entry.${name}`]),
  isArray: (name) =>
    ['item', 'entry', 'link', 'media:content', 'media:thumbnail', 'enclosure'].includes(name),
});

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the five XML entities and numeric references; anything else is left as written. */
export function decodeXmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]+);/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
      return valid ? String.fromCodePoint(code) : '\uFFFD';
    }
    return XML_ENTITIES[ref] ?? whole;
  });
}

/** Raw stop-node text: CDATA sections verbatim, the rest entity-decoded. */
function rawText(raw: string): string {
  let out = '';
  let rest = raw;
  for (;;) {
    const start = rest.indexOf('<![CDATA[');
    if (start === -1) return (out + decodeXmlEntities(rest)).trim();
    const end = rest.indexOf(']]>', start);
    if (end === -1) return (out + decodeXmlEntities(rest)).trim();
    out += decodeXmlEntities(rest.slice(0, start)) + rest.slice(start + 9, end);
    rest = rest.slice(end + 3);
  }
}

/** A stop node's value (a string, or an object when the element had attributes) as markup. */
function rawField(node: unknown): string | undefined {
  const one = Array.isArray(node) ? (node as unknown[])[0] : node;
  if (typeof one === 'string') return rawText(one) || undefined;
  if (one && typeof one === 'object') {
    const raw = (one as Record<string, unknown>)['#text'];
    if (typeof raw !== 'string') return undefined;
    // Atom type="xhtml" content is inline markup already; decoding it would corrupt it.
    return (attr(one, 'type') === 'xhtml' ? raw.trim() : rawText(raw)) || undefined;
  }
  return undefined;
}

/** Text of a parsed node: a string, or an object with text and CDATA parts. */
function textOf(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (typeof node === 'string' || typeof node === 'number') return decodeXmlEntities(String(node)).trim();
  if (Array.isArray(node)) return textOf(node[0]);
  if (typeof node === 'object') {
    const record = node as Record<string, unknown>;
    const cdata = record['#cdata'];
    const cdataText = Array.isArray(cdata) ? cdata.join('') : typeof cdata === 'string' ? cdata : '';
    const text = record['#text'] === undefined ? '' : decodeXmlEntities(String(record['#text']));
    const joined = (text + cdataText).trim();
    return joined || undefined;
  }
  return undefined;
}

const attr = (node: unknown, name: string): string | undefined => {
  if (node && typeof node === 'object' && !Array.isArray(node)) {
    const value = (node as Record<string, unknown>)[`@_${name}`];
    return typeof value === 'string' ? decodeXmlEntities(value).trim() : undefined;
  }
  return undefined;
};

const asArray = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

const RecordSchema = z.record(z.string(), z.unknown());
type XmlRecord = z.infer<typeof RecordSchema>;

function imageOf(entry: XmlRecord): string | undefined {
  const group = RecordSchema.safeParse(entry['media:group']);
  const candidates = [
    ...asArray(entry['media:content']),
    ...(group.success ? asArray(group.data['media:content']) : []),
    ...asArray(entry['media:thumbnail']),
    ...(group.success ? asArray(group.data['media:thumbnail']) : []),
  ];
  for (const media of candidates) {
    const url = attr(media, 'url');
    const type = attr(media, 'type') ?? '';
    const medium = attr(media, 'medium') ?? '';
    if (url && (medium === 'image' || type.startsWith('image/') || (!medium && !type))) return url;
  }
  for (const enclosure of [...asArray(entry['enclosure']), ...asArray(entry['link'])]) {
    const type = attr(enclosure, 'type') ?? '';
    const url =
      attr(enclosure, 'url') ??
      (attr(enclosure, 'rel') === 'enclosure' ? attr(enclosure, 'href') : undefined);
    if (url && type.startsWith('image/')) return url;
  }
  return undefined;
}

function setIf<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined && value !== '') target[key] = value;
}

function rssItem(entry: XmlRecord): FeedItem {
  const item: FeedItem = { title: plainText(textOf(entry['title'])) ?? '' };
  setIf(item, 'link', textOf(entry['link']));
  setIf(item, 'guid', textOf(entry['guid']));
  setIf(item, 'publishedAt', toIsoDate(textOf(entry['pubDate']) ?? textOf(entry['dc:date'])));
  setIf(item, 'summaryHtml', rawField(entry['description']));
  setIf(item, 'contentHtml', rawField(entry['content:encoded']));
  setIf(item, 'imageUrl', imageOf(entry));
  setIf(item, 'author', plainText(textOf(entry['dc:creator']) ?? textOf(entry['author'])));
  return item;
}

/**
 * Resolves `href` against an xml:base (itself resolved against the one around it). Only an
 * absolute result is used; a relative one is left for the feed's own URL to resolve later.
 */
function withBase(href: string | undefined, base: string | undefined): string | undefined {
  if (href === undefined || base === undefined) return href;
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}

/** The xml:base in force on `node`, inside `outer` (the feed's own, or undefined). */
function xmlBase(node: unknown, outer: string | undefined): string | undefined {
  const own = attr(node, 'xml:base');
  if (own === undefined) return outer;
  if (outer === undefined) return URL.canParse(own) ? own : undefined;
  return withBase(own, outer);
}

function atomLink(entry: XmlRecord, base?: string): string | undefined {
  const links = asArray(entry['link']);
  const alternate = links.find((link) => (attr(link, 'rel') ?? 'alternate') === 'alternate') ?? links[0];
  return withBase(attr(alternate, 'href'), xmlBase(alternate, base));
}

function atomItem(entry: XmlRecord, feedBase: string | undefined): FeedItem {
  const base = xmlBase(entry, feedBase);
  const item: FeedItem = { title: plainText(textOf(entry['title'])) ?? '' };
  setIf(item, 'link', atomLink(entry, base));
  setIf(item, 'guid', textOf(entry['id']));
  setIf(item, 'publishedAt', toIsoDate(textOf(entry['published']) ?? textOf(entry['updated'])));
  setIf(item, 'summaryHtml', rawField(entry['summary']));
  setIf(item, 'contentHtml', rawField(entry['content']));
  setIf(item, 'imageUrl', imageOf(entry));
  const author = RecordSchema.safeParse(asArray(entry['author'])[0]);
  setIf(item, 'author', author.success ? plainText(textOf(author.data['name'])) : undefined);
  return item;
}

function records(value: unknown): XmlRecord[] {
  return asArray(value).flatMap((entry) => {
    const parsed = RecordSchema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

function refuseUnsafeOrNonFeed(body: string): void {
  const head = body.slice(0, 4096);
  if (
    /^\s*(<!doctype\s+html|<html[\s>])/i.test(head) ||
    (/<(head|body)[\s>]/i.test(head) && !/<(rss|feed|rdf:RDF)[\s>]/.test(head))
  ) {
    throw new FeedError('not a feed: looks like an HTML page');
  }
  if (declaresEntities(body)) {
    throw new FeedError(
      'refused: the feed declares XML entities in its DOCTYPE (entity expansion or external entity)',
    );
  }
}

/**
 * True when a document with a DOCTYPE has "<!ENTITY" anywhere outside CDATA sections. Entities
 * can only be declared inside a DOCTYPE, but finding where one ends means parsing comments,
 * quoted strings and the internal subset, and every shortcut tried there has been bypassed
 * (a comment holding "<a>" before the declaration). Outside CDATA, "<!ENTITY" is never text a
 * feed means to show (that would be written "&lt;!ENTITY"), so refusing on it anywhere is safe.
 */
function declaresEntities(body: string): boolean {
  if (!/<!DOCTYPE/i.test(body)) return false;
  let at = 0;
  for (;;) {
    const cdata = body.indexOf('<![CDATA[', at);
    const outside = body.slice(at, cdata === -1 ? undefined : cdata);
    if (/<!ENTITY/i.test(outside)) return true;
    if (cdata === -1) return false;
    const end = body.indexOf(']]>', cdata + 9);
    if (end === -1) return false;
    at = end + 3;
  }
}

/**
 * The validator's finding in words an admin can act on. For a document cut off with several
 * elements open it reports a JSON array of tag names on line 1; say which tags were left open.
 */
export function describeXmlProblem(err: { msg: string; line: number }): string {
  const open = /^Invalid '(\[.*\])' found\.$/.exec(err.msg);
  if (open?.[1]) {
    const parsed = z.array(z.string()).safeParse(JSON.parse(open[1]));
    if (parsed.success)
      return `malformed XML: the document ends with ${parsed.data.map((tag) => `<${tag}>`).join(', ')} left open (cut off?)`;
  }
  return `malformed XML at line ${err.line}: ${err.msg}`;
}

/**
 * Parses a feed body. Throws {@link FeedError} with a message fit for the source's status line
 * for an empty body, an HTML page, malformed XML, entity declarations or an unknown format.
 */
export function parseFeed(body: string, contentTypeHint?: string): ParsedFeed {
  const text = body.replace(/^\uFEFF/, '').trim();
  if (text.length === 0) throw new FeedError('not a feed: the body is empty');
  if (text.startsWith('{') || /json/i.test(contentTypeHint ?? '')) return readJsonFeed(text);
  if (!text.startsWith('<')) throw new FeedError('not a feed: the body is neither XML nor JSON');
  refuseUnsafeOrNonFeed(text);
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (valid !== true) {
    throw new FeedError(`not a feed: ${describeXmlProblem(valid.err)}`);
  }
  const doc = RecordSchema.parse(parser.parse(text));
  const rss = RecordSchema.safeParse(doc['rss']);
  const rdf = RecordSchema.safeParse(doc['rdf:RDF']);
  if (rss.success || rdf.success) {
    const root = rss.success ? rss.data : rdf.success ? rdf.data : {};
    const channel = records(root['channel'])[0] ?? {};
    const items = records(channel['item'] ?? root['item']).map(rssItem);
    const feed: ParsedFeed = { title: plainText(textOf(channel['title'])) ?? '', items };
    setIf(feed, 'link', textOf(asArray(channel['link'])[0]));
    return feed;
  }
  const atom = RecordSchema.safeParse(doc['feed']);
  if (atom.success) {
    const base = xmlBase(atom.data, undefined);
    const feed: ParsedFeed = {
      title: plainText(textOf(atom.data['title'])) ?? '',
      items: records(atom.data['entry']).map((entry) => atomItem(entry, base)),
    };
    setIf(feed, 'link', atomLink(atom.data, base));
    return feed;
  }
  const root = Object.keys(doc).find((key) => !key.startsWith('?'));
  throw new FeedError(`not a feed: the XML root is <${root ?? 'nothing'}>, not rss, RDF or Atom feed`);
}
