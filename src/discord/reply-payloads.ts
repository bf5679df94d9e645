import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from 'discord-api-types/v10';
import type { CommandReply, ReplyButton } from './command.ts';
import { DISCORD_LIMITS, fitEmbeds, NO_MENTIONS, splitMessage, truncateAtWord } from './render.ts';

/** One Discord message body, already within every limit, never pinging anyone. */
export interface MessagePayload {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIButtonComponent>[];
  files?: { attachment: Buffer; name: string }[];
  allowedMentions: { parse: never[] };
}

const MAX_BUTTONS = 25;
/** Discord takes at most 10 attachments per message. */
const MAX_FILES = 10;
const BUTTONS_PER_ROW = 5;

function buttonRows(buttons: readonly ReplyButton[]): APIActionRowComponent<APIButtonComponent>[] {
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  const kept = buttons.slice(0, MAX_BUTTONS);
  for (let i = 0; i < kept.length; i += BUTTONS_PER_ROW) {
    rows.push({
      type: ComponentType.ActionRow,
      components: kept.slice(i, i + BUTTONS_PER_ROW).map((button) => ({
        type: ComponentType.Button,
        custom_id: button.customId.slice(0, 100),
        label: truncateAtWord(button.label, 80),
        style: button.style === 'primary' ? ButtonStyle.Primary : ButtonStyle.Secondary,
      })),
    });
  }
  return rows;
}

/**
 * Turns a handler's reply into as many messages as Discord's limits require: long text is
 * split at natural boundaries, embeds grouped 10 and 6000 characters at a time, and the
 * buttons ride on the last message so they sit under what they refer to.
 */
export function toMessagePayloads(reply: CommandReply): MessagePayload[] {
  const payloads: MessagePayload[] = [];
  const chunks = reply.content ? splitMessage(reply.content, DISCORD_LIMITS.content) : [];
  for (const chunk of chunks) payloads.push({ content: chunk, allowedMentions: NO_MENTIONS });
  const embedGroups = reply.embeds && reply.embeds.length > 0 ? fitEmbeds(reply.embeds) : [];
  embedGroups.forEach((group, index) => {
    // The last text chunk and the first embed group can share one message.
    const last = payloads.at(-1);
    if (index === 0 && last && !last.embeds) last.embeds = group;
    else payloads.push({ embeds: group, allowedMentions: NO_MENTIONS });
  });
  if (payloads.length === 0) payloads.push({ content: '…', allowedMentions: NO_MENTIONS });
  if (reply.files && reply.files.length > 0) {
    (payloads[0] as MessagePayload).files = reply.files.slice(0, MAX_FILES).map((file) => ({ attachment: Buffer.from(file.data, 'utf8'), name: file.name }));
  }
  if (reply.buttons && reply.buttons.length > 0) {
    const last = payloads.at(-1) as MessagePayload;
    last.components = buttonRows(reply.buttons);
  }
  return payloads;
}
