// Builds INTERACTION_CREATE payloads as Discord sends them, from the little a test specifies.
import { randomBytes } from 'node:crypto';
import type { FakeState, InteractionState } from './context.ts';
import {
  DEFAULT_MEMBER_PERMISSIONS,
  PERMISSIONS,
  botUser,
  dmChannel,
  humanUser,
  member,
  roles,
  textChannel,
  type Json,
} from './fixtures.ts';

/** A command option as Discord sends it (type 1 subcommand, 2 group, 3 string, 4 integer, 5 boolean, ...). */
export interface CommandOptionInput {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: CommandOptionInput[];
}

/** Who sends the interaction, and from where. */
export interface InteractionCommon {
  /** Defaults to the guild's human member (FakeDiscord.userId). */
  userId?: string;
  /** The member's permissions in the channel; defaults to a server manager (includes ManageGuild). */
  memberPermissions?: bigint;
  /** Defaults to the guild's text channel. Ignored when `dm` is set. */
  channelId?: string;
  locale?: string;
  /** Sends the interaction from a DM with the bot instead of the guild. */
  dm?: boolean;
  /** Another guild the bot is in (its text channel by default); the modelled guild by default. */
  guildId?: string;
}

export type InteractionInput = InteractionCommon &
  (
    | {
        kind: 'command';
        name: string;
        options?: CommandOptionInput[];
        /** data.resolved (attachments, users, ...), as Discord sends it. */ resolved?: Json;
      }
    | { kind: 'autocomplete'; name: string; options: CommandOptionInput[] }
    | {
        kind: 'button';
        customId: string;
        /** The message carrying the button; a new bot message by default. */ messageId?: string;
      }
    | {
        kind: 'modal';
        customId: string;
        /** Text input custom_id -> value. */ fields?: Record<string, string>;
      }
  );

/** What a test needs to find the interaction's callback and webhook requests. */
export interface DispatchedInteraction {
  id: string;
  token: string;
  applicationId: string;
  channelId: string;
  payload: Json;
}

const TYPE = { command: 2, button: 3, autocomplete: 4, modal: 5 } as const;

function commandId(state: FakeState, name: string): string {
  for (const list of state.commands.values()) {
    const found = list.find((command) => command.name === name);
    if (typeof found?.id === 'string') return found.id;
  }
  return state.snowflake();
}

function componentMessage(state: FakeState, channelId: string, customId: string, guildId?: string): Json {
  return state.messages.create({
    channelId,
    author: botUser(state.world),
    body: {
      content: 'Pick one',
      components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Go', custom_id: customId }] }],
    },
    ...(guildId === undefined ? {} : { guildId }),
  });
}

/** Channel options (type 7) come with the channel in `resolved`, as Discord sends them. */
function resolvedChannels(state: FakeState, options: readonly CommandOptionInput[]): Json {
  const channels: Json = {};
  const visit = (list: readonly CommandOptionInput[]): void => {
    for (const option of list) {
      const known =
        option.type === 7 && typeof option.value === 'string' ? state.channels.get(option.value) : undefined;
      if (known !== undefined)
        channels[known.id as string] = {
          id: known.id,
          type: known.type,
          name: known.name,
          permissions: DEFAULT_MEMBER_PERMISSIONS.toString(),
          ...(known.parent_id ? { parent_id: known.parent_id } : {}),
        };
      if (option.options) visit(option.options);
    }
  };
  visit(options);
  const roleList = roles(state.world);
  const picked: Json = {};
  for (const option of options.flatMap((option) => [option, ...(option.options ?? [])])) {
    const role = option.type === 8 ? roleList.find((candidate) => candidate.id === option.value) : undefined;
    if (role !== undefined) picked[role.id as string] = role;
  }
  const resolved: Json = {
    ...(Object.keys(channels).length > 0 ? { channels } : {}),
    ...(Object.keys(picked).length > 0 ? { roles: picked } : {}),
  };
  return Object.keys(resolved).length > 0 ? { resolved } : {};
}

