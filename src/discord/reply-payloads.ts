// Discord's side of a neutral message: a fitted part (src/delivery/fit.ts) becomes one message
// body, buttons become action rows, and mentions are always off.
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
} from 'discord-api-types/v10';
import { BUTTON_LIMITS, fitMessage } from '../delivery/fit.ts';
import type { FittedMessage, MessageButton, OutboundMessage } from '../delivery/message.ts';
import { NO_MENTIONS } from './mentions.ts';

/** One Discord message body for discord.js (interaction replies), within every limit, never pinging anyone. */
export interface MessagePayload {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIButtonComponent>[];
  files?: { attachment: Buffer; name: string }[];
  allowedMentions: { parse: never[] };
}

export function buttonRows(buttons: readonly MessageButton[]): APIActionRowComponent<APIButtonComponent>[] {
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let i = 0; i < buttons.length; i += BUTTON_LIMITS.perRow) {
    rows.push({
      type: ComponentType.ActionRow,
      components: buttons.slice(i, i + BUTTON_LIMITS.perRow).map((button) => ({
        type: ComponentType.Button,
        custom_id: button.customId,
        label: button.label,
        style: button.style === 'primary' ? ButtonStyle.Primary : ButtonStyle.Secondary,
      })),
    });
  }
  return rows;
}

/** A fitted part as discord.js takes it for an interaction reply. */
export function toPayload(part: FittedMessage): MessagePayload {
  return {
    ...(part.content === undefined ? {} : { content: part.content }),
    ...(part.embeds === undefined ? {} : { embeds: part.embeds }),
    ...(part.buttons === undefined ? {} : { components: buttonRows(part.buttons) }),
    ...(part.files === undefined
      ? {}
      : {
          files: part.files.map((file) => ({ attachment: Buffer.from(file.data, 'utf8'), name: file.name })),
        }),
    allowedMentions: NO_MENTIONS,
  };
}

/** A fitted part as the REST JSON body of a message (snake_case), with its nonce enforced when given. */
export function toRestBody(part: FittedMessage, nonce?: string): Record<string, unknown> {
  return {
    ...(part.content === undefined ? {} : { content: part.content }),
    ...(part.embeds === undefined ? {} : { embeds: part.embeds }),
    ...(part.buttons === undefined ? {} : { components: buttonRows(part.buttons) }),
    ...(nonce === undefined ? {} : { nonce, enforce_nonce: true }),
    // Only the roles the producer named (a feed's role mention), never @everyone or users.
    allowed_mentions:
      part.allowedRoleMentions && part.allowedRoleMentions.length > 0
        ? { parse: [...NO_MENTIONS.parse], roles: part.allowedRoleMentions.map((role) => role.roleId) }
        : { parse: [...NO_MENTIONS.parse] },
  };
}

/**
 * Turns a handler's reply into as many messages as Discord's limits require, through the one
 * fitter: long text split at natural boundaries, embeds grouped 10 and 6000 characters at a
 * time, buttons on the last message so they sit under what they refer to.
 */
export function toMessagePayloads(reply: OutboundMessage): MessagePayload[] {
  return fitMessage(reply).map(toPayload);
}
