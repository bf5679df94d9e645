// The one fitter: pure helpers that keep every outgoing message inside Discord's limits.
// Discord answers an over-limit body with a 400 (code 50035) and the reader sees nothing, so
// everything Herald sends goes through fitMessage: text is split, embeds are trimmed and grouped,
// buttons capped. The terminal adapter renders the same parts, so both surfaces show one thing.
import type { EmbedField, MessageEmbed, OutboundMessage, FittedMessage } from './message.ts';

/** Discord's documented message and embed limits, counted in UTF-16 code units as Discord does. */
export const DISCORD_LIMITS = Object.freeze({
  content: 2000,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  /** Sum of title, description, field names and values, footer text and author name over all embeds of a message. */
  embedTotal: 6000,
});

/** Buttons per message and per row, and the longest custom id and label Discord accepts. */
export const BUTTON_LIMITS = Object.freeze({ perMessage: 25, perRow: 5, customId: 100, label: 80 });

/** Role ids one message's allowed mentions may name. */
const MAX_ALLOWED_ROLES = 100;

/** A forum post's title (the thread name). */
export const THREAD_NAME_LIMIT = 100;

const ELLIPSIS = '…';
// Looking further back than this for a space would throw away too much text for a nicer cut.
const WORD_LOOKBACK = 0.6;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Moves a cut index back by one if it would land between the two halves of a surrogate pair. */
function safeCut(text: string, index: number): number {
  if (index > 0 && index < text.length && isHighSurrogate(text.charCodeAt(index - 1))) return index - 1;
  return index;
}

/**
 * Shortens `text` to at most `max` UTF-16 units, cutting at a word boundary when one is close
 * enough and ending with '…'. Text that already fits is returned unchanged.
 */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  if (max === 1) return ELLIPSIS;
  const hardCut = safeCut(text, max - ELLIPSIS.length);
  const head = text.slice(0, hardCut);
  // A cut that lands exactly before whitespace is already at a word boundary.
  const nextIsSpace = /\s/.test(text.charAt(hardCut));
  let cut = head.length;
  if (!nextIsSpace) {
    const lastSpace = head.search(/\s\S*$/);
    if (lastSpace >= hardCut * WORD_LOOKBACK) cut = lastSpace;
  }
  return head.slice(0, cut).trimEnd() + ELLIPSIS;
}

interface Cut {
  /** Where the chunk ends. */
  end: number;
  /** Where the rest begins (after the separator that is dropped). */
  resume: number;
}

