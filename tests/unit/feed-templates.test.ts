// Admins' message templates: placeholders checked when set, every value escaped, nothing that
// can ping beyond the one role a feed names, and any size fitted to Discord's limits.
import { describe, expect, it } from 'vitest';
import { createTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { fitMessage } from '../../src/delivery/fit.ts';
import { UserError } from '../../src/errors.ts';
import {
  fromMonitorRss,
  parseTemplate,
  placeholderList,
  publishedText,
  renderStoryPost,
  TEST_MARK,
} from '../../src/render/templates.ts';
import { createStoryShelf } from '../support/feed-stories.ts';

const sections = createTaxonomy({
  version: 1,
  sections: [{ key: 'science', name: 'Science', description: 'Science', terms: ['study'] }],
});

async function story(input: Parameters<ReturnType<typeof createStoryShelf>['put']>[1] = {}) {
  const shelf = createStoryShelf(() => Date.parse('2026-12-07T20:05:00Z'));
  const id = shelf.put('s1', {
    title: 'Comet seen',
    sources: ['Daily Planet', 'Gazette'],
    entities: ['ESA', 'Chile'],
    text: ['Astronomers saw a comet.'],
    publishedAt: '2026-12-07T20:05:00Z',
    ...input,
  });
  const found = (await shelf.getStory(id))!;
  return {
    story: { ...found, imageUrl: 'https://img.example/c.png' },
    summary: await shelf.summaryOf(found),
  };
}

const input = async (extra = {}) => ({
  ...(await story(extra)),
  sections,
  timeZone: 'Europe/Berlin',
  now: Date.parse('2026-12-07T21:00:00Z'),
});

describe('feed templates', () => {
  it('fills every placeholder, section names and the channel timezone included', async () => {
    const template = parseTemplate(
      '{title}|{summary}|{url}|{source}|{sources}|{sourceCount}|{topics}|{names}|{published}|{story}|{image}',
    );
    const message = renderStoryPost({ style: 'text', template }, await input());
    expect(message.content).toBe(
      'Comet seen|Astronomers saw a comet.|https://news.example/s1|Daily Planet|Daily Planet, Gazette|2|Science|ESA, Chile|7 Dec 2026, 21:05 CET|s1|https://img.example/c.png',
    );
    expect(message.allowedRoleMentions).toBeUndefined();
  });

  it('refuses an unknown placeholder with the list of known ones, and points MonitoRSS users to ours', () => {
    expect(() => parseTemplate('{title} by {author}')).toThrow(UserError);
    expect(() => parseTemplate('{title} by {author}')).toThrow(placeholderList());
    expect(() => parseTemplate('{{link}}')).toThrow('{{link}} (MonitoRSS; use {url})');
    expect(fromMonitorRss('{{title}}: {{description}} {{link}} {{other}}')).toBe(
      '{title}: {summary} {url} {{other}}',
    );
  });

  it('keeps article text inert and the template from pinging @everyone or anyone else', async () => {
    const template = parseTemplate('@everyone @here <@123> <@&456> {title}');
    const message = renderStoryPost(
      { style: 'text', template },
      await input({ title: '@everyone [click](http://phish.example) <@&456>' }),
    );
    expect(message.content).not.toMatch(/(^|[^\\\u200b])@(everyone|here)/);
    expect(message.content).not.toMatch(/(^|[^\\])<@&?\d+>/);
    expect(message.content).toContain('\\[click\\]');
  });

  it('puts the role mention first and allows only that role', async () => {
    const mention = { roleId: '777', name: 'news' };
    const text = renderStoryPost({ style: 'compact' }, await input(), { mention });
    expect(text.content).toMatch(/^<@&777> \*\*Comet seen\*\* · Daily Planet, Gazette · <https:/);
    expect(text.allowedRoleMentions).toEqual([mention]);
    const embed = renderStoryPost({ style: 'embed' }, await input(), { mention, test: true });
    expect(embed.content).toBe(`${TEST_MARK}\n<@&777>`);
    expect(embed.embeds?.[0]?.fields?.find((field) => field.name === 'Topics')?.value).toBe('Science');
  });

  it('an embed template becomes the description, with the image shown large when used', async () => {
    const template = parseTemplate('{summary}\n{image}\nvia {sources}');
    const [embed] = renderStoryPost({ style: 'embed', template }, await input()).embeds ?? [];
    expect(embed?.title).toBe('Comet seen');
    expect(embed?.description).toBe(
      'Astronomers saw a comet.\nhttps://img.example/c.png\nvia Daily Planet, Gazette',
    );
    expect(embed?.image).toEqual({ url: 'https://img.example/c.png' });
  });

  it('a template far over the limits is fitted, never sent as it is', async () => {
    const template = parseTemplate('{summary} '.repeat(140));
    const long = await input({ text: ['word '.repeat(200)] });
    for (const style of ['text', 'embed'] as const) {
      for (const part of fitMessage(renderStoryPost({ style, template }, long))) {
        expect(part.content?.length ?? 0).toBeLessThanOrEqual(2000);
        for (const embed of part.embeds ?? [])
          expect(embed.description?.length ?? 0).toBeLessThanOrEqual(4096);
      }
    }
  });

  it('literal text that reads like a placeholder name stays literal', async () => {
    const message = renderStoryPost(
      { style: 'text', template: parseTemplate('title: {title} {{title}') },
      await input(),
    );
    expect(message.content).toBe('title: Comet seen {Comet seen');
  });

  it('an unknown timezone falls back to UTC', () => {
    expect(publishedText('2026-12-07T20:05:00Z', 'Nowhere/Else')).toBe('7 Dec 2026, 20:05 UTC');
  });
});
