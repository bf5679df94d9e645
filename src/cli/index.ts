import { deployCommandsSubcommand } from './deploy-commands.ts';
import { statusSubcommand } from './status.ts';
import type { CliSubcommand } from './subcommand.ts';

/** Every `npm start -- <subcommand>`. */
export const cliSubcommands: readonly CliSubcommand[] = [statusSubcommand, deployCommandsSubcommand];
