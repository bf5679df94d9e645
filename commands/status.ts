import { CommandContexts, defineCommand, type CommandData } from '../src/interaction/command.ts';
import { statusFields } from '../src/render/status.ts';

export const statusCommand = defineCommand({
  data: {
    name: 'status',
    description: "Herald's health: uptime, store, model mode, sources and cached stories",
    contexts: CommandContexts.guildAndBotDm,
  } as const satisfies CommandData,
  uses: ['status'],
  defer: true,
  async execute(_ctx, services) {
    const status = await services.status.snapshot();
    return { private: true, embeds: [{ title: 'Herald status', fields: statusFields(status) }] };
  },
});
