// The panel in a real headless Chromium: sign-in through the fake Discord, the pages an admin
// uses, a screenshot of each (test-output/panel/, gitignored) and an axe-core check of each.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Story } from '../../src/news/types.ts';
import type { PanelServer } from '../../src/panel/panel-server.ts';
import { launchBrowser, seriousViolations, type TestBrowser } from '../support/browser.ts';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord.ts';
import { runSubcommand } from '../support/fake-discord/subcommand-reply.ts';
import { startBot, type BotHarness } from '../support/herald-harness.ts';
import { oauthEnv, startTestPanel } from '../support/panel-client.ts';

const SCREENSHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../test-output/panel');
const OWN_FEED = { name: 'Harbor Weekly', url: 'https://harbor.example.org/feed.xml' };

let fake: FakeDiscord;
let harness: BotHarness;
let panel: PanelServer;
let browser: TestBrowser;
const pagesChecked: string[] = [];
/** A role the edited feed pings (added before the bot connects, so it is in the guild's cache). */
let deskRole: string;

/** Screenshots the page and checks it with axe; both are part of every page visit. */
async function capture(name: string): Promise<void> {
  const { page } = browser;
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const violations = await seriousViolations(page);
  expect(
    violations.map((v) => `${v.id}: ${v.help} (${JSON.stringify(v.nodes[0]?.target)})`),
    `serious or critical accessibility violations on ${name}`,
  ).toEqual([]);
  pagesChecked.push(name);
}

async function mergedStory(): Promise<Story> {
  const ranked = await harness.herald.services.brief.ranked({
    audience: 'operator',
    count: 1000,
    includeBacklog: true,
  });
  const merged = ranked.find((item) => new Set(item.story.sources.map((source) => source.name)).size > 1);
  if (!merged) throw new Error('the sample news has no merged story');
  return merged.story;
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  fake = await startFakeDiscord({ heartbeatIntervalMs: 500 });
  deskRole = fake.addRole('news-desk', { mentionable: true });
  harness = await startBot({ fake, env: oauthEnv(fake) });
  // A feed this server added (never read here: the test has no network), for pausing.
  await harness.herald.services.sources.add(fake.guildId, {
    ...OWN_FEED,
    weight: 1,
    featured: false,
    topics: [],
  });
  panel = await startTestPanel(harness);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await panel?.close();
  await harness?.close();
  await fake?.close();
});

