/**
 * Text from articles and feeds (titles, summaries, source names, quotes) is untrusted: it goes
 * into messages as plain words, never as Discord formatting. Without this, a feed could post a
 * masked link (`[innocent text](http://phish.example)`), a heading, a spoiler, a mention-looking
 * `<@123>`, or use bidi overrides to make a headline read backwards.
 *
 * Pure functions, no Discord imports: every renderer (embeds, digests, DMs, answers, the
 * terminal) can use them.
 */

/**
 * Bidi embeddings, overrides, isolates and marks, and zero-width characters. They are invisible
 * and only ever change how the surrounding text reads (or hide it from filters).
 * ZWJ is removed too: it joins emoji, and an emoji sequence falls apart gracefully without it.
 */
const INVISIBLE_CONTROLS = /[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/gu;

/** Other control characters (not tab or newline) have no business in a message either. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const OTHER_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/gu;

/**
 * Characters Discord's Markdown reads anywhere in a line: links (`[`), formatting, code,
 * spoilers (`||`), mentions, channels and timestamps (`<@…>`, `<#…>`, `<t:…>`, `@everyone`).
 * Discord, like CommonMark, shows a backslash-escaped punctuation character as the character
 * itself, so the reader sees the original text.
 */
const INLINE_SPECIALS = /[\\`*_~|[\]<>@]/g;

/** Headings (`#`), subtext (`-#`), quotes (`>`) and lists only count at the start of a line. */
const LINE_START_SPECIALS = /^(\s*)([#>\-+]|\d+\.)/gm;

/** Removes bidi controls, zero-width and other control characters. */
export function stripInvisibleControls(text: string): string {
  return text.replace(INVISIBLE_CONTROLS, '').replace(OTHER_CONTROLS, '');
}

/** Untrusted text made safe to put into a message: invisible controls gone, Markdown escaped. */
export function untrustedText(text: string): string {
  return escapeMarkdownOnly(stripInvisibleControls(text));
}

function escapeMarkdownOnly(text: string): string {
  return text
    .replace(INLINE_SPECIALS, (char) => `\\${char}`)
    .replace(LINE_START_SPECIALS, (_all, space: string, mark: string) => `${space}\\${mark}`);
}

const URL_BREAKERS: Record<string, string> = { '(': '%28', ')': '%29', ' ': '%20', '<': '%3C', '>': '%3E' };

/**
 * A link Herald makes itself: untrusted text as the visible label, and an http(s) URL as the
 * target (anything else gives the bare label). Parentheses and spaces in the URL are
 * percent-encoded so the URL cannot end the link early and append text of its own.
 */
export function markdownLink(label: string, url: string | undefined): string {
  const text = untrustedText(label);
  const target = httpUrl(url);
  return target ? `[${text}](${target.replace(/[()<> ]/g, (c) => URL_BREAKERS[c] ?? c)})` : text;
}

/** The URL when it is http(s), normalised; undefined otherwise. */
export function httpUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** Reverses {@link untrustedText}'s escaping for plain-text output (the terminal). */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([\\`*_~|[\]<>@#\-+.])/g, '$1');
}
