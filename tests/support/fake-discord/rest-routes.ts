// REST routes for the bot's own calls: gateway info, users, guilds, channels, channel messages,
// DMs and application commands.
import {
  fail,
  ok,
  unknown,
  type FakeState,
  type Route,
  type RouteAnswer,
  type RouteRequest,
} from './context.ts';
import {
  PERMISSIONS,
  application,
  botUser,
  dmChannel,
  guild,
  humanUser,
  member,
  textChannel,
  type Json,
} from './fixtures.ts';
import { isRecord } from './http.ts';
import { checkCommand, checkMessage } from './limits.ts';

const ID = '(\\d+)';
const route = (method: string, path: string, handle: Route['handle']): Route => ({
  method,
  pattern: new RegExp(`^${path}$`),
  auth: true,
  handle,
});

function botPermissions(state: FakeState): bigint {
  const granted = state.world.everyonePermissions | state.world.botPermissions;
  return (granted & PERMISSIONS.Administrator) !== 0n ? ~0n : granted;
}

/** Refuses a post where the bot may not see (50001) or write (50013), as Discord does. */
function canPost(state: FakeState, channel: Json): RouteAnswer | null {
  if (channel.type === 1) return null;
  const granted = botPermissions(state);
  if ((granted & PERMISSIONS.ViewChannel) === 0n) return fail(403, 50001, 'Missing Access');
  if ((granted & PERMISSIONS.SendMessages) === 0n) return fail(403, 50013, 'Missing Permissions');
  return null;
}

function postMessage(request: RouteRequest, [channelId = '']: string[], state: FakeState): RouteAnswer {
  const channel = state.channels.get(channelId);
  if (channel === undefined) return unknown.channel();
  const denied = canPost(state, channel);
  if (denied !== null) return denied;
  const violation = checkMessage(request.body, { create: true, files: request.files.length });
  if (violation !== null) return fail(400, violation.code, violation.message, violation.errors);
  const body = isRecord(request.body) ? request.body : {};
  const { message } = state.messages.createOnce({
    channelId,
    author: botUser(state.world),
    body,
    files: request.files,
    ...(typeof channel.guild_id === 'string' ? { guildId: channel.guild_id } : {}),
  });
  return ok(message);
}

function editMessage(
  request: RouteRequest,
  [channelId = '', messageId = '']: string[],
  state: FakeState,
): RouteAnswer {
  if (!state.channels.has(channelId)) return unknown.channel();
  const message = state.messages.get(channelId, messageId);
  if (message === undefined) return unknown.message();
  const violation = checkMessage(request.body, { create: false });
  if (violation !== null) return fail(400, violation.code, violation.message, violation.errors);
  return ok(state.messages.edit(message, isRecord(request.body) ? request.body : {}, request.files));
}

function commandObject(state: FakeState, body: Record<string, unknown>, id: string, guildId?: string): Json {
  return {
    id,
    application_id: state.world.applicationId,
    version: state.snowflake(),
    type: body.type ?? 1,
    name: body.name,
    name_localizations: body.name_localizations ?? null,
    description: body.description ?? '',
    description_localizations: body.description_localizations ?? null,
    options: body.options ?? [],
    default_member_permissions: body.default_member_permissions ?? null,
    nsfw: body.nsfw ?? false,
    contexts: body.contexts ?? null,
    integration_types: body.integration_types ?? [0],
    ...(guildId === undefined ? {} : { guild_id: guildId }),
  };
}

/** Resolves the scope of a command route, or the error Discord gives for a wrong app or guild. */
function scopeOf(state: FakeState, appId: string, guildId?: string): string | RouteAnswer {
  if (appId !== state.world.applicationId) return fail(403, 50001, 'Missing Access');
  if (guildId === undefined) return 'global';
  return guildId === state.world.guildId ? guildId : fail(403, 50001, 'Missing Access');
}

