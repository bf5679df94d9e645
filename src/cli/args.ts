import { UserError } from '../errors.ts';

/** `npm start -- <subcommand> [positionals] [--flag value] [--json]` */
export interface CliArgs {
  subcommand: string | undefined;
  positionals: string[];
  json: boolean;
  /** Every flag given, without its dashes. */
  flagNames: string[];
  flag(name: string): string | undefined;
  integerFlag(name: string): number | undefined;
  booleanFlag(name: string): boolean;
}

const BOOLEAN_FLAGS = new Set(['json', 'help', 'move']);

export function parseCliArgs(argv: readonly string[]): CliArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (inline !== undefined) flags.set(name, inline);
    else if (BOOLEAN_FLAGS.has(name)) flags.set(name, true);
    else {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UserError(`--${name} needs a value`);
      flags.set(name, value);
      i += 1;
    }
  }
  const [subcommand, ...rest] = positionals;
  return {
    subcommand,
    positionals: rest,
    json: flags.get('json') === true,
    flagNames: [...flags.keys()],
    flag: (name) => {
      const value = flags.get(name);
      return typeof value === 'string' ? value : undefined;
    },
    integerFlag: (name) => {
      const value = flags.get(name);
      if (value === undefined) return undefined;
      const number = Number(value);
      if (!Number.isInteger(number)) throw new UserError(`--${name} must be a whole number`);
      return number;
    },
    booleanFlag: (name) => flags.get(name) === true,
  };
}
