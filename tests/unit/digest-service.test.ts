import { describe, expect, it } from 'vitest';
import { createTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { createDigestComposer } from '../../src/digest/composer.ts';
import { createDigestDelivery } from '../../src/digest/delivery.ts';
import { classifyFailure } from '../../src/delivery/failure.ts';
import { createGuildNotifier } from '../../src/delivery/notices.ts';
import { noticeText, surfaceWords } from '../../src/render/delivery-words.ts';
import type { DestinationAccess } from '../../src/delivery/sink.ts';
import { CHANNEL_DOES_NOT_EXIST, createDigestService, digestIdFor } from '../../src/digest/digest-service.ts';
import type { DigestConfig } from '../../src/digest/digest-types.ts';
import { createFakeSink } from '../support/fake-sink.ts';
import { memoryCourierStore, testCourier } from '../support/test-courier.ts';
import { isUserError, UserError } from '../../src/errors.ts';
import { briefItem, createFakeBrief } from '../support/digest-stories.ts';
import { createMemoryClaimStore, createMemoryRecordStore } from '../support/memory-stores.ts';

const NOW = Date.parse('2025-11-24T06:00:00Z');
const taxonomy = createTaxonomy({
  version: 1,
  sections: [
    { key: 'science', name: 'Science', description: 'Science', terms: ['study'] },
    { key: 'crime', name: 'Crime & Justice', description: 'Crime', terms: ['court'] },
  ],
});

function setup(
  options: {
    missing?: Record<string, string[]>;
    maxPerGuild?: number;
    checkName?: (name: string, guildId: string) => Promise<void>;
  } = {},
) {
  let clock = NOW;
  const now = () => clock;
  const digests = createMemoryRecordStore<DigestConfig>(now);
  const sink = createFakeSink();
  const checked: string[] = [];
  const access: DestinationAccess = {
    async missingPermissions(_guildId, channelId) {
      checked.push(channelId);
      return options.missing?.[channelId] ?? [];
    },
    noticeChannels: async () => ['notices'],
  };
  const brief = createFakeBrief([briefItem('s1'), briefItem('s2')]);
  const log = { info: () => {}, warn: () => {}, error: () => {} };
  const claims = createMemoryClaimStore(now);
  const courier = testCourier(memoryCourierStore(now, claims), sink, { now });
  const notifier = createGuildNotifier({
    courier,
    access,
    word: (notice) => noticeText(notice, surfaceWords('discord')),
    log,
  });
  const delivery = createDigestDelivery({
    digests,
    lane: courier.lane('digests', { claimTtlMs: 600_000 }),
    composer: createDigestComposer({ brief, now }),
    notifier,
    log,
    now,
    graceMs: 3 * 3_600_000,
  });
  const service = createDigestService({
    digests,
    delivery,
    access,
    notifier,
    now,
    taxonomy,
    limits: { maxPerGuild: options.maxPerGuild ?? 10, defaultCount: 5 },
    ...(options.checkName ? { checkName: options.checkName } : {}),
  });
  const posted = sink.sent;
  /** Messages in a channel, as Discord would list them. */
  const postedIn = (channelId: string) =>
    sink.sent.filter((d) => d.destination.kind === 'channel' && d.destination.channelId === channelId);
  return { service, digests, posted, postedIn, sink, checked, brief, advance: (ms: number) => (clock += ms) };
}

async function userErrorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isUserError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a UserError');
}

const base = { guildId: 'g1', channelId: 'c1', time: '8:00', timezone: 'europe/berlin', userId: 'u1' };

