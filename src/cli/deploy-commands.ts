import { UserError } from '../errors.ts';
import { deployCommands } from '../discord/deploy.ts';
import type { CliSubcommand } from './subcommand.ts';

export const deployCommandsSubcommand: CliSubcommand = {
  name: 'deploy-commands',
  usage:
    'deploy-commands [--json]   (needs DISCORD_TOKEN and DISCORD_CLIENT_ID; DISCORD_GUILD_ID for one guild)',
  async run(herald) {
    const {
      DISCORD_TOKEN: token,
      DISCORD_CLIENT_ID: applicationId,
      DISCORD_GUILD_ID: guildId,
      DISCORD_API_URL: apiUrl,
    } = herald.config.env;
    if (!token) throw new UserError('DISCORD_TOKEN is not set: deploy-commands needs the bot token');
    if (!applicationId)
      throw new UserError('DISCORD_CLIENT_ID is not set: deploy-commands needs the application id');
    const result = await deployCommands({
      token,
      applicationId,
      commands: herald.commands,
      ...(guildId ? { guildId } : {}),
      ...(apiUrl ? { apiUrl } : {}),
    });
    return { json: result, text: `Registered ${result.count} commands (${result.scope}).` };
  },
};
