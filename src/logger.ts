import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * The one logger. Logs always go to stderr: stdout belongs to the terminal chat and to
 * `--json` output, which scripts parse.
 */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'herald' } }, pino.destination({ fd: 2, sync: true }));
}

/** The slice of the logger services use (context object first); tests pass a recorder. */
export interface ServiceLog {
  info(context: object, message: string): void;
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}
