// Threads and forum channels: a thread started from a message (its id is the message's, as on
// Discord), a forum post (a thread with its starter message, again sharing the id), and the
// channel objects a test adds (a second text channel, a forum).
import { fail, unknown, type FakeState, type Route, type RouteAnswer, type RouteRequest } from './context.ts';
import { PERMISSIONS, botUser, type Json } from './fixtures.ts';
import { isRecord } from './http.ts';
import { checkMessage } from './limits.ts';

const ID = '(\\d+)';
const route = (method: string, path: string, handle: Route['handle']): Route => ({
  method,
  pattern: new RegExp(`^${path}$`),
  auth: true,
  handle,
});

export const CHANNEL_TYPES = Object.freeze({ text: 0, announcement: 5, publicThread: 11, forum: 15 });

/** A guild channel object of the given type, as Discord sends it. */
export function guildChannel(
  state: FakeState,
  id: string,
  type: number,
  name: string,
  extra: Json = {},
): Json {
  return {
    id,
    type,
    guild_id: state.world.guildId,
    name,
    position: state.channels.size,
    permission_overwrites: [],
    topic: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    parent_id: null,
    flags: 0,
    ...(type === CHANNEL_TYPES.forum
      ? {
          available_tags: [],
          default_reaction_emoji: null,
          default_sort_order: null,
          default_forum_layout: 0,
        }
      : {}),
    ...extra,
  };
}

function botPermissions(state: FakeState): bigint {
  const granted = state.world.everyonePermissions | state.world.botPermissions;
  return (granted & PERMISSIONS.Administrator) !== 0n ? ~0n : granted;
}

function denied(state: FakeState, needed: bigint): RouteAnswer | null {
  const granted = botPermissions(state);
  if ((granted & PERMISSIONS.ViewChannel) === 0n) return fail(403, 50001, 'Missing Access');
  return (granted & needed) === needed ? null : fail(403, 50013, 'Missing Permissions');
}

function threadObject(state: FakeState, id: string, parent: Json, name: string): Json {
  return guildChannel(state, id, CHANNEL_TYPES.publicThread, name, {
    parent_id: parent.id,
    owner_id: state.world.botUserId,
    message_count: 0,
    member_count: 1,
    thread_metadata: {
      archived: false,
      auto_archive_duration: 1440,
      archive_timestamp: new Date(state.now()).toISOString(),
      locked: false,
    },
  });
}

function threadName(body: unknown): string | RouteAnswer {
  const name = isRecord(body) ? body.name : undefined;
  if (typeof name !== 'string' || name.length < 1 || name.length > 100)
    return fail(400, 50035, 'Invalid Form Body', {
      name: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }] },
    });
  return name;
}

function threadFromMessage(
  request: RouteRequest,
  [channelId = '', messageId = '']: string[],
  state: FakeState,
): RouteAnswer {
  const parent = state.channels.get(channelId);
  if (parent === undefined) return unknown.channel();
  if (parent.type !== CHANNEL_TYPES.text && parent.type !== CHANNEL_TYPES.announcement)
    return fail(400, 50024, 'Cannot execute action on this channel type');
  const refused = denied(state, PERMISSIONS.CreatePublicThreads);
  if (refused !== null) return refused;
  if (state.messages.get(channelId, messageId) === undefined) return unknown.message();
  if (state.channels.has(messageId))
    return fail(400, 160004, 'A thread has already been created for this message');
  const name = threadName(request.body);
  if (typeof name !== 'string') return name;
  const thread = threadObject(state, messageId, parent, name);
  state.channels.set(messageId, thread);
  return { status: 201, body: thread };
}

function forumPost(request: RouteRequest, [channelId = '']: string[], state: FakeState): RouteAnswer {
  const parent = state.channels.get(channelId);
  if (parent === undefined) return unknown.channel();
  if (parent.type !== CHANNEL_TYPES.forum)
    return fail(400, 50024, 'Cannot execute action on this channel type');
  const refused = denied(state, PERMISSIONS.SendMessages);
  if (refused !== null) return refused;
  const name = threadName(request.body);
  if (typeof name !== 'string') return name;
  const message = isRecord(request.body) && isRecord(request.body.message) ? request.body.message : undefined;
  if (message === undefined)
    return fail(400, 50035, 'Invalid Form Body', {
      message: { _errors: [{ code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }] },
    });
  const violation = checkMessage(message, { create: true });
  if (violation !== null) return fail(400, violation.code, violation.message, violation.errors);
  const id = state.snowflake();
  const thread = threadObject(state, id, parent, name);
  state.channels.set(id, thread);
  const starter = state.messages.create({
    channelId: id,
    guildId: state.world.guildId,
    author: botUser(state.world),
    body: message,
  });
  // A forum post's starter message shares the thread's id.
  starter.id = id;
  return { status: 201, body: { ...thread, message: starter } };
}

export function threadRoutes(): Route[] {
  return [
    route('POST', `/channels/${ID}/messages/${ID}/threads`, threadFromMessage),
    route('POST', `/channels/${ID}/threads`, forumPost),
  ];
}
