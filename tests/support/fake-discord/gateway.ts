// The gateway half of the fake: JSON encoding, no compression (discord.js only asks for
// zlib-stream when zlib-sync is installed). HELLO, heartbeats, IDENTIFY -> READY + GUILD_CREATE,
// RESUME -> RESUMED with nothing replayed, and dispatches with increasing sequence numbers.
// Sharded: IDENTIFY carries [shard_id, num_shards] (checked by shards.ts), READY lists that
// shard's guilds and a GUILD_CREATE follows for each; guild events go to the guild's shard.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { botUser, type World } from './fixtures.ts';
import { isRecord } from './http.ts';
import { shardOf, type GuildDirectory, type IdentifyRules } from './shards.ts';

const OP = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  Resume: 6,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

/** A payload the fake received from the client. */
export interface GatewayReceived {
  op: number;
  d: unknown;
}

/** A live gateway session: its shard and when it identified (the fake's clock). */
export interface GatewaySession {
  shard: [number, number];
  identifiedAt: number;
}

/** A close the fake sent because an IDENTIFY broke a rule. */
export interface GatewayRefusal {
  code: number;
  shard: unknown;
  at: number;
}

/** The gateway server; counts and controls are read by the tests through FakeDiscord. */
export interface FakeGateway {
  readonly identifyCount: number;
  readonly resumeCount: number;
  readonly received: GatewayReceived[];
  readonly refusals: GatewayRefusal[];
  /** Live sessions, in the order they went live. */
  sessions(): GatewaySession[];
  /**
   * Sends a dispatch to every identified connection, or only to those on the shard of
   * `guildId` when given; returns how many got it.
   */
  dispatch(event: string, data: unknown, guildId?: string): number;
  /** Resolves once a connection has a live session (on the shard of `guildId` when given). */
  waitForSession(timeoutMs: number, guildId?: string): Promise<void>;
  /** Closes every connection with `code` (1006 terminates without a close frame). */
  drop(code: number): void;
  close(): Promise<void>;
}

export interface GatewayOptions {
  server: Server;
  world: World;
  token: string;
  heartbeatIntervalMs: number;
  url: () => string;
  guilds: GuildDirectory;
  rules: IdentifyRules;
  now: () => number;
}

interface Session {
  id: string;
  seq: number;
  shard: [number, number];
  identifiedAt: number;
}

export function createGateway(options: GatewayOptions): FakeGateway {
  const wss = new WebSocketServer({ server: options.server });
  const sessions = new Map<string, Session>();
  const live = new Map<WebSocket, Session>();
  const received: GatewayReceived[] = [];
  const refusals: GatewayRefusal[] = [];
  const waiters = new Set<() => void>();
  let identifyCount = 0;
  let resumeCount = 0;

  const sendDispatch = (socket: WebSocket, session: Session, event: string, data: unknown): void => {
    session.seq += 1;
    socket.send(JSON.stringify({ op: OP.Dispatch, t: event, s: session.seq, d: data }));
  };

  const onShardOf = (session: Session, guildId: string | undefined): boolean =>
    guildId === undefined || shardOf(guildId, session.shard[1]) === session.shard[0];

  const goLive = (socket: WebSocket, session: Session): void => {
    live.set(socket, session);
    for (const wake of waiters) wake();
  };

  const identify = (socket: WebSocket, d: Record<string, unknown>): void => {
    if (d.token !== options.token) return socket.close(4004, 'Authentication failed.');
    if (live.has(socket)) return socket.close(4005, 'Already authenticated.');
    const verdict = options.rules.check(d.shard);
    if (!('shard' in verdict)) {
      refusals.push({ code: verdict.code, shard: d.shard, at: options.now() });
      return socket.close(verdict.code, verdict.reason);
    }
    const { shard } = verdict;
    options.rules.accepted(shard[0]);
    identifyCount += 1;
    const session: Session = {
      id: randomUUID().replaceAll('-', ''),
      seq: 0,
      shard,
      identifiedAt: options.now(),
    };
    sessions.set(session.id, session);
    const { world } = options;
    const guildIds = options.guilds.onShard(shard[0], shard[1]);
    sendDispatch(socket, session, 'READY', {
      v: 10,
      user: botUser(world),
      guilds: guildIds.map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: options.url(),
      shard,
      application: { id: world.applicationId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      user_settings: {},
      geo_ordered_rtc_regions: [],
      session_type: 'normal',
      auth: {},
    });
    for (const id of guildIds) sendDispatch(socket, session, 'GUILD_CREATE', options.guilds.guildCreate(id));
    goLive(socket, session);
  };

  const resume = (socket: WebSocket, d: Record<string, unknown>): void => {
    const session = typeof d.session_id === 'string' ? sessions.get(d.session_id) : undefined;
    if (d.token !== options.token || session === undefined) {
      socket.send(JSON.stringify({ op: OP.InvalidSession, d: false }));
      return;
    }
    resumeCount += 1;
    sendDispatch(socket, session, 'RESUMED', {});
    goLive(socket, session);
  };

  wss.on('connection', (socket) => {
    socket.send(JSON.stringify({ op: OP.Hello, d: { heartbeat_interval: options.heartbeatIntervalMs } }));
    socket.on('close', () => live.delete(socket));
    socket.on('message', (raw, isBinary) => {
      let payload: unknown;
      try {
        payload = JSON.parse(isBinary ? Buffer.from(raw as Buffer).toString('utf8') : String(raw));
      } catch {
        return socket.close(4002, 'Error while decoding payload.');
      }
      if (!isRecord(payload) || typeof payload.op !== 'number')
        return socket.close(4002, 'Error while decoding payload.');
      received.push({ op: payload.op, d: payload.d });
      const d = isRecord(payload.d) ? payload.d : {};
      if (payload.op === OP.Heartbeat) socket.send(JSON.stringify({ op: OP.HeartbeatAck }));
      else if (payload.op === OP.Identify) identify(socket, d);
      else if (payload.op === OP.Resume) resume(socket, d);
    });
  });

  return {
    get identifyCount() {
      return identifyCount;
    },
    get resumeCount() {
      return resumeCount;
    },
    received,
    refusals,
    sessions: () =>
      [...live.entries()]
        .filter(([socket]) => socket.readyState === socket.OPEN)
        .map(([, session]) => ({ shard: session.shard, identifiedAt: session.identifiedAt })),
    dispatch(event, data, guildId) {
      let sent = 0;
      for (const [socket, session] of live) {
        if (socket.readyState !== socket.OPEN || !onShardOf(session, guildId)) continue;
        sendDispatch(socket, session, event, data);
        sent += 1;
      }
      return sent;
    },
    waitForSession(timeoutMs, guildId) {
      const ready = (): boolean =>
        [...live.entries()].some(
          ([socket, session]) => socket.readyState === socket.OPEN && onShardOf(session, guildId),
        );
      if (ready()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const wake = (): void => {
          if (!ready()) return;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`fake Discord: no gateway session within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(wake);
      });
    },
    drop(code) {
      for (const socket of wss.clients) {
        live.delete(socket);
        if (code === 1006) socket.terminate();
        else socket.close(code, 'Dropped by the fake');
      }
    },
    close() {
      for (const socket of wss.clients) socket.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