/** Finds the best place to cut `text` so the first part is at most `budget` long. */
function findCut(text: string, budget: number): Cut {
  const window = text.slice(0, budget + 1);
  const minimum = Math.floor(budget * 0.3);
  const paragraph = window.lastIndexOf('\n\n', budget);
  if (paragraph >= minimum && paragraph > 0) return { end: paragraph, resume: paragraph + 2 };
  const line = window.lastIndexOf('\n', budget);
  if (line >= minimum && line > 0) return { end: line, resume: line + 1 };
  const sentence = lastMatch(window, /[.!?…]["')\]]?\s/g, budget);
  if (sentence >= minimum && sentence > 0) return { end: sentence, resume: sentence + 1 };
  const space = lastMatch(window, /\s/g, budget);
  if (space > 0) return { end: space, resume: space + 1 };
  const hard = safeCut(text, budget);
  const end = hard > 0 ? hard : budget;
  return { end, resume: end };
}

/** Index of the last whitespace ending a match of `pattern` that keeps the chunk within `budget`. */
function lastMatch(window: string, pattern: RegExp, budget: number): number {
  let found = -1;
  for (const match of window.matchAll(pattern)) {
    const whitespaceAt = match.index + match[0].length - 1;
    if (whitespaceAt <= budget) found = whitespaceAt;
  }
  return found;
}

/** The info string of a code fence still open at the end of `chunk`, or null when all are closed. */
function openFence(chunk: string): string | null {
  let open: string | null = null;
  for (const line of chunk.split('\n')) {
    const fence = /^\s*```(\S*)/.exec(line);
    if (!fence) continue;
    open = open === null ? (fence[1] ?? '').slice(0, 16) : null;
  }
  return open;
}

const FENCE_CLOSE = '\n```';

interface Piece {
  chunk: string;
  rest: string;
}

/** Cuts `text` at `cut`; a code block left open is closed in the chunk and reopened in the rest. */
function cutAt(text: string, cut: Cut, fences: boolean): Piece {
  const chunk = text.slice(0, cut.end);
  const rest = text.slice(cut.resume);
  const fence = fences ? openFence(chunk) : null;
  if (fence === null) return { chunk, rest };
  return { chunk: chunk + FENCE_CLOSE, rest: '```' + fence + '\n' + rest };
}

function nextPiece(text: string, max: number, fences: boolean): Piece {
  const plain = cutAt(text, findCut(text, max), false);
  if (!fences || openFence(plain.chunk) === null) return plain;
  const budget = max - FENCE_CLOSE.length;
  const fenced = cutAt(text, findCut(text, budget), true);
  if (fenced.rest.length < text.length) return fenced;
  // A cut right after the fence line would reopen the same text forever: cut hard instead.
  const hard = safeCut(text, budget);
  return cutAt(text, { end: hard, resume: hard }, true);
}

/**
 * Splits `text` into chunks of at most `max` UTF-16 units, preferring paragraph, then line,
 * then sentence, then word boundaries. Only the whitespace at a cut is dropped. A code block cut
 * in two is closed at the end of one chunk and reopened (with its language) in the next.
 */
export function splitMessage(text: string, max: number = DISCORD_LIMITS.content): string[] {
  if (max < 1) throw new RangeError('max must be at least 1');
  const chunks: string[] = [];
  // Fences need room for a close and a reopen; tiny limits only happen in tests of the splitter.
  const fences = max >= 40;
  let rest = text;
  while (rest.length > max) {
    const piece = nextPiece(rest, max, fences);
    if (piece.chunk.trim() !== '') chunks.push(piece.chunk);
    rest = piece.rest;
  }
  if (rest.trim() !== '' || chunks.length === 0) chunks.push(rest);
  return chunks;
}

/** The characters of an embed that count toward Discord's 6000 total. */
export function embedLength(embed: MessageEmbed): number {
  let total = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  total += (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  for (const field of embed.fields ?? []) total += field.name.length + field.value.length;
  return total;
}

// Discord rejects empty field names and values; a zero-width space renders as nothing.
const BLANK = '\u200b';

function fitField(field: EmbedField): EmbedField {
  const fitted: EmbedField = {
    name: truncateAtWord(field.name, DISCORD_LIMITS.fieldName) || BLANK,
    value: truncateAtWord(field.value, DISCORD_LIMITS.fieldValue) || BLANK,
  };
  if (field.inline !== undefined) fitted.inline = field.inline;
  return fitted;
}

/**
 * Returns a copy of `embed` with every text trimmed to its limit, at most 25 fields, and the
 * whole embed within the 6000 total (the description gives way first, then trailing fields,
 * then footer, author and title).
 */
export function fitEmbed(embed: MessageEmbed): MessageEmbed {
  const fitted: MessageEmbed = { ...embed };
  if (embed.title !== undefined) fitted.title = truncateAtWord(embed.title, DISCORD_LIMITS.embedTitle);
  if (embed.description !== undefined) {
    fitted.description = truncateAtWord(embed.description, DISCORD_LIMITS.embedDescription);
  }
  if (embed.fields !== undefined)
    fitted.fields = embed.fields.slice(0, DISCORD_LIMITS.embedFields).map(fitField);
  if (embed.footer !== undefined) {
    fitted.footer = { ...embed.footer, text: truncateAtWord(embed.footer.text, DISCORD_LIMITS.footerText) };
  }
  if (embed.author !== undefined) {
    fitted.author = { ...embed.author, name: truncateAtWord(embed.author.name, DISCORD_LIMITS.authorName) };
  }
  shrinkToTotal(fitted, DISCORD_LIMITS.embedTotal);
  return fitted;
}

/** Trims `embed` in place until embedLength(embed) <= total. */
function shrinkToTotal(embed: MessageEmbed, total: number): void {
  let excess = embedLength(embed) - total;
  if (excess <= 0) return;
  if (embed.description !== undefined) {
    const keep = Math.max(0, embed.description.length - excess);
    embed.description = truncateAtWord(embed.description, keep);
    if (embed.description === '') delete embed.description;
    excess = embedLength(embed) - total;
  }
  while (excess > 0 && embed.fields !== undefined && embed.fields.length > 0) {
    embed.fields = embed.fields.slice(0, -1);
    excess = embedLength(embed) - total;
  }
  if (embed.fields?.length === 0) delete embed.fields;
  for (const key of ['footer', 'author', 'title'] as const) {
    if (excess <= 0) return;
    if (key === 'title' && embed.title !== undefined) {
      embed.title = truncateAtWord(embed.title, Math.max(1, embed.title.length - excess));
    } else if (key !== 'title' && embed[key] !== undefined) {
      delete embed[key];
    }
    excess = embedLength(embed) - total;
  }
}

/**
 * Fits each embed (see fitEmbed) and groups them into messages of at most 10 embeds and at
 * most 6000 characters in all, keeping their order. Each inner array is one message.
 */
export function fitEmbeds(embeds: readonly MessageEmbed[]): MessageEmbed[][] {
  const messages: MessageEmbed[][] = [];
  let current: MessageEmbed[] = [];
  let currentLength = 0;
  for (const embed of embeds) {
    const fitted = fitEmbed(embed);
    const length = embedLength(fitted);
    const full = current.length >= DISCORD_LIMITS.embedsPerMessage;
    if (current.length > 0 && (full || currentLength + length > DISCORD_LIMITS.embedTotal)) {
      messages.push(current);
      current = [];
      currentLength = 0;
    }
    current.push(fitted);
    currentLength += length;
  }
  if (current.length > 0) messages.push(current);
  return messages;
}

/**
 * Breaks @everyone, @here and user or role mention syntax with a zero-width space: a second line
 * of defence behind NO_MENTIONS for text that came from outside.
 */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(everyone|here)/g, '@\u200b$1').replace(/<@([!&]?\d)/g, '<@\u200b$1');
}

/**
 * Cuts one neutral message into parts that each fit one Discord message, in order: long text is
 * split at natural boundaries, embeds grouped 10 and 6000 characters at a time (the last text
 * part and the first embed group share a message), and the buttons (at most 25) ride on the last
 * part so they sit under what they refer to. Never returns an empty list: an empty message
 * becomes one '…' part, since Discord rejects an empty body.
 */
/** Discord takes at most 10 attachments per message. */
const FILES_PER_MESSAGE = 10;

export function fitMessage(message: OutboundMessage): FittedMessage[] {
  const parts: FittedMessage[] = [];
  const chunks = message.content ? splitMessage(message.content, DISCORD_LIMITS.content) : [];
  for (const chunk of chunks) parts.push({ content: chunk });
  const groups = message.embeds && message.embeds.length > 0 ? fitEmbeds(message.embeds) : [];
  groups.forEach((group, index) => {
    const last = parts.at(-1);
    if (index === 0 && last && !last.embeds) last.embeds = group;
    else parts.push({ embeds: group });
  });
  if (parts.length === 0) parts.push({ content: ELLIPSIS });
  if (message.files && message.files.length > 0)
    (parts[0] as FittedMessage).files = message.files.slice(0, FILES_PER_MESSAGE);
  if (message.allowedRoleMentions && message.allowedRoleMentions.length > 0) {
    // Discord takes at most 100 role ids; every part may carry the mention after a split.
    const roles = message.allowedRoleMentions.slice(0, MAX_ALLOWED_ROLES);
    for (const part of parts) part.allowedRoleMentions = roles;
  }
  if (message.buttons && message.buttons.length > 0) {
    const last = parts.at(-1) as FittedMessage;
    last.buttons = message.buttons.slice(0, BUTTON_LIMITS.perMessage).map((button) => ({
      ...button,
      customId: button.customId.slice(0, BUTTON_LIMITS.customId),
      label: truncateAtWord(button.label, BUTTON_LIMITS.label) || ELLIPSIS,
    }));
  }
  return parts;
}

/** A forum post's title or a thread's name, within Discord's limit and never empty. */
export function fitThreadName(name: string): string {
  return truncateAtWord(name.replace(/\s+/g, ' ').trim(), THREAD_NAME_LIMIT) || ELLIPSIS;
}
