import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { UserError } from '../errors.ts';

/**
 * The limits a command option's definition sets, as Discord enforces them before a command
 * ever reaches Herald. Every surface checks a value against the same definition, so the
 * terminal and the command line refuse exactly what Discord would never send.
 */
export interface OptionRules {
  readonly type: ApplicationCommandOptionType;
  readonly name: string;
  readonly required?: boolean;
  readonly choices?: readonly { readonly name: string; readonly value: string | number }[];
  readonly min_value?: number;
  readonly max_value?: number;
  readonly min_length?: number;
  readonly max_length?: number;
}

function rangeText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `from ${min} to ${max}`;
  if (min !== undefined) return `at least ${min}`;
  return `at most ${String(max)}`;
}

/** One line naming the option and what it allows; thrown as a UserError. */
function refuse(command: string, option: string, allowed: string): never {
  throw new UserError(`/${command} ${option}: ${allowed}.`);
}

/** Throws a UserError naming the option when `value` breaks a limit of its definition. */
export function checkOptionValue(command: string, option: OptionRules, value: unknown): void {
  if (option.choices && option.choices.length > 0) {
    if (!option.choices.some((choice) => choice.value === value))
      refuse(
        command,
        option.name,
        `must be one of ${option.choices.map((choice) => String(choice.value)).join(', ')} (not "${String(value)}")`,
      );
    return;
  }
  switch (option.type) {
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number: {
      if (typeof value !== 'number' || !Number.isFinite(value))
        refuse(command, option.name, 'must be a number');
      if (option.type === ApplicationCommandOptionType.Integer && !Number.isInteger(value))
        refuse(command, option.name, 'must be a whole number');
      const { min_value: min, max_value: max } = option;
      if ((min !== undefined && value < min) || (max !== undefined && value > max))
        refuse(command, option.name, `must be a number ${rangeText(min, max)}`);
      return;
    }
    case ApplicationCommandOptionType.String: {
      if (typeof value !== 'string') refuse(command, option.name, 'must be text');
      const { min_length: min, max_length: max } = option;
      // Discord counts UTF-16 code units, as String.length does.
      if ((min !== undefined && value.length < min) || (max !== undefined && value.length > max))
        refuse(command, option.name, `must be ${rangeText(min, max)} characters long`);
      return;
    }
    default:
      return;
  }
}
