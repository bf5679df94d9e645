import type { HeraldConfig } from './config/schema.ts';
import type { HeraldCommand } from './discord/command.ts';
import type { Logger } from './logger.ts';
import type { StoreKind } from './store/types.ts';

/** What /status and `npm start -- status` report. */
export interface StatusSnapshot {
  uptimeSeconds: number;
  store: { kind: StoreKind; location: string };
  model: { mode: 'extractive' | 'model'; model?: string; calls: number; failures: number; promptTokens: number; completionTokens: number };
  sources: number;
  stories: number;
  summaries: { cached: number; hits: number; misses: number };
  lastIngest?: { at: string; added: number; merged: number; skipped: number; failed: number };
}

export interface StatusService {
  snapshot(): Promise<StatusSnapshot>;
}

/**
 * The typed deps object every command handler receives. Built once in src/main.ts; tests
 * build their own with fakes. Areas are added here as they land.
 */
export interface Services {
  config: HeraldConfig;
  log: Logger;
  now: () => number;
  /** Every registered command, for /help. */
  commands: readonly HeraldCommand[];
  status: StatusService;
}
