import { REST } from 'discord.js';
import { Routes, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type { HeraldCommand } from '../interaction/command.ts';

export interface DeployOptions {
  token: string;
  applicationId: string;
  /** Register in one guild (instant, for development) instead of globally. */
  guildId?: string;
  apiUrl?: string;
  commands: readonly HeraldCommand[];
}

/** The exact bodies sent to Discord: the definitions themselves, nothing added or lost. */
export function commandBodies(
  commands: readonly HeraldCommand[],
): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return commands.map((command) => command.data);
}

/** Overwrites the application's commands (a bulk PUT, so removed commands disappear too). */
export async function deployCommands(options: DeployOptions): Promise<{ scope: string; count: number }> {
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  const result = (await rest.put(route, { body: commandBodies(options.commands) })) as unknown[];
  return { scope: options.guildId ? `guild ${options.guildId}` : 'global', count: result.length };
}
