// Admins shape a channel digest as they shape a feed, end to end through the fake Discord: a
// template with every placeholder, styles, a coverage threshold that says "Confirmed by N
// outlets", setup changing only what is given, and the one fitter keeping long digests postable.
import { afterEach, describe, expect, it } from 'vitest';
import type { BriefItem } from '../../src/brief/brief-service.ts';
import type { CommandOptionInput } from '../support/fake-discord.ts';
import { briefItem } from '../support/digest-stories.ts';
import { run, setupOptions, startDigestBot, type DigestBody } from '../support/digest-discord.ts';

let running: { close(): Promise<void> } | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(items?: (now: number) => BriefItem[]) {
  const harness = await startDigestBot(items);
  running = harness;
  return harness;
}

const text = (name: string, value: string): CommandOptionInput => ({ name, type: 3, value });
const minSources = (value: number): CommandOptionInput => ({ name: 'min_sources', type: 4, value });

const EVERY_PLACEHOLDER =
  '{title}|{summary}|{url}|{source}|{sources}|{sourceCount}|{topics}|{names}|{published}|{story}|{image}';

/** Stories first seen just now, newest first, with the outlets given. */
function stories(...outlets: string[][]): (now: number) => BriefItem[] {
  return (now) =>
    outlets.map((sources, index) =>
      briefItem(`s${index + 1}`, {
        title: `Story ${index + 1}`,
        sources,
        entities: ['ESA'],
        firstSeenAt: new Date(now - index * 1000).toISOString(),
      }),
    );
}

function digestPosts(fake: Awaited<ReturnType<typeof start>>['fake']): DigestBody[] {
  return fake.requests
    .filter((r) => r.method === 'POST' && r.path === `/channels/${fake.channelId}/messages`)
    .map((r) => r.body as DigestBody);
}

describe('/digest setup template, style and min_sources through the fake Discord', () => {
  it("posts each story as its template reads, every placeholder filled in the digest's timezone, pinging nobody", async () => {
    const { fake, digests } = await start(stories(['Daily Planet', 'Gazette']));
    const setup = await run(fake, 'setup', [
      ...setupOptions,
      text('template', EVERY_PLACEHOLDER),
      text('style', 'text'),
    ]);
    expect(setup.content).toContain('up to 5 stories, style text, own template');
    expect(Object.values(digests.snapshot())[0]).toMatchObject({
      style: 'text',
      template: EVERY_PLACEHOLDER,
    });

    expect((await run(fake, 'now')).content).toContain('Posted the digest');
    const [post] = digestPosts(fake);
    expect(post).toMatchObject({ allowed_mentions: { parse: [] } });
    expect(post?.embeds ?? []).toEqual([]);
    const [header, line] = (post?.content ?? '').split('\n\n');
    expect(header).toMatch(/^\*\*Your daily brief — /);
    expect(line).toMatch(
      /^Story 1\|What happened in s1\.\|https:\/\/news\.example\/s1\|Daily Planet\|Daily Planet, Gazette\|2\|Science\|ESA\|\d{1,2} \w{3} \d{4}, \d{2}:\d{2} CES?T\|s1\|$/,
    );
  });

  it('refuses an unknown placeholder with the list of known ones and keeps the digest as it was', async () => {
    const { fake, digests } = await start();
    await run(fake, 'setup', [
      ...setupOptions,
      text('template', '{title} · {url}'),
      text('style', 'compact'),
    ]);
    const refused = await run(fake, 'setup', [...setupOptions, text('template', '{{title}} {{link}}')]);
    expect(refused.content).toContain('{{title}} (MonitoRSS; use {title})');
    expect(refused.content).toContain('The placeholders are: {title}, {summary}, {url}');
    expect(Object.values(digests.snapshot())[0]).toMatchObject({
      template: '{title} · {url}',
      style: 'compact',
    });
  });

  it('setup on an existing digest changes only what is given; clear: removes the template and the threshold', async () => {
    const { fake, digests } = await start();
    await run(fake, 'setup', [
      ...setupOptions,
      text('template', '{title} ({sourceCount})'),
      text('style', 'compact'),
      minSources(2),
    ]);
    const stored = () => Object.values(digests.snapshot())[0] as Record<string, unknown>;
    await run(fake, 'setup', [...setupOptions, { name: 'count', type: 4, value: 3 }]);
    expect(stored()).toMatchObject({
      count: 3,
      template: '{title} ({sourceCount})',
      style: 'compact',
      minSources: 2,
    });
    const show = await run(fake, 'show');
    expect(show.embeds?.[0]?.fields?.find((f) => f.name === 'Posts')?.value).toBe(
      'style compact\nown template\nonly stories 2 outlets carry',
    );

    const cleared = await run(fake, 'setup', [...setupOptions, text('clear', 'template, min_sources')]);
    expect(cleared.content).toContain('Updated');
    expect(stored()).not.toHaveProperty('template');
    expect(stored()).not.toHaveProperty('minSources');
    expect(stored()).toMatchObject({ style: 'compact', count: 3 });
    const wrong = await run(fake, 'setup', [...setupOptions, text('clear', 'topics')]);
    expect(wrong.content).toContain('clear takes: template, min_sources');
  });

  it('with min_sources:2 includes only stories two outlets carry, each saying "Confirmed by N outlets"', async () => {
    const { fake, brief } = await start(
      stories(['Daily Planet'], ['Daily Planet', 'Gazette'], ['Gazette', 'Wire', 'Daily Planet']),
    );
    // In a compact digest the words end each story's line.
    await run(fake, 'setup', [...setupOptions, text('style', 'compact'), minSources(2)]);
    const preview = await run(fake, 'preview');
    expect(preview.content).toContain(
      '**Story 3** · Gazette, Wire, Daily Planet · <https://news.example/s3> · ✅ Confirmed by 3 outlets',
    );
    expect(preview.content).not.toContain('Story 1');

    // In embeds they lead each story's footer.
    await run(fake, 'setup', [...setupOptions, text('style', 'embed')]);
    await run(fake, 'now');
    expect(brief.requests.at(-1)).toMatchObject({ minSources: 2 });
    const embeds = digestPosts(fake).flatMap((post) => post.embeds ?? []);
    expect(embeds.map((embed) => embed.title)).toEqual(['Story 2', 'Story 3']);
    expect(embeds.map((embed) => embed.footer?.text.split(' · ')[0])).toEqual([
      '✅ Confirmed by 2 outlets',
      '✅ Confirmed by 3 outlets',
    ]);
  });

  it('fits a long text digest into several messages within Discord limits, losing no story', async () => {
    const many = Array.from({ length: 10 }, (_, index) => [`Outlet ${index}`]);
    const { fake } = await start(stories(...many));
    await run(fake, 'setup', [
      ...setupOptions,
      { name: 'count', type: 4, value: 10 },
      text('style', 'text'),
      text('template', `{title}\n${'Long words of the admin. '.repeat(12)}{summary}`),
    ]);
    await run(fake, 'now');
    const posts = digestPosts(fake);
    expect(posts.length).toBeGreaterThan(1);
    for (const post of posts) expect((post.content ?? '').length).toBeLessThanOrEqual(2000);
    const all = posts.map((post) => post.content).join('\n');
    for (let index = 1; index <= 10; index += 1) expect(all).toContain(`Story ${index}\n`);
  });
});
