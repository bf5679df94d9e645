// Interaction callbacks and the interaction webhook (original response and follow-ups), with
// Discord's rules: one callback per interaction, within 3 s of dispatch; webhook calls only after
// the callback and for 15 minutes.
import {
  fail,
  ok,
  unknown,
  type FakeState,
  type InteractionState,
  type Route,
  type RouteAnswer,
  type RouteRequest,
} from './context.ts';
import { botUser, type Json } from './fixtures.ts';
import { isRecord } from './http.ts';
import { checkChoices, checkMessage } from './limits.ts';

export const CALLBACK_DEADLINE_MS = 3000;
export const WEBHOOK_LIFETIME_MS = 15 * 60_000;
const LOADING = 1 << 7;
const EPHEMERAL = 1 << 6;
const COMMAND = 2;
const COMPONENT = 3;
const AUTOCOMPLETE = 4;
const MODAL_SUBMIT = 5;

/** Which interaction types accept which callback types. */
const ALLOWED_CALLBACKS: Record<number, number[]> = {
  4: [COMMAND, COMPONENT, MODAL_SUBMIT],
  5: [COMMAND, COMPONENT, MODAL_SUBMIT],
  6: [COMPONENT, MODAL_SUBMIT],
  7: [COMPONENT, MODAL_SUBMIT],
  8: [AUTOCOMPLETE],
  9: [COMMAND, COMPONENT],
};

const invalid = (path: string, code: string, message: string): RouteAnswer =>
  fail(400, 50035, 'Invalid Form Body', { [path]: { _errors: [{ code, message }] } });

function newResponseMessage(
  state: FakeState,
  interaction: InteractionState,
  data: Record<string, unknown>,
  loading: boolean,
): Json {
  return state.messages.create({
    channelId: interaction.channelId,
    author: botUser(state.world),
    body: data,
    loading,
    webhookId: state.world.applicationId,
    interaction: { id: interaction.id, type: interaction.type, userId: interaction.userId },
    ...(interaction.guildId === undefined ? {} : { guildId: interaction.guildId }),
  });
}

/** Applies an accepted callback; returns the message it created or changed, if any. */
function applyCallback(
  request: RouteRequest,
  state: FakeState,
  interaction: InteractionState,
  type: number,
  data: Record<string, unknown>,
): Json | RouteAnswer | undefined {
  if (type === 4 || type === 7) {
    const violation = checkMessage(data, { create: type === 4, files: request.files.length });
    if (violation !== null) return fail(400, violation.code, violation.message, violation.errors);
  }
  if (type === 8) {
    const violation = checkChoices(data);
    if (violation !== null) return fail(400, violation.code, violation.message, violation.errors);
  }
  if (type === 9) {
    const title = typeof data.title === 'string' ? data.title : '';
    if (typeof data.custom_id !== 'string' || title.length < 1 || title.length > 45) {
      return invalid(
        'data',
        'BASE_TYPE_BAD_LENGTH',
        'A modal needs a custom_id and a title of 1 to 45 characters.',
      );
    }
  }
  if (type === 4 || type === 5) return newResponseMessage(state, interaction, data, type === 5);
  const source =
    interaction.sourceMessageId === undefined ? undefined : state.messages.find(interaction.sourceMessageId);
  if (type === 7 && source !== undefined) return state.messages.edit(source, data, request.files);
  return type === 6 ? source : undefined;
}

function callback(request: RouteRequest, [id = '', token = '']: string[], state: FakeState): RouteAnswer {
  const interaction = state.interactions.get(id);
  if (interaction === undefined || interaction.token !== token) return unknown.interaction();
  if (interaction.callbackType !== undefined)
    return fail(400, 40060, 'Interaction has already been acknowledged.');
  if (state.now() - interaction.dispatchedAt > CALLBACK_DEADLINE_MS) return unknown.interaction();
  const body = isRecord(request.body) ? request.body : {};
  const type = typeof body.type === 'number' ? body.type : -1;
  if (!(ALLOWED_CALLBACKS[type] ?? []).includes(interaction.type)) {
    return invalid(
      'type',
      'INTERACTION_RESPONSE_TYPE_INVALID',
      `Callback type ${type} is not valid for this interaction.`,
    );
  }
  const data = isRecord(body.data) ? body.data : {};
  const result = applyCallback(request, state, interaction, type, data);
  if (result !== undefined && 'status' in result) return result as RouteAnswer;
  const message = result as Json | undefined;
  interaction.callbackType = type;
  if (message !== undefined) interaction.originalId = message.id as string;
  if (request.query.get('with_response') !== 'true') return ok();
  const flags = typeof message?.flags === 'number' ? message.flags : 0;
  return ok({
    interaction: {
      id: interaction.id,
      type: interaction.type,
      activity_instance_id: null,
      response_message_id: message?.id ?? null,
      response_message_loading: (flags & LOADING) !== 0,
      response_message_ephemeral: (flags & EPHEMERAL) !== 0,
    },
    resource: message === undefined || type === 6 ? { type } : { type, message },
  });
}

