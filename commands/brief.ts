import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import {
  CommandContexts,
  defineCommand,
  IntegrationTypes,
  type CommandData,
} from '../src/interaction/command.ts';
import { briefEmbed } from '../src/render/story-embeds.ts';
import { readerIn } from '../src/news/types.ts';
import { topicChoices } from './topic-choices.ts';

export const briefCommand = defineCommand({
  data: {
    name: 'brief',
    description: 'The top stories right now, summarized',
    contexts: CommandContexts.everywhere,
    integration_types: IntegrationTypes.guildAndUser,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'topic',
        description: 'A section such as Business, or a name such as a country',
        autocomplete: true,
        max_length: 100,
      },
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'count',
        description: 'How many stories (1–10)',
        min_value: 1,
        max_value: 10,
      },
      { type: ApplicationCommandOptionType.Boolean, name: 'private', description: 'Only you see the brief' },
    ],
  } as const satisfies CommandData,
  uses: ['brief', 'config', 'now', 'taxonomy'],
  defer: true,
  async execute(ctx, services) {
    const { topic } = ctx.args;
    const count = ctx.args.count ?? services.config.brief.defaultCount;
    const items = await services.brief.top({
      audience: readerIn(ctx.guildId),
      count,
      includeBacklog: true,
      ...(topic ? { topic } : {}),
    });
    if (items.length === 0) {
      return {
        content: topic ? `No stories on ${topic} yet.` : 'No stories yet: the first ingest has not finished.',
      };
    }
    const now = services.now();
    const what = items.length === 1 ? 'story' : `${items.length} stories`;
    const heading = topic ? `**Top ${what} on ${topic}**` : `**Top ${what} now**`;
    return { content: heading, embeds: items.map((item) => briefEmbed(item, now, services.taxonomy)) };
  },
  autocomplete: (ctx, focused, services) => topicChoices(focused.value, readerIn(ctx.guildId), services),
});
