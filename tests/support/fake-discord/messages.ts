// Message objects as Discord returns them, complete enough for discord.js's Message class, and
// the fake's store of them: per channel, with edits, deletes and nonce de-duplication.
import type { RecordedFile } from './http.ts';
import { isRecord } from './http.ts';
import type { Json } from './fixtures.ts';

/** How long Discord remembers a nonce sent with enforce_nonce. */
const NONCE_WINDOW_MS = 5 * 60_000;
const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7;

export interface NewMessage {
  channelId: string;
  guildId?: string;
  author: Json;
  body: Record<string, unknown>;
  files?: RecordedFile[];
  /** For interaction responses: the id of the application whose webhook posted it. */
  webhookId?: string;
  interaction?: { id: string; type: number; userId: string };
  loading?: boolean;
}

/** Whether the message would ping @everyone given its allowed_mentions (absent = Discord's default, all). */
function pingsEveryone(body: Record<string, unknown>, content: string): boolean {
  if (!/@(everyone|here)/.test(content)) return false;
  const allowed = body.allowed_mentions;
  if (!isRecord(allowed)) return true;
  return Array.isArray(allowed.parse) && allowed.parse.includes('everyone');
}

function mentionedUsers(body: Record<string, unknown>, content: string): Json[] {
  const ids = [...content.matchAll(/<@!?(\d+)>/g)].map((match) => match[1] ?? '');
  const allowed = body.allowed_mentions;
  const permitted = (id: string): boolean => {
    if (!isRecord(allowed)) return true;
    if (Array.isArray(allowed.parse) && allowed.parse.includes('users')) return true;
    return Array.isArray(allowed.users) && allowed.users.includes(id);
  };
  return [...new Set(ids)]
    .filter(permitted)
    .map((id) => ({ id, username: `user-${id.slice(-4)}`, discriminator: '0' }));
}

function attachments(files: RecordedFile[] | undefined, snowflake: () => string): Json[] {
  return (files ?? []).map((file) => ({
    id: snowflake(),
    filename: file.filename,
    size: file.size,
    url: `https://cdn.invalid/${file.filename}`,
    proxy_url: `https://cdn.invalid/${file.filename}`,
    content_type: file.contentType ?? 'application/octet-stream',
  }));
}

export interface MessageStore {
  create(message: NewMessage): Json;
  /** Creates unless the same nonce was sent to the channel with enforce_nonce recently; then returns the original. */
  createOnce(message: NewMessage): { message: Json; created: boolean };
  get(channelId: string, messageId: string): Json | undefined;
  find(messageId: string): Json | undefined;
  edit(message: Json, body: Record<string, unknown>, files?: RecordedFile[]): Json;
  remove(channelId: string, messageId: string): boolean;
  inChannel(channelId: string): Json[];
}

export function createMessageStore(now: () => number, snowflake: () => string): MessageStore {
  const byChannel = new Map<string, Json[]>();
  const nonces = new Map<string, { message: Json; at: number }>();

  const create = (input: NewMessage): Json => {
    const { body } = input;
    const content = typeof body.content === 'string' ? body.content : '';
    let flags = typeof body.flags === 'number' ? body.flags & EPHEMERAL : 0;
    if (input.loading === true) flags |= LOADING;
    const message: Json = {
      id: snowflake(),
      channel_id: input.channelId,
      author: input.author,
      content,
      timestamp: new Date(now()).toISOString(),
      edited_timestamp: null,
      tts: body.tts === true,
      mention_everyone: pingsEveryone(body, content),
      mentions: mentionedUsers(body, content),
      mention_roles: [],
      attachments: attachments(input.files, snowflake),
      embeds: Array.isArray(body.embeds)
        ? body.embeds.map((embed: unknown) => ({ type: 'rich', ...(embed as Json) }))
        : [],
      reactions: [],
      pinned: false,
      type: input.interaction ? 20 : 0,
      flags,
      components: Array.isArray(body.components) ? body.components : [],
    };
    if (input.guildId !== undefined) message.guild_id = input.guildId;
    if (body.nonce !== undefined) message.nonce = body.nonce;
    if (input.webhookId !== undefined) {
      message.webhook_id = input.webhookId;
      message.application_id = input.webhookId;
    }
    if (input.interaction) {
      message.interaction_metadata = {
        id: input.interaction.id,
        type: input.interaction.type,
        user: { id: input.interaction.userId },
        authorizing_integration_owners: {},
      };
    }
    const list = byChannel.get(input.channelId) ?? [];
    list.push(message);
    byChannel.set(input.channelId, list);
    return message;
  };

  return {
    create,
    createOnce(input) {
      const nonce = input.body.nonce;
      if (input.body.enforce_nonce !== true || (typeof nonce !== 'string' && typeof nonce !== 'number')) {
        return { message: create(input), created: true };
      }
      const key = `${input.channelId}:${String(nonce)}`;
      const seen = nonces.get(key);
      if (seen !== undefined && now() - seen.at < NONCE_WINDOW_MS)
        return { message: seen.message, created: false };
      const message = create(input);
      nonces.set(key, { message, at: now() });
      return { message, created: true };
    },
    get(channelId, messageId) {
      return byChannel.get(channelId)?.find((message) => message.id === messageId);
    },
    find(messageId) {
      for (const list of byChannel.values()) {
        const found = list.find((message) => message.id === messageId);
        if (found !== undefined) return found;
      }
      return undefined;
    },
    edit(message, body, files) {
      const content = typeof body.content === 'string' ? body.content : undefined;
      if (content !== undefined) {
        message.content = content;
        message.mention_everyone = pingsEveryone(body, content);
        message.mentions = mentionedUsers(body, content);
      }
      if (Array.isArray(body.embeds))
        message.embeds = body.embeds.map((embed: unknown) => ({ type: 'rich', ...(embed as Json) }));
      if (Array.isArray(body.components)) message.components = body.components;
      if (files !== undefined && files.length > 0) message.attachments = attachments(files, snowflake);
      // An edit of a deferred reply resolves its "thinking…" state.
      message.flags = (typeof message.flags === 'number' ? message.flags : 0) & ~LOADING;
      message.edited_timestamp = new Date(now()).toISOString();
      return message;
    },
    remove(channelId, messageId) {
      const list = byChannel.get(channelId);
      const index = list?.findIndex((message) => message.id === messageId) ?? -1;
      if (list === undefined || index === -1) return false;
      list.splice(index, 1);
      return true;
    },
    inChannel(channelId) {
      return [...(byChannel.get(channelId) ?? [])];
    },
  };
}
