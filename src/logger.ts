import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * The one logger. Logs always go to stderr: stdout belongs to the terminal chat and to
 * `--json` output, which scripts parse.
 */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'herald' } }, pino.destination({ fd: 2, sync: true }));
}
