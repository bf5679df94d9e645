import {
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type ModalSubmitInteraction,
  ActionRowBuilder,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { isUserError } from '../errors.ts';
import { surfaceWords } from '../render/delivery-words.ts';
import type { Logger } from '../logger.ts';
import type { Services } from '../interaction/services.ts';
import type {
  AutocompleteChoice,
  CommandContext,
  CommandOptions,
  CommandReply,
  HeraldCommand,
  ModalRequest,
} from '../interaction/command.ts';
import { truncateAtWord } from '../delivery/fit.ts';
import { NO_MENTIONS } from './mentions.ts';
import { toMessagePayloads } from './reply-payloads.ts';

/** What a user sees when Herald itself failed: short, and never the exception's text. */
export const INTERNAL_ERROR_TEXT =
  'Something went wrong on my side. It has been logged; please try again in a moment.';

export interface DispatcherOptions {
  commands: readonly HeraldCommand[];
  services: Services;
  log: Logger;
  /** A handler still running after this long gets the interaction deferred for it. */
  autoDeferMs?: number;
}

function optionsOf(interaction: ChatInputCommandInteraction | AutocompleteInteraction): CommandOptions {
  const options = interaction.options;
  return {
    subcommand: () => options.getSubcommand(false) ?? undefined,
    string: (name) => options.getString(name) ?? undefined,
    integer: (name) => options.getInteger(name) ?? undefined,
    boolean: (name) => options.getBoolean(name) ?? undefined,
    channel: (name) => ('getChannel' in options ? (options.getChannel(name)?.id ?? undefined) : undefined),
    role: (name) => ('getRole' in options ? (options.getRole(name)?.id ?? undefined) : undefined),
    attachment: (name) => {
      const file = 'getAttachment' in options ? options.getAttachment(name) : null;
      return file ? { url: file.url, name: file.name, size: file.size } : undefined;
    },
  };
}

function baseContext(interaction: Interaction): Omit<CommandContext, 'options'> {
  return {
    surface: 'discord',
    userId: interaction.user.id,
    userName: interaction.user.username,
    guildId: interaction.guildId ?? undefined,
    channelId: interaction.channelId ?? interaction.user.id,
    memberPermissions: interaction.memberPermissions?.bitfield,
    mentionChannel: surfaceWords('discord').channel,
    channelName: (channelId) => {
      const channel = interaction.guild?.channels.cache.get(channelId);
      return channel && 'name' in channel ? channel.name : undefined;
    },
  };
}

function isModalRequest(value: CommandReply | ModalRequest): value is ModalRequest {
  return 'modal' in value;
}

function buildModal(request: ModalRequest): ModalBuilder {
  const modal = new ModalBuilder()
    .setCustomId(request.modal.customId.slice(0, 100))
    .setTitle(truncateAtWord(request.modal.title, 45));
  for (const field of request.modal.fields) {
    const input = new TextInputBuilder()
      .setCustomId(field.customId)
      .setLabel(truncateAtWord(field.label, 45))
      .setStyle(field.long ? TextInputStyle.Paragraph : TextInputStyle.Short)
      .setRequired(true)
      .setMaxLength(field.maxLength ?? 300);
    if (field.placeholder) input.setPlaceholder(truncateAtWord(field.placeholder, 100));
    modal.addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input));
  }
  return modal;
}

type Repliable = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

async function sendReply(interaction: Repliable, reply: CommandReply, isPrivate: boolean): Promise<void> {
  const payloads = toMessagePayloads(reply);
  const flags = isPrivate ? MessageFlags.Ephemeral : undefined;
  const [first, ...rest] = payloads;
  if (!first) return;
  if (interaction.deferred || interaction.replied) await interaction.editReply(first);
  else await interaction.reply(flags ? { ...first, flags } : first);
  for (const payload of rest) await interaction.followUp(flags ? { ...payload, flags } : payload);
}

async function sendError(interaction: Repliable, text: string): Promise<void> {
  const body = { content: text, allowedMentions: NO_MENTIONS };
  if (interaction.deferred || interaction.replied) {
    // A public "thinking…" placeholder would otherwise show the error to the whole channel.
    if (!interaction.ephemeral) {
      await interaction.deleteReply().catch(() => undefined);
      await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
    } else {
      await interaction.editReply(body);
    }
  } else {
    await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
  }
}

/**
 * The one place interactions are handled: look up, log, defer when slow, run, reply, and
 * turn failures into either the user's message (UserError) or a short generic line.
 */
