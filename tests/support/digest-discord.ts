// The /digest command end to end: the fake Discord, the real discord.js Client and dispatcher,
// the digest service over the real delivery engine and composer, stories from a fake brief.
import { digestCommand } from '../../commands/digest.ts';
import type { BriefItem } from '../../src/brief/brief-service.ts';
import { createTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { createDigestComposer } from '../../src/digest/composer.ts';
import { createDigestDelivery } from '../../src/digest/delivery.ts';
import { createDigestService } from '../../src/digest/digest-service.ts';
import type { DigestConfig } from '../../src/digest/digest-types.ts';
import { createGuildNotifier } from '../../src/delivery/notices.ts';
import { noticeText, surfaceWords } from '../../src/render/delivery-words.ts';
import { UNPACED } from '../../src/delivery/pacer.ts';
import { createDiscordBot } from '../../src/discord/client.ts';
import { createDiscordTransport } from '../../src/discord/connect.ts';
import { createDispatcher } from '../../src/discord/dispatcher.ts';
import { createLogger } from '../../src/logger.ts';
import type { Services } from '../../src/interaction/services.ts';
import { briefItem, createFakeBrief } from './digest-stories.ts';
import { memoryCourierStore, testCourier } from './test-courier.ts';
import { startFakeDiscord, type CommandOptionInput, type FakeDiscord } from './fake-discord.ts';
import { createMemoryClaimStore, createMemoryRecordStore } from './memory-stores.ts';
import { runSubcommand } from './fake-discord/subcommand-reply.ts';

export type DigestBody = {
  type?: number;
  data?: DigestBody;
  content?: string;
  embeds?: {
    title?: string;
    description?: string;
    fields?: { name: string; value: string }[];
    footer?: { text: string };
  }[];
  flags?: number;
  choices?: { name: string; value: string }[];
};

/** Starts the fake Discord and the bot with /digest; `close()` stops both. */
export async function startDigestBot(items?: (now: number) => BriefItem[]) {
  const fake = await startFakeDiscord({ heartbeatIntervalMs: 500 });
  const log = createLogger('silent');
  const now = Date.now;
  const digests = createMemoryRecordStore<DigestConfig>(now);
  const taxonomy = createTaxonomy({
    version: 1,
    sections: [{ key: 'science', name: 'Science', description: 'Science', terms: ['study'] }],
  });
  const brief = createFakeBrief(
    items?.(now()) ?? [briefItem('s1', { title: 'Comet seen', firstSeenAt: new Date(now()).toISOString() })],
  );
  // The bot exists before login; the dispatcher is built once the services that need it are.
  const bot = createDiscordBot({ token: fake.token, apiUrl: fake.restUrl, log });
  const { sink, access } = createDiscordTransport(bot, UNPACED);
  const claims = createMemoryClaimStore(now);
  const courier = testCourier(memoryCourierStore(now, claims), sink, { now });
  const notifier = createGuildNotifier({
    courier,
    access,
    word: (notice) => noticeText(notice, surfaceWords('discord')),
    log,
  });
  const delivery = createDigestDelivery({
    digests,
    lane: courier.lane('digests', { claimTtlMs: 600_000 }),
    composer: createDigestComposer({ brief, now, taxonomy }),
    notifier,
    log,
    now,
    graceMs: 3 * 3_600_000,
  });
  const service = createDigestService({
    digests,
    delivery,
    access,
    notifier,
    now,
    taxonomy,
    limits: { maxPerGuild: 10, defaultCount: 5 },
  });
  // Only what /digest reads; the rest of Services belongs to other areas.
  const services = { digests: service, taxonomy, brief, now, log } as unknown as Services;
  const dispatcher = createDispatcher({ commands: [digestCommand], services, log });
  await bot.start((interaction) => dispatcher.handle(interaction), { instanceId: 'digest-test' });
  const client = bot.clientFor(fake.guildId);
  if (client === undefined) throw new Error("the guild's shard is not running");
  const close = async (): Promise<void> => {
    await bot.stop();
    await fake.close();
  };
  return { fake, digests, service, client, brief, close };
}

export async function run(
  discord: FakeDiscord,
  subcommand: string,
  options: CommandOptionInput[] = [],
  memberPermissions?: bigint,
): Promise<DigestBody> {
  return (await runSubcommand(discord, 'digest', subcommand, options, memberPermissions)).reply as DigestBody;
}

export const setupOptions: CommandOptionInput[] = [
  { name: 'time', type: 3, value: '08:00' },
  { name: 'timezone', type: 3, value: 'Europe/Berlin' },
  { name: 'topics', type: 3, value: 'Science' },
];
