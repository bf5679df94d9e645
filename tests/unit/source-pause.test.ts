import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../src/config/schema.ts';
import type { IngestJob } from '../../src/news/ingest-job.ts';
import { emptyReport } from '../../src/news/ingest-service.ts';
import { createSourceAdmin } from '../../src/news/source-admin.ts';
import { isDue } from '../../src/news/source-health.ts';
import { createSourceRegistry, type SourceState } from '../../src/news/source-registry.ts';
import { createMemoryRecordStore } from '../support/memory-stores.ts';

const shared: SourceConfig = {
  name: 'Shared Wire',
  url: 'https://wire.example/feed',
  weight: 1,
  featured: false,
  topics: [],
};
const own = (name: string, url: string): SourceConfig => ({
  name,
  url,
  weight: 1,
  featured: false,
  topics: [],
});

/** A job that is never asked to read anything here. */
const idleJob: IngestJob = {
  runAll: async () => ({ ...emptyReport(), ran: false }),
  runSource: async () => emptyReport(),
  ingestLocations: async () => emptyReport(),
  ingestSampleNews: async () => emptyReport(),
  lastReport: () => undefined,
  idle: async () => undefined,
};

function setup() {
  const registry = createSourceRegistry({
    configSources: [shared],
    guildSources: createMemoryRecordStore(),
    states: createMemoryRecordStore<SourceState>(),
    maxPerGuild: 10,
  });
  return { registry, admin: createSourceAdmin({ registry, job: idleJob, now: () => 1_000 }) };
}

describe('pausing a source from the panel', () => {
  it('stops and restarts reading a feed only this server added', async () => {
    const { registry, admin } = setup();
    await registry.add('A', own('Harbor Weekly', 'https://harbor.example/feed'));
    expect(await admin.setPaused('A', 'harbor weekly', true)).toBe('Harbor Weekly');
    const paused = await registry.state('https://harbor.example/feed');
    expect(isDue(paused.health, 2_000)).toBe(false);
    await admin.setPaused('A', 'https://harbor.example/feed', false);
    expect(isDue((await registry.state('https://harbor.example/feed')).health, 2_000)).toBe(true);
  });

  it('refuses a shared source, another server’s feed, and a feed other servers read too', async () => {
    const { registry, admin } = setup();
    await registry.add('B', own('Only B', 'https://b.example/feed'));
    await registry.add('A', own('Common', 'https://common.example/feed'));
    await registry.add('B', own('Common', 'https://common.example/feed'));
    await expect(admin.setPaused('A', 'Shared Wire', true)).rejects.toThrow(/paused by whoever runs Herald/);
    await expect(admin.setPaused('A', 'Only B', true)).rejects.toThrow(/added no source named Only B/);
    await expect(admin.setPaused('A', 'Common', true)).rejects.toThrow(/Other servers read Common too/);
    expect((await registry.state('https://common.example/feed')).health.disabled).toBeUndefined();
  });
});
