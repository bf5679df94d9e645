/**
 * The settings that shape a feed's posts (style, template, role mention, coverage threshold,
 * forum tags), checked as an admin sets them so posting never meets a surprise: a template's
 * placeholders, a role Herald may really ping, tags the forum really has.
 */
import type { Taxonomy } from '../brief/topics/taxonomy.ts';
import type { DeliverySurface, DestinationAccess, ForumTag } from '../delivery/sink.ts';
import { UserError } from '../errors.ts';
import type { ChannelFeed } from './feed-types.ts';

/** Settings `/feed edit clear:` can remove (a feed keeps at least a topic or a source). */
export const clearableSettings = [
  'topic',
  'source',
  'include',
  'exclude',
  'style',
  'template',
  'mention',
  'min_sources',
  'tags',
] as const;
export type ClearableSetting = (typeof clearableSettings)[number];

/** Discord's limits on forum tags: 20 characters a name, 5 on one post. */
export const FORUM_TAG_NAME_MAX = 20;
export const FORUM_TAGS_PER_POST = 5;
const MAX_TAG_MAPPINGS = 25;

/** `include, template` → the settings named; UserError for a name that is not one. */
export function parseClear(text: string): ClearableSetting[] {
  const names = text
    .split(/[,\s]+/)
    .map((name) => name.trim().toLowerCase().replace('-', '_'))
    .filter((name) => name.length > 0);
  const unknown = names.filter((name) => !(clearableSettings as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new UserError(
      `I cannot clear ${unknown.map((name) => `"${name.slice(0, 30)}"`).join(', ')}; clear takes: ${clearableSettings.join(', ')}.`,
    );
  return [...new Set(names)] as ClearableSetting[];
}

/**
 * `science=Space, business=Markets`: sections (key or name) mapped to forum tag names. The
 * tags must exist in the forum when the forum's tags are known.
 */
export function parseTagMap(
  text: string,
  taxonomy: Pick<Taxonomy, 'find'>,
  available: readonly ForumTag[] | undefined,
): NonNullable<ChannelFeed['tags']> {
  const pairs = text
    .split(',')
    .map((pair) => pair.trim())
    .filter((pair) => pair.length > 0);
  if (pairs.length === 0) throw new UserError('tags takes section=tag pairs, such as science=Space.');
  if (pairs.length > MAX_TAG_MAPPINGS) throw new UserError(`tags takes at most ${MAX_TAG_MAPPINGS} pairs.`);
  return pairs.map((pair) => {
    const [left = '', right = '', ...extra] = pair.split('=').map((part) => part.trim());
    if (left === '' || right === '' || extra.length > 0)
      throw new UserError(`"${pair.slice(0, 60)}" is not a section=tag pair (such as science=Space).`);
    const section = taxonomy.find(left);
    if (!section) throw new UserError(`"${left.slice(0, 40)}" is not a section. /topics lists them.`);
    if (right.length > FORUM_TAG_NAME_MAX)
      throw new UserError(`A forum tag name has at most ${FORUM_TAG_NAME_MAX} characters.`);
    if (available && !available.some((tag) => tag.name.toLowerCase() === right.toLowerCase()))
      throw new UserError(
        `The forum has no tag "${right}". Its tags: ${available.map((tag) => tag.name).join(', ') || 'none yet'}.`,
      );
    return { section: section.key, tag: right };
  });
}

/**
 * The role a feed will ping, after checking Herald may ping it there. The terminal has no roles:
 * the name typed is kept, and printed as `@name`.
 */
export async function checkedMention(
  where: { surface: DeliverySurface; access: DestinationAccess },
  feed: Pick<ChannelFeed, 'guildId' | 'channelId' | 'channelKind'>,
  role: string,
): Promise<NonNullable<ChannelFeed['mention']>> {
  const typed = role.trim().replace(/^@/, '');
  if (typed === '' || /^(everyone|here)$/i.test(typed) || typed === feed.guildId)
    throw new UserError('A feed never pings @everyone or @here; choose a role.');
  if (feed.channelKind === 'terminal') return { roleId: typed, name: typed };
  if (where.surface === 'terminal' || !where.access.roleMention)
    throw new UserError(
      'A role mention is checked against Discord: set it with /feed edit mention: in the server.',
    );
  const found = await where.access.roleMention(feed.guildId, feed.channelId, typed);
  if (!found) throw new UserError('I cannot find that role in this server.');
  if (!found.mentionable && !found.mayMentionEveryone)
    throw new UserError(
      `I cannot ping @${found.name} in the feed's channel: the role is not mentionable and I lack Mention Everyone there. ` +
        'Make the role mentionable (Server Settings → Roles) or grant me Mention Everyone in that channel, then try again.',
    );
  return { roleId: typed, name: found.name };
}
