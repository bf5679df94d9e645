import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { isUserError } from '../errors.ts';
import { surfaceWords } from '../render/delivery-words.ts';
import { isStoreReadError } from '../store/record-store.ts';
import type { CommandContext, HeraldCommand } from '../interaction/command.ts';
import type { Services } from '../interaction/services.ts';
import { parseCommandLine } from './command-line.ts';
import { renderReplyAsText, wrapToWidth } from './render-text.ts';
import type { TerminalScreen } from './screen.ts';

import { TERMINAL_CHANNEL_ID, TERMINAL_GUILD_ID } from '../delivery/destination.ts';

export { TERMINAL_CHANNEL_ID, TERMINAL_GUILD_ID };

export interface TerminalOptions {
  commands: readonly HeraldCommand[];
  services: Services;
  input: Readable;
  output: Writable;
  /** Interactive (prompt, greeting) when stdin is a TTY; one command per line otherwise. */
  interactive: boolean;
  /** Shared with the terminal sink, so what Herald prints on its own redraws the prompt. */
  screen?: TerminalScreen;
  /** Bold and dim text (a colour terminal that did not ask for NO_COLOR). */
  color?: boolean;
  /** Said in the greeting: where the log lines go instead of the chat. */
  logFile?: string;
}

/**
 * Herald as a chat in the terminal, in the spirit of Hubot's shell adapter: the same slash
 * commands and handlers as on Discord, rendered as text.
 */
export function createTerminal(options: TerminalOptions) {
  const { services, output } = options;
  // An interactive terminal's width, read at each write so a resized window wraps to its new width.
  const columns = () =>
    options.interactive ? (output as Writable & { columns?: number }).columns : undefined;
  const write = (text: string) => output.write(`${wrapToWidth(text, columns())}\n`);
  const style = { color: options.color === true };

  async function runLine(line: string): Promise<void> {
    try {
      const parsed = parseCommandLine(line, options.commands);
      const ctx: CommandContext = {
        surface: 'terminal',
        userId: 'terminal-user',
        userName: process.env.USER ?? 'you',
        guildId: TERMINAL_GUILD_ID,
        channelId: TERMINAL_CHANNEL_ID,
        memberPermissions: undefined,
        options: parsed.options,
        mentionChannel: surfaceWords('terminal').channel,
        channelName: (channelId) => (channelId === TERMINAL_CHANNEL_ID ? 'terminal' : undefined),
      };
      const reply = await parsed.command.execute(ctx, services);
      write(renderReplyAsText(reply, services.now(), style));
      const storeNotice = services.status.storeNotice?.();
      if (storeNotice) write(storeNotice);
      const notice = await services.subscriptions.takePendingNotice(ctx.userId);
      if (notice) write(`(${notice})`);
    } catch (error) {
      if (isUserError(error)) write(`! ${error.message}`);
      else if (isStoreReadError(error)) {
        // The terminal's user runs the store: the damaged record's key is theirs to see.
        services.log.error({ problem: error.message, line }, 'store damage');
        write(
          `! Store damage: ${error.message}. npm start -- store doctor lists and moves such records aside.`,
        );
      } else {
        services.log.error({ err: error, line }, 'terminal command failed');
        write('! Something went wrong on my side; the details are in the log.');
      }
    }
  }

  return {
    runLine,
    /** Resolves when input ends (pipe) or the user types /quit. */
    async run(): Promise<void> {
      const reader = createInterface({
        input: options.input,
        output: options.interactive ? output : undefined,
        terminal: options.interactive,
      });
      if (options.interactive) {
        write('Herald in your terminal. Type /help for the commands, /quit to leave.');
        if (options.logFile) write(`(Log lines go to ${options.logFile}.)`);
        reader.setPrompt('herald> ');
        options.screen?.attach(reader);
        reader.prompt();
      }
      let replies = 0;
      for await (const raw of reader) {
        const line = raw.trim();
        if (line === '/quit' || line === '/exit') break;
        options.screen?.setBusy(true);
        if (line !== '' && !line.startsWith('#')) {
          // Piped replies have no prompt between them: a blank line tells one from the next.
          if (!options.interactive && replies > 0) output.write('\n');
          replies += 1;
          await runLine(line);
        }
        options.screen?.setBusy(false);
        if (options.interactive) reader.prompt();
      }
      reader.close();
    },
  };
}
