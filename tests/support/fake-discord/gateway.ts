// The gateway half of the fake: JSON encoding, no compression (discord.js only asks for
// zlib-stream when zlib-sync is installed). HELLO, heartbeats, IDENTIFY -> READY + GUILD_CREATE,
// RESUME -> RESUMED with nothing replayed, and dispatches with increasing sequence numbers.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { botUser, guildCreate, type World } from './fixtures.ts';
import { isRecord } from './http.ts';

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

/** The gateway server; counts and controls are read by the tests through FakeDiscord. */
export interface FakeGateway {
  readonly identifyCount: number;
  readonly resumeCount: number;
  readonly received: GatewayReceived[];
  /** Sends a dispatch to every identified connection; returns how many got it. */
  dispatch(event: string, data: unknown): number;
  /** Resolves once a connection has a live session (identified or resumed). */
  waitForSession(timeoutMs: number): Promise<void>;
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
}

interface Session {
  id: string;
  seq: number;
}

export function createGateway(options: GatewayOptions): FakeGateway {
  const wss = new WebSocketServer({ server: options.server });
  const sessions = new Map<string, Session>();
  const live = new Map<WebSocket, Session>();
  const received: GatewayReceived[] = [];
  const waiters = new Set<() => void>();
  let identifyCount = 0;
  let resumeCount = 0;

  const sendDispatch = (socket: WebSocket, session: Session, event: string, data: unknown): void => {
    session.seq += 1;
    socket.send(JSON.stringify({ op: OP.Dispatch, t: event, s: session.seq, d: data }));
  };

  const goLive = (socket: WebSocket, session: Session): void => {
    live.set(socket, session);
    for (const wake of waiters) wake();
  };

  const identify = (socket: WebSocket, d: Record<string, unknown>): void => {
    if (d.token !== options.token) return socket.close(4004, 'Authentication failed.');
    if (live.has(socket)) return socket.close(4005, 'Already authenticated.');
    identifyCount += 1;
    const session: Session = { id: randomUUID().replaceAll('-', ''), seq: 0 };
    sessions.set(session.id, session);
    const { world } = options;
    sendDispatch(socket, session, 'READY', {
      v: 10,
      user: botUser(world),
      guilds: [{ id: world.guildId, unavailable: true }],
      session_id: session.id,
      resume_gateway_url: options.url(),
      shard: [0, 1],
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
    sendDispatch(socket, session, 'GUILD_CREATE', guildCreate(world));
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
    dispatch(event, data) {
      let sent = 0;
      for (const [socket, session] of live) {
        if (socket.readyState !== socket.OPEN) continue;
        sendDispatch(socket, session, event, data);
        sent += 1;
      }
      return sent;
    },
    waitForSession(timeoutMs) {
      if ([...live.keys()].some((socket) => socket.readyState === socket.OPEN)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const wake = (): void => {
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
