/**
 * Herald on Discord, surface first: the bot's client is built before Herald's services and
 * gives them their delivery transport (REST through the process's pacer, access checks from
 * the gateway cache); once the services exist the dispatcher is attached and the client logs
 * in, with interactions claimed once across instances. Shared by `npm start` and the
 * end-to-end harness, so the tests run the wiring production runs.
 */
import { REST } from 'discord.js';
import type { Pacer } from '../delivery/pacer.ts';
import type { DeliveryTransport } from '../delivery/sink.ts';
import type { HeraldCommand } from '../interaction/command.ts';
import type { Services } from '../interaction/services.ts';
import type { Logger } from '../logger.ts';
import type { StoreBackend } from '../store/backend.ts';
import type { DiscordBot } from './client.ts';
import { createDiscordAccess, createRestAccess } from './discord-access.ts';
import { createDiscordSink } from './discord-sink.ts';
import { createDispatcher } from './dispatcher.ts';
import { createInteractionGate } from './interaction-gate.ts';

export interface ConnectOptions {
  /** Tests shorten the wait before a slow handler's interaction is deferred. */
  autoDeferMs?: number;
}

/** The logged-in bot's transport: posts over its REST, checks permissions in its cache. */
export function createDiscordTransport(bot: DiscordBot, pacer: Pacer): DeliveryTransport {
  return {
    sink: createDiscordSink({ rest: bot.client.rest, pacer }),
    access: createDiscordAccess(bot.client),
  };
}

/** REST alone (the command line with a token): no gateway cache, so digest setup is not offered. */
export function createRestTransport(options: {
  token: string;
  apiUrl?: string;
  pacer: Pacer;
}): DeliveryTransport {
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  return {
    sink: createDiscordSink({ rest, pacer: options.pacer }),
    access: createRestAccess(rest, options.pacer),
  };
}

/** What the bot serves (Herald built on the bot's transport satisfies it). */
export interface BotServices {
  commands: readonly HeraldCommand[];
  services: Services;
  log: Logger;
  /** Its claims let one instance answer each interaction. */
  backend: Pick<StoreBackend, 'claims'>;
}

/** Attaches the dispatcher to the bot built for `herald` and logs in. */
export async function connectDiscord(
  herald: BotServices,
  bot: DiscordBot,
  options: ConnectOptions = {},
): Promise<void> {
  const dispatcher = createDispatcher({
    commands: herald.commands,
    services: herald.services,
    log: herald.log,
    ...(options.autoDeferMs !== undefined ? { autoDeferMs: options.autoDeferMs } : {}),
  });
  const gate = createInteractionGate(herald.backend.claims, herald.log);
  await bot.start(async (interaction) => {
    if (await gate.admit(interaction.id)) await dispatcher.handle(interaction);
    else herald.log.debug({ interactionId: interaction.id }, 'interaction left to another instance');
  });
}
