/**
 * Composes one channel digest: the ranked stories since the channel's last digest, filtered by
 * its topics, each story once per channel, rendered as a dated header and one embed per story,
 * as one message; the courier cuts it into as many as Discord's limits need when it is sent.
 */
import type { BriefItem, BriefService } from '../brief/brief-service.ts';
import type { Taxonomy } from '../brief/topics/taxonomy.ts';
import { neutralizeMentions, truncateAtWord } from '../delivery/fit.ts';
import type { OutboundMessage } from '../delivery/message.ts';
import { outletCount } from '../news/types.ts';
import { briefEmbed } from '../render/story-embeds.ts';
import { postShape, renderStoryPost } from '../render/templates.ts';
import type { DigestComposer } from './delivery-ports.ts';
import type { DigestConfig } from './digest-types.ts';

export interface DigestComposerDeps {
  brief: Pick<BriefService, 'top'>;
  now: () => number;
  /** Shows section names ("Science") instead of keys in the header. */
  taxonomy?: Pick<Taxonomy, 'find'>;
}

const NO_SECTIONS = { find: () => undefined };

// Header formatting per zone is reused across thousands of digests a minute.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** "Tuesday 24 November" in the digest's own timezone. */
export function digestDateText(instant: number, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', day: 'numeric', month: 'long' });
    dateFormats.set(timeZone, format);
  }
  return format.format(new Date(instant)).replace(',', '');
}

function headerFor(digest: DigestConfig, instant: number, taxonomy: DigestComposerDeps['taxonomy']): string {
  const title = `**Your daily brief — ${digestDateText(instant, digest.timezone)}**`;
  if (digest.topics.length === 0) return title;
  // Entity topics were typed by an admin: keep them from pinging anyone even if echoed.
  const names = digest.topics.map((topic) => taxonomy?.find(topic)?.name ?? topic);
  return truncateAtWord(`${title}\n${neutralizeMentions(names.join(' · '))}`, 2000);
}

/**
 * The header, then each story as the digest's style and template shape it: one embed each, or
 * one paragraph (text) or line (compact) each in the message's text. The courier's one fitter
 * cuts whatever comes out into messages within Discord's limits.
 */
function digestMessage(
  digest: DigestConfig,
  items: readonly BriefItem[],
  now: number,
  taxonomy: DigestComposerDeps['taxonomy'],
): OutboundMessage {
  const header = headerFor(digest, now, taxonomy);
  if (
    (digest.style ?? 'embed') === 'embed' &&
    digest.template === undefined &&
    digest.minSources === undefined
  )
    return { content: header, embeds: items.map((item) => briefEmbed(item, now, taxonomy)) };
  const shape = postShape(digest);
  const sections = taxonomy ?? NO_SECTIONS;
  const posts = items.map((item) =>
    renderStoryPost(
      shape,
      { story: item.story, summary: item.summary, sections, timeZone: digest.timezone, now },
      digest.minSources === undefined ? {} : { confirmedBy: outletCount(item.story) },
    ),
  );
  if (shape.style === 'embed') return { content: header, embeds: posts.flatMap((post) => post.embeds ?? []) };
  const gap = shape.style === 'compact' ? '\n' : '\n\n';
  return { content: [header, ...posts.map((post) => post.content ?? '')].join(gap) };
}

export function createDigestComposer(deps: DigestComposerDeps): DigestComposer {
  return {
    async compose(digest, options) {
      const items = await deps.brief.top({
        ...(digest.minSources === undefined ? {} : { minSources: digest.minSources }),
        // A digest posts in its server: shared stories and that server's own feeds.
        audience: { guildIds: [digest.guildId] },
        count: digest.count,
        ...(digest.topics.length > 0 ? { topics: digest.topics } : {}),
        ...(options.since === undefined ? {} : { since: options.since }),
        excludeStoryIds: new Set(options.excludeStoryIds),
        includeBacklog: false,
      });
      if (items.length === 0) return { messages: [], stories: [], quiet: true };
      const now = deps.now();
      const message = digestMessage(digest, items, now, deps.taxonomy);
      return {
        messages: [message],
        stories: items.map((item) => ({ id: item.story.id, title: item.story.title })),
        quiet: false,
      };
    },
  };
}
