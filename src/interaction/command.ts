import {
  ApplicationCommandOptionType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandOptionChoice,
} from 'discord-api-types/v10';
import type { MessageButton, MessageFile, OutboundMessage } from '../delivery/message.ts';
import { UserError } from '../errors.ts';
import { checkOptionValue, type OptionRules } from './option-rules.ts';
import type { Services } from './services.ts';

/** Where a command can be used (tuples, so a definition `as const` keeps them exact). */
export const CommandContexts: Readonly<{
  guild: [InteractionContextType.Guild];
  guildAndBotDm: [InteractionContextType.Guild, InteractionContextType.BotDM];
  everywhere: [
    InteractionContextType.Guild,
    InteractionContextType.BotDM,
    InteractionContextType.PrivateChannel,
  ];
}> = Object.freeze({
  /** Servers only. */
  guild: [InteractionContextType.Guild],
  /** Servers and DMs with Herald. */
  guildAndBotDm: [InteractionContextType.Guild, InteractionContextType.BotDM],
  /** Servers, DMs with Herald, and other DMs and group DMs (needs `IntegrationTypes.guildAndUser`). */
  everywhere: [
    InteractionContextType.Guild,
    InteractionContextType.BotDM,
    InteractionContextType.PrivateChannel,
  ],
});

/** How Herald is installed for a command: the PrivateChannel context only works with a user install. */
export const IntegrationTypes: Readonly<{
  guild: [ApplicationIntegrationType.GuildInstall];
  guildAndUser: [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall];
}> = Object.freeze({
  guild: [ApplicationIntegrationType.GuildInstall],
  guildAndUser: [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall],
});

/** A command definition exactly as deployed. */
export type { CommandData } from './command-data.ts';
import type { CommandData } from './command-data.ts';

/**
 * What a handler gets to read: the same shape whether the command came from Discord or the
 * terminal, so one handler serves both. Typed handlers read `args` instead (defineCommand).
 */
export interface CommandOptions {
  subcommand(): string | undefined;
  string(name: string): string | undefined;
  integer(name: string): number | undefined;
  boolean(name: string): boolean | undefined;
  /** A channel option's id. */
  channel(name: string): string | undefined;
  /** A role option's id; the terminal, which has no roles, gives the name as typed. */
  role(name: string): string | undefined;
  /** An attachment option's file as Discord describes it; the terminal has none. */
  attachment(name: string): CommandAttachment | undefined;
}

/** A file a user attached to a command: where Discord's CDN serves it, its name and size. */
export interface CommandAttachment {
  url: string;
  name: string;
  /** Bytes. */
  size: number;
}

/** A file sent with a reply (an export), attached to its first message. */
export type ReplyFile = MessageFile;

export interface CommandContext {
  /** Where the command came from; handlers rarely need it (the terminal has no real guild). */
  surface: 'discord' | 'terminal';
  userId: string;
  userName: string;
  guildId: string | undefined;
  channelId: string;
  /** The member's permissions in this channel; undefined outside a guild. */
  memberPermissions: bigint | undefined;
  options: CommandOptions;
  /** How to name a channel to this user: `<#id>` on Discord, `#terminal` in the terminal. */
  mentionChannel(channelId: string): string;
  /** A channel's name (`live`) where a mention does not render (autocomplete); undefined when unknown. */
  channelName(channelId: string): string | undefined;
}

/** A button on a reply; its customId is routed back to the command that made it. */
export type ReplyButton = MessageButton;

/** What a handler returns: a neutral message the surface fits and renders, maybe private. */
export interface CommandReply extends OutboundMessage {
  /** Only the person who ran the command sees it (Discord ephemeral). */
  private?: boolean;
}

export interface ComponentContext extends Omit<CommandContext, 'options'> {
  /** The part of the custom id after the command's prefix, e.g. "ask:<storyId>". */
  customId: string;
  /** Modal fields by custom id (modal submits only). */
  fields: Record<string, string>;
}

