// A local Discord for end-to-end tests: REST under /api/v10 and a JSON WebSocket gateway on one
// loopback port. The real discord.js Client logs into it with `rest: { api: fake.restUrl }`.
// It records every request, enforces Discord's message limits and interaction deadlines, and can
// inject 429s, 5xx and API errors. See tests/e2e/fake-discord.test.ts for usage.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeState, Route } from './fake-discord/context.ts';
import {
  createFaultQueue,
  createGlobalLimiter,
  faultAnswer,
  rateLimited,
  type FaultSpec,
} from './fake-discord/faults.ts';
import {
  DEFAULT_BOT_PERMISSIONS,
  DEFAULT_MEMBER_PERMISSIONS,
  createSnowflakes,
  createWorld,
  roles,
  textChannel,
  type Json,
} from './fake-discord/fixtures.ts';
import {
  createGateway,
  type GatewayReceived,
  type GatewaySession,
  type GatewayRefusal,
} from './fake-discord/gateway.ts';
import { parseBody, readBody, send, type RecordedFile } from './fake-discord/http.ts';
import {
  buildInteraction,
  type DispatchedInteraction,
  type InteractionInput,
} from './fake-discord/interaction-payload.ts';
import { interactionRoutes } from './fake-discord/interaction-routes.ts';
import { createFakeOAuth, type FakeOAuth } from './fake-discord/oauth.ts';
import { createMessageStore } from './fake-discord/messages.ts';
import { restRoutes } from './fake-discord/rest-routes.ts';
import {
  DISCORD_IDENTIFY_INTERVAL_MS,
  createGuildDirectory,
  createIdentifyRules,
  shardOf,
} from './fake-discord/shards.ts';
import { CHANNEL_TYPES, guildChannel, threadRoutes } from './fake-discord/thread-routes.ts';
import { HANG_GUARD_MS } from './wait.ts';

export type { FaultSpec } from './fake-discord/faults.ts';
export type {
  CommandOptionInput,
  DispatchedInteraction,
  InteractionInput,
} from './fake-discord/interaction-payload.ts';
export type { GatewayReceived, GatewayRefusal, GatewaySession } from './fake-discord/gateway.ts';
export { GATEWAY_CLOSE, MAX_GUILDS_PER_SESSION, shardOf } from './fake-discord/shards.ts';
export type { RecordedFile } from './fake-discord/http.ts';
export type { Json } from './fake-discord/fixtures.ts';
export { DEFAULT_BOT_PERMISSIONS, DEFAULT_MEMBER_PERMISSIONS, PERMISSIONS } from './fake-discord/fixtures.ts';
export { CALLBACK_DEADLINE_MS, WEBHOOK_LIFETIME_MS } from './fake-discord/interaction-routes.ts';
export { CHANNEL_TYPES } from './fake-discord/thread-routes.ts';

export interface FakeDiscordOptions {
  /** The fake's clock for interaction deadlines, webhook expiry and nonce windows. Default: real time plus advanceClock(). */
  now?: () => number;
  /** Sent in HELLO; default 41250 as Discord. */
  heartbeatIntervalMs?: number;
  /** Permissions of the bot's role (the @everyone role has none). Default DEFAULT_BOT_PERMISSIONS. */
  botPermissions?: bigint;
  /** When set, REST requests beyond this many per second (sliding window) get a global 429. Interaction routes are exempt, as on Discord. */
  globalLimitPerSecond?: number;
  token?: string;
  /** Guilds the bot is in (default 1: the modelled guild; the others each have one text channel). */
  guildCount?: number;
  /** session_start_limit.max_concurrency: identify buckets (default 1). */
  maxConcurrency?: number;
  /** The window in which each bucket may identify once (default 5000, as Discord). */
  identifyIntervalMs?: number;
  /** session_start_limit.total (default 1000); each identify spends one. */
  sessionStartTotal?: number;
}

/** One REST request as the fake received and answered it. */
export interface RecordedRequest {
  method: string;
  /** Without /api/v10, e.g. /channels/123/messages. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The parsed JSON body, or payload_json of a multipart body. */
  body: unknown;
  files: RecordedFile[];
  /** The fake clock when the request arrived. */
  time: number;
  status: number;
  response: unknown;
  /** True when an injected fault or the global limit answered instead of the route. */
  injected: boolean;
}

