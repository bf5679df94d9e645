/**
 * Message templates: how an admin shapes a story's post (per channel feed, per digest). A
 * template is text with placeholders such as `{title}`; a style says whether it becomes an
 * embed's description, a plain message, or one compact line. Placeholders are checked when the
 * template is set (an unknown one is refused with the list of known ones), so posting never
 * meets a surprise. Every value from an article is escaped as untrusted text, and the admin's own
 * text can never ping @everyone or @here; the one fitter keeps the result within Discord's limits.
 */
import type { StorySummary } from '../brief/summary-types.ts';
import { UserError } from '../errors.ts';
import { roleMentionText, type MessageEmbed, type OutboundMessage } from '../delivery/message.ts';
import { httpUrl, untrustedText } from '../delivery/untrusted-text.ts';
import type { Story } from '../news/types.ts';
import { briefEmbed, summaryText, type SectionNames } from './story-embeds.ts';
import { confirmedByText } from './coverage.ts';

export const templateStyles = ['embed', 'text', 'compact'] as const;
export type TemplateStyle = (typeof templateStyles)[number];

/** Every placeholder a template may use, with what it stands for (shown when one is unknown). */
export const PLACEHOLDERS = {
  title: 'the headline',
  summary: 'the summary',
  url: 'the link to the story',
  source: 'the first outlet',
  sources: 'every outlet carrying the story',
  sourceCount: 'how many outlets carry it',
  topics: 'its sections',
  names: 'the people, places and organizations named',
  published: "when it was published, in the channel's timezone",
  story: "the story's id",
  image: "the story's image link",
} as const;
export type Placeholder = keyof typeof PLACEHOLDERS;

const PLACEHOLDER_NAMES = Object.keys(PLACEHOLDERS) as Placeholder[];

/** A template checked now (UserError naming unknown placeholders), stored as typed. */
export function checkedTemplate(text: string): string {
  return parseTemplate(text).source;
}

/** MonitoRSS's placeholders and the Herald placeholder each maps to. */
export const MONITORSS_PLACEHOLDERS: Readonly<Record<string, Placeholder>> = {
  title: 'title',
  description: 'summary',
  summary: 'summary',
  link: 'url',
  date: 'published',
  image: 'image',
  author: 'source',
  'feed::title': 'source',
};

/** The longest template an admin may set (a post is fitted anyway; this keeps typing sane). */
export const TEMPLATE_MAX_LENGTH = 1500;

// `{name}` (Herald) and `{{name}}` (MonitoRSS), with letters, digits and `:` / `_` in the name.
const TOKEN = /\{(\{)?\s*([A-Za-z][\w:]*)\s*\}(\})?/g;

/** Literal text (already inert) or a placeholder to fill. */
type Segment = string | { readonly placeholder: Placeholder };

/** A checked template, split into literal text and placeholders. */
export interface ParsedTemplate {
  readonly source: string;
  readonly segments: readonly Segment[];
  readonly uses: ReadonlySet<Placeholder>;
}

function isPlaceholder(name: string): name is Placeholder {
  return Object.hasOwn(PLACEHOLDERS, name);
}

/** `{title}, {summary}, …` for messages that list what a template may use. */
export function placeholderList(): string {
  return PLACEHOLDER_NAMES.map((name) => `{${name}}`).join(', ');
}

/**
 * Parses and checks a template. Throws UserError naming the unknown placeholders (and, for a
 * MonitoRSS one, the Herald placeholder to use instead) with the list of known ones.
 */
export function parseTemplate(source: string): ParsedTemplate {
  if (source.trim().length === 0) throw new UserError('The template is empty.');
  if (source.length > TEMPLATE_MAX_LENGTH)
    throw new UserError(`The template is longer than ${TEMPLATE_MAX_LENGTH} characters.`);
  const segments: Segment[] = [];
  const uses = new Set<Placeholder>();
  const unknown: string[] = [];
  let at = 0;
  for (const match of source.matchAll(TOKEN)) {
    const [whole, open, name = '', close] = match;
    const doubled = open !== undefined && close !== undefined;
    if (match.index > at) segments.push(inertText(source.slice(at, match.index)));
    at = match.index + whole.length;
    if (!doubled && isPlaceholder(name)) {
      // A stray second brace on one side stays as text: `{{title}` reads `{` + the title.
      if (open !== undefined) segments.push('{');
      segments.push({ placeholder: name });
      if (close !== undefined) segments.push('}');
      uses.add(name);
      continue;
    }
    const mapped = doubled ? MONITORSS_PLACEHOLDERS[name] : undefined;
    unknown.push(mapped ? `${whole} (MonitoRSS; use {${mapped}})` : whole);
  }
  if (unknown.length > 0)
    throw new UserError(
      `I do not know ${unknown.slice(0, 5).join(', ')}. The placeholders are: ${placeholderList()}.`,
    );
  if (at < source.length) segments.push(inertText(source.slice(at)));
  return { source, segments, uses };
}