export function createDispatcher(options: DispatcherOptions) {
  const { services, log } = options;
  const autoDeferMs = options.autoDeferMs ?? 1000;
  const byName = new Map(options.commands.map((command) => [command.data.name, command]));

  async function runWithDeferral(
    interaction: Repliable,
    isPrivate: boolean,
    deferAtOnce: boolean,
    work: () => Promise<CommandReply | ModalRequest>,
  ): Promise<CommandReply | ModalRequest> {
    const defer = () =>
      interaction.deferred || interaction.replied
        ? Promise.resolve()
        : interaction.deferReply(isPrivate ? { flags: MessageFlags.Ephemeral } : {}).then(() => undefined);
    if (deferAtOnce) {
      await defer();
      return work();
    }
    let timer: NodeJS.Timeout | undefined;
    let deferring: Promise<void> | undefined;
    const running = work();
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, autoDeferMs);
    });
    try {
      const first = await Promise.race([
        running.then(() => 'done' as const),
        timeout.then(() => 'slow' as const),
      ]);
      if (first === 'slow') deferring = defer();
      const result = await running;
      await deferring;
      return result;
    } catch (error) {
      await deferring?.catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async function fail(
    interaction: Repliable,
    error: unknown,
    context: Record<string, unknown>,
  ): Promise<void> {
    const text = isUserError(error) ? error.message : INTERNAL_ERROR_TEXT;
    if (!isUserError(error)) log.error({ ...context, err: error }, 'command failed');
    try {
      await sendError(interaction, text);
    } catch (replyError) {
      log.warn({ ...context, err: replyError }, 'could not tell the user about a failure');
    }
  }

  async function handleChatInput(interaction: ChatInputCommandInteraction): Promise<void> {
    const command = byName.get(interaction.commandName);
    const context = {
      command: interaction.commandName,
      guildId: interaction.guildId,
      userId: interaction.user.id,
    };
    if (!command) {
      await interaction.reply({
        content: 'I do not know that command any more.',
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    log.info(context, 'command');
    const ctx: CommandContext = { ...baseContext(interaction), options: optionsOf(interaction) };
    const isPrivate = ctx.options.boolean('private') ?? command.privateByDefault ?? false;
    try {
      const reply = await runWithDeferral(interaction, isPrivate, command.defer === true, () =>
        command.execute(ctx, services),
      );
      if (isModalRequest(reply)) throw new Error('a slash command handler returned a modal');
      await sendReply(interaction, reply, reply.private ?? isPrivate);
    } catch (error) {
      await fail(interaction, error, context);
    }
    await tellPendingNotice(interaction);
  }

  /** A notice saved for this user (paused DMs) rides on their next command, privately, once. */
  async function tellPendingNotice(interaction: Repliable): Promise<void> {
    try {
      // Answered from what is stored while the store refuses writes or stops answering: say so.
      const storeNotice = services.status.storeNotice?.();
      if (storeNotice)
        await interaction.followUp({
          content: storeNotice,
          flags: MessageFlags.Ephemeral,
          allowedMentions: NO_MENTIONS,
        });
    } catch (error) {
      log.warn({ userId: interaction.user.id, err: error }, 'could not tell the user about the store');
    }
    try {
      const notice = await services.subscriptions.takePendingNotice(interaction.user.id);
      if (notice)
        await interaction.followUp({
          content: notice,
          flags: MessageFlags.Ephemeral,
          allowedMentions: NO_MENTIONS,
        });
    } catch (error) {
      log.warn({ userId: interaction.user.id, err: error }, 'could not deliver a pending notice');
    }
  }

  async function handleAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const command = byName.get(interaction.commandName);
    let choices: AutocompleteChoice[] = [];
    try {
      if (command?.autocomplete) {
        const focused = interaction.options.getFocused(true);
        const ctx: CommandContext = { ...baseContext(interaction), options: optionsOf(interaction) };
        choices = await command.autocomplete(
          ctx,
          { name: focused.name, value: String(focused.value) },
          services,
        );
      }
    } catch (error) {
      log.warn({ command: interaction.commandName, err: error }, 'autocomplete failed');
    }
    const fitted = choices
      .slice(0, 25)
      .map((choice) => ({ name: truncateAtWord(choice.name, 100), value: choice.value.slice(0, 100) }));
    await interaction
      .respond(fitted)
      .catch((error: unknown) => log.warn({ err: error }, 'autocomplete response failed'));
  }

  async function handleComponent(interaction: ButtonInteraction | ModalSubmitInteraction): Promise<void> {
    const [name, ...rest] = interaction.customId.split(':');
    const command = name ? byName.get(name) : undefined;
    const context = {
      component: interaction.customId,
      guildId: interaction.guildId,
      userId: interaction.user.id,
    };
    if (!command?.component) {
      await interaction.reply({
        content: 'That button no longer works.',
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    const fields: Record<string, string> = {};
    if (interaction.isModalSubmit()) {
      for (const [id, field] of interaction.fields.fields)
        if ('value' in field && typeof field.value === 'string') fields[id] = field.value;
    }
    const ctx = { ...baseContext(interaction), customId: rest.join(':'), fields };
    try {
      // A button that opens a form must answer with the form itself, so it is never deferred.
      const opensModal = interaction.isButton() && rest[0]?.startsWith('form') === true;
      const reply = opensModal
        ? await command.component(ctx, services)
        : await runWithDeferral(interaction, true, false, () => command.component!(ctx, services));
      if (isModalRequest(reply)) {
        if (!interaction.isButton()) throw new Error('a modal can only open from a button');
        await interaction.showModal(buildModal(reply));
        return;
      }
      await sendReply(interaction, reply, reply.private ?? true);
    } catch (error) {
      await fail(interaction, error, context);
    }
  }

  return {
    async handle(interaction: Interaction): Promise<void> {
      try {
        if (interaction.isChatInputCommand()) await handleChatInput(interaction);
        else if (interaction.isAutocomplete()) await handleAutocomplete(interaction);
        else if (interaction.isButton() || interaction.isModalSubmit()) await handleComponent(interaction);
      } catch (error) {
        // Last line of defence: a failure here must never take the bot down.
        log.error({ err: error }, 'interaction handling failed');
      }
    },
  };
}
