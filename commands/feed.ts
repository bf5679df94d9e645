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
import { UserError } from '../src/errors.ts';
import type { FeedPreview, FeedTestResult } from '../src/feeds/feed-service.ts';
import { untrustedText } from '../src/delivery/untrusted-text.ts';
import type { ChannelFeed } from '../src/feeds/feed-types.ts';
import { surfaceWords, whyStopped } from '../src/render/delivery-words.ts';
import { readerIn } from '../src/news/types.ts';
import { clearableSettings } from '../src/feeds/feed-settings.ts';
import { MAX_MIN_SOURCES } from '../src/render/coverage.ts';
import { TEMPLATE_MAX_LENGTH, templateStyles } from '../src/render/templates.ts';
import { topicChoices } from './topic-choices.ts';

/** Discord's longest autocomplete choice name. */
const CHOICE_NAME_MAX = 100;

type Context = Omit<CommandContext, 'options'>;

const feedOption = {
  type: ApplicationCommandOptionType.String,
  name: 'feed',
  description: 'Which feed (from /feed list)',
  required: true,
  autocomplete: true,
  max_length: 40,
} as const;

/** What a feed follows besides its topic, the same in /feed add and /feed edit. */
const filterOptions = [
  {
    type: ApplicationCommandOptionType.String,
    name: 'source',
    description: 'Only stories from this source',
    autocomplete: true,
    max_length: 100,
  },
  {
    type: ApplicationCommandOptionType.String,
    name: 'include',
    description: 'Keep stories with one of these words (comma-separated) or matching /regex/',
    max_length: 300,
  },
  {
    type: ApplicationCommandOptionType.String,
    name: 'exclude',
    description: 'Leave out stories with one of these words or matching /regex/',
    max_length: 300,
  },
  {
    type: ApplicationCommandOptionType.Boolean,
    name: 'threads',
    description: 'Start a thread from each story (forum channels always make a post)',
  },
] as const;

const styleChoices = templateStyles.map((style) => ({ name: style, value: style }));

