import { describe, expect, it } from 'vitest';
import type { APIEmbed } from 'discord-api-types/v10';
import {
  DISCORD_LIMITS,
  embedLength,
  fitEmbed,
  fitEmbeds,
  neutralizeMentions,
  splitMessage,
  truncateAtWord,
} from '../../src/delivery/fit.ts';
import { NO_MENTIONS } from '../../src/discord/mentions.ts';

const words = (text: string): string[] => text.split(/\s+/).filter((word) => word !== '');
const hasLoneSurrogate = (text: string): boolean =>
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);

describe('truncateAtWord', () => {
  it('returns text exactly at the limit unchanged', () => {
    const text = 'a'.repeat(256);
    expect(truncateAtWord(text, 256)).toBe(text);
  });

  it('trims one past the limit to the limit with an ellipsis', () => {
    const text = 'word '.repeat(51) + 'x'; // 256 characters
    const result = truncateAtWord(text, 255);
    expect(result.length).toBeLessThanOrEqual(255);
    expect(result.endsWith('…')).toBe(true);
  });

  it('cuts at a word boundary instead of mid-word', () => {
    expect(truncateAtWord('The quick brown fox jumps', 12)).toBe('The quick…');
  });

  it('cuts mid-word when the only space is too far back', () => {
    const result = truncateAtWord('a ' + 'b'.repeat(100), 20);
    expect(result).toBe('a ' + 'b'.repeat(17) + '…');
  });

  it('never splits a surrogate pair', () => {
    const text = '😀'.repeat(200); // 400 UTF-16 units
    for (const max of [2, 3, 4, 5, 99, 100, 101, 256]) {
      const result = truncateAtWord(text, max);
      expect(result.length).toBeLessThanOrEqual(max);
      expect(hasLoneSurrogate(result)).toBe(false);
    }
  });

  it('handles huge inputs and degenerate limits', () => {
    const huge = 'lorem ipsum '.repeat(100_000);
    expect(truncateAtWord(huge, 4096).length).toBeLessThanOrEqual(4096);
    expect(truncateAtWord('abc', 1)).toBe('…');
    expect(truncateAtWord('abc', 0)).toBe('');
  });
});

