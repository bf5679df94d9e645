/**
 * OPML, the list of feeds other readers import and export. Parsing is for untrusted files an
 * admin attaches: a DOCTYPE (and with it any entity declaration) is refused before the XML
 * parser sees the text, and the parser expands no entities, so nothing can grow or read a file.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { UserError } from '../errors.ts';
import { decodeXmlEntities, describeXmlProblem } from './feed-parser.ts';

/** One feed an OPML file lists: its `xmlUrl` as written, and its title or text when given. */
export interface OpmlFeed {
  url: string;
  title: string | undefined;
}

/** What an export writes for each source. */
export interface OpmlSource {
  name: string;
  url: string;
}

/** Outlines nest (folders of feeds); deeper than this is not a reading list. */
const MAX_DEPTH = 10;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'outline',
});

const record = z.record(z.string(), z.unknown());
const outlineSchema = z.looseObject({
  xmlUrl: z.string().optional(),
  title: z.string().optional(),
  text: z.string().optional(),
  outline: z.array(z.unknown()).optional(),
});

function textOrUndefined(value: string | undefined): string | undefined {
  const text = value === undefined ? '' : decodeXmlEntities(value).replace(/\s+/g, ' ').trim();
  return text === '' ? undefined : text;
}

function collect(outlines: readonly unknown[], depth: number, into: OpmlFeed[]): void {
  if (depth > MAX_DEPTH) return;
  for (const raw of outlines) {
    const parsed = outlineSchema.safeParse(raw);
    if (!parsed.success) continue;
    const outline = parsed.data;
    const url = textOrUndefined(outline.xmlUrl);
    if (url) into.push({ url, title: textOrUndefined(outline.title) ?? textOrUndefined(outline.text) });
    if (outline.outline) collect(outline.outline, depth + 1, into);
  }
}

/** Every feed in an OPML document, in document order; UserError when it is not safe OPML. */
export function parseOpml(body: string): OpmlFeed[] {
  const text = body.replace(/^\uFEFF/, '').trim();
  if (!text.startsWith('<')) throw new UserError('That file is not OPML: it is not XML.');
  if (/<!DOCTYPE|<!ENTITY/i.test(text))
    throw new UserError(
      'That OPML file declares a DOCTYPE or entities; I refuse those, as they can expand or read files. Export it again without one.',
    );
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (valid !== true) throw new UserError(`That OPML file is not valid: ${describeXmlProblem(valid.err)}.`);
  const doc = record.parse(parser.parse(text));
  const opml = record.safeParse(doc['opml']);
  if (!opml.success) throw new UserError('That file is XML but not OPML: it has no <opml> root.');
  const body_ = record.safeParse(opml.data['body']);
  const feeds: OpmlFeed[] = [];
  if (body_.success && Array.isArray(body_.data['outline'])) collect(body_.data['outline'], 0, feeds);
  return feeds;
}

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string,
  );
}

/** An OPML 2.0 document listing `sources` as RSS outlines, as feed readers import it. */
export function buildOpml(title: string, sources: readonly OpmlSource[], createdAt: Date): string {
  const outlines = sources.map(
    (s) =>
      `    <outline type="rss" text="${escapeXml(s.name)}" title="${escapeXml(s.name)}" xmlUrl="${escapeXml(s.url)}"/>`,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeXml(title)}</title>`,
    `    <dateCreated>${createdAt.toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
    ...outlines,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}
