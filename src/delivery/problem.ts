/**
 * Why Herald stopped posting somewhere, as a value. Services store and return it; only a
 * surface words it (src/render/delivery-words.ts), so the Discord side can say "Discord error
 * 50013" and mention the channel while the terminal names it `#terminal`.
 */
import { z } from 'zod';
import { deliveryFailureKinds, DISCORD_ERROR_CODES, type DeliveryError } from './failure.ts';

export const channelProblemSchema = z.discriminatedUnion('kind', [
  /** The channel (or thread) is not there any more. */
  z.object({ kind: z.literal('channel-gone'), channelId: z.string(), code: z.number().exactOptional() }),
  /** Herald cannot see the channel any more. */
  z.object({ kind: z.literal('access-lost'), channelId: z.string(), code: z.number().exactOptional() }),
  /** Herald sees the channel but may not post there (send, embed, threads). */
  z.object({
    kind: z.literal('missing-permission'),
    channelId: z.string(),
    code: z.number().exactOptional(),
  }),
  /** The platform refused the post for another reason. */
  z.object({
    kind: z.literal('refused'),
    channelId: z.string(),
    failure: z.enum(deliveryFailureKinds),
    code: z.number().exactOptional(),
  }),
]);
export type ChannelProblem = z.infer<typeof channelProblemSchema>;

/** The problem a delivery failure means for the channel it was posting to. */
export function channelProblemOf(error: DeliveryError, channelId: string): ChannelProblem {
  const code = error.code === undefined ? {} : { code: error.code };
  if (error.kind === 'destination-gone') return { kind: 'channel-gone', channelId, ...code };
  if (error.code === DISCORD_ERROR_CODES.missingAccess) return { kind: 'access-lost', channelId, ...code };
  if (error.kind === 'missing-permission') return { kind: 'missing-permission', channelId, ...code };
  return { kind: 'refused', channelId, failure: error.kind, ...code };
}