/** A form to show in answer to a button (Discord modal); its submit comes back as a component. */
export interface ModalRequest {
  modal: {
    customId: string;
    title: string;
    fields: { customId: string; label: string; placeholder?: string; long?: boolean; maxLength?: number }[];
  };
}

export type AutocompleteChoice = APIApplicationCommandOptionChoice<string>;

/**
 * One slash command as the dispatcher and the terminal run it: its definition (deployed as is)
 * and its handlers over the whole service bag. Commands are written with defineCommand, which
 * types the handlers from the definition and hands them only the services they declare.
 */
export interface HeraldCommand {
  data: CommandData;
  /** The services the handlers use. */
  uses: readonly (keyof Services)[];
  /** Acknowledge at once: the handler may do slow I/O (store scans, model calls). */
  defer?: boolean;
  /** Replies are private unless the handler says otherwise (commands that configure things). */
  privateByDefault?: boolean;
  execute(ctx: CommandContext, services: Services): Promise<CommandReply>;
  autocomplete?(
    ctx: CommandContext,
    focused: { name: string; value: string },
    services: Services,
  ): Promise<AutocompleteChoice[]>;
  /**
   * Buttons and modals whose custom id starts with `${data.name}:`. A button whose id
   * continues with `form` (e.g. `story:form-ask:<id>`) answers with a ModalRequest and is
   * never deferred, since Discord only accepts a modal as the first response.
   */
  component?(ctx: ComponentContext, services: Services): Promise<CommandReply | ModalRequest>;
}

// Types of a command's arguments, inferred from its `as const` definition (as discord.js's
// Yuudachi does): a required option is never `| undefined`, choices narrow to their values.

interface OptionShape {
  readonly type: ApplicationCommandOptionType;
  readonly name: string;
  readonly required?: boolean;
  readonly choices?: readonly { readonly value: string | number }[];
  readonly options?: readonly OptionShape[];
}

type OptionValue<O extends OptionShape> = O extends {
  readonly choices: readonly { readonly value: infer V }[];
}
  ? V
  : O['type'] extends ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Number
    ? number
    : O['type'] extends ApplicationCommandOptionType.Boolean
      ? boolean
      : O['type'] extends ApplicationCommandOptionType.Attachment
        ? CommandAttachment
        : string;

type Flatten<T> = { [K in keyof T]: T[K] };

/** `{ required: value; optional?: value }` for a list of plain options. */
export type OptionArgs<Options extends readonly OptionShape[]> = Flatten<
  { [O in Options[number] as O extends { readonly required: true } ? O['name'] : never]: OptionValue<O> } & {
    [O in Options[number] as O extends { readonly required: true } ? never : O['name']]?: OptionValue<O>;
  }
>;

type SubcommandOf<Options extends readonly OptionShape[]> = Extract<
  Options[number],
  { readonly type: ApplicationCommandOptionType.Subcommand }
>;

/** One of `{ subcommand: 'name', …its options }` per subcommand. */
type SubcommandArgs<Options extends readonly OptionShape[]> = {
  [S in SubcommandOf<Options> as S['name']]: Flatten<
    { subcommand: S['name'] } & OptionArgs<S['options'] extends readonly OptionShape[] ? S['options'] : []>
  >;
}[SubcommandOf<Options>['name']];

/** The arguments of a command, from its definition. */
export type CommandArgs<Data> = Data extends {
  readonly options: infer Options extends readonly OptionShape[];
}
  ? [SubcommandOf<Options>] extends [never]
    ? OptionArgs<Options>
    : SubcommandArgs<Options>
  : Record<string, never>;