/** A MonitoRSS template rewritten with Herald's placeholders; those with no match are left as they are. */
export function fromMonitorRss(template: string): string {
  return template.replace(/\{\{\s*([A-Za-z][\w:]*)\s*\}\}/g, (whole, name: string) => {
    const mapped = MONITORSS_PLACEHOLDERS[name];
    return mapped ? `{${mapped}}` : whole;
  });
}

/**
 * What a template's placeholders stand for, one story at a time; every value already safe to
 * post. Each is worked out when a template first asks for it (most use a few).
 */
export type StoryFields = (name: Placeholder) => string;

const publishedFormats = new Map<string, Intl.DateTimeFormat>();

function publishedFormat(timeZone: string): Intl.DateTimeFormat {
  let format = publishedFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    publishedFormats.set(timeZone, format);
  }
  return format;
}

/** "7 Dec 2026, 21:05 CET" in the given IANA timezone (UTC when it is unknown). */
export function publishedText(iso: string, timeZone: string): string {
  const instant = Date.parse(iso);
  if (!Number.isFinite(instant)) return 'date unknown';
  try {
    return publishedFormat(timeZone).format(instant);
  } catch {
    return publishedFormat('UTC').format(instant);
  }
}

/** Section names ("Science", not "science") of the story's topics that are sections. */
export function sectionNamesOf(story: Pick<Story, 'topics'>, sections: SectionNames): string[] {
  const names: string[] = [];
  for (const key of story.topics) {
    const name = sections.find(key)?.name;
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names;
}

export function storyFields(
  story: Story,
  summary: StorySummary,
  options: { sections: SectionNames; timeZone: string },
): StoryFields {
  const outlets = (): string[] => story.sources.map((source) => source.name);
  const compute: Record<Placeholder, () => string> = {
    title: () => untrustedText(story.title),
    summary: () => summaryText(summary),
    url: () => httpUrl(story.url) ?? '',
    source: () => untrustedText(story.sources[0]?.name ?? ''),
    sources: () => untrustedText(outlets().join(', ')),
    sourceCount: () => String(story.sources.length),
    topics: () => untrustedText(sectionNamesOf(story, options.sections).join(', ')),
    names: () => untrustedText(story.entities.slice(0, 12).join(', ')),
    published: () => publishedText(story.publishedAt, options.timeZone),
    story: () => story.id,
    image: () => httpUrl(story.imageUrl) ?? '',
  };
  const known = new Map<Placeholder, string>();
  return (name) => {
    let value = known.get(name);
    if (value === undefined) {
      value = compute[name]();
      known.set(name, value);
    }
    return value;
  };
}

/**
 * The admin's literal text, kept from pinging anyone: `@everyone` and `@here` get a zero-width
 * space, and mention syntax (`<@…>`, `<@&…>`) is escaped. Allowed mentions stop pings anyway;
 * this keeps the text from even looking like one.
 */
export function inertText(text: string): string {
  return text.replace(/@(everyone|here)\b/gi, '@\u200b$1').replace(/<(@[!&]?\d+)>/g, '\\<$1>');
}

export function renderTemplate(template: ParsedTemplate, fields: StoryFields): string {
  let out = '';
  for (const segment of template.segments) {
    // Literal text was made inert when the template was parsed.
    out += typeof segment === 'string' ? segment : fields(segment.placeholder);
  }
  return out;
}

/** The defaults when a feed has a style but no template of its own. */
export const DEFAULT_TEMPLATES: Readonly<Record<Exclude<TemplateStyle, 'embed'>, string>> = {
  text: '**{title}**\n{summary}\n{sources} · {url}',
  compact: '**{title}** · {sources} · <{url}>',
};

const parsedDefaults = new Map<string, ParsedTemplate>();

function defaultTemplate(style: Exclude<TemplateStyle, 'embed'>): ParsedTemplate {
  let parsed = parsedDefaults.get(style);
  if (!parsed) {
    parsed = parseTemplate(DEFAULT_TEMPLATES[style]);
    parsedDefaults.set(style, parsed);
  }
  return parsed;
}

/** How one feed (or digest) shapes a post. */
export interface PostShape {
  style: TemplateStyle;
  template?: ParsedTemplate;
}

// Templates are few and posts many: each distinct template is parsed once.
const parsedTemplates = new Map<string, ParsedTemplate>();
const PARSED_TEMPLATES_KEPT = 1000;

function parsedOnce(template: string): ParsedTemplate {
  let found = parsedTemplates.get(template);
  if (!found) {
    if (parsedTemplates.size >= PARSED_TEMPLATES_KEPT) parsedTemplates.clear();
    found = parseTemplate(template);
    parsedTemplates.set(template, found);
  }
  return found;
}

/** How a feed or a digest shapes its posts, from its stored style and template. */
export function postShape(settings: {
  style?: TemplateStyle | undefined;
  template?: string | undefined;
}): PostShape {
  return {
    style: settings.style ?? 'embed',
    ...(settings.template === undefined ? {} : { template: parsedOnce(settings.template) }),
  };
}

export interface PostExtras {
  /** The role to ping at the top of the post (a feed's mention); its name for the terminal. */
  mention?: { roleId: string; name: string };
  /** A line that says the post came from /feed test. */
  test?: boolean;
  /** Under a coverage threshold: the outlets carrying the story, said as "Confirmed by N outlets". */
  confirmedBy?: number;
}

export const TEST_MARK = '🧪 **Test post** (/feed test): not counted as posted.';

function compactLine(text: string): string {
  // Empty links (`<>` from a story without a URL) and separators left dangling read as noise.
  return text
    .replace(/\s*\n+\s*/g, ' ')
    .replace(/\s*<>\s*/g, ' ')
    .replace(/(\s*·\s*)+$/, '')
    .trim();
}

/**
 * A story's post as a neutral message, shaped by the feed's style and template. The mention
 * goes first in the content (a mention inside an embed never pings) and is the only mention the
 * message allows.
 */
export function renderStoryPost(
  shape: PostShape,
  input: { story: Story; summary: StorySummary; sections: SectionNames; timeZone: string; now: number },
  extras: PostExtras = {},
): OutboundMessage {
  const head: string[] = [];
  if (extras.test) head.push(TEST_MARK);
  if (extras.mention) head.push(roleMentionText(extras.mention.roleId));
  // Under a threshold a post says how well covered its story is: the reason it went out now.
  const coverage = extras.confirmedBy === undefined ? undefined : `✅ ${confirmedByText(extras.confirmedBy)}`;
  const message: OutboundMessage = {};
  if (shape.style === 'embed') {
    const embed: MessageEmbed = briefEmbed(
      {
        story: input.story,
        summary: input.summary,
        score: 0,
        parts: { recency: 0, sourceWeight: 0, featured: 0, coverage: 0, topic: 0 },
      },
      input.now,
      input.sections,
    );
    if (shape.template) {
      const fields = storyFields(input.story, input.summary, input);
      embed.description = renderTemplate(shape.template, fields) || '\u200b';
      delete embed.fields;
      const image = fields('image');
      if (shape.template.uses.has('image') && image) {
        delete embed.thumbnail;
        embed.image = { url: image };
      }
    }
    if (coverage) embed.footer = { text: embed.footer ? `${coverage} · ${embed.footer.text}` : coverage };
    message.embeds = [embed];
    if (head.length > 0) message.content = head.join('\n');
  } else {
    const fields = storyFields(input.story, input.summary, input);
    const body = renderTemplate(shape.template ?? defaultTemplate(shape.style), fields);
    const text = (shape.style === 'compact' ? compactLine(body) : body.trim()) || fields('title');
    const story = coverage ? `${text}${shape.style === 'compact' ? ' · ' : '\n'}${coverage}` : text;
    message.content = [...head, story].join(shape.style === 'compact' ? ' ' : '\n');
  }
  if (extras.mention) message.allowedRoleMentions = [extras.mention];
  return message;
}
