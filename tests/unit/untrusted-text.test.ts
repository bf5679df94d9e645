import { describe, expect, it } from 'vitest';
import type { APIEmbed } from 'discord-api-types/v10';
import { answerReply } from '../../commands/ask.ts';
import type { StoryDetail } from '../../src/brief/brief-service.ts';
import { createDigestComposer } from '../../src/digest/composer.ts';
import {
  markdownLink,
  stripInvisibleControls,
  unescapeMarkdown,
  untrustedText,
} from '../../src/delivery/untrusted-text.ts';
import { storyDetailEmbed } from '../../src/render/story-embeds.ts';
import { composeDm } from '../../src/subscriptions/dm-compose.ts';
import { floodMessage, threadName, updateMessage } from '../../src/feeds/feed-render.ts';
import { renderReplyAsText } from '../../src/terminal/render-text.ts';
import { briefItem, createFakeBrief, digestConfig } from '../support/digest-stories.ts';

const NOW = Date.parse('2025-11-24T12:30:00Z');
const PHISH = 'Read the [full report](http://evil.example/login) now';
const BIDI = 'Minister \u202Eseman\u202C resigns\u2066 today\u2069\u200B';
const HOSTILE_SUMMARY = [
  '# BREAKING',
  '||spoiler|| for <@123456789012345678> and @everyone, see <#987654321098765432>',
  '-# small print',
  '> quoted',
].join('\n');

/** `[label](url)` that Discord would render as a masked link: the `[` is not escaped. */
function maskedLinks(text: string): string[] {
  return [...text.matchAll(/(?<!\\)\[((?:\\.|[^\]\\])*)(?<!\\)\]\((https?:\/\/[^)\s]+)\)/g)].map(
    (m) => m[2] ?? '',
  );
}

/** Every Markdown construct article text must never produce, found unescaped. */
function liveMarkdown(text: string): string[] {
  const found: string[] = [];
  if (/^\s*(#|-#|>)/m.test(text)) found.push('heading, subtext or quote');
  if (/(?<!\\)\|(?<!\\)\|/.test(text)) found.push('spoiler');
  if (/(?<!\\)<[@#]/.test(text)) found.push('mention');
  if (/(?<![\\\w])@(everyone|here)/.test(text)) found.push('@everyone');
  if (/[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060\ufeff]/.test(text)) found.push('invisible control');
  return found;
}

function embedText(embed: APIEmbed): string {
  return [
    embed.title ?? '',
    embed.description ?? '',
    ...(embed.fields ?? []).flatMap((f) => [f.name, f.value]),
  ].join('\n');
}

function hostileItem(id: string) {
  const item = briefItem(id, {
    title: `${BIDI} [click](http://evil.example/t)`,
    text: `${PHISH}\n${HOSTILE_SUMMARY}`,
  });
  item.story.sources = [
    { name: 'Wire ](http://evil.example/src) [x', url: 'https://wire.example/story_(1)' },
  ];
  item.story.entities = ['@everyone', '<@&42>'];
  return item;
}

describe('untrusted text', () => {
  it('escapes what would make a masked link, heading, mention or spoiler, and keeps the words', () => {
    const escaped = untrustedText(`${PHISH}\n${HOSTILE_SUMMARY}`);
    expect(maskedLinks(escaped)).toEqual([]);
    expect(liveMarkdown(escaped)).toEqual([]);
    expect(unescapeMarkdown(escaped)).toBe(`${PHISH}\n${HOSTILE_SUMMARY}`);
  });

  it('removes bidi overrides, isolates and zero-width characters', () => {
    expect(stripInvisibleControls(BIDI)).toBe('Minister seman resigns today');
    expect(untrustedText('a\u200Db\uFEFFc\u200Ed\u061Ce')).toBe('abcde');
  });

  it("keeps Herald's own links as links, with the label escaped and the URL unable to end the link early", () => {
    const link = markdownLink('Wire ](http://evil.example) [x', 'https://wire.example/a_(b) c');
    expect(maskedLinks(link)).toEqual(['https://wire.example/a_%28b%29%20c']);
    expect(markdownLink('No link', 'javascript:alert(1)')).toBe('No link');
  });

  it('makes a digest post hostile stories as plain text: only the links Herald made stay live', async () => {
    const brief = createFakeBrief([hostileItem('s1')]);
    const composed = await createDigestComposer({ brief, now: () => NOW }).compose(digestConfig(), {
      excludeStoryIds: [],
    });
    const embed = composed.messages[0]?.embeds?.[0] as APIEmbed;
    const text = embedText(embed);
    expect(liveMarkdown(text)).toEqual([]);
    expect(maskedLinks(text)).toEqual(['https://wire.example/story_%281%29']);
    expect(embed.url).toBe('https://news.example/s1');
    expect(unescapeMarkdown(embed.description ?? '')).toContain(
      'Read the [full report](http://evil.example/login) now',
    );
  });

  it('does the same in a DM, in /story and in an answer', () => {
    const dm = composeDm({
      items: [hostileItem('s2')],
      via: 'immediate',
      topicLabels: ['Science'],
      now: NOW,
    });
    const item = hostileItem('s3');
    const detail = storyDetailEmbed(
      {
        story: item.story,
        summary: { ...item.summary, keyFacts: [PHISH] },
        articles: [],
      } satisfies StoryDetail,
      NOW,
    );
    const answer = answerReply('Who resigned?', {
      answer: `${PHISH} [1]`,
      found: true,
      via: 'extractive',
      citations: [
        { storyId: 's3', title: `${BIDI} ||x||`, url: 'https://news.example/s3', quote: HOSTILE_SUMMARY },
      ],
    });
    for (const embed of [dm.message.embeds?.[0], detail, answer.embeds?.[0]]) {
      const text = embedText(embed as APIEmbed);
      expect(liveMarkdown(text)).toEqual([]);
      expect(maskedLinks(text).every((url) => !url.includes('evil.example'))).toBe(true);
    }
    expect(maskedLinks(embedText(answer.embeds?.[0] as APIEmbed))).toEqual(['https://news.example/s3']);
  });

  it("does the same in a channel feed's flood list, thread update and thread name", () => {
    const story = hostileItem('s5').story;
    const flood =
      floodMessage([story, hostileItem('s6').story], '@everyone [x](http://evil.example/w)').content ?? '';
    expect(liveMarkdown(flood)).toEqual([]);
    expect(
      maskedLinks(flood.replace(/\]\(<([^>]+)>\)/g, ']($1)')).every((url) =>
        url.startsWith('https://news.example/'),
      ),
    ).toBe(true);
    const update =
      updateMessage({ sourceNames: [], summaryLines: [] }, story, {
        ...hostileItem('s5').summary,
        sentences: [PHISH, HOSTILE_SUMMARY],
      })?.content ?? '';
    expect(update).toContain('Also reported by');
    expect(liveMarkdown(update)).toEqual([]);
    expect(maskedLinks(update)).toEqual([]);
    expect(liveMarkdown(threadName(story))).toEqual([]);
  });

  it('reads naturally in the terminal, without the escapes', () => {
    const text = renderReplyAsText(
      {
        embeds: [
          storyDetailEmbed(
            {
              story: briefItem('s4', { title: 'Q3 results: *up* 5%' }).story,
              summary: briefItem('s4', { text: 'Profit rose [sharply].' }).summary,
              articles: [],
            } satisfies StoryDetail,
            NOW,
          ),
        ],
      },
      NOW,
    );
    expect(text).toMatch(/^Q3 results: \*up\* 5%/m);
    expect(text).toContain('Profit rose [sharply].');
  });
});
