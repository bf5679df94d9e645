/** GET /gateway/bot: the recommended shard count and the session start limit, validated. */
import { Routes, type REST } from 'discord.js';
import { z } from 'zod';

const gatewayBotSchema = z.object({
  url: z.string(),
  shards: z.int().min(1),
  session_start_limit: z.object({
    total: z.int(),
    remaining: z.int(),
    reset_after: z.int(),
    max_concurrency: z.int().min(1),
  }),
});

export interface GatewayInfo {
  recommendedShards: number;
  sessionsRemaining: number;
  /** Milliseconds until the session start limit resets. */
  resetAfterMs: number;
  maxConcurrency: number;
}

export async function fetchGatewayInfo(rest: REST): Promise<GatewayInfo> {
  const raw = gatewayBotSchema.parse(await rest.get(Routes.gatewayBot()));
  return {
    recommendedShards: raw.shards,
    sessionsRemaining: raw.session_start_limit.remaining,
    resetAfterMs: raw.session_start_limit.reset_after,
    maxConcurrency: raw.session_start_limit.max_concurrency,
  };
}