/** The running fake. Ids are snowflakes fixed for its lifetime. */
export interface FakeDiscord {
  readonly restUrl: string;
  readonly gatewayUrl: string;
  readonly token: string;
  readonly applicationId: string;
  readonly guildId: string;
  /** The guild's one text channel. */
  readonly channelId: string;
  readonly botUserId: string;
  /** The guild's human member (the owner), who sends interactions by default. */
  readonly userId: string;
  readonly requests: RecordedRequest[];
  /** Discord's OAuth2 sign-in (authorize, token, /users/@me and its guilds), for the panel. */
  readonly oauth: FakeOAuth;
  readonly identifyCount: number;
  readonly resumeCount: number;
  /** How many requests the global limit answered with 429. */
  readonly globalRateLimitHits: number;
  readonly gatewayReceived: GatewayReceived[];
  /** IDENTIFYs the fake closed (4008 too fast for the bucket, 4010 invalid shard, 4011 too many guilds). */
  readonly gatewayRefusals: GatewayRefusal[];
  /** Live gateway sessions with their [shard_id, num_shards]. */
  gatewaySessions(): GatewaySession[];
  /** What GET /gateway/bot recommends (2,500 guilds per shard). */
  readonly recommendedShards: number;
  /** The first guild (by id) that a session of `shardId` of `shardCount` holds. */
  guildOnShard(shardId: number, shardCount: number): string;
  now(): number;
  /** Moves the default clock forward (no effect when options.now was given). */
  advanceClock(ms: number): void;
  failNext(fault: FaultSpec): void;
  clearFaults(): void;
  /** Resolves with the first recorded request (past or future) matching `predicate`. */
  waitForRequest(
    predicate: (request: RecordedRequest) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedRequest>;
  /** Messages in a channel (posts, interaction responses, follow-ups), oldest first, as API objects. */
  messagesIn(channelId: string): Json[];
  /** Registered commands: global, or for a guild. */
  commands(guildId?: string): Json[];
  /** The DM channel id opened with a user, if any. */
  dmChannelOf(userId: string): string | undefined;
  /** Changes the bot role's permissions for REST checks and tells connected clients (GUILD_ROLE_UPDATE). */
  setBotPermissions(permissions: bigint): void;
  /** Sends INTERACTION_CREATE (waiting for a live gateway session first). */
  dispatchInteraction(input: InteractionInput): Promise<DispatchedInteraction>;
  /** The callback request for an interaction, once made. */
  callbackFor(interactionId: string): RecordedRequest | undefined;
  /** Adds a guild channel (a text channel, a forum: see CHANNEL_TYPES) and tells connected clients (CHANNEL_CREATE). Returns its id. */
  addChannel(type: number, name: string, extra?: Json): string;
  /** Adds a guild role and tells connected clients (GUILD_ROLE_CREATE). Returns its id. */
  addRole(name: string, options?: { mentionable?: boolean }): string;
  /** A channel object the fake knows (threads included), or undefined. */
  channel(channelId: string): Json | undefined;
  /** Closes every gateway socket with a resumable code (4000 default; 1006 terminates). */
  dropConnections(code?: number): void;
  close(): Promise<void>;
}

const API_PREFIX = '/api/v10';

function safeDecode(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  let clockOffset = 0;
  const now = options.now ?? ((): number => Date.now() + clockOffset);
  const snowflake = createSnowflakes(now);
  const world = createWorld(snowflake, options.botPermissions ?? DEFAULT_BOT_PERMISSIONS, now);
  const token = options.token ?? 'fake-bot-token';
  const state: FakeState = {
    world,
    token,
    now,
    snowflake,
    messages: createMessageStore(now, snowflake),
    channels: new Map([[world.channelId, textChannel(world)]]),
    commands: new Map(),
    interactions: new Map(),
  };
  const faults = createFaultQueue();
  const limiter =
    options.globalLimitPerSecond === undefined ? null : createGlobalLimiter(options.globalLimitPerSecond);
  const requests: RecordedRequest[] = [];
  const listeners = new Set<(request: RecordedRequest) => void>();
  let globalRateLimitHits = 0;
  let port = 0;
  const gatewayUrl = (): string => `ws://127.0.0.1:${port}`;
  const guilds = createGuildDirectory(world, Math.max(0, (options.guildCount ?? 1) - 1));
  const sessionStartTotal = options.sessionStartTotal ?? 1000;
  const gatewayInfo = (): Json => ({
    url: gatewayUrl(),
    shards: guilds.recommendedShards(),
    session_start_limit: {
      total: sessionStartTotal,
      remaining: Math.max(0, sessionStartTotal - gateway.identifyCount),
      reset_after: 14_400_000,
      max_concurrency: options.maxConcurrency ?? 1,
    },
  });
  const routes: Route[] = [...restRoutes(gatewayUrl, gatewayInfo), ...interactionRoutes(), ...threadRoutes()];

  const record = (entry: RecordedRequest): void => {
    requests.push(entry);
    for (const listener of listeners) listener(entry);
  };

  // By default the guild's owner signs in, with Manage Server there.
  const oauth = createFakeOAuth(
    {
      id: world.userId,
      username: 'owner',
      guilds: [
        {
          id: world.guildId,
          name: 'Herald Test Guild',
          owner: true,
          permissions: DEFAULT_MEMBER_PERMISSIONS,
        },
      ],
    },
    now,
  );

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const time = now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    // discord.js percent-encodes path segments (@original arrives as %40original).
    const pathname = safeDecode(url.pathname);
    const path = pathname.startsWith(API_PREFIX) ? pathname.slice(API_PREFIX.length) : pathname;
    const raw = await readBody(req);
    const signIn = oauth.handle(method, pathname, url.searchParams, raw, req.headers.authorization);
    if (signIn !== undefined) return send(res, signIn.status, signIn.body, signIn.headers);
    const parsed = parseBody(raw, req.headers['content-type']);
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([key, value]) => [key, String(value)]),
    );
    const base = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: parsed.json,
      files: parsed.files,
      time,
    };
    const answer = (
      status: number,
      body: unknown,
      injected: boolean,
      extra: Record<string, string> = {},
    ): void => {
      record({ ...base, status, response: body, injected });
      send(res, status, body, extra);
    };

    const matching = routes.filter((candidate) => candidate.pattern.test(path));
    const route = matching.find((candidate) => candidate.method === method);
    if (!pathname.startsWith(`${API_PREFIX}/`) || matching.length === 0)
      return answer(404, { code: 0, message: '404: Not Found' }, false);
    if (route === undefined) return answer(405, { code: 0, message: '405: Method Not Allowed' }, false);
    if (route.auth && headers.authorization !== `Bot ${token}`)
      return answer(401, { code: 0, message: '401: Unauthorized' }, false);
    if (limiter !== null && route.auth) {
      const wait = limiter.admit();
      if (wait > 0) {
        globalRateLimitHits += 1;
        const limited = rateLimited(wait, true);
        return answer(limited.status, limited.body, true, limited.headers);
      }
    }
    const fault = faults.take(method, path);
    if (fault !== undefined) {
      const injected = faultAnswer(fault);
      return answer(injected.status, injected.body, true, injected.headers);
    }
    if (parsed.error !== undefined) return answer(400, { code: 50109, message: parsed.error }, false);
    const result = route.handle(
      { method, path, query: url.searchParams, body: parsed.json, files: parsed.files },
      [...(route.pattern.exec(path) ?? [])].slice(1),
      state,
    );
    answer(result.status, result.body, false);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the fake must not look like a Discord answer the bot could handle.
      console.error('fake Discord route failed', error);
      if (!res.headersSent) send(res, 500, { code: 0, message: `fake Discord error: ${String(error)}` });
    });
  });
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
  const rules = createIdentifyRules({
    guilds,
    maxConcurrency: options.maxConcurrency ?? 1,
    intervalMs: options.identifyIntervalMs ?? DISCORD_IDENTIFY_INTERVAL_MS,
    now,
  });
  const gateway = createGateway({
    server,
    world,
    token,
    heartbeatIntervalMs,
    url: gatewayUrl,
    guilds,
    rules,
    now,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;

  return {
    restUrl: `http://127.0.0.1:${port}/api`,
    gatewayUrl: gatewayUrl(),
    token,
    applicationId: world.applicationId,
    guildId: world.guildId,
    channelId: world.channelId,
    botUserId: world.botUserId,
    userId: world.userId,
    requests,
    oauth: oauth.api,
    get identifyCount() {
      return gateway.identifyCount;
    },
    get resumeCount() {
      return gateway.resumeCount;
    },
    get gatewayRefusals() {
      return gateway.refusals;
    },
    gatewaySessions: () => gateway.sessions(),
    recommendedShards: guilds.recommendedShards(),
    guildOnShard(shardId, shardCount) {
      for (const id of guilds.ids()) if (shardOf(id, shardCount) === shardId) return id;
      throw new Error(`fake Discord: no guild on shard ${shardId} of ${shardCount}`);
    },
    get globalRateLimitHits() {
      return globalRateLimitHits;
    },
    gatewayReceived: gateway.received,
    now,
    advanceClock(ms) {
      clockOffset += ms;
    },
    failNext: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    waitForRequest(predicate, timeoutMs = HANG_GUARD_MS) {
      const past = requests.find(predicate);
      if (past !== undefined) return Promise.resolve(past);
      return new Promise((resolve, reject) => {
        const listener = (request: RecordedRequest): void => {
          if (!predicate(request)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(request);
        };
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`fake Discord: no matching request within ${timeoutMs} ms`));
        }, timeoutMs);
        listeners.add(listener);
      });
    },
    messagesIn: (channelId) => state.messages.inChannel(channelId),
    commands: (guildId) => [...(state.commands.get(guildId ?? 'global') ?? [])],
    dmChannelOf(userId) {
      const channel = [...state.channels.values()].find(
        (candidate) => candidate.type === 1 && (candidate.recipients as Json[])[0]?.id === userId,
      );
      return channel?.id as string | undefined;
    },
    setBotPermissions(permissions) {
      world.botPermissions = permissions;
      const role = roles(world).find((candidate) => candidate.id === world.botRoleId);
      gateway.dispatch('GUILD_ROLE_UPDATE', { guild_id: world.guildId, role }, world.guildId);
    },
    async dispatchInteraction(input) {
      if (input.guildId !== undefined && !guilds.has(input.guildId))
        throw new Error(`fake Discord: the bot is not in guild ${input.guildId}`);
      const guildId = input.dm === true ? undefined : (input.guildId ?? world.guildId);
      await gateway.waitForSession(HANG_GUARD_MS, guildId);
      const channelId = guildId === undefined ? undefined : (input.channelId ?? guilds.channelOf(guildId));
      const { payload, record: interaction } = buildInteraction(state, {
        ...input,
        ...(channelId === undefined ? {} : { channelId }),
      });
      state.interactions.set(interaction.id, interaction);
      gateway.dispatch('INTERACTION_CREATE', payload, guildId);
      return {
        id: interaction.id,
        token: interaction.token,
        applicationId: world.applicationId,
        channelId: interaction.channelId,
        payload,
      };
    },
    callbackFor: (interactionId) =>
      requests.find(
        (request) => request.method === 'POST' && request.path.startsWith(`/interactions/${interactionId}/`),
      ),
    addRole(name, options = {}) {
      const id = snowflake();
      world.extraRoles.push({ id, name, mentionable: options.mentionable ?? false });
      const role = roles(world).find((candidate) => candidate.id === id);
      gateway.dispatch('GUILD_ROLE_CREATE', { guild_id: world.guildId, role });
      return id;
    },
    addChannel(type = CHANNEL_TYPES.text, name = 'more-news', extra = {}) {
      const channel = guildChannel(state, snowflake(), type, name, extra);
      state.channels.set(channel.id as string, channel);
      gateway.dispatch('CHANNEL_CREATE', channel, world.guildId);
      return channel.id as string;
    },
    channel: (channelId) => state.channels.get(channelId),
    dropConnections: (code = 4000) => gateway.drop(code),
    async close() {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
