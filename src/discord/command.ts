import type {
  APIApplicationCommandOptionChoice,
  APIEmbed,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import type { Services } from '../services.ts';

/**
 * What a handler gets to read: the same shape whether the command came from Discord or the
 * terminal, so one handler serves both.
 */
export interface CommandOptions {
  subcommand(): string | undefined;
  string(name: string): string | undefined;
  integer(name: string): number | undefined;
  boolean(name: string): boolean | undefined;
  /** A channel option's id. */
  channel(name: string): string | undefined;
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
export interface ReplyFile {
  name: string;
  data: string;
}

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
}

/** A button on a reply; its customId is routed back to the command that made it. */
export interface ReplyButton {
  customId: string;
  label: string;
  style?: 'primary' | 'secondary';
  /** What to type in the terminal mode for the same action, where there are no buttons. */
  terminalHint?: string;
}

/** What a handler returns; the surface (Discord or terminal) renders and splits it. */
export interface CommandReply {
  content?: string;
  embeds?: APIEmbed[];
  buttons?: ReplyButton[];
  files?: ReplyFile[];
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
 * One slash command: its definition (deployed as is) and its handlers. Handlers throw
 * UserError for the user's mistakes and let everything else propagate to the dispatcher.
 */
export interface HeraldCommand {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** Acknowledge at once: the handler may do slow I/O (store scans, model calls). */
  defer?: boolean;
  /** Replies are private unless the handler says otherwise (commands that configure things). */
  privateByDefault?: boolean;
  execute(ctx: CommandContext, services: Services): Promise<CommandReply>;
  autocomplete?(ctx: CommandContext, focused: { name: string; value: string }, services: Services): Promise<AutocompleteChoice[]>;
  /**
   * Buttons and modals whose custom id starts with `${data.name}:`. A button whose id
   * continues with `form` (e.g. `story:form-ask:<id>`) answers with a ModalRequest and is
   * never deferred, since Discord only accepts a modal as the first response.
   */
  component?(ctx: ComponentContext, services: Services): Promise<CommandReply | ModalRequest>;
}
