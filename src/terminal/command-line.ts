import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ApplicationCommandOptionType, type APIApplicationCommandOption } from 'discord-api-types/v10';
import { UserError } from '../errors.ts';
import { TERMINAL_CHANNEL_ID } from '../delivery/destination.ts';
import type { CommandOptions, HeraldCommand } from '../interaction/command.ts';
import { checkOptionValue, type OptionRules } from '../interaction/option-rules.ts';
import { nearestName } from '../text/near-names.ts';

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

/**
 * The option name a token starts with (`count:3` → `count`), or undefined for a plain word.
 * A URL's scheme (`https://…`) and a time (`10:30`) are words, not options.
 */
function optionKey(token: string): string | undefined {
  const match = /^([a-z][a-z0-9_-]*):(?!\/\/)/i.exec(token);
  return match?.[1]?.toLowerCase();
}

function unknownOptionText(
  command: string,
  subcommand: string | undefined,
  key: string,
  definitions: readonly APIApplicationCommandOption[],
): string {
  const name = subcommand ? `/${command} ${subcommand}` : `/${command}`;
  if (definitions.length === 0) return `${name} takes no options (not ${key}:).`;
  return `${name} has no option ${key}: (it takes ${definitions.map((d) => `${d.name}:`).join(', ')}).`;
}

/** The value of a choice typed by its value or its name, in any case, as a pick from Discord's list. */
function choiceValue(option: APIApplicationCommandOption, raw: string): string | number | undefined {
  if (!('choices' in option) || !option.choices) return undefined;
  const wanted = raw.toLowerCase();
  const choice = option.choices.find(
    (c) => String(c.value).toLowerCase() === wanted || c.name.toLowerCase() === wanted,
  );
  return choice?.value;
}

/** The terminal's one channel, by the names a user may type for it. */
function terminalChannel(command: string, raw: string): string {
  if (/^#?terminal$/i.test(raw)) return TERMINAL_CHANNEL_ID;
  throw new UserError(
    `/${command} channel: the terminal is its only channel; leave channel: out or write channel:terminal.`,
  );
}

function convert(
  command: string,
  option: APIApplicationCommandOption,
  raw: string,
): string | number | boolean {
  const choice = choiceValue(option, raw);
  if (choice !== undefined) return choice;
  switch (option.type) {
    case ApplicationCommandOptionType.Channel:
      return terminalChannel(command, raw);
    case ApplicationCommandOptionType.Attachment:
      // The terminal attaches a file by its path.
      return raw;
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
 * option's value, so `/ask question:what happened in Lisbon` works without quotes; a word
 * shaped like an option the command does not have is refused, not glued onto a value.
 */
export function parseCommandLine(line: string, commands: readonly HeraldCommand[]): ParsedCommandLine {
  const tokens = tokenize(line.trim());
  const head = tokens.shift();
  const names = commands.map((c) => c.data.name);
  if (!head?.startsWith('/')) {
    const word = head?.toLowerCase() ?? '';
    throw new UserError(
      names.includes(word)
        ? `Commands start with a slash: /${word}.`
        : 'Commands start with a slash, like /help.',
    );
  }
  const command = commands.find((c) => c.data.name === head.slice(1).toLowerCase());
  if (!command) {
    const near = nearestName(head.slice(1).toLowerCase(), names);
    throw new UserError(
      `Unknown command ${head}.${near ? ` Did you mean /${near}?` : ''} Type /help for the list.`,
    );
  }

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
    const key = optionKey(token);
    if (key !== undefined && definitions.some((d) => d.name === key)) {
      current = key;
      raw.set(key, token.slice(key.length + 1));
    } else if (key !== undefined) {
      throw new UserError(unknownOptionText(command.data.name, subcommand, key, definitions));
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
    const value = convert(command.data.name, definition, text);
    checkOptionValue(command.data.name, definition as OptionRules, value);
    values.set(definition.name, value);
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
      attachment: (name) => {
        const file = read<string>(name, 'string');
        if (file === undefined) return undefined;
        const absolute = path.resolve(file);
        return { url: pathToFileURL(absolute).href, name: path.basename(absolute), size: 0 };
      },
    },
  };
}
