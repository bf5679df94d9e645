import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import type { AutocompleteChoice, HeraldCommand } from '../src/discord/command.ts';
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

export const subscribeCommand = {
  data: {
    name: 'subscribe',
    description: 'Follow a section or a name and get its new stories by DM',
    contexts: [0, 1, 2],
    options: [
      { type: ApplicationCommandOptionType.String, name: 'topic', description: 'A section such as Business, or a name such as a country', required: true, autocomplete: true, max_length: 100 },
      {
        type: ApplicationCommandOptionType.String,
        name: 'delivery',
        description: 'At once when stories land, or one daily digest (applies to all your topics)',
        choices: [
          { name: 'immediate', value: 'immediate' },
          { name: 'daily', value: 'daily' },
        ],
      },
      { type: ApplicationCommandOptionType.String, name: 'time', description: 'Daily digest time, 24-hour HH:MM (default 08:00)', max_length: 5 },
      { type: ApplicationCommandOptionType.String, name: 'timezone', description: 'Your timezone, such as Europe/Berlin (default UTC)', autocomplete: true, max_length: 64 },
    ],
  },
  privateByDefault: true,
  async execute(ctx, services) {
    const delivery = ctx.options.string('delivery');
    const time = ctx.options.string('time');
    const timezone = ctx.options.string('timezone');
    const result = await services.subscriptions.subscribe(ctx.userId, ctx.options.string('topic') ?? '', {
      ...(delivery === 'daily' || delivery === 'immediate' ? { mode: delivery } : {}),
      ...(time ? { time } : {}),
      ...(timezone ? { timezone } : {}),
      ...(ctx.guildId ? { guildId: ctx.guildId } : {}),
    });
    const lines: string[] = [];
    if (result.resumed) lines.push('Your subscriptions are running again.');
    lines.push(result.added ? `You now follow **${result.topic.label}**.` : `You already follow **${result.topic.label}**.`);
    lines.push(`You get ${describeDelivery(result.subscriptions)}. Keep your DMs open to me; /subscriptions lists what you follow.`);
    return { content: lines.join('\n'), private: true };
  },
  async autocomplete(ctx, focused, services) {
    if (focused.name === 'timezone') return timezoneChoices(focused.value);
    return topicChoices(focused.value, readerIn(ctx.guildId), services);
  },
} satisfies HeraldCommand;