describe('splitMessage', () => {
  it('keeps a message exactly at 2000 in one chunk', () => {
    const text = 'x'.repeat(2000);
    expect(splitMessage(text)).toEqual([text]);
  });

  it('splits a message one past the limit into two chunks within the limit', () => {
    const text = 'word '.repeat(400) + 'y'; // 2001
    const chunks = splitMessage(text);
    expect(chunks.length).toBe(2);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(2000);
    expect(words(chunks.join(' '))).toEqual(words(text));
  });

  it('prefers paragraph boundaries', () => {
    const first = 'First paragraph. '.repeat(50).trim();
    const second = 'Second paragraph. '.repeat(50).trim();
    const chunks = splitMessage(`${first}\n\n${second}`, 1000);
    expect(chunks).toEqual([first, second]);
  });

  it('falls back to lines, then sentences, then words', () => {
    expect(splitMessage('aaaa bbbb\ncccc dddd', 12)).toEqual(['aaaa bbbb', 'cccc dddd']);
    expect(splitMessage('One two. Three four five', 12)).toEqual(['One two.', 'Three four', 'five']);
    expect(splitMessage('alpha beta gamma', 11)).toEqual(['alpha beta', 'gamma']);
  });

  it('cuts hard inside a word with no whitespace and loses nothing', () => {
    const text = 'z'.repeat(4500);
    const chunks = splitMessage(text);
    expect(chunks.map((chunk) => chunk.length)).toEqual([2000, 2000, 500]);
    expect(chunks.join('')).toBe(text);
  });

  it('never loses words on huge mixed input', () => {
    const paragraph = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(30);
    const text = Array.from({ length: 40 }, (_, i) => `${i}: ${paragraph}\nline two ${i}`).join('\n\n');
    const chunks = splitMessage(text);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(2000);
    expect(words(chunks.join('\n'))).toEqual(words(text));
  });

  it('never splits a surrogate pair', () => {
    const text = '🎉'.repeat(3000);
    const chunks = splitMessage(text, 2001);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(2001);
      expect(hasLoneSurrogate(chunk)).toBe(false);
    }
    expect(chunks.join('')).toBe(text);
  });

  it('closes and reopens a code block cut in two', () => {
    const code = Array.from({ length: 200 }, (_, i) => `const value${i} = ${i};`).join('\n');
    const chunks = splitMessage('Here is code:\n```ts\n' + code + '\n```\nDone.', 2000);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(2000);
      expect((chunk.match(/^```/gm) ?? []).length % 2).toBe(0);
    }
    expect(chunks[1]?.startsWith('```ts\n')).toBe(true);
    const joined = chunks.join('\n');
    for (let i = 0; i < 200; i++) expect(joined).toContain(`const value${i} = ${i};`);
  });

  it('makes progress on a fence with one unbreakable line', () => {
    const text = '```js\n' + 'q'.repeat(5000) + '\n```';
    const chunks = splitMessage(text, 100);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(100);
    expect(chunks.join('').replace(/```js\n|\n```|```/g, '')).toBe('q'.repeat(5000));
  });

  it('returns one chunk for empty text', () => {
    expect(splitMessage('')).toEqual(['']);
  });
});

describe('fitEmbed', () => {
  const atLimits: APIEmbed = {
    title: 't'.repeat(256),
    description: 'd'.repeat(4096),
    footer: { text: 'f'.repeat(100) },
    author: { name: 'a'.repeat(256) },
    fields: [{ name: 'n'.repeat(256), value: 'v'.repeat(1024) }],
  };

  it('leaves an embed exactly at every per-field limit unchanged', () => {
    expect(embedLength(atLimits)).toBeLessThanOrEqual(6000);
    expect(fitEmbed(atLimits)).toEqual(atLimits);
  });

  it('trims every text one past its limit', () => {
    const fitted = fitEmbed({
      title: 't'.repeat(257),
      description: 'd'.repeat(4097),
      footer: { text: 'f'.repeat(2049) },
      author: { name: 'a'.repeat(257) },
      fields: [{ name: 'n'.repeat(257), value: 'v'.repeat(1025), inline: true }],
    });
    expect(fitted.title?.length).toBe(256);
    expect(fitted.fields?.[0]?.name.length).toBeLessThanOrEqual(256);
    expect(fitted.fields?.[0]?.value.length).toBeLessThanOrEqual(1024);
    expect(fitted.fields?.[0]?.inline).toBe(true);
    expect(embedLength(fitted)).toBeLessThanOrEqual(6000);
  });

  it('keeps at most 25 fields and fills empty ones', () => {
    const fields = Array.from({ length: 30 }, (_, i) => ({ name: i === 0 ? '' : `f${i}`, value: 'v' }));
    const fitted = fitEmbed({ fields });
    expect(fitted.fields?.length).toBe(25);
    expect(fitted.fields?.[0]?.name).toBe('\u200b');
  });

  it('brings a huge embed within the 6000 total, description first', () => {
    const fitted = fitEmbed({
      title: 'Title',
      description: 'word '.repeat(5000),
      fields: Array.from({ length: 25 }, (_, i) => ({ name: `Field ${i}`, value: 'x'.repeat(1024) })),
      footer: { text: 'footer '.repeat(400) },
    });
    expect(embedLength(fitted)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    expect(fitted.title).toBe('Title');
    expect(fitted.description).toBeUndefined();
  });

  it('does not mutate its input', () => {
    const input: APIEmbed = { title: 'x'.repeat(300), fields: [{ name: 'a', value: 'b'.repeat(2000) }] };
    const copy = structuredClone(input);
    fitEmbed(input);
    expect(input).toEqual(copy);
  });
});

describe('fitEmbeds', () => {
  it('puts up to 10 small embeds in one message', () => {
    const embeds = Array.from({ length: 10 }, (_, i) => ({ title: `Story ${i}` }));
    expect(fitEmbeds(embeds)).toEqual([embeds]);
  });

  it('starts a new message at the 11th embed', () => {
    const groups = fitEmbeds(Array.from({ length: 11 }, (_, i) => ({ title: `Story ${i}` })));
    expect(groups.map((group) => group.length)).toEqual([10, 1]);
  });

  it('keeps each message within 6000 characters in all and keeps order', () => {
    const embeds = Array.from({ length: 7 }, (_, i) => ({ title: `S${i}`, description: 'd'.repeat(2500) }));
    const groups = fitEmbeds(embeds);
    for (const group of groups) {
      expect(group.length).toBeLessThanOrEqual(10);
      expect(group.reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(6000);
    }
    expect(groups.flat().map((embed) => embed.title)).toEqual(embeds.map((embed) => embed.title));
  });

  it('trims a single embed that alone exceeds 6000', () => {
    const groups = fitEmbeds([
      {
        description: 'd'.repeat(4096),
        fields: Array.from({ length: 5 }, () => ({ name: 'n', value: 'v'.repeat(1024) })),
      },
    ]);
    expect(groups.length).toBe(1);
    expect(embedLength(groups[0]?.[0] ?? {})).toBeLessThanOrEqual(6000);
  });

  it('returns no messages for no embeds', () => {
    expect(fitEmbeds([])).toEqual([]);
  });
});

describe('mentions', () => {
  it('NO_MENTIONS parses nothing and cannot be widened', () => {
    expect(NO_MENTIONS).toEqual({ parse: [] });
    expect(Object.isFrozen(NO_MENTIONS) && Object.isFrozen(NO_MENTIONS.parse)).toBe(true);
  });

  it('neutralizeMentions breaks @everyone, @here, user and role mentions', () => {
    const result = neutralizeMentions('hi @everyone and @here <@123> <@!456> <@&789> mail a@b.c');
    expect(result).not.toMatch(/@everyone|@here|<@!?\d|<@&\d/);
    expect(result).toContain('a@b.c');
  });
});
