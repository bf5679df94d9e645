/**
 * The messages a channel feed posts: one story (its embed, as in digests), a flood list of
 * headlines, a thread update ("Also reported by …" and what the new version adds), and the
 * notice that a feed was paused. All within Discord's limits; text from feeds is neutralized.
 */
import type { StorySummary } from '../brief/summary-types.ts';
import { DISCORD_LIMITS, truncateAtWord } from '../delivery/fit.ts';
import type { OutboundMessage } from '../delivery/message.ts';
import { httpUrl, stripInvisibleControls, untrustedText } from '../delivery/untrusted-text.ts';
import type { SectionNames } from '../render/story-embeds.ts';
import { outletCount, type Story } from '../news/types.ts';
import type { ChannelFeed } from './feed-types.ts';
import type { ForumTag } from '../delivery/sink.ts';
import { FORUM_TAGS_PER_POST } from './feed-settings.ts';
import { postShape, renderStoryPost, sectionNamesOf } from '../render/templates.ts';

const THREAD_NAME_MAX = 100;
const MAX_SUMMARY_LINES = 8;

/** What shapes a feed's post: its style, template, role mention and coverage threshold. */
export type PostSettings = Pick<ChannelFeed, 'style' | 'template' | 'mention' | 'minSources'>;

/**
 * A new story's post in a feed's channel, shaped by its template; the role mention only when
 * the caller asks (a new story's post, never updates or lists).
 */
export function storyMessage(
  settings: PostSettings,
  input: { story: Story; summary: StorySummary; sections: SectionNames; timeZone: string; now: number },
  extras: { mention?: boolean; test?: boolean } = {},
): OutboundMessage {
  return renderStoryPost(postShape(settings), input, {
    ...(extras.mention && settings.mention ? { mention: settings.mention } : {}),
    ...(extras.test ? { test: true } : {}),
    // Under a threshold the post says how well covered the story is: the reason it posts now.
    ...(settings.minSources === undefined ? {} : { confirmedBy: outletCount(input.story) }),
  });
}

/** A thread or forum post name: the headline, within Discord's 100 characters. */
export function threadName(story: Story): string {
  // A thread name shows as plain text: only invisible and bidi controls need to go.
  const name = truncateAtWord(
    stripInvisibleControls(story.title).replace(/\s+/g, ' ').trim(),
    THREAD_NAME_MAX,
  );
  return name.length > 0 ? name : `Story ${story.id}`.slice(0, THREAD_NAME_MAX);
}

/** The summary as the lines an update compares against. */
export function summaryLines(summary: StorySummary): string[] {
  const lines = summary.bullets && summary.bullets.length > 0 ? summary.bullets : summary.sentences;
  return lines.slice(0, MAX_SUMMARY_LINES);
}

/** More stories than a run may post one by one: one message listing the headlines. */
export function floodMessage(stories: readonly Story[], what: string): OutboundMessage {
  const head = `**${stories.length} new stories${what ? ` for ${untrustedText(what)}` : ''}**`;
  const lines: string[] = [];
  let length = head.length;
  for (const [index, story] of stories.entries()) {
    const title = truncateAtWord(story.title, 200);
    // The <…> form keeps Discord from adding a preview card per headline.
    const link = httpUrl(story.url);
    const line = `• ${link ? `[${untrustedText(title)}](<${link}>)` : untrustedText(title)} — ${untrustedText(story.sources.map((s) => s.name).join(', '))}`;
    const rest = `…and ${stories.length - index} more`;
    if (length + line.length + rest.length + 2 > DISCORD_LIMITS.content) {
      lines.push(rest);
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return { content: [head, ...lines].join('\n') };
}

/** An update for a story's thread, or undefined when the new version adds nothing to say. */
export function updateMessage(
  told: { sourceNames: readonly string[]; summaryLines: readonly string[] },
  story: Story,
  summary: StorySummary | undefined,
): OutboundMessage | undefined {
  const known = new Set(told.sourceNames.map((name) => name.toLowerCase()));
  const newSources = story.sources
    .map((source) => source.name)
    .filter((name) => !known.has(name.toLowerCase()));
  const seenLines = new Set(told.summaryLines);
  const newLines = summary ? summaryLines(summary).filter((line) => !seenLines.has(line)) : [];
  if (newSources.length === 0 && newLines.length === 0) return undefined;
  const parts: string[] = [];
  if (newSources.length > 0) parts.push(`**Also reported by** ${untrustedText(newSources.join(', '))}.`);
  if (newLines.length > 0)
    parts.push(`**New in this version:**\n${newLines.map((line) => `• ${untrustedText(line)}`).join('\n')}`);
  return { content: truncateAtWord(parts.join('\n'), DISCORD_LIMITS.content) };
}

/**
 * The forum tags a story's post gets: those the feed maps its sections to (`tags:`), then those
 * whose names equal one of its section names or names (case-insensitive), at most five.
 */
export function forumTagIds(
  story: Pick<Story, 'topics' | 'entities'>,
  mapped: ChannelFeed['tags'],
  available: readonly ForumTag[],
  sections: SectionNames,
): string[] {
  if (available.length === 0) return [];
  const byName = new Map(available.map((tag) => [tag.name.trim().toLowerCase(), tag.id]));
  const wanted: string[] = [];
  for (const pair of mapped ?? []) if (story.topics.includes(pair.section)) wanted.push(pair.tag);
  wanted.push(...sectionNamesOf(story, sections), ...story.entities);
  const ids: string[] = [];
  for (const name of wanted) {
    const id = byName.get(name.trim().toLowerCase());
    if (id !== undefined && !ids.includes(id)) ids.push(id);
    if (ids.length >= FORUM_TAGS_PER_POST) break;
  }
  return ids;
}
