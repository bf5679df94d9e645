import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import {
  CommandContexts,
  defineCommand,
  IntegrationTypes,
  type AutocompleteChoice,
  type CommandData,
} from '../src/interaction/command.ts';
import { readerIn } from '../src/news/types.ts';
import { describeDelivery } from './subscriptions.ts';
import { topicChoices } from './topic-choices.ts';

let zoneNames: string[] | undefined;

/** IANA zones containing what was typed ("berl" finds Europe/Berlin), UTC first. */
export function timezoneChoices(typed: string): AutocompleteChoice[] {
  zoneNames ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
  const needle = typed.trim().toLowerCase().replace(/\s+/g, '_');
  return zoneNames
    .filter((zone) => zone.toLowerCase().includes(needle))
    .slice(0, 25)
    .map((zone) => ({ name: zone, value: zone }));
}

export const subscribeCommand = defineCommand({
  data: {
    name: 'subscribe',
    description: 'Follow a section or a name and get its new stories by DM',
    contexts: CommandContexts.everywhere,
    integration_types: IntegrationTypes.guildAndUser,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'topic',
        description: 'A section such as Business, or a name such as a country',
        required: true,
        autocomplete: true,
        max_length: 100,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'delivery',
        description: 'At once when stories land, or one daily digest (applies to all your topics)',
        choices: [
          { name: 'immediate', value: 'immediate' },
          { name: 'daily', value: 'daily' },
        ],
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'time',
        description: 'Daily digest time, 24-hour HH:MM (default 08:00)',
        max_length: 5,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'timezone',
        description: 'Your timezone, such as Europe/Berlin (default UTC)',
        autocomplete: true,
        max_length: 64,
      },
    ],
  } as const satisfies CommandData,
  uses: ['subscriptions', 'taxonomy', 'brief'],
  privateByDefault: true,
  async execute(ctx, services) {
    const { delivery, time, timezone } = ctx.args;
    const result = await services.subscriptions.subscribe(ctx.userId, ctx.args.topic, {
      ...(delivery === undefined ? {} : { mode: delivery }),
      ...(time ? { time } : {}),
      ...(timezone ? { timezone } : {}),
      ...(ctx.guildId ? { guildId: ctx.guildId } : {}),
    });
    const lines: string[] = [];
    if (result.resumed) lines.push('Your subscriptions are running again.');
    lines.push(
      result.added
        ? `You now follow **${result.topic.label}**.`
        : `You already follow **${result.topic.label}**.`,
    );
    lines.push(
      `You get ${describeDelivery(result.subscriptions)}. Keep your DMs open to me; /subscriptions lists what you follow.`,
    );
    return { content: lines.join('\n'), private: true };
  },
  async autocomplete(ctx, focused, services) {
    if (focused.name === 'timezone') return timezoneChoices(focused.value);
    return topicChoices(focused.value, readerIn(ctx.guildId), services);
  },
});
