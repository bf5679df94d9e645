import { ApplicationCommandOptionType, type APIApplicationCommandOption } from 'discord-api-types/v10';
import { CommandContexts, defineCommand, type CommandData } from '../src/interaction/command.ts';

function optionUsage(option: APIApplicationCommandOption): string {
  const required = 'required' in option && option.required === true;
  return required ? `${option.name}:…` : `[${option.name}:…]`;
}

/** One line per command or subcommand, generated from the same definitions that are deployed. */
export function describeCommands(commands: readonly { data: CommandData }[]): string[] {
  const lines: string[] = [];
  for (const command of commands) {
    const options = command.data.options ?? [];
    const subcommands = options.filter((o) => o.type === ApplicationCommandOptionType.Subcommand);
    if (subcommands.length === 0) {
      const usage = options.map(optionUsage).join(' ');
      lines.push(`/${command.data.name}${usage ? ` ${usage}` : ''}: ${command.data.description}`);
      continue;
    }
    for (const sub of subcommands) {
      const usage = (sub.options ?? []).map(optionUsage).join(' ');
      lines.push(`/${command.data.name} ${sub.name}${usage ? ` ${usage}` : ''}: ${sub.description}`);
    }
  }
  return lines;
}

export const helpCommand = defineCommand({
  data: {
    name: 'help',
    description: 'What Herald does, and every command',
    contexts: CommandContexts.guildAndBotDm,
  } as const satisfies CommandData,
  uses: ['commands'],
  async execute(_ctx, services) {
    const lines = describeCommands(services.commands);
    return {
      private: true,
      embeds: [
        {
          title: 'Herald: your news briefing',
          description:
            'Herald gathers the news from its sources, merges copies of the same story, summarizes the ' +
            'featured stories, posts a daily digest where you set one up, and answers questions from the ' +
            'stories it holds, with sources.\n\n' +
            lines.map((line) => `• ${line}`).join('\n'),
        },
      ],
    };
  },
});
