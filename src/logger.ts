import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * The one logger. Logs go to stderr (stdout belongs to the terminal chat and to `--json`
 * output, which scripts parse), or to a file when stderr is the chat's own screen.
 */
export function createLogger(level: string, file?: string): Logger {
  if (file !== undefined) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const destination =
    file === undefined
      ? pino.destination({ fd: 2, sync: true })
      : pino.destination({ dest: file, sync: true });
  return pino({ level, base: { app: 'herald' } }, destination);
}

/** The slice of the logger services use (context object first); tests pass a recorder. */
export interface ServiceLog {
  info(context: object, message: string): void;
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}
