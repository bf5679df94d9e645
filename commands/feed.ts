import {
  ApplicationCommandOptionType,
  ChannelType,
  PermissionFlagsBits,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type APIEmbed,
} from 'discord-api-types/v10';
import type { AutocompleteChoice, CommandContext, CommandReply, HeraldCommand } from '../src/discord/command.ts';
import { requireManageGuild } from '../src/discord/permissions.ts';
import { UserError } from '../src/errors.ts';
import type { ChannelFeed } from '../src/feeds/feed-types.ts';
import { readerIn } from '../src/news/types.ts';
import { TERMINAL_CHANNEL_ID, TERMINAL_GUILD_ID } from '../src/terminal/terminal.ts';
import { topicChoices } from './topic-choices.ts';

const feedOption: APIApplicationCommandBasicOption = {
  type: ApplicationCommandOptionType.String, name: 'feed', description: 'Which feed (from /feed list)', required: true, autocomplete: true, max_length: 40,
};

const feedSubcommand = (name: string, description: string): APIApplicationCommandSubcommandOption => ({
  type: ApplicationCommandOptionType.Subcommand, name, description, options: [feedOption],
});

export const feedCommand = {
  data: {
    name: 'feed',
    description: 'Post new stories into a channel as they arrive, filtered, one thread per story',
    contexts: [0],
    default_member_permissions: String(PermissionFlagsBits.ManageGuild),
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'add',
        description: 'Have a channel follow a topic, a source, or both',
        options: [
          {
            type: ApplicationCommandOptionType.Channel, name: 'channel', description: 'Where to post (a text or forum channel)', required: true,
            channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum],
          },
          { type: ApplicationCommandOptionType.String, name: 'topic', description: 'A section such as Business, or a name such as a country', autocomplete: true, max_length: 100 },
          { type: ApplicationCommandOptionType.String, name: 'source', description: 'Only stories from this source', autocomplete: true, max_length: 100 },
          { type: ApplicationCommandOptionType.String, name: 'include', description: 'Keep stories with one of these words (comma-separated) or matching /regex/', max_length: 300 },
          { type: ApplicationCommandOptionType.String, name: 'exclude', description: 'Leave out stories with one of these words or matching /regex/', max_length: 300 },
          { type: ApplicationCommandOptionType.Boolean, name: 'threads', description: 'Start a thread from each story (forum channels always make a post)' },
        ],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: "This server's channel feeds" },
      feedSubcommand('remove', 'Stop and delete a feed'),
      feedSubcommand('pause', 'Stop posting for now'),
      feedSubcommand('resume', 'Post again (checks the channel first)'),
      feedSubcommand('test', 'Post the latest matching story now'),
    ],
  },
  defer: true,
  privateByDefault: true,
  async execute(ctx, services) {
    requireManageGuild(ctx);
    const guildId = ctx.guildId;
    if (guildId === undefined) throw new UserError('Channel feeds belong to a server: use this command in a server.');
    const sub = ctx.options.subcommand();
    if (sub === 'add') {
      const channelId = targetChannel(ctx);
      const topic = ctx.options.string('topic');
      const source = ctx.options.string('source');
      const include = ctx.options.string('include');
      const exclude = ctx.options.string('exclude');
      const threads = ctx.options.boolean('threads');
      const result = await services.feeds.add({
        guildId, channelId, userId: ctx.userId,
        ...(topic === undefined ? {} : { topic }),
        ...(source === undefined ? {} : { source }),
        ...(include === undefined ? {} : { include }),
        ...(exclude === undefined ? {} : { exclude }),
        ...(threads === undefined ? {} : { threads }),
      });
      const verb = result.created ? 'Added' : result.resumed ? 'Re-armed' : 'Updated';
      return { content: `${verb} feed \`${result.feed.id}\`: ${describeFeed(ctx, result.feed)}. New stories are posted as they arrive; /feed test posts the latest one now.` };
    }
    if (sub === 'list') return listReply(ctx, await services.feeds.list(guildId));
    const feedId = ctx.options.string('feed') ?? '';
    switch (sub) {
      case 'remove': {
        const feed = await services.feeds.remove(guildId, feedId);
        return { content: `Removed feed \`${feed.id}\` (${describeFeed(ctx, feed)}).` };
      }
      case 'pause': {
        const feed = await services.feeds.pause(guildId, feedId);
        return { content: `Feed \`${feed.id}\` is paused. /feed resume runs it again.` };
      }
      case 'resume': {
        const feed = await services.feeds.resume(guildId, feedId);
        return { content: `Feed \`${feed.id}\` runs again: ${describeFeed(ctx, feed)}.` };
      }
      case 'test': {
        const result = await services.feeds.test(guildId, feedId);
        const title = result.story ? `**${result.story.title.slice(0, 200)}**` : '';
        switch (result.outcome) {
          case 'posted': return { content: `Posted ${title}.` };
          case 'none': return { content: 'No stored story matches this feed yet. It posts as soon as one arrives.' };
          case 'all-posted': return { content: `The latest matching story (${title}) is already in the channel; a story is never posted twice.` };
          case 'paused': throw new UserError(`The feed is paused: ${result.reason ?? 'paused'}. Fix it, then /feed resume.`);
          default: throw new UserError('I could not post right now; the feed will try again with the next stories.');
        }
      }
      default:
        throw new UserError('Use /feed add, list, remove, pause, resume or test.');
    }
  },
  async autocomplete(ctx, focused, services) {
    if (focused.name === 'topic') return topicChoices(focused.value, readerIn(ctx.guildId), services);
    if (ctx.guildId === undefined) return [];
    const typed = focused.value.trim().toLowerCase();
    if (focused.name === 'source') {
      const sources = await services.sources.forGuild(ctx.guildId);
      return sources.map((source) => source.config.name).filter((name) => name.toLowerCase().includes(typed)).slice(0, 25).map((name) => ({ name, value: name }));
    }
    if (focused.name === 'feed') return feedChoices(ctx, await services.feeds.list(ctx.guildId), typed);
    return [];
  },
} satisfies HeraldCommand;

