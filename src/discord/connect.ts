/**
 * Herald on Discord: the dispatcher behind the real discord.js Client, interactions claimed
 * once across instances, and the DM and digest transports switched to this client. Shared by
 * `npm start` and the end-to-end harness, so the tests run the wiring production runs.
 */
import type { Herald } from '../herald.ts';
import { createDiscordDirectMessenger } from '../subscriptions/direct-messenger.ts';
import { createDiscordBot, type DiscordBot } from './client.ts';
import { createDispatcher } from './dispatcher.ts';
import { createInteractionGate } from './interaction-gate.ts';

export interface ConnectOptions {
  token: string;
  /** Base of the REST API (a local fake in tests); Discord's by default. */
  apiUrl?: string;
  /** Tests shorten the wait before a slow handler's interaction is deferred. */
  autoDeferMs?: number;
}

export async function connectDiscord(herald: Herald, options: ConnectOptions): Promise<DiscordBot> {
  const dispatcher = createDispatcher({
    commands: herald.commands,
    services: herald.services,
    log: herald.log,
    ...(options.autoDeferMs !== undefined ? { autoDeferMs: options.autoDeferMs } : {}),
  });
  const gate = createInteractionGate(herald.backend.claims, herald.log);
  const bot = createDiscordBot({
    token: options.token,
    log: herald.log,
    async onInteraction(interaction) {
      if (await gate.admit(interaction.id)) await dispatcher.handle(interaction);
      else herald.log.debug({ interactionId: interaction.id }, 'interaction left to another instance');
    },
    ...(options.apiUrl !== undefined ? { apiUrl: options.apiUrl } : {}),
  });
  await bot.start();
  herald.subscriptions.messenger.use(createDiscordDirectMessenger(bot.client.rest));
  herald.digests.transport.useDiscord(bot.client);
  return bot;
}
