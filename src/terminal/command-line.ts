import { ApplicationCommandOptionType, type APIApplicationCommandOption } from 'discord-api-types/v10';
import { UserError } from '../errors.ts';
import type { CommandOptions, HeraldCommand } from '../interaction/command.ts';

/** A slash command typed in the terminal, resolved against the same definitions Discord gets. */
export interface ParsedCommandLine {
  command: HeraldCommand;
  options: CommandOptions;
}

/** Splits `key:value key:"a quoted value" word` into tokens, keeping quoted text whole. */
export function tokenize(line: string): string[] {
  const tokens: string[] = [];
  const pattern = /(\S+?:)?"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const match of line.matchAll(pattern)) {
    if (match[3] !== undefined) tokens.push(match[3]);
    else tokens.push(`${match[1] ?? ''}${(match[2] ?? '').replace(/\\(.)/g, '$1')}`);
  }
  return tokens;
}

function convert(option: APIApplicationCommandOption, raw: string): string | number | boolean {
  switch (option.type) {
    case ApplicationCommandOptionType.Integer: {
      const value = Number(raw);
      if (!Number.isInteger(value)) throw new UserError(`${option.name} must be a whole number.`);
      return value;
    }
    case ApplicationCommandOptionType.Number: {
      const value = Number(raw);
      if (!Number.isFinite(value)) throw new UserError(`${option.name} must be a number.`);
      return value;
    }
    case ApplicationCommandOptionType.Boolean:
      if (!/^(true|false|yes|no)$/i.test(raw)) throw new UserError(`${option.name} must be true or false.`);
      return /^(true|yes)$/i.test(raw);
    default:
      return raw;
  }
}

/**
 * Parses `/name [subcommand] option:value …`. Words without a key continue the previous
 * option's value, so `/ask question:what happened in Lisbon` works without quotes.
 */
export function parseCommandLine(line: string, commands: readonly HeraldCommand[]): ParsedCommandLine {
  const tokens = tokenize(line.trim());
  const head = tokens.shift();
  if (!head?.startsWith('/')) throw new UserError('Commands start with a slash, like /help.');
  const command = commands.find((c) => c.data.name === head.slice(1).toLowerCase());
  if (!command) throw new UserError(`Unknown command ${head}. Type /help for the list.`);

  let definitions = command.data.options ?? [];
  let subcommand: string | undefined;
  const subcommands = definitions.filter((o) => o.type === ApplicationCommandOptionType.Subcommand);
  if (subcommands.length > 0) {
    const wanted = tokens.shift();
    const chosen = subcommands.find((s) => s.name === wanted);
    if (!chosen)
      throw new UserError(
        `/${command.data.name} needs one of: ${subcommands.map((s) => s.name).join(', ')}.`,
      );
    subcommand = chosen.name;
    definitions = chosen.type === ApplicationCommandOptionType.Subcommand ? (chosen.options ?? []) : [];
  }

  const raw = new Map<string, string>();
  let current: string | undefined;
  for (const token of tokens) {
    const colon = token.indexOf(':');
    const key = colon > 0 ? token.slice(0, colon) : undefined;
    if (key && definitions.some((d) => d.name === key)) {
      current = key;
      raw.set(key, token.slice(colon + 1));
    } else if (current) {
      raw.set(current, `${raw.get(current) ?? ''} ${token}`.trim());
    } else {
      throw new UserError(`I did not understand "${token}". Options look like name:value.`);
    }
  }

  const values = new Map<string, string | number | boolean>();
  for (const definition of definitions) {
    const text = raw.get(definition.name);
    if (text === undefined || text === '') {
      if ('required' in definition && definition.required)
        throw new UserError(`/${command.data.name} needs ${definition.name}:…`);
      continue;
    }
    values.set(definition.name, convert(definition, text));
  }

  const read = <T>(name: string, type: string): T | undefined => {
    const value = values.get(name);
    return typeof value === type ? (value as T) : undefined;
  };
  return {
    command,
    options: {
      subcommand: () => subcommand,
      string: (name) => read<string>(name, 'string'),
      integer: (name) => read<number>(name, 'number'),
      boolean: (name) => read<boolean>(name, 'boolean'),
      channel: (name) => read<string>(name, 'string'),
      role: (name) => read<string>(name, 'string')?.replace(/^@/, ''),
      attachment: () => undefined,
    },
  };
}
