// A change made in the panel runs the slash command's own handler, so the panel validates and
// answers exactly as /feed, /sources and /digest do on Discord.
import { isUserError } from '../errors.ts';
import type { CommandContext, CommandOptions, CommandReply } from '../interaction/command.ts';
import type { GuildRequest, PanelContext } from './panel-context.ts';

/** Discord's Manage Server bit: the panel only lets people who have it reach a server's forms. */
const MANAGE_GUILD = 1n << 5n;

export type CommandValues = Record<string, string | number | boolean | undefined>;

export interface CommandOutcome {
  text: string;
  error: boolean;
  reply?: CommandReply;
}

function optionsFrom(subcommand: string | undefined, values: CommandValues): CommandOptions {
  const text = (name: string): string | undefined => {
    const value = values[name];
    if (value === undefined) return undefined;
    const trimmed = String(value).trim();
    return trimmed === '' ? undefined : trimmed;
  };
  return {
    subcommand: () => subcommand,
    string: text,
    channel: text,
    // The panel's forms offer no role field; a role typed by name reads like the terminal's.
    role: (name) => text(name)?.replace(/^@/, ''),
    // Text that is not a whole number reaches the definition's check, which names the option.
    integer(name) {
      const raw = text(name);
      return raw === undefined ? undefined : Number(raw);
    },
    boolean(name) {
      const value = values[name];
      if (typeof value === 'boolean') return value;
      return value === 'on' || value === 'true' ? true : undefined;
    },
    attachment: () => undefined,
  };
}

/** Discord markdown a reply may carry, as plain words for the page. */
export function plainText(text: string): string {
  return text
    .replace(/<t:(\d+)(?::\w)?>/g, (_m, seconds: string) => new Date(Number(seconds) * 1000).toUTCString())
    .replace(/\*\*|`/g, '');
}

export function replyText(reply: CommandReply): string {
  const lines = [reply.content ?? ''];
  for (const embed of reply.embeds ?? []) {
    lines.push([embed.title, embed.description].filter(Boolean).join(': '));
  }
  return plainText(lines.filter(Boolean).join(' '));
}

export async function runCommand(
  ctx: PanelContext,
  guild: GuildRequest,
  name: string,
  subcommand: string | undefined,
  values: CommandValues,
): Promise<CommandOutcome> {
  const command = ctx.herald.commands.find((c) => c.data.name === name);
  if (!command) throw new Error(`no command /${name}`);
  const channels = new Map(ctx.bot.channels(guild.guild.id).map((c) => [c.id, c.name]));
  const context: CommandContext = {
    surface: ctx.bot.surface,
    userId: guild.session.userId,
    userName: guild.session.userName,
    guildId: guild.guild.id,
    channelId: String(values.channel ?? ''),
    memberPermissions: MANAGE_GUILD,
    options: optionsFrom(subcommand, values),
    mentionChannel: (id) => `#${channels.get(id) ?? id}`,
    channelName: (id) => channels.get(id),
  };
  try {
    const reply = await command.execute(context, ctx.herald.services);
    return { text: replyText(reply), error: false, reply };
  } catch (error) {
    if (isUserError(error)) return { text: plainText(error.message), error: true };
    ctx.log.error({ err: error, command: name, subcommand, guildId: guild.guild.id }, 'panel action failed');
    return { text: 'Something went wrong on our side; it has been logged.', error: true };
  }
}