function interactionData(
  state: FakeState,
  input: InteractionInput,
  channelId: string,
  guildId?: string,
): { data: Json; message?: Json } {
  switch (input.kind) {
    case 'command':
    case 'autocomplete': {
      // Channel options come resolved as Discord sends them; a test adds attachments and the like.
      const channels = resolvedChannels(state, input.options ?? []).resolved as Json | undefined;
      const given = input.kind === 'command' ? input.resolved : undefined;
      const resolved =
        channels === undefined && given === undefined ? {} : { resolved: { ...channels, ...given } };
      return {
        data: {
          id: commandId(state, input.name),
          name: input.name,
          type: 1,
          options: input.options ?? [],
          ...resolved,
          ...(guildId ? { guild_id: guildId } : {}),
        },
      };
    }
    case 'button': {
      const existing = input.messageId === undefined ? undefined : state.messages.find(input.messageId);
      const message = existing ?? componentMessage(state, channelId, input.customId, guildId);
      return { data: { custom_id: input.customId, component_type: 2 }, message };
    }
    case 'modal': {
      const rows = Object.entries(input.fields ?? {}).map(([customId, value]) => ({
        type: 1,
        components: [{ type: 4, custom_id: customId, value }],
      }));
      return { data: { custom_id: input.customId, components: rows } };
    }
  }
}

/** Builds the payload and the fake's record of it; the caller stores the record and dispatches. */
export function buildInteraction(
  state: FakeState,
  input: InteractionInput,
): { payload: Json; record: InteractionState } {
  const { world } = state;
  const userId = input.userId ?? world.userId;
  const user = humanUser(userId);
  const permissions = (input.memberPermissions ?? DEFAULT_MEMBER_PERMISSIONS).toString();
  let channel: Json;
  if (input.dm === true) {
    const existing = [...state.channels.values()].find(
      (candidate) => candidate.type === 1 && (candidate.recipients as Json[])[0]?.id === userId,
    );
    channel = existing ?? dmChannel(state.snowflake(), user);
    state.channels.set(channel.id as string, channel);
  } else {
    const known = state.channels.get(input.channelId ?? world.channelId);
    const elsewhere =
      input.guildId !== undefined && input.guildId !== world.guildId && input.channelId !== undefined
        ? { ...textChannel(world), id: input.channelId, guild_id: input.guildId }
        : undefined;
    channel = { ...(elsewhere ?? known ?? textChannel(world)), permissions };
  }
  const channelId = channel.id as string;
  const guildId = input.dm === true ? undefined : (input.guildId ?? world.guildId);
  const { data, message } = interactionData(state, input, channelId, guildId);
  const appPermissions = (
    world.everyonePermissions |
    world.botPermissions |
    (input.dm === true ? PERMISSIONS.SendMessages : 0n)
  ).toString();
  const payload: Json = {
    id: state.snowflake(),
    application_id: world.applicationId,
    type: TYPE[input.kind],
    data,
    token: `itoken-${randomBytes(24).toString('base64url')}`,
    version: 1,
    channel_id: channelId,
    channel,
    app_permissions: appPermissions,
    locale: input.locale ?? 'en-US',
    entitlements: [],
    authorizing_integration_owners: guildId === undefined ? { '1': userId } : { '0': guildId },
    context: guildId === undefined ? 1 : 0,
    attachment_size_limit: 10_485_760,
  };
  if (guildId === undefined) {
    payload.user = user;
  } else {
    payload.guild_id = guildId;
    payload.guild = { id: guildId, locale: 'en-US', features: [] };
    payload.guild_locale = 'en-US';
    payload.member = { ...member(user, [], world.joinedAt), permissions };
  }
  if (message !== undefined) payload.message = message;
  const record: InteractionState = {
    id: payload.id as string,
    token: payload.token as string,
    type: TYPE[input.kind],
    channelId,
    userId,
    dispatchedAt: state.now(),
    ...(guildId === undefined ? {} : { guildId }),
    ...(message === undefined ? {} : { sourceMessageId: message.id as string }),
  };
  return { payload, record };
}
