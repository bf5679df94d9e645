import {
  CommandContexts,
  defineCommand,
  IntegrationTypes,
  type CommandData,
} from '../src/interaction/command.ts';
import { readerIn } from '../src/news/types.ts';
import { topicsMessage } from '../src/render/topics.ts';

export const topicsCommand = defineCommand({
  data: {
    name: 'topics',
    description: 'The sections and names you can follow, with story counts',
    contexts: CommandContexts.everywhere,
    integration_types: IntegrationTypes.guildAndUser,
  } as const satisfies CommandData,
  uses: ['subscriptions'],
  defer: true,
  async execute(ctx, services) {
    return topicsMessage(await services.subscriptions.topics(readerIn(ctx.guildId), 20));
  },
});
