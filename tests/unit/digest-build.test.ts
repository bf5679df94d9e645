import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { loadConfig } from '../../src/config/load.ts';
import { buildDigests } from '../../src/digest/build-digests.ts';
import { PostError } from '../../src/digest/delivery-ports.ts';
import { digestIdFor } from '../../src/digest/digest-service.ts';
import { createStoreBackend } from '../../src/store/backend.ts';
import { briefItem, createFakeBrief } from '../support/digest-stories.ts';

const CREATED = Date.parse('2025-11-24T05:00:00Z');
const quietLog = { info: () => {}, warn: () => {}, error: () => {} };

async function build() {
  let clock = CREATED;
  const now = () => clock;
  const backend = await createStoreBackend({ url: 'memory://', now });
  const built = buildDigests({
    config: loadConfig({ STORE_URL: 'memory://', LOG_LEVEL: 'silent' }),
    backend,
    brief: createFakeBrief([briefItem('s1', { title: 'Comet seen', firstSeenAt: '2025-11-24T04:00:00Z' })]),
    taxonomy: createTaxonomy({ version: 1, sections: [{ key: 'science', name: 'Science', description: 'S', terms: ['study'] }] }),
    log: quietLog,
    now,
    cron: { schedule: () => ({ stop: () => {}, destroy: () => {} }) },
  });
  return { built, setClock: (at: number) => (clock = at) };
}

describe('digest wiring', () => {
  it('in the terminal mode writes the terminal digest to the terminal and leaves Discord digests alone', async () => {
    const { built, setClock } = await build();
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString()));
    built.transport.useTerminal(output);
    const base = { time: '08:00', timezone: 'Europe/Berlin', userId: 'u' };
    await built.service.setup({ ...base, guildId: 'terminal', channelId: 'terminal' });
    await built.service.setup({ ...base, guildId: '1', channelId: '2' });
    setClock(Date.parse('2025-11-24T07:00:30Z'));
    const reports = await built.service.runDue();
    expect(reports.map((r) => [r.digestId, r.outcome])).toEqual([[digestIdFor('terminal', 'terminal'), 'sent']]);
    expect(text).toContain('Your daily brief — Monday 24 November');
    expect(text).toContain('Comet seen');
    expect((await built.service.list('1'))[0]?.enabled).toBe(true);
  });

  it('refuses setup until a transport is attached, without saving', async () => {
    const { built } = await build();
    await expect(built.service.setup({ guildId: 'terminal', channelId: 'terminal', time: '08:00', timezone: 'UTC', userId: 'u' })).rejects.toBeInstanceOf(PostError);
    expect(await built.service.list()).toEqual([]);
  });
});
