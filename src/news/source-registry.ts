import { z } from 'zod';
import { sourceConfigSchema, type SourceConfig } from '../config/schema.ts';
import { UserError } from '../errors.ts';
import type { RecordCodec } from '../store/record-store.ts';
import type { RecordStore } from '../store/types.ts';
import {
  initialSourceHealth,
  reenableSource,
  sourceHealthSchema,
  type SourceHealth,
} from './source-health.ts';

/** A source Herald reads: from config (every guild) or added by one guild with /sources. */
export interface RegisteredSource {
  /** Stable key: the URL or the path. */
  key: string;
  config: SourceConfig;
  /**
   * The servers that added this feed; undefined for config sources, which every server reads.
   * Stories from a server's own feeds are shown in that server only.
   */
  guildIds?: string[];
}

/** What Herald remembers about a source between runs. */
export interface SourceState {
  health: SourceHealth;
  /** When the first ingest stored its backlog; later runs bring new items only. */
  firstIngestAt?: string;
  lastRun?: { at: string; added: number; merged: number; skipped: number; failed: number; error?: string };
}

const sourceStateSchema: z.ZodType<SourceState> = z.object({
  health: sourceHealthSchema,
  firstIngestAt: z.string().exactOptional(),
  lastRun: z
    .object({
      at: z.string(),
      added: z.number(),
      merged: z.number(),
      skipped: z.number(),
      failed: z.number(),
      error: z.string().exactOptional(),
    })
    .exactOptional(),
});
export const sourceStateCodec: RecordCodec<SourceState> = { version: 1, schema: sourceStateSchema };

const guildSourcesSchema = z.object({ sources: z.array(sourceConfigSchema) });
export const guildSourcesCodec: RecordCodec<z.infer<typeof guildSourcesSchema>> = {
  version: 1,
  schema: guildSourcesSchema,
};

export function sourceKey(source: SourceConfig): string {
  return source.url ?? `file:${source.path ?? source.name}`;
}

export interface SourceRegistry {
  /** Every source to ingest: config first, then each guild's. */
  all(): Promise<RegisteredSource[]>;
  /** Sources a guild sees in /sources list: the shared config ones and its own. */
  forGuild(guildId: string): Promise<RegisteredSource[]>;
  /**
   * Adds a guild's feed, or turns a disabled one back on (`reenabled`): the caller must not
   * take back a re-enabled source when its next read fails, since the admin added it earlier.
   */
  add(guildId: string, source: SourceConfig): Promise<RegisteredSource & { reenabled: boolean }>;
  remove(guildId: string, nameOrUrl: string): Promise<RegisteredSource>;
  state(key: string): Promise<SourceState>;
  saveState(key: string, state: SourceState): Promise<void>;
}

export function createSourceRegistry(options: {
  configSources: readonly SourceConfig[];
  guildSources: RecordStore<z.infer<typeof guildSourcesSchema>>;
  states: RecordStore<SourceState>;
  maxPerGuild: number;
}): SourceRegistry {
  const { guildSources, states } = options;
  const configured = options.configSources.map((config) => ({ key: sourceKey(config), config }));

  async function guildList(guildId: string): Promise<SourceConfig[]> {
    return (await guildSources.get(guildId))?.sources ?? [];
  }

  return {
    async all() {
      const result: RegisteredSource[] = [...configured];
      const shared = new Set(result.map((s) => s.key));
      const added = new Map<string, RegisteredSource & { guildIds: string[] }>();
      for await (const [guildId, record] of guildSources.entries()) {
        for (const config of record.sources) {
          const key = sourceKey(config);
          // A config source is already read for everyone.
          if (shared.has(key)) continue;
          // A feed several guilds added is fetched once, for all of them.
          const known = added.get(key);
          if (known) known.guildIds.push(guildId);
          else added.set(key, { key, config, guildIds: [guildId] });
        }
      }
      return [...result, ...added.values()];
    },
    async forGuild(guildId) {
      const own = (await guildList(guildId)).map((config) => ({
        key: sourceKey(config),
        config,
        guildIds: [guildId],
      }));
      return [...configured, ...own];
    },
    async add(guildId, source) {
      const current = await guildList(guildId);
      const key = sourceKey(source);
      if (configured.some((s) => s.key === key) || current.some((s) => sourceKey(s) === key)) {
        // Re-adding is how an admin turns a disabled source back on.
        const state = await states.get(key);
        if (state?.health.disabled) {
          await states.set(key, { ...state, health: reenableSource(state.health) });
          const shared = configured.find((s) => s.key === key);
          const own = current.find((s) => sourceKey(s) === key);
          return { ...(shared ?? { key, config: own ?? source, guildIds: [guildId] }), reenabled: true };
        }
        throw new UserError(`${source.url ?? source.name} is already a source here.`);
      }
      if (current.some((s) => s.name.toLowerCase() === source.name.toLowerCase())) {
        throw new UserError(`A source named "${source.name}" already exists here; pick another name.`);
      }
      if (current.length >= options.maxPerGuild) {
        throw new UserError(
          `This server already has ${current.length} sources, the most allowed. Remove one first.`,
        );
      }
      await guildSources.set(guildId, { sources: [...current, source] });
      return { key, config: source, guildIds: [guildId], reenabled: false };
    },
    async remove(guildId, nameOrUrl) {
      const current = await guildList(guildId);
      const wanted = nameOrUrl.trim().toLowerCase();
      const found = current.find((s) => s.name.toLowerCase() === wanted || s.url?.toLowerCase() === wanted);
      if (!found) {
        const shared = configured.find((s) => s.config.name.toLowerCase() === wanted);
        if (shared)
          throw new UserError(
            `${shared.config.name} comes from Herald's configuration; only the bot's operator can remove it.`,
          );
        throw new UserError(`There is no source "${nameOrUrl}" here. /sources list shows them.`);
      }
      await guildSources.set(guildId, { sources: current.filter((s) => s !== found) });
      return { key: sourceKey(found), config: found, guildIds: [guildId] };
    },
    async state(key) {
      return (await states.get(key)) ?? { health: initialSourceHealth() };
    },
    saveState: (key, state) => states.set(key, state),
  };
}