function commandRoutes(prefix: string): Route[] {
  const scoped = (params: string[], state: FakeState): string | RouteAnswer =>
    scopeOf(state, params[0] ?? '', params[1]);
  const guildOf = (scope: string): string | undefined => (scope === 'global' ? undefined : scope);
  // Discord keeps a command's id across overwrites as long as its name and type stay the same.
  const build = (state: FakeState, scope: string, body: Record<string, unknown>, previous: Json[]): Json => {
    const existing = previous.find(
      (command) => command.name === body.name && command.type === (body.type ?? 1),
    );
    return commandObject(
      state,
      body,
      typeof existing?.id === 'string' ? existing.id : state.snowflake(),
      guildOf(scope),
    );
  };
  const upsert = (state: FakeState, scope: string, body: Record<string, unknown>): Json => {
    const list = state.commands.get(scope) ?? [];
    const created = build(state, scope, body, list);
    state.commands.set(scope, [...list.filter((command) => command.id !== created.id), created]);
    return created;
  };
  return [
    route('GET', prefix, (_request, params, state) => {
      const scope = scoped(params, state);
      return typeof scope === 'string' ? ok(state.commands.get(scope) ?? []) : scope;
    }),
    route('PUT', prefix, (request, params, state) => {
      const scope = scoped(params, state);
      if (typeof scope !== 'string') return scope;
      if (!Array.isArray(request.body)) return fail(400, 50035, 'Invalid Form Body');
      if (request.body.length > 100)
        return fail(400, 30032, 'Maximum number of application commands reached (100)');
      for (const [index, command] of request.body.entries()) {
        const violation = checkCommand(command, index);
        if (violation !== null) return fail(400, violation.code, violation.message, violation.errors);
      }
      const previous = state.commands.get(scope) ?? [];
      const next = request.body.map((command) =>
        build(state, scope, command as Record<string, unknown>, previous),
      );
      state.commands.set(scope, next);
      return ok(next);
    }),
    route('POST', prefix, (request, params, state) => {
      const scope = scoped(params, state);
      if (typeof scope !== 'string') return scope;
      const violation = checkCommand(request.body, 0);
      if (violation !== null) return fail(400, violation.code, violation.message, violation.errors);
      return { status: 201, body: upsert(state, scope, request.body as Record<string, unknown>) };
    }),
    route('GET', `${prefix}/${ID}`, (_request, params, state) => {
      const scope = scoped(params, state);
      if (typeof scope !== 'string') return scope;
      const found = state.commands.get(scope)?.find((command) => command.id === params.at(-1));
      return found === undefined ? unknown.command() : ok(found);
    }),
    route('DELETE', `${prefix}/${ID}`, (_request, params, state) => {
      const scope = scoped(params, state);
      if (typeof scope !== 'string') return scope;
      const list = state.commands.get(scope) ?? [];
      const kept = list.filter((command) => command.id !== params.at(-1));
      if (kept.length === list.length) return unknown.command();
      state.commands.set(scope, kept);
      return ok();
    }),
  ];
}

export function restRoutes(gatewayUrl: () => string, gatewayBot: () => Json): Route[] {
  return [
    route('GET', '/gateway/bot', () => ok(gatewayBot())),
    route('GET', '/gateway', () => ok({ url: gatewayUrl() })),
    route('GET', '/users/@me', (_request, _params, state) => ok(botUser(state.world))),
    route('GET', '/applications/@me', (_request, _params, state) => ok(application(state.world))),
    route('GET', `/users/${ID}`, (_request, [id = ''], state) =>
      ok(id === state.world.botUserId ? botUser(state.world) : humanUser(id)),
    ),
    route('POST', '/users/@me/channels', (request, _params, state) => {
      const recipient = isRecord(request.body) ? request.body.recipient_id : undefined;
      if (typeof recipient !== 'string' || !/^\d+$/.test(recipient))
        return fail(400, 50035, 'Invalid Form Body');
      const existing = [...state.channels.values()].find(
        (channel) => channel.type === 1 && (channel.recipients as Json[])[0]?.id === recipient,
      );
      if (existing !== undefined) return ok(existing);
      const channel = dmChannel(state.snowflake(), humanUser(recipient));
      state.channels.set(channel.id as string, channel);
      return ok(channel);
    }),
    route('GET', `/guilds/${ID}`, (_request, [id], state) =>
      id === state.world.guildId ? ok(guild(state.world)) : unknown.guild(),
    ),
    route('GET', `/guilds/${ID}/channels`, (_request, [id], state) =>
      id === state.world.guildId ? ok([textChannel(state.world)]) : unknown.guild(),
    ),
    route('GET', `/guilds/${ID}/roles`, (_request, [id], state) =>
      id === state.world.guildId ? ok(guild(state.world).roles) : unknown.guild(),
    ),
    route('GET', `/guilds/${ID}/members/${ID}`, (_request, [id, userId], state) => {
      const { world } = state;
      if (id !== world.guildId) return unknown.guild();
      if (userId === world.botUserId) return ok(member(botUser(world), [world.botRoleId], world.joinedAt));
      if (userId === world.userId) return ok(member(humanUser(world.userId), [], world.joinedAt));
      return unknown.member();
    }),
    route('GET', `/channels/${ID}`, (_request, [id = ''], state) => {
      const channel = state.channels.get(id);
      return channel === undefined ? unknown.channel() : ok(channel);
    }),
    route('POST', `/channels/${ID}/typing`, (_request, [id = ''], state) =>
      state.channels.has(id) ? ok() : unknown.channel(),
    ),
    route('POST', `/channels/${ID}/messages`, postMessage),
    route('GET', `/channels/${ID}/messages`, (_request, [id = ''], state) =>
      state.channels.has(id) ? ok(state.messages.inChannel(id).reverse()) : unknown.channel(),
    ),
    route('GET', `/channels/${ID}/messages/${ID}`, (_request, [id = '', messageId = ''], state) => {
      const message = state.messages.get(id, messageId);
      return message === undefined ? unknown.message() : ok(message);
    }),
    route('PATCH', `/channels/${ID}/messages/${ID}`, editMessage),
    route('DELETE', `/channels/${ID}/messages/${ID}`, (_request, [id = '', messageId = ''], state) =>
      state.messages.remove(id, messageId) ? ok() : unknown.message(),
    ),
    ...commandRoutes(`/applications/${ID}/commands`),
    ...commandRoutes(`/applications/${ID}/guilds/${ID}/commands`),
  ];
}