function feedChoices(ctx: CommandContext, feeds: readonly ChannelFeed[], typed: string): AutocompleteChoice[] {
  return feeds
    .map((feed) => ({ name: `${feed.id} · ${describeFeed(ctx, feed, false)}`.slice(0, 100), value: feed.id }))
    .filter((choice) => choice.name.toLowerCase().includes(typed))
    .slice(0, 25);
}

/** The channel option as an id; typed in the terminal as <#123>, 123 or "terminal". */
function targetChannel(ctx: CommandContext): string {
  const raw = ctx.options.channel('channel')?.trim();
  if (!raw) return ctx.channelId;
  return /^<#(\d+)>$/.exec(raw)?.[1] ?? raw;
}

function where(ctx: CommandContext, feed: ChannelFeed): string {
  return feed.guildId === TERMINAL_GUILD_ID && feed.channelId === TERMINAL_CHANNEL_ID && ctx.surface === 'terminal' ? 'this terminal' : `<#${feed.channelId}>`;
}

function describeFeed(ctx: CommandContext, feed: ChannelFeed, withChannel = true): string {
  const parts: string[] = [];
  if (withChannel) parts.push(where(ctx, feed));
  if (feed.topic) parts.push(`topic ${feed.topic.label}`);
  if (feed.source) parts.push(`source ${feed.source}`);
  if (feed.include) parts.push(`include ${feed.include}`);
  if (feed.exclude) parts.push(`exclude ${feed.exclude}`);
  if (feed.channelKind === 'forum') parts.push('a forum post per story');
  else if (feed.threads) parts.push('a thread per story');
  return parts.join(', ');
}

function listReply(ctx: CommandContext, feeds: readonly ChannelFeed[]): CommandReply {
  if (feeds.length === 0) return { content: 'No channel feeds in this server yet. /feed add sets one up.' };
  const embeds: APIEmbed[] = feeds.slice(0, 10).map((feed) => ({
    title: `${feed.id}${feed.paused ? ' (paused)' : ''}`.slice(0, 256),
    description: describeFeed(ctx, feed).slice(0, 4096),
    fields: [{ name: 'State', value: feed.paused ? `Paused: ${feed.paused.reason}`.slice(0, 1024) : 'Running' }],
  }));
  const more = feeds.length > 10 ? ` (the first 10 shown; \`npm start -- feed list\` shows every one)` : '';
  return { content: `${feeds.length} ${feeds.length === 1 ? 'feed' : 'feeds'} in this server${more}:`, embeds };
}

