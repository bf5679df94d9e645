// What every REST route of the fake shares: the world, the clock, the stores, and the shape of a
// route and its answer.
import type { Json, World } from './fixtures.ts';
import type { RecordedFile } from './http.ts';
import type { MessageStore } from './messages.ts';

/** The fake's memory of one dispatched interaction. */
export interface InteractionState {
  id: string;
  token: string;
  /** 2 command, 3 component, 4 autocomplete, 5 modal submit. */
  type: number;
  channelId: string;
  guildId?: string;
  userId: string;
  /** The fake clock's time when INTERACTION_CREATE was sent. */
  dispatchedAt: number;
  /** The callback type once acknowledged. */
  callbackType?: number;
  /** The message the first callback created (reply, deferred reply or updated message). */
  originalId?: string;
  /** For component interactions: the message carrying the component. */
  sourceMessageId?: string;
}

export interface FakeState {
  world: World;
  token: string;
  now: () => number;
  snowflake: () => string;
  messages: MessageStore;
  /** Channel objects the fake knows: the guild's text channel and DM channels created so far. */
  channels: Map<string, Json>;
  /** Registered commands per scope: 'global' or a guild id. */
  commands: Map<string, Json[]>;
  interactions: Map<string, InteractionState>;
}

export interface RouteRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  files: RecordedFile[];
}

export interface RouteAnswer {
  status: number;
  body?: unknown;
}

export interface Route {
  method: string;
  pattern: RegExp;
  /** Whether the route needs `Authorization: Bot <token>` (interaction and webhook routes do not). */
  auth: boolean;
  handle(request: RouteRequest, params: string[], state: FakeState): RouteAnswer;
}

export const ok = (body?: unknown): RouteAnswer =>
  body === undefined ? { status: 204 } : { status: 200, body };
export const fail = (status: number, code: number, message: string, errors?: unknown): RouteAnswer => ({
  status,
  body: errors === undefined ? { code, message } : { code, message, errors },
});
export const unknown = {
  channel: (): RouteAnswer => fail(404, 10003, 'Unknown Channel'),
  message: (): RouteAnswer => fail(404, 10008, 'Unknown Message'),
  member: (): RouteAnswer => fail(404, 10007, 'Unknown Member'),
  guild: (): RouteAnswer => fail(404, 10004, 'Unknown Guild'),
  user: (): RouteAnswer => fail(404, 10013, 'Unknown User'),
  webhook: (): RouteAnswer => fail(404, 10015, 'Unknown Webhook'),
  interaction: (): RouteAnswer => fail(404, 10062, 'Unknown interaction'),
  command: (): RouteAnswer => fail(404, 10063, 'Unknown application command'),
};
