// The terminal adapter of the delivery port, and which digests each surface schedules.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { digestsForSurface, type DigestConfig } from '../../src/digest/digest-types.ts';
import { createTerminalSink } from '../../src/terminal/terminal-sink.ts';
import { createMemoryRecordStore } from '../support/memory-stores.ts';
import { withFitter } from '../support/test-courier.ts';

function output() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

const channel = { kind: 'channel', channelId: 'terminal' } as const;

describe('terminal sink', () => {
  it('writes a message as text and returns the first ids for a repeated key without writing again', async () => {
    const { stream, text } = output();
    const sink = withFitter(createTerminalSink(stream));
    const message = {
      content: '**Your daily brief — Monday 24 November**',
      embeds: [{ title: 'Comet seen', description: 'It was bright.' }],
    };
    const first = await sink.send({ key: 'k1', destination: channel, message });
    const again = await sink.send({ key: 'k1', destination: channel, message });
    const other = await sink.send({ key: 'k2', destination: channel, message: { content: 'second' } });
    expect(again).toEqual(first);
    expect(other.messageId).not.toBe(first.messageId);
    expect(text()).toBe('Your daily brief — Monday 24 November\n\nComet seen\nIt was bright.\nsecond\n');
  });

  it('writes a DM under a heading naming the reader', async () => {
    const { stream, text } = output();
    await withFitter(createTerminalSink(stream)).send({
      key: 'dm',
      destination: { kind: 'user', userId: 'terminal-user' },
      message: { content: 'New on World', embeds: [{ title: 'A story', description: 'Summary.' }] },
    });
    expect(text()).toContain('DM to terminal-user');
    expect(text()).toContain('New on World');
    expect(text()).toContain('\nA story\n');
  });

  it('fits a long message with the same fitter as Discord', async () => {
    const { stream, text } = output();
    const receipt = await withFitter(createTerminalSink(stream)).send({
      key: 'long',
      destination: channel,
      message: { content: 'word '.repeat(700) },
    });
    expect(receipt.messageIds).toHaveLength(2);
    expect(
      text()
        .split('\n')
        .filter((line) => line !== '')
        .every((line) => line.length <= 2000),
    ).toBe(true);
  });
});

describe('digests per surface', () => {
  it('schedules only its own digests on each surface while reads and writes pass through', async () => {
    const store = createMemoryRecordStore<DigestConfig>();
    const digest = (guildId: string, channelId: string): DigestConfig => ({
      v: 1,
      id: `d-${guildId}-${channelId}`,
      guildId,
      channelId,
      time: '08:00',
      timezone: 'UTC',
      topics: [],
      count: 5,
      enabled: true,
      createdBy: 'u',
      createdAt: '2025-01-01T00:00:00Z',
    });
    await store.set('d-terminal-terminal', digest('terminal', 'terminal'));
    await store.set('d-1-2', digest('1', '2'));
    const ids = async (surface: 'terminal' | 'discord') => {
      const found: string[] = [];
      for await (const [key] of digestsForSurface(store, surface).entries()) found.push(key);
      return found;
    };
    expect(await ids('terminal')).toEqual(['d-terminal-terminal']);
    expect(await ids('discord')).toEqual(['d-1-2']);
    expect(await digestsForSurface(store, 'terminal').get('d-1-2')).toBeTruthy();
  });
});