/** Finds the interaction behind a webhook token, or the error Discord gives for it. */
function webhookOf(state: FakeState, appId: string, token: string): InteractionState | RouteAnswer {
  const interaction = [...state.interactions.values()].find((candidate) => candidate.token === token);
  if (appId !== state.world.applicationId || interaction === undefined) return unknown.webhook();
  if (state.now() - interaction.dispatchedAt > WEBHOOK_LIFETIME_MS)
    return fail(401, 50027, 'Invalid Webhook Token');
  // Before the callback there is no webhook to post through yet.
  if (interaction.callbackType === undefined) return unknown.webhook();
  return interaction;
}

function messageOf(state: FakeState, interaction: InteractionState, messageId: string): Json | undefined {
  const id = messageId === '@original' ? interaction.originalId : messageId;
  if (id === undefined) return undefined;
  const message = state.messages.get(interaction.channelId, id);
  return message !== undefined && (id === interaction.originalId || message.webhook_id !== undefined)
    ? message
    : undefined;
}

type WebhookHandler = (
  request: RouteRequest,
  interaction: InteractionState,
  state: FakeState,
  messageId: string,
) => RouteAnswer;

function webhookRoute(method: string, path: string, handle: WebhookHandler): Route {
  return {
    method,
    pattern: new RegExp(`^${path}$`),
    auth: false,
    handle(request, [appId = '', token = '', messageId = ''], state) {
      const interaction = webhookOf(state, appId, token);
      return 'status' in interaction ? interaction : handle(request, interaction, state, messageId);
    },
  };
}

const WEBHOOK = '/webhooks/(\\d+)/([^/]+)';
const MESSAGE = '(@original|\\d+)';

export function interactionRoutes(): Route[] {
  return [
    { method: 'POST', pattern: /^\/interactions\/(\d+)\/([^/]+)\/callback$/, auth: false, handle: callback },
    webhookRoute('POST', WEBHOOK, (request, interaction, state) => {
      const violation = checkMessage(request.body, { create: true, files: request.files.length });
      if (violation !== null) return fail(400, violation.code, violation.message, violation.errors);
      const message = newResponseMessage(
        state,
        interaction,
        isRecord(request.body) ? request.body : {},
        false,
      );
      return request.query.get('wait') === 'true' ? ok(message) : ok();
    }),
    webhookRoute('GET', `${WEBHOOK}/messages/${MESSAGE}`, (_request, interaction, state, messageId) => {
      const message = messageOf(state, interaction, messageId);
      return message === undefined ? unknown.message() : ok(message);
    }),
    webhookRoute('PATCH', `${WEBHOOK}/messages/${MESSAGE}`, (request, interaction, state, messageId) => {
      const message = messageOf(state, interaction, messageId);
      if (message === undefined) return unknown.message();
      // Editing a deferred reply is its first real content: Discord refuses an empty one.
      const loading = typeof message.flags === 'number' && (message.flags & LOADING) !== 0;
      const violation = checkMessage(request.body, { create: loading, files: request.files.length });
      if (violation !== null) return fail(400, violation.code, violation.message, violation.errors);
      return ok(state.messages.edit(message, isRecord(request.body) ? request.body : {}, request.files));
    }),
    webhookRoute('DELETE', `${WEBHOOK}/messages/${MESSAGE}`, (_request, interaction, state, messageId) => {
      const message = messageOf(state, interaction, messageId);
      if (message === undefined) return unknown.message();
      state.messages.remove(interaction.channelId, message.id as string);
      return ok();
    }),
  ];
}
