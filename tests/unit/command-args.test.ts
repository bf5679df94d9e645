// Commands typed from their definitions: required options are never optional, choices narrow,
// subcommands discriminate, and handlers get only the services they declare.
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { askCommand } from '../../commands/ask.ts';
import { allCommands } from '../../commands/index.ts';
import {
  defineCommand,
  readArgs,
  type CommandArgs,
  type CommandContext,
  type CommandData,
  type CommandOptions,
} from '../../src/interaction/command.ts';
import { isUserError } from '../../src/errors.ts';
import type { Services } from '../../src/interaction/services.ts';

const data = {
  name: 'demo',
  description: 'Demo',
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'setup',
      description: 'Set up',
      options: [
        { type: ApplicationCommandOptionType.String, name: 'time', description: 't', required: true },
        { type: ApplicationCommandOptionType.Integer, name: 'count', description: 'c' },
        {
          type: ApplicationCommandOptionType.String,
          name: 'mode',
          description: 'm',
          choices: [
            { name: 'a', value: 'a' },
            { name: 'b', value: 'b' },
          ],
        },
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'show', description: 'Show' },
  ],
} as const satisfies CommandData;

function optionsOf(values: Record<string, string | number | boolean>, subcommand?: string): CommandOptions {
  const read = <T>(name: string, type: string) =>
    typeof values[name] === type ? (values[name] as T) : undefined;
  return {
    subcommand: () => subcommand,
    string: (name) => read<string>(name, 'string'),
    integer: (name) => read<number>(name, 'number'),
    boolean: (name) => read<boolean>(name, 'boolean'),
    role: (name) => read<string>(name, 'string'),
    attachment: () => undefined,
    channel: (name) => read<string>(name, 'string'),
  };
}

describe('typed command arguments', () => {
  it('types required options as present, optional ones as optional, choices as their values', () => {
    type Args = CommandArgs<typeof data>;
    expectTypeOf<Extract<Args, { subcommand: 'setup' }>>().toEqualTypeOf<{
      subcommand: 'setup';
      time: string;
      count?: number;
      mode?: 'a' | 'b';
    }>();
    expectTypeOf<Extract<Args, { subcommand: 'show' }>>().toEqualTypeOf<{ subcommand: 'show' }>();
  });

  it("reads the chosen subcommand's options and leaves absent ones out", () => {
    expect(readArgs(data, optionsOf({ time: '08:00', count: 3 }, 'setup'))).toEqual({
      subcommand: 'setup',
      time: '08:00',
      count: 3,
    });
    expect(readArgs(data, optionsOf({}, 'show'))).toEqual({ subcommand: 'show' });
  });

  it('refuses a missing required option or subcommand with a message for the user', () => {
    for (const attempt of [
      () => readArgs(data, optionsOf({}, 'setup')),
      () => readArgs(data, optionsOf({})),
    ]) {
      let caught: unknown;
      try {
        attempt();
      } catch (error) {
        caught = error;
      }
      expect(isUserError(caught)).toBe(true);
    }
  });

  it('hands a handler only the services it declares', async () => {
    let seen: string[] = [];
    const command = defineCommand({
      data: { name: 'peek', description: 'Peek' } as const satisfies CommandData,
      uses: ['now'],
      async execute(_ctx, services) {
        seen = Object.keys(services);
        return { content: String(services.now()) };
      },
    });
    const ctx: CommandContext = {
      surface: 'terminal',
      userId: 'u',
      userName: 'u',
      guildId: undefined,
      channelId: 'c',
      memberPermissions: undefined,
      options: optionsOf({}),
      mentionChannel: (id) => `<#${id}>`,
      channelName: () => undefined,
    };
    const services = { now: () => 42, log: {}, brief: {} } as unknown as Services;
    expect(await command.execute(ctx, services)).toEqual({ content: '42' });
    expect(seen).toEqual(['now']);
  });

  it("sets integration types wherever a command is offered in other people's DMs", () => {
    expect(askCommand.data.integration_types).toEqual([0, 1]);
    for (const command of allCommands) {
      if (command.data.contexts?.includes(2))
        expect(command.data.integration_types, command.data.name).toEqual([0, 1]);
    }
  });
});
