/**
 * Builds the one DM a subscriber gets per run: a heading, then one embed per story, all in a
 * single Discord message (10 embeds, 6000 characters). Stories that do not fit are counted in
 * the heading and left out; the caller records as sent only the stories the message carries.
 */
import type { BriefItem } from '../brief/brief-service.ts';
import { DISCORD_LIMITS, fitEmbeds, neutralizeMentions, truncateAtWord } from '../delivery/fit.ts';
import type { MessageEmbed, OutboundMessage } from '../delivery/message.ts';
import { briefEmbed, type SectionNames } from '../render/story-embeds.ts';
import type { DeliveryMode } from './subscription-types.ts';

// A DM is a nudge, not the whole brief: short summaries let ten stories share one message.
const DM_SUMMARY_CHARS = 350;

export interface ComposeDmInput {
  /** Ranked, best first. */
  items: readonly BriefItem[];
  via: DeliveryMode;
  /** Labels of the reader's topics, for the heading. */
  topicLabels: readonly string[];
  now: number;
  /** Shows section names ("World") rather than keys in each story's Topics field. */
  taxonomy?: SectionNames;
  /** Further matching stories not passed in `items` (beyond the per-DM cap). */
  more?: number;
}

export interface ComposedDm {
  message: OutboundMessage;
  /** The stories the message carries, in order. */
  storyIds: string[];
  /** Matching stories left out for lack of room. */
  left: number;
}

function compactEmbed(item: BriefItem, now: number, sections: SectionNames | undefined): MessageEmbed {
  const embed = briefEmbed(item, now, sections);
  if (embed.description) embed.description = truncateAtWord(embed.description, DM_SUMMARY_CHARS);
  return embed;
}

function topicList(labels: readonly string[]): string {
  const shown = labels.slice(0, 5).join(', ');
  return labels.length > 5 ? `${shown} and ${labels.length - 5} more` : shown;
}

export function composeDm(input: ComposeDmInput): ComposedDm {
  const embeds = input.items.map((item) => compactEmbed(item, input.now, input.taxonomy));
  const first = fitEmbeds(embeds)[0] ?? [];
  const carried = input.items.slice(0, first.length);
  const left = input.items.length - carried.length + (input.more ?? 0);
  const count = `${carried.length} ${carried.length === 1 ? 'story' : 'stories'}`;
  const topics = topicList(input.topicLabels);
  const heading =
    input.via === 'daily'
      ? `**Your daily brief** · ${count} on ${topics}`
      : `**New on ${topics}** · ${count}`;
  const lines = [heading];
  if (left > 0) lines.push(`…and ${left} more; /brief shows them.`);
  lines.push('-# Manage with /subscriptions and /unsubscribe.');
  const content = truncateAtWord(neutralizeMentions(lines.join('\n')), DISCORD_LIMITS.content);
  return { message: { content, embeds: first }, storyIds: carried.map((item) => item.story.id), left };
}