function readOption(
  option: OptionShape,
  options: CommandOptions,
): string | number | boolean | CommandAttachment | undefined {
  switch (option.type) {
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number:
      return options.integer(option.name);
    case ApplicationCommandOptionType.Boolean:
      return options.boolean(option.name);
    case ApplicationCommandOptionType.Channel:
      return options.channel(option.name);
    case ApplicationCommandOptionType.Role:
      return options.role(option.name);
    case ApplicationCommandOptionType.Attachment:
      return options.attachment(option.name);
    default:
      return options.string(option.name);
  }
}

function readOptions(
  definitions: readonly OptionShape[],
  options: CommandOptions,
  command: string,
): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const definition of definitions) {
    const value = readOption(definition, options);
    // Discord enforces these limits before a command arrives; the terminal and the command
    // line meet them here, from the same definition.
    if (value === undefined && definition.required === true)
      throw new UserError(`/${command} needs ${definition.name}:…`);
    if (value === undefined) continue;
    checkOptionValue(command, definition as OptionRules, value);
    args[definition.name] = value;
  }
  return args;
}

/** Reads a command's arguments from the raw options, checked against its definition. */
export function readArgs<Data extends CommandData>(data: Data, options: CommandOptions): CommandArgs<Data> {
  const definitions = (data.options ?? []) as readonly OptionShape[];
  const subcommands = definitions.filter((option) => option.type === ApplicationCommandOptionType.Subcommand);
  if (subcommands.length === 0) return readOptions(definitions, options, data.name) as CommandArgs<Data>;
  const chosen = subcommands.find((option) => option.name === options.subcommand());
  if (!chosen)
    throw new UserError(`/${data.name} needs one of: ${subcommands.map((s) => s.name).join(', ')}.`);
  return {
    subcommand: chosen.name,
    ...readOptions(chosen.options ?? [], options, data.name),
  } as unknown as CommandArgs<Data>;
}

/** What a typed handler gets: the context with the arguments read and typed. */
export interface TypedContext<Args> extends Omit<CommandContext, 'options'> {
  args: Args;
}

/** A command written against its own definition and the services it declares. */
export interface CommandDefinition<Data extends CommandData, Uses extends keyof Services> {
  data: Data;
  uses: readonly Uses[];
  defer?: boolean;
  privateByDefault?: boolean;
  execute(ctx: TypedContext<CommandArgs<Data>>, services: Pick<Services, Uses>): Promise<CommandReply>;
  /** Arguments typed so far are not checked (the user is still typing): read the focused value. */
  autocomplete?(
    ctx: CommandContext,
    focused: { name: string; value: string },
    services: Pick<Services, Uses>,
  ): Promise<AutocompleteChoice[]>;
  component?(ctx: ComponentContext, services: Pick<Services, Uses>): Promise<CommandReply | ModalRequest>;
}

function pick<Uses extends keyof Services>(services: Services, uses: readonly Uses[]): Pick<Services, Uses> {
  const picked = {} as Pick<Services, Uses>;
  for (const key of uses) picked[key] = services[key];
  return picked;
}

/**
 * Types a command's handlers from its definition (declared `as const satisfies CommandData`)
 * and hands them only the services named in `uses`, so what a command touches is visible at
 * its top.
 */
export function defineCommand<const Data extends CommandData, Uses extends keyof Services>(
  definition: CommandDefinition<Data, Uses>,
): HeraldCommand {
  const { data, uses } = definition;
  const command: HeraldCommand = {
    data,
    uses,
    execute: (ctx, services) => {
      const { options, ...rest } = ctx;
      return definition.execute({ ...rest, args: readArgs(data, options) }, pick(services, uses));
    },
  };
  if (definition.defer !== undefined) command.defer = definition.defer;
  if (definition.privateByDefault !== undefined) command.privateByDefault = definition.privateByDefault;
  const { autocomplete, component } = definition;
  if (autocomplete)
    command.autocomplete = (ctx, focused, services) => autocomplete(ctx, focused, pick(services, uses));
  if (component) command.component = (ctx, services) => component(ctx, pick(services, uses));
  return command;
}
