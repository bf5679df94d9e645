import { clearLine, cursorTo, type Interface } from 'node:readline';
import { Writable } from 'node:stream';
import { wrapToWidth } from './render-text.ts';

/**
 * The terminal chat's screen. Herald prints on its own (a digest, a feed post, a DM) while the
 * prompt waits for input: such output clears the prompt line, prints, and redraws the prompt
 * with what the user had typed, so the chat never looks stuck.
 */
export interface TerminalScreen {
  /** Where messages Herald sends on its own are written (the terminal sink's output). */
  readonly stream: Writable;
  /** The chat's prompt; from now on output arriving while it waits redraws it. */
  attach(reader: Interface): void;
  /** A command is running: its own reply is followed by a fresh prompt anyway. */
  setBusy(busy: boolean): void;
}

export function createTerminalScreen(
  output: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
): TerminalScreen {
  let reader: Interface | undefined;
  let busy = false;
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const waiting = reader !== undefined && !busy && output.isTTY === true;
      if (waiting) {
        clearLine(output, 0);
        cursorTo(output, 0);
      }
      // On a terminal, posts Herald prints on its own wrap between words as the chat's replies do.
      output.write(output.isTTY === true ? wrapToWidth(String(chunk), output.columns) : chunk);
      if (waiting) reader?.prompt(true);
      done();
    },
  });
  return {
    stream,
    attach(next) {
      reader = next;
      next.once('close', () => {
        if (reader === next) reader = undefined;
      });
    },
    setBusy(next) {
      busy = next;
    },
  };
}