export const feedCommand = defineCommand({
  data: {
    name: 'feed',
    description: 'Post new stories into a channel as they arrive, filtered, one thread per story',
    contexts: CommandContexts.guild,
    default_member_permissions: String(PermissionFlagsBits.ManageGuild),
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'add',
        description: 'Have a channel follow a topic, a source, or both',
        options: [
          {
            type: ApplicationCommandOptionType.Channel,
            name: 'channel',
            description: 'Where to post (a text or forum channel)',
            required: true,
            channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum],
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'topic',
            description: 'A section such as Business, or a name such as a country',
            autocomplete: true,
            max_length: 100,
          },
          ...filterOptions,
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'edit',
        description: 'Change a feed in place (it keeps its id and never posts a story twice)',
        options: [
          feedOption,
          {
            type: ApplicationCommandOptionType.String,
            name: 'template',
            description: 'How a post reads, with placeholders such as {title} {summary} {url} (see /help)',
            max_length: TEMPLATE_MAX_LENGTH,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'style',
            description: 'embed (the default), text, or compact (one line)',
            choices: styleChoices,
          },
          {
            type: ApplicationCommandOptionType.Role,
            name: 'mention',
            description: "A role to ping in each new story's post (never in updates)",
          },
          {
            type: ApplicationCommandOptionType.Integer,
            name: 'min_sources',
            description: 'Post a story only once this many outlets carry it (1: at once)',
            min_value: 1,
            max_value: MAX_MIN_SOURCES,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'tags',
            description: 'Forum tags per section, such as science=Space, business=Markets',
            max_length: 500,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'topic',
            description: 'Follow this section or name instead',
            autocomplete: true,
            max_length: 100,
          },
          ...filterOptions,
          {
            type: ApplicationCommandOptionType.String,
            name: 'clear',
            description: `Settings to remove: ${clearableSettings.join(', ')}`,
            max_length: 200,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'list',
        description: "This server's channel feeds",
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'remove',
        description: 'Stop and delete a feed',
        options: [feedOption],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'pause',
        description: 'Stop posting for now',
        options: [feedOption],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'resume',
        description: 'Post again (checks the channel first)',
        options: [feedOption],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'preview',
        description: 'See the next post as the channel would (only you see it; nothing is posted)',
        options: [feedOption],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'test',
        description: 'Post the newest matching story now, marked as a test',
        options: [feedOption],
      },
    ],
  } as const satisfies CommandData,
  uses: ['feeds', 'taxonomy', 'brief', 'sources'],
  defer: true,
  privateByDefault: true,
  async execute(ctx, services) {
    requireManageGuild(ctx);
    const guildId = ctx.guildId;
    if (guildId === undefined)
      throw new UserError('Channel feeds belong to a server: use this command in a server.');
    const { args } = ctx;
    switch (args.subcommand) {
      case 'add': {
        const { topic, source, include, exclude, threads } = args;
        const result = await services.feeds.add({
          guildId,
          channelId: targetChannel(args.channel),
          userId: ctx.userId,
          ...(topic === undefined ? {} : { topic }),
          ...(source === undefined ? {} : { source }),
          ...(include === undefined ? {} : { include }),
          ...(exclude === undefined ? {} : { exclude }),
          ...(threads === undefined ? {} : { threads }),
        });
        const verb = result.created ? 'Added' : result.resumed ? 'Re-armed' : 'Updated';
        return {
          content: `${verb} feed \`${result.feed.id}\`: ${describeFeed(ctx, result.feed)}. New stories are posted as they arrive; /feed test posts the latest one now.`,
        };
      }
      case 'edit': {
        const { feed: feedId, subcommand: _edit, min_sources: minSources, ...changes } = args;
        const result = await services.feeds.edit({
          guildId,
          feedId,
          ...definedOnly(changes),
          ...(minSources === undefined ? {} : { minSources }),
        });
        return {
          content: `Feed \`${result.feed.id}\` changed (${result.changed.join(', ')}): ${describeFeed(ctx, result.feed)}. /feed preview shows the next post.`,
        };
      }
      case 'list':
        return listReply(ctx, await services.feeds.list(guildId));
      case 'remove': {
        const feed = await services.feeds.remove(guildId, args.feed);
        return { content: `Removed feed \`${feed.id}\` (${describeFeed(ctx, feed)}).` };
      }
      case 'pause': {
        const feed = await services.feeds.pause(guildId, args.feed);
        return { content: `Feed \`${feed.id}\` is paused. /feed resume runs it again.` };
      }
      case 'resume': {
        const feed = await services.feeds.resume(guildId, args.feed);
        return { content: `Feed \`${feed.id}\` runs again: ${describeFeed(ctx, feed)}.` };
      }
      case 'preview':
        return previewReply(ctx, await services.feeds.preview(guildId, args.feed));
      case 'test':
        return testReply(ctx, await services.feeds.test(guildId, args.feed));
    }
  },
  async autocomplete(ctx, focused, services) {
    if (focused.name === 'topic') return topicChoices(focused.value, readerIn(ctx.guildId), services);
    if (ctx.guildId === undefined) return [];
    const typed = focused.value.trim().toLowerCase();
    if (focused.name === 'source') {
      const sources = await services.sources.forGuild(ctx.guildId);
      return sources
        .map((source) => source.config.name)
        .filter((name) => name.toLowerCase().includes(typed))
        .slice(0, 25)
        .map((name) => ({ name, value: name }));
    }
    if (focused.name === 'feed') return feedChoices(ctx, await services.feeds.list(ctx.guildId), typed);
    return [];
  },
});

/** The options given, without the ones left out (exactOptionalPropertyTypes keeps undefined out). */
function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function testReply(ctx: Context, result: FeedTestResult): CommandReply {
  const title = result.story ? `**${untrustedText(result.story.title.slice(0, 200))}**` : '';
  switch (result.outcome) {
    case 'posted':
      return {
        content: `Posted ${title} as a test (marked so in the channel). It does not count as posted: when it is due, the real post still comes, once.`,
      };
    case 'none':
      return { content: 'No stored story matches this feed yet. It posts as soon as one arrives.' };
    case 'paused':
      throw new UserError(
        `The feed is paused: ${whyStopped(result, surfaceWords(ctx.surface), 'paused')}. Fix it, then /feed resume.`,
      );
    default:
      throw new UserError(
        `I could not post the test: ${whyStopped(result, surfaceWords(ctx.surface), 'the post was refused')}.`,
      );
  }
}

