import type { Herald } from '../app/herald.ts';
import type { CliArgs } from './args.ts';

/** Output of a subcommand: one JSON object for --json, readable text otherwise. */
export interface CliOutput {
  json: unknown;
  text: string;
  /** Non-zero tells a script the command did not do its job (printed output still goes out). */
  exitCode?: number;
}

/**
 * An operations subcommand (`npm start -- <name>`). It works on the store as it is: it never
 * ingests or fetches anything unless that is what it was asked to do.
 */
export interface CliSubcommand {
  name: string;
  usage: string;
  run(herald: Herald, args: CliArgs): Promise<CliOutput>;
}
