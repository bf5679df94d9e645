import { ApplicationCommandOptionType, ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import type { MessageEmbed } from '../src/delivery/message.ts';
import {
  CommandContexts,
  defineCommand,
  type AutocompleteChoice,
  type CommandContext,
  type CommandData,
  type CommandReply,
} from '../src/interaction/command.ts';
import { requireManageGuild } from '../src/interaction/permissions.ts';
import type { DigestConfig } from '../src/digest/digest-types.ts';
import { surfaceWords, whyStopped } from '../src/render/delivery-words.ts';
import { UserError } from '../src/errors.ts';
import { readerIn, type Audience } from '../src/news/types.ts';
import type { Services } from '../src/interaction/services.ts';
import { topicChoices } from './topic-choices.ts';
import { digestClearable } from '../src/digest/digest-service.ts';
import { MAX_MIN_SOURCES } from '../src/render/coverage.ts';
import { TEMPLATE_MAX_LENGTH, templateStyles } from '../src/render/templates.ts';

interface ChannelOption {
  type: ApplicationCommandOptionType.Channel;
  name: 'channel';
  description: string;
  channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement];
}

const channelOption = (description: string): ChannelOption => ({
  type: ApplicationCommandOptionType.Channel,
  name: 'channel',
  description,
  channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
});

type Context = Omit<CommandContext, 'options'>;

export const digestCommand = defineCommand({
  data: {
    name: 'digest',
    description: 'Daily digests of the top stories, posted in a channel at a set time',
    contexts: CommandContexts.guild,
    default_member_permissions: String(PermissionFlagsBits.ManageGuild),
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'setup',
        description: 'Post a daily digest in a channel (or change the one it has)',
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'time',
            description: 'Local time, 24-hour HH:MM, e.g. 08:00',
            required: true,
            max_length: 5,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'timezone',
            description: 'IANA timezone, e.g. Europe/Berlin',
            required: true,
            autocomplete: true,
            max_length: 64,
          },
          channelOption('Where to post (default: this channel)'),
          {
            type: ApplicationCommandOptionType.String,
            name: 'topics',
            description: 'Comma-separated sections or names (default: all)',
            autocomplete: true,
            max_length: 300,
          },
          {
            type: ApplicationCommandOptionType.Integer,
            name: 'count',
            description: 'How many stories (1–10)',
            min_value: 1,
            max_value: 10,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'template',
            description:
              'How each story reads, with placeholders such as {title} {summary} {url} (see /help)',
            max_length: TEMPLATE_MAX_LENGTH,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'style',
            description: 'embed (the default), text, or compact (one line a story)',
            choices: templateStyles.map((style) => ({ name: style, value: style })),
          },
          {
            type: ApplicationCommandOptionType.Integer,
            name: 'min_sources',
            description: 'Only stories this many outlets carry (1: any)',
            min_value: 1,
            max_value: MAX_MIN_SOURCES,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'clear',
            description: `Settings to remove: ${digestClearable.join(', ')}`,
            max_length: 100,
          },
        ],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'show', description: "This server's digests" },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'preview',
        description: 'Only you see what the digest would post now',
        options: [channelOption('Which digest (default: this channel)')],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'disable',
        description: 'Stop a digest',
        options: [channelOption('Which digest (default: this channel)')],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'now',
        description: 'Post the digest now, outside its schedule',
        options: [channelOption('Which digest (default: this channel)')],
      },
    ],
  } as const satisfies CommandData,
  uses: ['digests', 'taxonomy', 'brief'],
  defer: true,
  privateByDefault: true,
  async execute(ctx, services) {
    const guildId = ctx.guildId;
    if (guildId === undefined)
      throw new UserError('Digests belong to a server channel: use this command in a server.');
    const { args } = ctx;
    const channelId = targetChannel(ctx, 'channel' in args ? args.channel : undefined);
    const where = ctx.mentionChannel(channelId);
    switch (args.subcommand) {
      case 'setup': {
        requireManageGuild(ctx);
        const { topics, count, template, style, min_sources: minSources, clear } = args;
        const result = await services.digests.setup({
          guildId,
          channelId,
          time: args.time,
          timezone: args.timezone,
          userId: ctx.userId,
          ...(topics === undefined ? {} : { topics: [topics] }),
          ...(count === undefined ? {} : { count }),
          ...(template === undefined ? {} : { template }),
          ...(style === undefined ? {} : { style }),
          ...(minSources === undefined ? {} : { minSources }),
          ...(clear === undefined ? {} : { clear }),
        });
        const verb = result.created ? 'Set up' : 'Updated';
        return {
          content:
            `${verb}: ${describeDigest(result.digest, where, services.taxonomy)}.\n` +
            `Next one <t:${Math.floor(result.nextDueAt / 1000)}:F> (<t:${Math.floor(result.nextDueAt / 1000)}:R>).`,
        };
      }
      case 'show':
        return showReply(ctx, await services.digests.list(guildId), services.taxonomy);
      case 'preview': {
        const preview = await services.digests.preview(guildId, channelId);
        if (preview.quiet)
          return { content: `Nothing new for the digest in ${where} since its last one.`, private: true };
        const first = preview.messages[0]?.content ?? '';
        const embeds = preview.messages.flatMap((message) => message.embeds ?? []);
        return {
          content: `Preview of the digest for ${where} (only you see this):\n${first}`,
          embeds,
          private: true,
        };
      }
      case 'disable': {
        requireManageGuild(ctx);
        const digest = await services.digests.disable(guildId, channelId);
        return {
          content: `The ${digest.time} (${digest.timezone}) digest for ${where} is off. /digest setup turns it back on.`,
        };
      }
      case 'now': {
        requireManageGuild(ctx);
        const report = await services.digests.sendNow(guildId, channelId);
        const why = whyStopped(report, surfaceWords(ctx.surface), 'disabled');
        return nowReply(report.outcome, report.stories.length, why, where);
      }
    }
  },
  async autocomplete(ctx, focused, services) {
    if (focused.name === 'timezone') return timeZoneChoices(focused.value);
    if (focused.name === 'topics') return listChoices(focused.value, readerIn(ctx.guildId), services);
    return [];
  },
});

