import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { DigestConfig } from '../../src/digest/digest-types.ts';
import { createTerminalNotifier, createTerminalPoster, digestsForMode } from '../../src/digest/terminal-poster.ts';
import { createMemoryRecordStore } from '../support/memory-stores.ts';

function sink() {
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { output, text: () => text };
}

describe('terminal digest poster', () => {
  it('writes the digest as text and returns the first id for a repeated nonce without writing again', async () => {
    const { output, text } = sink();
    const poster = createTerminalPoster(output);
    const message = { content: '**Your daily brief — Monday 24 November**', embeds: [{ title: 'Comet seen', description: 'It was bright.' }] };
    const first = await poster.post('terminal', message, { nonce: 'n1' });
    const again = await poster.post('terminal', message, { nonce: 'n1' });
    const other = await poster.post('terminal', { content: 'second' }, { nonce: 'n2' });
    expect(again.messageId).toBe(first.messageId);
    expect(other.messageId).not.toBe(first.messageId);
    expect(text()).toBe('**Your daily brief — Monday 24 November**\n\n## Comet seen\nIt was bright.\nsecond\n');
  });

  it('tells the terminal a notice once per key', async () => {
    const { output, text } = sink();
    const notifier = createTerminalNotifier(output);
    await notifier.notifyOnce('terminal', 'k', 'paused');
    await notifier.notifyOnce('terminal', 'k', 'paused');
    expect(text()).toBe('! paused\n');
  });

  it('schedules only its own digests in each mode while reads and writes pass through', async () => {
    const store = createMemoryRecordStore<DigestConfig>();
    const digest = (guildId: string, channelId: string): DigestConfig => ({
      v: 1, id: `d-${guildId}-${channelId}`, guildId, channelId, time: '08:00', timezone: 'UTC', topics: [], count: 5,
      enabled: true, createdBy: 'u', createdAt: '2025-01-01T00:00:00Z',
    });
    await store.set('d-terminal-terminal', digest('terminal', 'terminal'));
    await store.set('d-1-2', digest('1', '2'));
    const ids = async (mode: 'terminal' | 'discord') => {
      const found: string[] = [];
      for await (const [key] of digestsForMode(store, mode).entries()) found.push(key);
      return found;
    };
    expect(await ids('terminal')).toEqual(['d-terminal-terminal']);
    expect(await ids('discord')).toEqual(['d-1-2']);
    expect(await digestsForMode(store, 'terminal').get('d-1-2')).toBeTruthy();
  });
});
