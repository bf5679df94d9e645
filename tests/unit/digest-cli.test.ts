import { describe, expect, it } from 'vitest';
import { createTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { parseCliArgs } from '../../src/cli/args.ts';
import { digestSubcommand } from '../../src/cli/digest.ts';
import { createDigestComposer } from '../../src/digest/composer.ts';
import { createDigestDelivery } from '../../src/digest/delivery.ts';
import { createDigestService } from '../../src/digest/digest-service.ts';
import type { DigestConfig } from '../../src/digest/digest-types.ts';
import type { Herald } from '../../src/app/herald.ts';
import { briefItem, createFakeBrief } from '../support/digest-stories.ts';
import { memoryCourierStore, testCourier } from '../support/test-courier.ts';
import { createFakeSink } from '../support/fake-sink.ts';
import { createMemoryRecordStore } from '../support/memory-stores.ts';

const CREATED = Date.parse('2025-11-24T05:00:00Z');

async function heraldWithDigest() {
  let clock = CREATED;
  const now = () => clock;
  const digests = createMemoryRecordStore<DigestConfig>(now);
  const sink = createFakeSink('terminal');
  const delivery = createDigestDelivery({
    digests,
    lane: testCourier(memoryCourierStore(now), sink, { now }).lane('digests', { claimTtlMs: 600_000 }),
    composer: createDigestComposer({
      brief: createFakeBrief([briefItem('s1', { title: 'Comet seen', firstSeenAt: '2025-11-24T04:00:00Z' })]),
      now,
    }),
    notifier: { notifyOnce: async () => {} },
    log: { info: () => {}, warn: () => {}, error: () => {} },
    now,
    graceMs: 3 * 3_600_000,
  });
  const taxonomy = createTaxonomy({
    version: 1,
    sections: [{ key: 'science', name: 'Science', description: 'S', terms: ['study'] }],
  });
  const service = createDigestService({
    digests,
    delivery,
    access: { missingPermissions: async () => [] },
    notifier: { rearm: async () => {} },
    now,
    taxonomy,
    limits: { maxPerGuild: 10, defaultCount: 5 },
  });
  await service.setup({
    guildId: 'terminal',
    channelId: 'terminal',
    time: '08:00',
    timezone: 'Europe/Berlin',
    userId: 'u',
  });
  clock = Date.parse('2025-11-24T08:00:00Z');
  // The subcommand only reads herald.services.digests.
  return { herald: { services: { digests: service } } as unknown as Herald, posts: () => sink.sent.length };
}

const run = (herald: Herald, argv: string[]) =>
  digestSubcommand.run(herald, parseCliArgs(['digest', ...argv]));

describe('digest CLI', () => {
  it('run-due prints each delivery once; a second run for the same slot prints none', async () => {
    const { herald, posts } = await heraldWithDigest();
    const first = await run(herald, ['run-due', '--at', '2025-11-24T07:30:00Z', '--json']);
    expect(first.json).toEqual({
      deliveries: [
        {
          digestId: 'd-terminal-terminal',
          channelId: 'terminal',
          slot: 'd-terminal-terminal:2025-11-24',
          messageId: 'm1',
          stories: [{ id: 's1', title: 'Comet seen' }],
        },
      ],
    });
    const second = await run(herald, ['run-due', '--at', '2025-11-24T07:30:00Z', '--json']);
    expect(second.json).toEqual({ deliveries: [] });
    expect(posts()).toBe(1);
  });

  it('run-due before the digest time delivers nothing, and a bad --at is a clear error', async () => {
    const { herald } = await heraldWithDigest();
    expect((await run(herald, ['run-due', '--at', '2025-11-24T06:30:00Z'])).json).toEqual({ deliveries: [] });
    await expect(run(herald, ['run-due', '--at', 'tomorrow'])).rejects.toThrow(/ISO-8601/);
  });

  it('preview shows the stories without posting', async () => {
    const { herald, posts } = await heraldWithDigest();
    const output = await run(herald, ['preview', '--channel', 'terminal']);
    expect(output.text).toContain('Comet seen');
    expect(output.json).toMatchObject({
      previews: [{ digestId: 'd-terminal-terminal', quiet: false, stories: [{ id: 's1' }] }],
    });
    expect(posts()).toBe(0);
    await expect(run(herald, ['preview', '--channel', '42'])).rejects.toThrow(/No digest for channel 42/);
  });

  it('setup changes the terminal digest as /digest setup does: a template checked, a style, a threshold, only what is given', async () => {
    const { herald } = await heraldWithDigest();
    const changed = await run(herald, [
      'setup',
      '--time',
      '08:00',
      '--timezone',
      'Europe/Berlin',
      '--template',
      '{title} · {sources}',
      '--style',
      'compact',
    ]);
    expect(changed.text).toBe(
      'Updated d-terminal-terminal: 08:00 Europe/Berlin, up to 5 stories {compact, own template}',
    );
    const preview = await run(herald, ['preview']);
    expect(preview.text).toContain('Comet seen · Example News');

    await expect(
      run(herald, ['setup', '--time', '08:00', '--timezone', 'UTC', '--template', '{{link}}']),
    ).rejects.toThrow(/MonitoRSS; use \{url\}/);
    await expect(
      run(herald, ['setup', '--time', '08:00', '--timezone', 'UTC', '--min-sources', 'two']),
    ).rejects.toThrow(/--min-sources takes a whole number/);
    // A threshold of two outlets: the one-outlet story is no longer in the digest.
    await run(herald, ['setup', '--time', '08:00', '--timezone', 'Europe/Berlin', '--min-sources', '2']);
    expect((await run(herald, ['preview'])).text).toContain('(nothing new: quiet day)');
    const cleared = await run(herald, [
      'setup',
      '--time',
      '08:00',
      '--timezone',
      'Europe/Berlin',
      '--clear',
      'min_sources',
      '--json',
    ]);
    expect(cleared.json).toMatchObject({ digest: { style: 'compact', template: '{title} · {sources}' } });
    expect((cleared.json as { digest: object }).digest).not.toHaveProperty('minSources');
  });
});
