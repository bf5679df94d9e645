import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { loadConfig } from '../../src/config/load.ts';
import { buildDelivery } from '../../src/app/delivery.ts';
import { buildDigests } from '../../src/app/digests.ts';
import type { DeliveryTransport } from '../../src/delivery/sink.ts';
import { createRestAccess } from '../../src/discord/discord-access.ts';
import { UNPACED } from '../../src/delivery/pacer.ts';
import { createTerminalAccess, createTerminalSink } from '../../src/terminal/terminal-sink.ts';
import { createFakeSink } from '../support/fake-sink.ts';
import { digestIdFor } from '../../src/digest/digest-service.ts';
import { createStoreBackend } from '../../src/store/backend.ts';
import { briefItem, createFakeBrief } from '../support/digest-stories.ts';

const CREATED = Date.parse('2025-11-24T05:00:00Z');
const quietLog = { info: () => {}, warn: () => {}, error: () => {} };

async function build(transport: DeliveryTransport) {
  let clock = CREATED;
  const now = () => clock;
  const backend = await createStoreBackend({ url: 'memory://', now });
  const { courier, notifier } = buildDelivery({ backend, transport, log: quietLog, now });
  const built = buildDigests({
    config: loadConfig({ STORE_URL: 'memory://', LOG_LEVEL: 'silent' }),
    backend,
    transport,
    courier,
    notifier,
    brief: createFakeBrief([briefItem('s1', { title: 'Comet seen', firstSeenAt: '2025-11-24T04:00:00Z' })]),
    taxonomy: createTaxonomy({
      version: 1,
      sections: [{ key: 'science', name: 'Science', description: 'S', terms: ['study'] }],
    }),
    stories: { carrying: async () => [] },
    log: quietLog,
    now,
    cron: { schedule: () => ({ stop: () => {}, destroy: () => {} }) },
  });
  return { built, setClock: (at: number) => (clock = at) };
}

describe('digest wiring', () => {
  it('in the terminal mode writes the terminal digest to the terminal and leaves Discord digests alone', async () => {
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const { built, setClock } = await build({
      sink: createTerminalSink(output),
      access: createTerminalAccess(),
    });
    const base = { time: '08:00', timezone: 'Europe/Berlin', userId: 'u' };
    await built.service.setup({ ...base, guildId: 'terminal', channelId: 'terminal' });
    await built.service.setup({ ...base, guildId: '1', channelId: '2' });
    setClock(Date.parse('2025-11-24T07:00:30Z'));
    const reports = await built.service.runDue();
    expect(reports.map((r) => [r.digestId, r.outcome])).toEqual([
      [digestIdFor('terminal', 'terminal'), 'sent'],
    ]);
    expect(text).toContain('Your daily brief — Monday 24 November');
    expect(text).toContain('Comet seen');
    expect((await built.service.list('1'))[0]?.enabled).toBe(true);
  });

  it('on Discord leaves the terminal digest alone', async () => {
    const sink = createFakeSink('discord');
    const { built, setClock } = await build({
      sink,
      access: { missingPermissions: async () => [], noticeChannels: async () => [] },
    });
    const base = { time: '08:00', timezone: 'Europe/Berlin', userId: 'u' };
    await built.service.setup({ ...base, guildId: 'terminal', channelId: 'terminal' });
    await built.service.setup({ ...base, guildId: '1', channelId: '2' });
    setClock(Date.parse('2025-11-24T07:00:30Z'));
    expect((await built.service.runDue()).map((r) => [r.digestId, r.outcome])).toEqual([
      [digestIdFor('1', '2'), 'sent'],
    ]);
    expect(sink.sent.map((d) => d.destination)).toEqual([{ kind: 'channel', channelId: '2', guildId: '1' }]);
  });

  it('refuses setup over REST alone (no gateway to check permissions), without saving', async () => {
    const rest = {
      get: async () => {
        throw new Error('not used');
      },
    } as never;
    const { built } = await build({
      sink: createFakeSink('discord'),
      access: createRestAccess(rest, UNPACED),
    });
    await expect(
      built.service.setup({ guildId: '1', channelId: '2', time: '08:00', timezone: 'UTC', userId: 'u' }),
    ).rejects.toThrow(/connection to Discord/);
    expect(await built.service.list()).toEqual([]);
  });
});
