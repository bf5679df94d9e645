import { z } from 'zod';
import { UserError } from '../errors.ts';
import type { IngestJob } from './ingest-job.ts';
import { reenableSource } from './source-health.ts';
import type { RegisteredSource, SourceRegistry, SourceState } from './source-registry.ts';

export interface SourceListing {
  name: string;
  location: string;
  weight: number;
  featured: boolean;
  shared: boolean;
  /** One line: healthy, backing off until …, or disabled and why. */
  status: string;
}

const feedUrl = z.url({ protocol: /^https?$/, error: 'That is not an http(s) link.' });

export function describeState(state: SourceState, now: number): string {
  const health = state.health;
  if (health.disabled) return `disabled: ${health.disabled.reason}`;
  if (health.failures > 0) {
    const retry =
      health.nextAttemptAt && health.nextAttemptAt > now
        ? `, retrying <t:${Math.floor(health.nextAttemptAt / 1000)}:R>`
        : '';
    return `failing (${health.failures}×): ${health.lastError ?? 'unknown error'}${retry}`;
  }
  if (state.lastRun)
    return `ok, last read <t:${Math.floor(Date.parse(state.lastRun.at) / 1000)}:R> (${state.lastRun.added} new)`;
  return 'not read yet';
}

/** /sources add|remove|list over the registry and the ingest job. */
export function createSourceAdmin(deps: { registry: SourceRegistry; job: IngestJob; now: () => number }) {
  const { registry, job } = deps;
  return {
    async list(guildId: string): Promise<SourceListing[]> {
      const sources = await registry.forGuild(guildId);
      return Promise.all(
        sources.map(async (source: RegisteredSource) => ({
          name: source.config.name,
          location: source.config.url ?? source.config.path ?? '',
          weight: source.config.weight,
          featured: source.config.featured,
          shared: source.guildIds === undefined,
          status: describeState(await registry.state(source.key), deps.now()),
        })),
      );
    },
    /** Adds a feed and reads it once at once, so a bad link is refused with its reason. */
    async add(
      guildId: string,
      input: { url: string; name?: string; topics?: string[] },
    ): Promise<{ name: string; stored: number }> {
      const parsed = feedUrl.safeParse(input.url.trim());
      if (!parsed.success)
        throw new UserError(parsed.error.issues[0]?.message ?? 'That is not an http(s) link.');
      const url = parsed.data;
      const name = (input.name?.trim() || new URL(url).hostname).slice(0, 100);
      const source = await registry.add(guildId, {
        name,
        url,
        weight: 1,
        featured: false,
        topics: input.topics ?? [],
      });
      const report = await job.runSource(source);
      const failure = report.failed[0];
      if (failure) {
        if (source.reenabled) {
          // The admin added this feed before; a failed first read after turning it back on
          // leaves it in place, backing off as any failing source does.
          throw new UserError(
            `I turned ${source.config.name} back on, but could not read it: ${failure.message} It stays in /sources list and will be retried; /sources remove takes it out.`,
          );
        }
        await registry.remove(guildId, url).catch(() => undefined);
        throw new UserError(`I could not read ${url}: ${failure.message} Nothing was added.`);
      }
      return { name, stored: report.added.length + report.merged.length };
    },
    /**
     * Stops (or restarts) reading one of the server's own feeds. A feed other servers added
     * too is read for them as well, so only removing it from this server is offered then.
     */
    async setPaused(guildId: string, nameOrUrl: string, paused: boolean): Promise<string> {
      const wanted = nameOrUrl.trim().toLowerCase();
      const source = (await registry.all()).find(
        (s) =>
          s.guildIds?.includes(guildId) === true &&
          (s.config.name.toLowerCase() === wanted || s.key.toLowerCase() === wanted),
      );
      if (!source)
        throw new UserError(
          `This server added no source named ${nameOrUrl}. Shared sources are paused by whoever runs Herald.`,
        );
      if ((source.guildIds?.length ?? 0) > 1)
        throw new UserError(
          `Other servers read ${source.config.name} too, so it cannot be paused here; /sources remove takes it out of this server.`,
        );
      const state = await registry.state(source.key);
      const health = paused
        ? { ...state.health, disabled: { reason: 'paused by a server admin', at: deps.now() } }
        : reenableSource(state.health);
      await registry.saveState(source.key, { ...state, health });
      return source.config.name;
    },
    async remove(guildId: string, nameOrUrl: string): Promise<string> {
      return (await registry.remove(guildId, nameOrUrl)).config.name;
    },
  };
}
export type SourceAdmin = ReturnType<typeof createSourceAdmin>;
