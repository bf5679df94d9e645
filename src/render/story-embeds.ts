// How a story looks as a neutral message card, in a brief, a digest, a DM or /story.
import type { BriefItem, StoryDetail } from '../brief/brief-service.ts';
import type { StorySummary } from '../brief/summary-types.ts';
import type { Taxonomy } from '../brief/topics/taxonomy.ts';
import type { SourceRef, Story } from '../news/types.ts';
import { fitEmbed, truncateAtWord } from '../delivery/fit.ts';
import type { MessageEmbed } from '../delivery/message.ts';
import { httpUrl, markdownLink, untrustedText } from '../delivery/untrusted-text.ts';

const BRAND_COLOUR = 0x2f6f9f;

/** "3 h ago", "2 d ago": short enough for a footer, exact enough for news. */
export function ageText(iso: string, now: number): string {
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  if (!Number.isFinite(minutes)) return 'date unknown';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}

/** Only http(s) links reach an embed; anything else from a feed is dropped. */
const safeUrl = httpUrl;

/** Source names are untrusted text; the links are Herald's own. */
function sourceList(sources: readonly SourceRef[]): string {
  return sources.map((source) => markdownLink(source.name, source.url)).join(', ');
}

/** What turns a story's section keys ("world") into the names /topics shows ("World"). */
export type SectionNames = Pick<Taxonomy, 'find'>;

function topicsText(keys: readonly string[], sections: SectionNames | undefined): string {
  return keys.map((key) => sections?.find(key)?.name ?? key).join(', ');
}

export function summaryText(summary: StorySummary): string {
  // Summaries are article sentences (or a model's words about them): untrusted either way.
  if (summary.bullets && summary.bullets.length > 0) {
    const bullets = summary.bullets.map((b) => `• ${untrustedText(b)}`).join('\n');
    return summary.whyItMatters
      ? `${bullets}\n\n**Why it matters:** ${untrustedText(summary.whyItMatters)}`
      : bullets;
  }
  return untrustedText(summary.sentences.join(' '));
}

function baseEmbed(story: Story, now: number): MessageEmbed {
  const embed: MessageEmbed = { title: truncateAtWord(untrustedText(story.title), 256), color: BRAND_COLOUR };
  const url = safeUrl(story.url);
  if (url) embed.url = url;
  const image = safeUrl(story.imageUrl);
  if (image) embed.thumbnail = { url: image };
  embed.footer = { text: `${ageText(story.publishedAt, now)} · story ${story.id}` };
  embed.timestamp = new Date(Date.parse(story.publishedAt) || now).toISOString();
  return embed;
}

/** One story in a brief or digest: linked title, summary, sources, topics, age. */
export function briefEmbed(item: BriefItem, now: number, sections?: SectionNames): MessageEmbed {
  const embed = baseEmbed(item.story, now);
  embed.description = summaryText(item.summary);
  const fields = [{ name: 'Sources', value: sourceList(item.story.sources) || 'unknown', inline: true }];
  if (item.story.topics.length > 0)
    fields.push({
      name: 'Topics',
      value: untrustedText(topicsText(item.story.topics, sections)),
      inline: true,
    });
  embed.fields = fields;
  return fitEmbed(embed);
}

/** The full picture of one story for /story. */
export function storyDetailEmbed(detail: StoryDetail, now: number, sections?: SectionNames): MessageEmbed {
  const { story, summary } = detail;
  const embed = baseEmbed(story, now);
  embed.description = summaryText(summary);
  const fields: { name: string; value: string; inline?: boolean }[] = [];
  if (summary.keyFacts.length > 0)
    fields.push({
      name: 'Key facts',
      value: summary.keyFacts.map((f) => `• ${untrustedText(f)}`).join('\n'),
    });
  fields.push({ name: `Sources (${story.sources.length})`, value: sourceList(story.sources) || 'unknown' });
  if (story.topics.length > 0)
    fields.push({ name: 'Topics', value: untrustedText(topicsText(story.topics, sections)), inline: true });
  if (story.entities.length > 0)
    fields.push({
      name: 'Names',
      value: untrustedText(story.entities.slice(0, 12).join(', ')),
      inline: true,
    });
  embed.fields = fields;
  return fitEmbed(embed);
}
