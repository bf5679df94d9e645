import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import {
  CommandContexts,
  defineCommand,
  IntegrationTypes,
  type CommandData,
} from '../src/interaction/command.ts';

export const unsubscribeCommand = defineCommand({
  data: {
    name: 'unsubscribe',
    description: 'Stop following a topic',
    contexts: CommandContexts.everywhere,
    integration_types: IntegrationTypes.guildAndUser,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'topic',
        description: 'One of the topics you follow',
        required: true,
        autocomplete: true,
        max_length: 100,
      },
    ],
  } as const satisfies CommandData,
  uses: ['subscriptions'],
  privateByDefault: true,
  async execute(ctx, services) {
    const removed = await services.subscriptions.unsubscribe(ctx.userId, ctx.args.topic);
    const left = (await services.subscriptions.list(ctx.userId))?.topics.length ?? 0;
    const rest =
      left === 0
        ? 'You follow no topics now.'
        : `You still follow ${left} ${left === 1 ? 'topic' : 'topics'}; /subscriptions lists them.`;
    return { content: `You no longer follow **${removed.label}**. ${rest}`, private: true };
  },
  // Only the reader's own topics: suggesting anything else would only lead to an error.
  async autocomplete(ctx, focused, services) {
    const needle = focused.value.trim().toLowerCase();
    const record = await services.subscriptions.list(ctx.userId);
    return (record?.topics ?? [])
      .filter((topic) => topic.label.toLowerCase().includes(needle) || topic.key.includes(needle))
      .slice(0, 25)
      .map((topic) => ({ name: topic.label, value: topic.label }));
  },
});