/** The next post as the channel would get it, only for the admin: the mention shows, pings nobody. */
function previewReply(ctx: Context, preview: FeedPreview): CommandReply {
  const where = ctx.mentionChannel(preview.feed.channelId);
  if (!preview.message || !preview.story)
    return { content: `No stored story matches this feed yet; nothing to preview for ${where}.` };
  const mention = preview.feed.mention ? ` The mention is shown here but pings nobody.` : '';
  const head = `Preview of the next post in ${where} (only you see this; nothing was posted).${mention}`;
  const { message } = preview;
  return {
    private: true,
    content: message.content ? `${head}\n\n${message.content}` : head,
    ...(message.embeds ? { embeds: message.embeds } : {}),
    ...(message.allowedRoleMentions ? { allowedRoleMentions: message.allowedRoleMentions } : {}),
  };
}

/** "#live · topic Syria · f-b8mkgfns": the channel first, so same-topic feeds tell apart. */
function feedChoices(ctx: Context, feeds: readonly ChannelFeed[], typed: string): AutocompleteChoice[] {
  return feeds
    .map((feed) => {
      const channel = ctx.channelName(feed.channelId);
      const what = describeFeed(ctx, feed, false);
      const name = [channel === undefined ? undefined : `#${channel}`, what || undefined, feed.id]
        .filter((part) => part !== undefined)
        .join(' · ');
      // The id stays whole at the end: long descriptions give way first.
      const room = CHOICE_NAME_MAX - feed.id.length - 3;
      const head = name.slice(0, name.length - feed.id.length - 3);
      return { name: head.length > room ? `${head.slice(0, room - 1)}… · ${feed.id}` : name, value: feed.id };
    })
    .filter((choice) => choice.name.toLowerCase().includes(typed))
    .slice(0, 25);
}

/** The channel option as an id; typed in the terminal as <#123>, 123 or "terminal". */
function targetChannel(raw: string): string {
  const text = raw.trim();
  return /^<#(\d+)>$/.exec(text)?.[1] ?? text;
}

function describeFeed(ctx: Context, feed: ChannelFeed, withChannel = true): string {
  const parts: string[] = [];
  if (withChannel) parts.push(ctx.mentionChannel(feed.channelId));
  if (feed.topic) parts.push(`topic ${feed.topic.label}`);
  if (feed.source) parts.push(`source ${feed.source}`);
  if (feed.include) parts.push(`include ${feed.include}`);
  if (feed.exclude) parts.push(`exclude ${feed.exclude}`);
  if (!withChannel) return parts.join(', ');
  if (feed.channelKind === 'forum') parts.push('a forum post per story');
  else if (feed.threads) parts.push('a thread per story');
  return parts.join(', ');
}

/** Style, template, mention, threshold and tags: how the feed's posts look and whom they ping. */
function postSettingsText(feed: ChannelFeed): string {
  const lines = [
    `Style: ${feed.style ?? 'embed'}${feed.template ? ', own template' : ''}`,
    `Mention: ${feed.mention ? `<@&${feed.mention.roleId}>` : 'none'}`,
    `Threshold: ${feed.minSources ? `${feed.minSources} outlets` : 'none (posts at once)'}`,
  ];
  if (feed.tags) lines.push(`Tags: ${feed.tags.map((pair) => `${pair.section}=${pair.tag}`).join(', ')}`);
  if (feed.template) lines.push(`Template: \`${feed.template.replace(/`/g, "'").slice(0, 300)}\``);
  return lines.join('\n');
}

function listReply(ctx: Context, feeds: readonly ChannelFeed[]): CommandReply {
  if (feeds.length === 0) return { content: 'No channel feeds in this server yet. /feed add sets one up.' };
  const embeds: MessageEmbed[] = feeds.slice(0, 10).map((feed) => ({
    title: `${feed.id}${feed.paused ? ' (paused)' : ''}`,
    description: describeFeed(ctx, feed),
    fields: [
      {
        name: 'State',
        value: feed.paused
          ? `Paused: ${whyStopped(feed.paused, surfaceWords(ctx.surface), 'paused')}`
          : 'Running',
      },
      { name: 'Posts', value: postSettingsText(feed) },
    ],
  }));
  const more = feeds.length > 10 ? ' (the first 10 shown; `npm start -- feed list` shows every one)' : '';
  return {
    content: `${feeds.length} ${feeds.length === 1 ? 'feed' : 'feeds'} in this server${more}:`,
    embeds,
  };
}
