/**
 * The digest engine's terminal side: in the terminal mode the terminal is the one channel, so
 * digests are written to it as the same text a Discord reader would see. Nonces are remembered
 * in memory, so a retried post returns the first message's id, as Discord does.
 */
import type { Writable } from 'node:stream';
import { renderReplyAsText } from '../terminal/render-text.ts';
import { TERMINAL_CHANNEL_ID, TERMINAL_GUILD_ID } from '../terminal/terminal.ts';
import type { RecordStore } from '../store/types.ts';
import type { ChannelPoster, GuildNotifier } from './delivery-ports.ts';
import type { DigestConfig } from './digest-types.ts';
import type { ChannelAccessChecker } from './digest-service.ts';

export function createTerminalPoster(output: Writable): ChannelPoster {
  const byNonce = new Map<string, string>();
  let sent = 0;
  return {
    async post(_channelId, message, { nonce }) {
      const original = byNonce.get(nonce);
      if (original !== undefined) return { messageId: original };
      sent += 1;
      const messageId = `terminal-${sent}`;
      byNonce.set(nonce, messageId);
      output.write(`${renderReplyAsText(message)}\n`);
      return { messageId };
    },
  };
}

/** Notices go to the terminal too, once per key for the life of the process. */
export function createTerminalNotifier(output: Writable): GuildNotifier {
  const told = new Set<string>();
  return {
    async notifyOnce(guildId, key, text) {
      const id = `${guildId}:${key}`;
      if (told.has(id)) return;
      told.add(id);
      output.write(`! ${text}\n`);
    },
  };
}

/** The terminal can always be written to. */
export function createAlwaysOkAccessChecker(): ChannelAccessChecker {
  return { missingPermissions: async () => [] };
}

/** True for the digest of the terminal's own "channel". */
export function isTerminalDigest(digest: Pick<DigestConfig, 'guildId' | 'channelId'>): boolean {
  return digest.guildId === TERMINAL_GUILD_ID && digest.channelId === TERMINAL_CHANNEL_ID;
}

/**
 * The digest store as one mode should schedule it. The terminal mode and the Discord mode may
 * share a store file: the terminal must not "post" a Discord channel's digest into itself, and
 * Discord must not try to post to the terminal. Only listing is filtered; reads and writes by id
 * pass through, so disabling and /digest commands work as usual.
 */
export function digestsForMode(store: RecordStore<DigestConfig>, mode: 'terminal' | 'discord'): RecordStore<DigestConfig> {
  const wanted = mode === 'terminal';
  return {
    get: (key) => store.get(key),
    set: (key, value, ttlMs) => store.set(key, value, ttlMs),
    delete: (key) => store.delete(key),
    async *entries() {
      for await (const entry of store.entries()) {
        if (isTerminalDigest(entry[1]) === wanted) yield entry;
      }
    },
  };
}
