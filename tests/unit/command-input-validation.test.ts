// One validation of command input, from each command's own definition: what Discord would
// never send is refused the same way whether it arrives from Discord, the terminal or the CLI.
import { describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.ts';
import { briefCommand } from '../../commands/brief.ts';
import { subscribeCommand } from '../../commands/subscribe.ts';
import { describeCommands } from '../../commands/help.ts';
import { TERMINAL_CHANNEL_ID } from '../../src/delivery/destination.ts';
import { UserError } from '../../src/errors.ts';
import { readArgs, type CommandOptions } from '../../src/interaction/command.ts';
import { parseCommandLine } from '../../src/terminal/command-line.ts';

/** Options as the Discord dispatcher hands them over (discord.js getters). */
function discordOptions(
  values: Record<string, string | number | boolean>,
  subcommand?: string,
): CommandOptions {
  const read = <T>(name: string, type: string) =>
    typeof values[name] === type ? (values[name] as T) : undefined;
  return {
    subcommand: () => subcommand,
    string: (name) => read<string>(name, 'string'),
    integer: (name) => read<number>(name, 'number'),
    boolean: (name) => read<boolean>(name, 'boolean'),
    attachment: () => undefined,
    channel: (name) => read<string>(name, 'string'),
    role: (name) => read<string>(name, 'string'),
  };
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('expected the input to be refused');
}

describe('arguments checked against the definition (every surface)', () => {
  it('refuses a value outside the choices, naming the option and its allowed values', () => {
    const message = refusal(() =>
      readArgs(subscribeCommand.data, discordOptions({ topic: 'Science', delivery: 'weekly' })),
    );
    expect(message).toBe('/subscribe delivery: must be one of immediate, daily (not "weekly").');
  });

  it.each([-1, 0, 11])('refuses /brief count:%i outside 1–10', (count) => {
    expect(refusal(() => readArgs(briefCommand.data, discordOptions({ count })))).toBe(
      '/brief count: must be a number from 1 to 10.',
    );
  });

  it('refuses text longer than the definition allows', () => {
    const message = refusal(() =>
      readArgs(subscribeCommand.data, discordOptions({ topic: 'x'.repeat(101) })),
    );
    expect(message).toBe('/subscribe topic: must be at most 100 characters long.');
  });

  it('passes values inside the limits through unchanged', () => {
    expect(readArgs(briefCommand.data, discordOptions({ count: 10 }))).toEqual({ count: 10 });
  });
});

describe('the terminal refuses what Discord would never send', () => {
  const parse = (line: string) => parseCommandLine(line, allCommands);

  it('refuses a misspelt option name instead of gluing it onto the previous value', () => {
    expect(refusal(() => parse('/subscribe topic:Science delivry:daily'))).toBe(
      '/subscribe has no option delivry: (it takes topic:, delivery:, time:, timezone:).',
    );
    expect(refusal(() => parse('/brief cont:3'))).toMatch(/^\/brief has no option cont: \(it takes/);
    expect(refusal(() => parse('/ask question:what happened stroy:abc'))).toMatch(/has no option stroy:/);
  });

  it('keeps URLs and times inside a value', () => {
    const parsed = parse('/ask question:what did https://news.example/a say at 10:30');
    expect(parsed.options.string('question')).toBe('what did https://news.example/a say at 10:30');
  });

  it('refuses a choice Discord does not offer and maps a choice typed in another case', () => {
    expect(refusal(() => parse('/subscribe topic:Science delivery:weekly'))).toMatch(
      /delivery: must be one of immediate, daily/,
    );
    expect(parse('/subscribe topic:Science delivery:Daily').options.string('delivery')).toBe('daily');
  });

  it.each(['/brief count:-1', '/brief count:0'])('refuses %s', (line) => {
    expect(refusal(() => parse(line))).toBe('/brief count: must be a number from 1 to 10.');
  });

  it('has one channel, terminal: any other channel is refused with that sentence', () => {
    expect(refusal(() => parse('/feed add channel:#general topic:Science'))).toBe(
      '/feed channel: the terminal is its only channel; leave channel: out or write channel:terminal.',
    );
    expect(refusal(() => parse('/digest setup time:07:00 timezone:UTC channel:#news'))).toMatch(
      /the terminal is its only channel/,
    );
    expect(parse('/feed add channel:terminal topic:Science').options.channel('channel')).toBe(
      TERMINAL_CHANNEL_ID,
    );
  });
});

describe('/help', () => {
  it('shows required options as name:… and optional ones in brackets, never name::', () => {
    const lines = describeCommands(allCommands);
    expect(lines.join('\n')).not.toContain('::');
    expect(lines).toContainEqual(expect.stringMatching(/^\/unsubscribe topic:…: /));
  });
});
