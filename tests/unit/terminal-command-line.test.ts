import { describe, expect, it } from 'vitest';
import type { HeraldCommand } from '../../src/interaction/command.ts';
import { UserError } from '../../src/errors.ts';
import { parseCommandLine, tokenize } from '../../src/terminal/command-line.ts';

const noop = async () => ({ content: '' });
const commands: HeraldCommand[] = [
  {
    data: {
      name: 'ask',
      description: 'Ask',
      options: [
        { type: 3, name: 'question', description: 'q', required: true },
        { type: 3, name: 'story', description: 's' },
      ],
    },
    uses: [],
    execute: noop,
  },
  {
    data: {
      name: 'digest',
      description: 'Digest',
      options: [
        {
          type: 1,
          name: 'setup',
          description: 'set',
          options: [
            { type: 3, name: 'time', description: 't', required: true },
            { type: 4, name: 'count', description: 'c' },
            { type: 5, name: 'private', description: 'p' },
          ],
        },
        { type: 1, name: 'show', description: 'show' },
      ],
    },
    uses: [],
    execute: noop,
  },
];

describe('terminal command line', () => {
  it('keeps quoted values whole', () => {
    expect(tokenize('/ask question:"what happened?" story:abc')).toEqual([
      '/ask',
      'question:what happened?',
      'story:abc',
    ]);
  });

  it('lets an unquoted value run on until the next option', () => {
    const parsed = parseCommandLine('/ask question:what did the central bank decide story:s1', commands);
    expect(parsed.options.string('question')).toBe('what did the central bank decide');
    expect(parsed.options.string('story')).toBe('s1');
  });

  it('reads subcommands and converts integers and booleans by their declared types', () => {
    const parsed = parseCommandLine('/digest setup time:08:00 count:3 private:true', commands);
    expect(parsed.options.subcommand()).toBe('setup');
    expect(parsed.options.string('time')).toBe('08:00');
    expect(parsed.options.integer('count')).toBe(3);
    expect(parsed.options.boolean('private')).toBe(true);
  });

  it.each([
    ['/nothing', /Unknown command/],
    ['help', /start with a slash/],
    ['/ask', /needs question/],
    ['/digest', /needs one of: setup, show/],
    ['/digest setup time:08:00 count:three', /whole number/],
  ])('explains what is wrong with %s', (line, message) => {
    expect(() => parseCommandLine(line, commands)).toThrowError(UserError);
    expect(() => parseCommandLine(line, commands)).toThrowError(message);
  });

  it.each([
    ['/dgiest show', 'Unknown command /dgiest. Did you mean /digest? Type /help for the list.'],
    ['/aks question:why', 'Unknown command /aks. Did you mean /ask? Type /help for the list.'],
    ['/a question:why', 'Unknown command /a. Type /help for the list.'],
    ['/weather', 'Unknown command /weather. Type /help for the list.'],
    ['digest show', 'Commands start with a slash: /digest.'],
  ])('names the command a typo most likely meant: %s', (line, message) => {
    expect(() => parseCommandLine(line, commands)).toThrowError(message);
  });
});
