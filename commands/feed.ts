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
import type { FeedTestResult } from '../src/feeds/feed-service.ts';
import type { ChannelFeed } from '../src/feeds/feed-types.ts';
import { surfaceWords, whyStopped } from '../src/render/delivery-words.ts';
import { readerIn } from '../src/news/types.ts';
import { topicChoices } from './topic-choices.ts';

type Context = Omit<CommandContext, 'options'>;

const feedOption = {
  type: ApplicationCommandOptionType.String,
  name: 'feed',
  description: 'Which feed (from /feed list)',
  required: true,
  autocomplete: true,
  max_length: 40,
} as const;

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
        name: 'test',
        description: 'Post the latest matching story now',
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

function testReply(ctx: Context, result: FeedTestResult): CommandReply {
  const title = result.story ? `**${result.story.title.slice(0, 200)}**` : '';
  switch (result.outcome) {
    case 'posted':
      return { content: `Posted ${title}.` };
    case 'none':
      return { content: 'No stored story matches this feed yet. It posts as soon as one arrives.' };
    case 'all-posted':
      return {
        content: `The latest matching story (${title}) is already in the channel; a story is never posted twice.`,
      };
    case 'paused':
      throw new UserError(
        `The feed is paused: ${whyStopped(result, surfaceWords(ctx.surface), 'paused')}. Fix it, then /feed resume.`,
      );
    default:
      throw new UserError('I could not post right now; the feed will try again with the next stories.');
  }
}

function feedChoices(ctx: Context, feeds: readonly ChannelFeed[], typed: string): AutocompleteChoice[] {
  return feeds
    .map((feed) => ({ name: `${feed.id} · ${describeFeed(ctx, feed, false)}`.slice(0, 100), value: feed.id }))
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
  if (feed.channelKind === 'forum') parts.push('a forum post per story');
  else if (feed.threads) parts.push('a thread per story');
  return parts.join(', ');
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
    ],
  }));
  const more = feeds.length > 10 ? ' (the first 10 shown; `npm start -- feed list` shows every one)' : '';
  return {
    content: `${feeds.length} ${feeds.length === 1 ? 'feed' : 'feeds'} in this server${more}:`,
    embeds,
  };
}
