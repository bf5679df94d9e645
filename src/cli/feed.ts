import { UserError } from '../errors.ts';
import type { ChannelFeed } from '../feeds/feed-types.ts';
import { templateStyles, type TemplateStyle } from '../render/templates.ts';
import { TERMINAL_CHANNEL_ID, TERMINAL_GUILD_ID } from '../terminal/terminal.ts';
import type { CliArgs } from './args.ts';
import type { CliOutput, CliSubcommand } from './subcommand.ts';

const USAGE =
  'feed list [--guild ID] [--json] | feed add [--guild ID --channel ID] [--topic T] [--source S] [--include K] [--exclude K] [--threads true] [--json] | feed edit <feed-id> [--template T] [--style embed|text|compact] [--mention ROLE] [--min-sources N] [--tags section=tag,…] [--topic T] [--source S] [--include K] [--exclude K] [--threads true|false] [--clear settings] [--json] | feed remove <feed-id> [--json]';

/** One feed as `feed list --json` prints it. */
function feedJson(feed: ChannelFeed): Record<string, unknown> {
  return {
    id: feed.id,
    guildId: feed.guildId,
    channelId: feed.channelId,
    channelKind: feed.channelKind,
    topic: feed.topic?.label ?? null,
    source: feed.source ?? null,
    include: feed.include ?? null,
    exclude: feed.exclude ?? null,
    threads: feed.threads,
    style: feed.style ?? 'embed',
    template: feed.template ?? null,
    mention: feed.mention?.name ?? null,
    minSources: feed.minSources ?? null,
    tags: feed.tags ?? null,
    paused: feed.paused?.reason ?? null,
  };
}

function feedLine(feed: ChannelFeed): string {
  const what = [
    feed.topic ? `topic ${feed.topic.label}` : '',
    feed.source ? `source ${feed.source}` : '',
    feed.include ? `include ${feed.include}` : '',
    feed.exclude ? `exclude ${feed.exclude}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const state = feed.paused ? `paused: ${feed.paused.reason}` : 'running';
  const shape = [
    feed.style ?? 'embed',
    feed.template ? 'own template' : '',
    feed.mention ? `mention @${feed.mention.name}` : '',
    feed.minSources ? `min ${feed.minSources} sources` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `${feed.id}  ${feed.guildId}/${feed.channelId} (${feed.channelKind}${feed.threads ? ', threads' : ''})  ${what}  {${shape}}  [${state}]`;
}

function threadsFlag(args: CliArgs): boolean | undefined {
  const raw = args.flag('threads');
  if (raw === undefined) return undefined;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new UserError(`--threads takes true or false, not "${raw}"`);
}

/**
 * `npm start -- feed …`: the operator's view of channel feeds. Without --guild/--channel, add
 * makes a feed on the terminal (printed by `npm start` without a token); a Discord channel's
 * feed needs the bot's permission check, so /feed add is the way there.
 */
export const feedSubcommand: CliSubcommand = {
  name: 'feed',
  usage: USAGE,
  async run(herald, args): Promise<CliOutput> {
    const feeds = herald.services.feeds;
    const action = args.positionals[0];
    if (action === 'list') {
      const guild = args.flag('guild');
      const list = await feeds.list(guild);
      return {
        json: { feeds: list.map(feedJson) },
        text: list.length > 0 ? list.map(feedLine).join('\n') : 'No channel feeds.',
      };
    }
    if (action === 'add') {
      const guildId = args.flag('guild') ?? TERMINAL_GUILD_ID;
      const channelId = args.flag('channel') ?? TERMINAL_CHANNEL_ID;
      if ((guildId === TERMINAL_GUILD_ID) !== (channelId === TERMINAL_CHANNEL_ID))
        throw new UserError('Give both --guild and --channel, or neither for the terminal.');
      const optional = (name: string): Record<string, string> => {
        const value = args.flag(name);
        return value === undefined ? {} : { [name]: value };
      };
      const threads = threadsFlag(args);
      const result = await feeds.add({
        guildId,
        channelId,
        userId: 'operator',
        ...optional('topic'),
        ...optional('source'),
        ...optional('include'),
        ...optional('exclude'),
        ...(threads === undefined ? {} : { threads }),
      });
      return {
        json: { feed: feedJson(result.feed), created: result.created },
        text: `${result.created ? 'Added' : 'Updated'} ${feedLine(result.feed)}`,
      };
    }
    if (action === 'edit') {
      const id = args.positionals[1];
      if (id === undefined)
        throw new UserError(
          'Which feed? npm start -- feed edit <feed-id> --template "…" (feed list shows them)',
        );
      const optional = (flag: string, name = flag): Record<string, string> => {
        const value = args.flag(flag);
        return value === undefined ? {} : { [name]: value };
      };
      const threads = threadsFlag(args);
      const style = args.flag('style');
      if (style !== undefined && !(templateStyles as readonly string[]).includes(style))
        throw new UserError(`--style takes ${templateStyles.join(', ')}, not "${style}"`);
      const minSources = args.flag('min-sources');
      const result = await feeds.edit({
        guildId: undefined,
        feedId: id,
        ...optional('template'),
        ...(style === undefined ? {} : { style: style as TemplateStyle }),
        ...optional('mention'),
        ...(minSources === undefined ? {} : { minSources: Number(minSources) }),
        ...optional('tags'),
        ...optional('topic'),
        ...optional('source'),
        ...optional('include'),
        ...optional('exclude'),
        ...(threads === undefined ? {} : { threads }),
        ...optional('clear'),
      });
      return {
        json: { feed: feedJson(result.feed), changed: result.changed },
        text: `Changed ${result.changed.join(', ')}: ${feedLine(result.feed)}`,
      };
    }
    if (action === 'remove') {
      const id = args.positionals[1];
      if (id === undefined)
        throw new UserError('Which feed? npm start -- feed remove <feed-id> (feed list shows them)');
      const removed = await feeds.remove(undefined, id);
      return { json: { removed: feedJson(removed) }, text: `Removed ${feedLine(removed)}` };
    }
    throw new UserError(`Usage: npm start -- ${USAGE}`);
  },
};