/** The channel option, or where the command was run (the terminal is its own channel). */
function targetChannel(ctx: Context, option: string | undefined): string {
  const raw = option?.trim();
  if (!raw) return ctx.channelId;
  // Typed in the terminal as <#123> or 123.
  return /^<#(\d+)>$/.exec(raw)?.[1] ?? raw;
}

function topicNames(digest: DigestConfig, taxonomy: Services['taxonomy']): string {
  if (digest.topics.length === 0) return 'all topics';
  return digest.topics.map((topic) => taxonomy.find(topic)?.name ?? topic).join(', ');
}

function describeDigest(digest: DigestConfig, where: string, taxonomy: Services['taxonomy']): string {
  const stories = `${digest.count} ${digest.count === 1 ? 'story' : 'stories'}`;
  const shaped = digest.style || digest.template || digest.minSources ? `, ${postsText(digest, ', ')}` : '';
  return `${where} every day at ${digest.time} (${digest.timezone}), ${topicNames(digest, taxonomy)}, up to ${stories}${shaped}`;
}

/** "style text, own template, only stories 3 outlets carry". */
function postsText(digest: DigestConfig, separator: string): string {
  return [
    `style ${digest.style ?? 'embed'}`,
    digest.template ? 'own template' : '',
    digest.minSources ? `only stories ${digest.minSources} outlets carry` : '',
  ]
    .filter(Boolean)
    .join(separator);
}

function showReply(ctx: Context, digests: DigestConfig[], taxonomy: Services['taxonomy']): CommandReply {
  if (digests.length === 0) return { content: 'No digests in this server yet. /digest setup adds one.' };
  const embeds: MessageEmbed[] = digests.map((digest) => {
    const where = ctx.mentionChannel(digest.channelId);
    const why = whyStopped(
      { problem: digest.disabledProblem, reason: digest.disabledReason },
      surfaceWords(ctx.surface),
      'disabled',
    );
    const state = digest.enabled ? 'On' : `Off: ${why}`;
    const last = digest.lastDeliveredAt
      ? `<t:${Math.floor(Date.parse(digest.lastDeliveredAt) / 1000)}:R>`
      : 'not yet';
    return {
      title: digest.enabled ? 'Digest' : 'Digest (off)',
      description: where,
      fields: [
        { name: 'Time', value: `${digest.time} (${digest.timezone})`, inline: true },
        { name: 'Topics', value: topicNames(digest, taxonomy), inline: true },
        { name: 'Stories', value: String(digest.count), inline: true },
        { name: 'Posts', value: postsText(digest, '\n'), inline: true },
        { name: 'State', value: state },
        { name: 'Last delivered', value: last, inline: true },
      ],
    };
  });
  return {
    content: `${digests.length} ${digests.length === 1 ? 'digest' : 'digests'} in this server:`,
    embeds,
  };
}

function nowReply(outcome: string, stories: number, why: string, where: string): CommandReply {
  switch (outcome) {
    case 'sent':
      return { content: `Posted the digest in ${where}: ${stories} ${stories === 1 ? 'story' : 'stories'}.` };
    case 'quiet':
      return { content: `Nothing new for ${where} since its last digest.` };
    case 'already-sent':
    case 'claimed-elsewhere':
      return { content: `The digest for ${where} was just posted; it is not sent twice.` };
    case 'disabled':
      throw new UserError(`The digest for ${where} is paused: ${why}.`);
    default:
      throw new UserError(
        `I could not post in ${where} right now. The scheduled digest will still try at its time.`,
      );
  }
}

/** Intl's IANA zones (plus UTC) containing what was typed; Discord shows at most 25. */
export function timeZoneChoices(typed: string): AutocompleteChoice[] {
  const needle = typed.trim().toLowerCase().replace(/\s+/g, '_');
  const zones = Intl.supportedValuesOf('timeZone');
  const all = zones.includes('UTC') ? zones : ['UTC', ...zones];
  const starts = all.filter((zone) => zone.toLowerCase().startsWith(needle));
  const contains = all.filter(
    (zone) => !zone.toLowerCase().startsWith(needle) && zone.toLowerCase().includes(needle),
  );
  return [...starts, ...contains].slice(0, 25).map((zone) => ({ name: zone, value: zone }));
}

/** Suggestions for the last of a comma-separated list, keeping what was typed before it. */
async function listChoices(
  typed: string,
  audience: Audience,
  services: Pick<Services, 'taxonomy' | 'brief'>,
): Promise<AutocompleteChoice[]> {
  const cut = typed.lastIndexOf(',');
  const before = cut === -1 ? '' : `${typed.slice(0, cut + 1).trim()} `;
  const choices = await topicChoices(typed.slice(cut + 1), audience, services);
  return choices
    .map((choice) => ({ name: `${before}${choice.name}`.slice(0, 100), value: `${before}${choice.value}` }))
    .filter((choice) => choice.value.length <= 100);
}
