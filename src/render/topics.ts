// The /topics overview as a neutral message, shared by the command and `npm start -- topics`.
import { fitEmbed, truncateAtWord } from '../delivery/fit.ts';
import type { OutboundMessage } from '../delivery/message.ts';
import type { TopicOverview } from '../brief/topic-catalog.ts';

const stories = (n: number): string => `${n} ${n === 1 ? 'story' : 'stories'}`;

/** The sections with their descriptions and counts, then the names most in the news. */
export function topicsMessage(overview: TopicOverview): OutboundMessage {
  const sections = overview.sections.map(
    (s) => `**${s.name}** · ${stories(s.stories)}\n${truncateAtWord(s.description, 160)}`,
  );
  const names = overview.entities.map((e) => `${e.name} (${e.stories})`).join(', ');
  const embed = fitEmbed({
    title: 'Topics you can follow',
    description: sections.join('\n'),
    fields: [
      { name: 'Most mentioned names', value: names || 'None yet: names appear once stories mention them.' },
    ],
    footer: { text: 'Follow one with /subscribe topic:<name>' },
  });
  return { embeds: [embed] };
}