describe('digest service', () => {
  it('saves a normalized digest under an id derived from guild and channel', async () => {
    const { service, digests } = setup();
    const result = await service.setup({ ...base, topics: ['Science, Syria'], count: 3 });
    expect(result.created).toBe(true);
    expect(result.digest).toMatchObject({
      id: 'd-g1-c1',
      time: '08:00',
      timezone: 'Europe/Berlin',
      topics: ['science', 'Syria'],
      count: 3,
      enabled: true,
      createdBy: 'u1',
      createdAt: new Date(NOW).toISOString(),
    });
    expect(await digests.get(digestIdFor('g1', 'c1'))).toEqual(result.digest);
    expect(result.nextDueAt).toBe(Date.parse('2025-11-24T07:00:00Z'));
  });

  it('set up again with only a new time, keeps its topics and count', async () => {
    const { service } = setup();
    await service.setup({ ...base, topics: ['Science'], count: 3 });
    const again = await service.setup({ ...base, time: '07:00', timezone: 'UTC' });
    expect(again.created).toBe(false);
    expect(again.digest).toMatchObject({ time: '07:00', timezone: 'UTC', topics: ['science'], count: 3 });
  });

  it('refuses a name no story carries, as /subscribe does, and saves nothing', async () => {
    const { service, digests } = setup({
      checkName: async (name) => {
        if (name !== 'Syria') throw new UserError(`I don't know the topic "${name}" yet.`);
      },
    });
    expect(await userErrorOf(service.setup({ ...base, topics: ['Nope'] }))).toBe(
      'I don\'t know the topic "Nope" yet.',
    );
    expect(digests.snapshot()).toEqual({});
    expect((await service.setup({ ...base, topics: ['Science, Syria'] })).digest.topics).toEqual([
      'science',
      'Syria',
    ]);
  });

  it("schedules tomorrow when today's time has passed", async () => {
    const { service } = setup();
    const result = await service.setup({ ...base, time: '06:30' });
    expect(result.nextDueAt).toBe(Date.parse('2025-11-25T05:30:00Z'));
  });

  it('rejects a bad time or timezone with an example, saving nothing', async () => {
    const { service, digests } = setup();
    expect(await userErrorOf(service.setup({ ...base, time: '25:00' }))).toMatch(/HH:MM/);
    expect(await userErrorOf(service.setup({ ...base, timezone: 'Mars/Olympus' }))).toMatch(/Europe\/Berlin/);
    expect(digests.snapshot()).toEqual({});
  });

  it('names the missing permissions and saves nothing when Herald cannot post in the channel', async () => {
    const { service, digests, checked } = setup({ missing: { c1: ['Send Messages', 'Embed Links'] } });
    const message = await userErrorOf(service.setup(base));
    expect(message).toContain('Send Messages and Embed Links');
    // The service names no channel in a surface's syntax; the reader picked it in the command.
    expect(message).toContain('that channel');
    expect(checked).toEqual(['c1']);
    expect(digests.snapshot()).toEqual({});
  });

  it('says so when the channel does not exist', async () => {
    const { service } = setup({ missing: { c1: [CHANNEL_DOES_NOT_EXIST] } });
    expect(await userErrorOf(service.setup(base))).toMatch(/cannot find that channel/);
  });

  it('updates the channel digest in place, keeping delivery memory and clearing the disabled reason', async () => {
    const { service, digests } = setup();
    await service.setup(base);
    const id = digestIdFor('g1', 'c1');
    const stored = (await digests.get(id)) as DigestConfig;
    await digests.set(id, {
      ...stored,
      enabled: false,
      disabledReason: 'lost access',
      lastSlot: `${id}:2025-11-23`,
      lastDeliveredAt: '2025-11-23T07:00:00Z',
      recentStoryIds: ['s0'],
      lastStoryIds: ['s0'],
    });
    const result = await service.setup({ ...base, userId: 'u2', count: 2 });
    expect(result.created).toBe(false);
    expect(result.digest.enabled).toBe(true);
    expect(result.digest).not.toHaveProperty('disabledReason');
    expect(result.digest).toMatchObject({
      count: 2,
      createdBy: 'u1',
      lastSlot: `${id}:2025-11-23`,
      recentStoryIds: ['s0'],
    });
    expect(Object.keys(digests.snapshot())).toEqual([id]);
  });

  it('keeps the schedule start when only topics change, and restarts it when the time changes', async () => {
    const { service, advance } = setup();
    const first = await service.setup(base);
    advance(60_000);
    expect((await service.setup({ ...base, topics: ['science'] })).digest.createdAt).toBe(
      first.digest.createdAt,
    );
    expect((await service.setup({ ...base, time: '09:00' })).digest.createdAt).toBe(
      new Date(NOW + 60_000).toISOString(),
    );
  });

  it('enforces the per-guild limit on enabled digests but lets an existing one be updated', async () => {
    const { service } = setup({ maxPerGuild: 2 });
    await service.setup({ ...base, channelId: 'c1' });
    await service.setup({ ...base, channelId: 'c2' });
    expect(await userErrorOf(service.setup({ ...base, channelId: 'c3' }))).toMatch(/already has 2 digests/);
    await expect(service.setup({ ...base, channelId: 'c2', time: '10:00' })).resolves.toBeTruthy();
    await service.setup({ ...base, guildId: 'g2', channelId: 'c9' });
    await service.disable('g1', 'c1');
    await expect(service.setup({ ...base, channelId: 'c3' })).resolves.toBeTruthy();
  });

  it("lists one guild's digests, and disables by channel or id with a reason", async () => {
    const { service } = setup();
    await service.setup({ ...base, channelId: 'c2' });
    await service.setup({ ...base, channelId: 'c1' });
    await service.setup({ ...base, guildId: 'g2', channelId: 'c3' });
    expect((await service.list('g1')).map((d) => d.channelId)).toEqual(['c1', 'c2']);
    expect(await service.list()).toHaveLength(3);
    expect(await service.disable('g1', 'c1')).toMatchObject({
      enabled: false,
      disabledReason: expect.stringMatching(/disable/),
    });
    expect((await service.disable('g1', 'd-g1-c2')).enabled).toBe(false);
    expect(await userErrorOf(service.disable('g1', 'd-g2-c3'))).toMatch(/no such digest/);
  });

  it('previews without posting, and sendNow posts once and remembers the stories it carried', async () => {
    const { service, posted } = setup();
    await service.setup(base);
    const preview = await service.preview('g1', 'c1');
    expect(preview.stories.map((s) => s.id)).toEqual(['s1', 's2']);
    expect(posted).toHaveLength(0);
    const report = await service.sendNow('g1', 'c1');
    expect(report.outcome).toBe('sent');
    expect(posted).toHaveLength(1);
    expect((await service.preview('g1', 'c1')).quiet).toBe(true);
  });

  it('refuses preview and now for a channel without a digest, and now for a disabled one', async () => {
    const { service } = setup();
    expect(await userErrorOf(service.preview('g1', 'c1'))).toMatch(/no digest for that channel/);
    await service.setup(base);
    await service.disable('g1', 'c1');
    expect(await userErrorOf(service.sendNow('g1', 'c1'))).toMatch(/is off/);
  });

  it('runs what is due once: a second run for the same slot delivers nothing', async () => {
    const { service, posted, advance } = setup();
    await service.setup(base);
    advance(3_600_000);
    expect((await service.runDue()).map((r) => r.outcome)).toEqual(['sent']);
    expect((await service.runDue()).filter((r) => r.outcome === 'sent')).toEqual([]);
    expect(posted).toHaveLength(1);
  });

  it('tells the server again when a digest set up anew is paused a second time', async () => {
    const { service, sink, postedIn, advance } = setup();
    const lostPermission = () => sink.failures.push(classifyFailure({ status: 403, code: 50013 }));
    await service.setup(base);
    lostPermission();
    expect(await service.sendNow('g1', 'c1')).toMatchObject({ outcome: 'disabled' });
    expect(postedIn('notices').map((d) => d.message.content)).toEqual([
      expect.stringContaining('<#c1> is paused'),
    ]);

    // The admin fixes the channel and sets the digest up again; later the channel breaks again.
    await service.setup(base);
    advance(5 * 60_000);
    lostPermission();
    expect(await service.sendNow('g1', 'c1')).toMatchObject({ outcome: 'disabled' });
    expect(postedIn('notices')).toHaveLength(2);
    expect(postedIn('c1')).toHaveLength(0);
  });
});
