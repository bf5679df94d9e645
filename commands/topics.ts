import type { HeraldCommand } from '../src/discord/command.ts';
import { fitEmbed, truncateAtWord } from '../src/delivery/fit.ts';
import { readerIn } from '../src/news/types.ts';
import type { TopicOverview } from '../src/subscriptions/topic-catalog.ts';

const stories = (n: number): string => `${n} ${n === 1 ? 'story' : 'stories'}`;

/** The sections with their descriptions and counts, then the names most in the news. */
export function topicsReply(overview: TopicOverview) {
  const sections = overview.sections.map((s) => `**${s.name}** · ${stories(s.stories)}\n${truncateAtWord(s.description, 160)}`);
  const names = overview.entities.map((e) => `${e.name} (${e.stories})`).join(', ');
  const embed = fitEmbed({
    title: 'Topics you can follow',
    description: sections.join('\n'),
    fields: [{ name: 'Most mentioned names', value: names || 'None yet: names appear once stories mention them.' }],
    footer: { text: 'Follow one with /subscribe topic:<name>' },
  });
  return { embeds: [embed] };
}

export const topicsCommand = {
  data: {
    name: 'topics',
    description: 'The sections and names you can follow, with story counts',
    contexts: [0, 1, 2],
  },
  defer: true,
  async execute(ctx, services) {
    return topicsReply(await services.subscriptions.topics(readerIn(ctx.guildId), 20));
  },
} satisfies HeraldCommand;
