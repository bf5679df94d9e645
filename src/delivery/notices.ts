/**
 * Telling a guild's admins something once per key (a digest paused, a feed stopped), where
 * Herald can still write: the destination access names candidate channels, best first, and each
 * is tried until one takes the message. The notices' ledger lane keeps it to once across
 * instances and restarts; `rearm` lets the same notice be given again (a destination set up anew).
 */
import { describeError } from '../errors.ts';
import type { Courier } from './courier.ts';
import { idempotencyKey } from './idempotency.ts';
import type { DeliveryLog } from './retry.ts';
import type { ChannelProblem } from './problem.ts';
import type { DestinationAccess } from './sink.ts';

/** What a guild's admins are told, as a value; the surface words it (render/delivery-words.ts). */
export type GuildNotice =
  | { kind: 'digest-paused'; channelId: string; time: string; timezone: string; problem: ChannelProblem }
  /** `feed` names the feed as /feed list does. */
  | { kind: 'feed-paused'; channelId: string; feed: string; problem: ChannelProblem };

export interface GuildNotifier {
  /** Posts the notice once per (guild, key). Throws when no channel took it (the next call tries again). */
  notifyOnce(guildId: string, key: string, notice: GuildNotice): Promise<void>;
  /** Forgets that the notice was given, so the next notifyOnce posts it again. */
  rearm(guildId: string, key: string): Promise<void>;
}

const MAX_NOTICE_CHANNELS = 3;
/** A notice stays given until its destination is set up again (re-armed). */
const NOTICE_CLAIM_MS = 60_000;

export function createGuildNotifier(deps: {
  courier: Courier;
  access: DestinationAccess;
  /** Words a notice for the surface it is posted on. */
  word: (notice: GuildNotice) => string;
  log: DeliveryLog;
}): GuildNotifier {
  const { access, log } = deps;
  const lane = deps.courier.lane('notices', { claimTtlMs: NOTICE_CLAIM_MS });
  const { ledger } = lane;
  const ledgerKey = (guildId: string, key: string): string => `${guildId}:${key}`;
  return {
    async notifyOnce(guildId, key, notice) {
      const claim = await lane.claim(ledgerKey(guildId, key));
      if (claim.status !== 'claimed') return;
      const candidates = (await access.noticeChannels(guildId).catch(() => [])).slice(0, MAX_NOTICE_CHANNELS);
      for (const channelId of candidates) {
        try {
          const receipt = await lane.send({
            // Retries of one notice share a nonce; a re-armed notice is a new message.
            key: idempotencyKey('notice', guildId, key, claim.lease.since),
            destination: { kind: 'channel', channelId, guildId },
            message: { content: deps.word(notice) },
          });
          await ledger.delivered(claim.lease, receipt);
          return;
        } catch (error) {
          log.warn(
            { guildId, channelId, err: describeError(error) },
            'guild notice not posted here; trying the next channel',
          );
        }
      }
      await ledger.release(claim.lease);
      throw new Error(`no channel in guild ${guildId} took the notice (${candidates.length} tried)`);
    },
    rearm: (guildId, key) => ledger.forget(ledgerKey(guildId, key)),
  };
}
