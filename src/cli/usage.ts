import { UserError } from '../errors.ts';
import type { CliArgs } from './args.ts';
import type { CliSubcommand } from './subcommand.ts';

/** The flags a subcommand takes, read from its usage line (`[--count N]` → count), plus --help. */
export function flagsOf(subcommand: CliSubcommand): Set<string> {
  return new Set(['help', ...[...subcommand.usage.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1] as string)]);
}

/** Refuses a flag the subcommand does not take (`brief --cout 3`), naming the ones it does. */
export function checkFlags(subcommand: CliSubcommand, args: CliArgs): void {
  const known = flagsOf(subcommand);
  const unknown = args.flagNames.find((name) => !known.has(name));
  if (unknown === undefined) return;
  const takes = [...known].filter((name) => name !== 'help').map((name) => `--${name}`);
  throw new UserError(
    `${subcommand.name} has no flag --${unknown}${takes.length > 0 ? ` (it takes ${takes.join(', ')})` : ''}; see npm start -- ${subcommand.name} --help`,
  );
}

/** `npm start -- --help`: the chat, then every subcommand's usage. */
export function usageText(subcommands: readonly CliSubcommand[]): string {
  return [
    'Usage:',
    '  npm start                      the terminal chat (no DISCORD_TOKEN) or the Discord bot',
    ...subcommands.map((s) => `  npm start -- ${s.usage}`),
    '  npm start -- <subcommand> --help',
  ].join('\n');
}