describe('the panel in a browser', () => {
  it('signs in through Discord and lists the servers the user manages', async () => {
    const { page } = browser;
    await page.goto(`${panel.url}/g/${fake.guildId}/feeds`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await capture('sign-in');
    await page.getByRole('link', { name: 'Sign in with Discord' }).click();
    // Back from Discord on the page first asked for.
    await page.waitForURL(`${panel.url}/g/${fake.guildId}/feeds`);
    await page.goto(panel.url);
    await expect(page.getByRole('link', { name: 'Herald Test Guild' }).count()).resolves.toBe(1);
    await capture('servers');
    await page.getByRole('link', { name: 'Herald Test Guild' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await capture('overview');
  });

  it('adds a channel feed with a live preview, and /feed list on the bot shows it', async () => {
    const { page } = browser;
    await page.goto(`${panel.url}/g/${fake.guildId}/feeds`);
    await page.getByLabel('Channel', { exact: true }).selectOption(fake.channelId);
    await page.getByLabel('Topic').fill('Business');
    await page.locator('#feed-preview[data-ready="true"] .discord-embed').first().waitFor();
    await capture('feeds-preview');
    await page.getByRole('button', { name: 'Save feed' }).click();
    const flash = page.getByRole('status');
    await flash.waitFor();
    expect(await flash.textContent()).toMatch(/^Added feed/);
    await capture('feeds');
    const { reply } = await runSubcommand(fake, 'feed', 'list');
    expect(reply.content).toContain('1 feed');
    expect(JSON.stringify(reply.embeds)).toContain('Business');
  });

  it('edits the feed in place (template, role ping, threshold), and /feed list on the bot shows it', async () => {
    const { page } = browser;
    await page.goto(`${panel.url}/g/${fake.guildId}/feeds`);
    await page.getByRole('link', { name: /^Edit f-/ }).click();
    await page.getByRole('heading', { name: /^Edit feed f-/ }).waitFor();
    // A placeholder the templates do not know: the command's refusal, the typing kept, nothing saved.
    await page.getByLabel(/^Template/).fill('{title} {nope}');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const refusal = page.getByRole('status');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('I do not know {nope}');
    expect(await page.getByLabel(/^Template/).inputValue()).toBe('{title} {nope}');
    await page.getByLabel(/^Template/).fill('{title} ({sourceCount} outlets)');
    await page.getByLabel("Role to ping in each new story's post").selectOption({ label: '@news-desk' });
    await page.getByLabel(/^Post a story once this many outlets/).fill('2');
    await capture('feed-edit');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const flash = page.getByRole('status');
    await flash.waitFor();
    expect(await flash.textContent()).toMatch(/^Feed f-\S+ changed \(template, min_sources, mention\)/);
    const { reply } = await runSubcommand(fake, 'feed', 'list');
    expect(reply.content).toContain('1 feed');
    const listed = JSON.stringify(reply.embeds);
    expect(listed).toContain('own template');
    expect(listed).toContain(`Mention: <@&${deskRole}>`);
    expect(listed).toContain('Threshold: 2 outlets');
    expect(listed).toContain('topic Business');
  });

  it('pauses a source the server added', async () => {
    const { page } = browser;
    await page.goto(`${panel.url}/g/${fake.guildId}/sources`);
    await page.getByRole('button', { name: `Pause ${OWN_FEED.name}` }).click();
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').textContent()).toContain(`${OWN_FEED.name} is paused`);
    expect(await page.getByRole('button', { name: `Resume ${OWN_FEED.name}` }).count()).toBe(1);
    await capture('sources');
    const state = await harness.herald.services.sources.state(OWN_FEED.url);
    expect(state.health.disabled?.reason).toBe('paused by a server admin');
  });

  it('opens a story and shows its merged outlets and score parts', async () => {
    const { page } = browser;
    const story = await mergedStory();
    await page.goto(
      `${panel.url}/g/${fake.guildId}/stories?q=${encodeURIComponent(story.title.split(' ').slice(0, 3).join(' '))}`,
    );
    await capture('stories');
    await page.getByRole('link', { name: story.title }).first().click();
    await page.getByRole('heading', { name: 'Outlets merged into this story' }).waitFor();
    const outlets = await page.locator('h2:has-text("Outlets merged") + ul li').allTextContents();
    expect(new Set(outlets)).toEqual(new Set(story.sources.map((s) => s.name)));
    const parts = await page.locator('table tbody th').allTextContents();
    expect(parts).toEqual([
      'Recency',
      'Source weight',
      'Featured source',
      'Outlets covering it',
      'Front-page section',
    ]);
    expect((await page.locator('table caption').textContent())?.trim()).toMatch(/^Score \d\.\d{3}/);
    await capture('story');
  });

  it('draws the charts from the store', async () => {
    const { page } = browser;
    await page.goto(`${panel.url}/g/${fake.guildId}/charts`);
    const chart = page.getByRole('img', { name: 'Items read per source, last 14 days' });
    await chart.waitFor();
    // The sample news was read today: today's column has segments, with their numbers.
    expect(await chart.locator('rect title').count()).toBeGreaterThan(0);
    const sections = page.getByRole('img', { name: 'Stored stories per section' });
    expect(await sections.locator('rect').count()).toBeGreaterThan(0);
    await capture('charts');
  });

  it('shows digests and subscription counts', async () => {
    const { page } = browser;
    await page.goto(`${panel.url}/g/${fake.guildId}/digests`);
    await page.getByLabel('Time (HH:MM, 24-hour)').fill('07:15');
    await page.getByLabel('Timezone').fill('Europe/Berlin');
    await page.getByRole('button', { name: 'Save digest' }).click();
    await page.getByRole('status').waitFor();
    expect(await page.locator('table tbody td').nth(3).textContent()).toContain('(Europe/Berlin)');
    await capture('digests');
    await page.goto(`${panel.url}/g/${fake.guildId}/subscriptions`);
    await page.getByRole('heading', { name: 'Subscriptions' }).waitFor();
    await capture('subscriptions');
    expect(pagesChecked).toHaveLength(12);
  });
});
