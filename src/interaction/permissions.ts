import { PermissionFlagsBits } from 'discord-api-types/v10';
import { UserError } from '../errors.ts';
import type { CommandContext } from './command.ts';

/**
 * default_member_permissions only hides a command; server admins can override it per role,
 * so configuration handlers check the member's permission themselves.
 */
export function requireManageGuild(
  ctx: Pick<CommandContext, 'surface' | 'guildId' | 'memberPermissions'>,
): void {
  if (ctx.surface === 'terminal') return; // the terminal's user runs the bot: they are the admin
  if (ctx.guildId === undefined) throw new UserError('This command only works in a server.');
  const permissions = ctx.memberPermissions ?? 0n;
  const allowed =
    (permissions & PermissionFlagsBits.Administrator) !== 0n ||
    (permissions & PermissionFlagsBits.ManageGuild) !== 0n;
  if (!allowed) throw new UserError('You need the Manage Server permission to do that.');
}
