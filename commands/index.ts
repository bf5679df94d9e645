import type { HeraldCommand } from '../src/discord/command.ts';
import { helpCommand } from './help.ts';
import { statusCommand } from './status.ts';

/** Every slash command, in the order /help lists them. Deployment uses the same list. */
export const allCommands: readonly HeraldCommand[] = [helpCommand, statusCommand];
