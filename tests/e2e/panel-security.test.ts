import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createDiscordBotView } from '../../src/discord/panel-view.ts';
import type { PanelBotView } from '../../src/panel/bot-view.ts';
import type { PanelServer } from '../../src/panel/panel-server.ts';
import {
  DEFAULT_MEMBER_PERMISSIONS,
  PERMISSIONS,
  startFakeDiscord,
  type FakeDiscord,
} from '../support/fake-discord.ts';
import { startBot, type BotHarness } from '../support/herald-harness.ts';
import {
  createPanelClient,
  csrfOf,
  oauthEnv,
  startTestPanel,
  type PanelClient,
} from '../support/panel-client.ts';

const OTHER_GUILD = '222222222222222222';
let fake: FakeDiscord;
let harness: BotHarness;
let panel: PanelServer;
/** Herald is in the fake's guild (A) and in another (B) the signed-in user does not manage. */
let view: PanelBotView;

async function signInWithDiscord(): Promise<PanelClient> {
  const client = createPanelClient(panel.url);
  const landed = await client.follow(`${panel.url}/login/discord`);
  expect(landed.status).toBe(200);
  return client;
}

beforeAll(async () => {
  fake = await startFakeDiscord({ heartbeatIntervalMs: 500 });
  harness = await startBot({ fake, env: oauthEnv(fake) });
  const discord = createDiscordBotView(harness.bot);
  view = {
    surface: 'discord',
    connected: () => discord.connected(),
    guilds: () => [...discord.guilds(), { id: OTHER_GUILD, name: 'Other Server' }],
    channels: (guildId) =>
      guildId === OTHER_GUILD
        ? [{ id: '333333333333333333', name: 'other-news' }]
        : discord.channels(guildId),
  };
  fake.oauth.setAccount({
    id: fake.userId,
    username: 'owner',
    guilds: [
      { id: fake.guildId, name: 'Herald Test Guild', permissions: DEFAULT_MEMBER_PERMISSIONS },
      // A member there, without Manage Server.
      {
        id: OTHER_GUILD,
        name: 'Other Server',
        permissions: PERMISSIONS.ViewChannel | PERMISSIONS.SendMessages,
      },
    ],
  });
  panel = await startTestPanel(harness, { bot: view });
});

afterAll(async () => {
  await panel.close();
  await harness.close();
  await fake.close();
});

const PAGES = [
  '',
  '/sources',
  '/feeds',
  '/digests',
  '/stories',
  '/charts',
  '/subscriptions',
  '/sources.opml',
];
const ACTIONS = [
  '/sources/add',
  '/sources/pause',
  '/feeds/add',
  '/feeds/pause',
  '/digests/setup',
  '/sources/import',
];

describe('the panel without a session', () => {
  it('sends every page and every action to sign-in', async () => {
    const client = createPanelClient(panel.url);
    for (const page of ['/', ...PAGES.map((p) => `/g/${fake.guildId}${p}`)]) {
      const response = await client.get(page);
      expect(response.status, page).toBe(303);
      expect(new URL(response.location ?? '').pathname, page).toBe('/login');
    }
    for (const action of ACTIONS) {
      const response = await client.post(`/g/${fake.guildId}${action}`, { url: 'https://example.com/feed' });
      expect(response.status, action).toBe(303);
      expect(new URL(response.location ?? '').pathname, action).toBe('/login');
    }
    expect(await harness.herald.services.feeds.list(fake.guildId)).toEqual([]);
  });
});

describe('signing in with Discord', () => {
  it('lists only servers where the user has Manage Server and Herald is in', async () => {
    const client = await signInWithDiscord();
    const home = await client.get('/');
    expect(home.body).toContain('Herald Test Guild');
    expect(home.body).not.toContain('Other Server');
  });

  it('sets the session cookie HttpOnly and SameSite, and the page carries a strict CSP', async () => {
    const client = await signInWithDiscord();
    const session = client.setCookies.find((line) => line.startsWith('herald_session='));
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).not.toMatch(/Secure/i);
    const page = await client.get(`/g/${fake.guildId}/sources`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('refuses a callback whose state did not start in this browser', async () => {
    const client = createPanelClient(panel.url);
    const toDiscord = await client.get('/login/discord');
    const fromDiscord = await client.get(toDiscord.location ?? '');
    const back = new URL(fromDiscord.location ?? '');
    back.searchParams.set('state', 'forged-state-value');
    const refused = await client.get(back.toString());
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('did not start here');
    expect(client.cookie('herald_session')).toBeUndefined();
  });

  it('rate-limits sign-in attempts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await fetch(`${panel.url}/login`)).status);
    expect(statuses).toContain(429);
  });
});

describe('one server cannot reach another', () => {
  it('refuses pages and form posts for a server the user does not manage', async () => {
    const client = await signInWithDiscord();
    const csrf = csrfOf((await client.get(`/g/${fake.guildId}/feeds`)).body);
    for (const page of PAGES) expect((await client.get(`/g/${OTHER_GUILD}${page}`)).status, page).toBe(404);
    const added = await client.post(`/g/${OTHER_GUILD}/feeds/add`, {
      _csrf: csrf,
      channel: '333333333333333333',
      topic: 'Business',
    });
    expect(added.status).toBe(404);
    expect(await harness.herald.services.feeds.list(OTHER_GUILD)).toEqual([]);
  });

  it('asks Discord again before a change: a lost Manage Server stops the post', async () => {
    const client = await signInWithDiscord();
    const csrf = csrfOf((await client.get(`/g/${fake.guildId}/sources`)).body);
    fake.oauth.setGuilds(fake.userId, [
      { id: fake.guildId, name: 'Herald Test Guild', permissions: PERMISSIONS.ViewChannel },
    ]);
    try {
      const refused = await client.post(`/g/${fake.guildId}/digests/setup`, {
        _csrf: csrf,
        channel: fake.channelId,
        time: '08:00',
        timezone: 'UTC',
      });
      expect(refused.status).toBe(404);
      expect(await harness.herald.services.digests.list(fake.guildId)).toEqual([]);
    } finally {
      fake.oauth.setGuilds(fake.userId, [
        { id: fake.guildId, name: 'Herald Test Guild', permissions: DEFAULT_MEMBER_PERMISSIONS },
      ]);
    }
  });

  it('refuses a form post without its CSRF token (403) and takes one with it', async () => {
    const client = await signInWithDiscord();
    const form = { channel: fake.channelId, time: '09:30', timezone: 'UTC' };
    const without = await client.post(`/g/${fake.guildId}/digests/setup`, form);
    expect(without.status).toBe(403);
    const wrong = await client.post(`/g/${fake.guildId}/digests/setup`, { ...form, _csrf: 'not-the-token' });
    expect(wrong.status).toBe(403);
    expect(await harness.herald.services.digests.list(fake.guildId)).toEqual([]);
    const csrf = csrfOf((await client.get(`/g/${fake.guildId}/digests`)).body);
    const saved = await client.post(`/g/${fake.guildId}/digests/setup`, {
      ...form,
      template: '{title} · {url}',
      style: 'compact',
      min_sources: '2',
      _csrf: csrf,
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toContain('Set up');
    // The panel's form takes the digest's template, style and threshold as /digest setup does.
    expect(await harness.herald.services.digests.list(fake.guildId)).toMatchObject([
      { time: '09:30', template: '{title} · {url}', style: 'compact', minSources: 2 },
    ]);
    const refused = await client.post(`/g/${fake.guildId}/digests/setup`, {
      ...form,
      template: '{headline}',
      _csrf: csrf,
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('I do not know {headline}');
    await harness.herald.services.digests.disable(fake.guildId, fake.channelId);
  });
});

describe('the one-time sign-in link', () => {
  it('signs in once, with Secure cookies behind https, and is spent after', async () => {
    const secure = await startTestPanel(harness, { bot: view, publicUrl: 'https://herald.example.org' });
    try {
      const link = new URL(secure.signInLink() ?? '');
      expect(link.origin).toBe('https://herald.example.org');
      const client = createPanelClient(secure.listenUrl);
      await client.get(link.pathname);
      expect(client.setCookies.find((line) => line.startsWith('herald_session='))).toMatch(/; Secure/i);
    } finally {
      await secure.close();
    }
    const client = createPanelClient(panel.url);
    const link = panel.signInLink() ?? '';
    const first = await client.get(link);
    expect(first.status).toBe(303);
    expect(client.cookie('herald_session')).toBeDefined();
    expect(panel.signInLink()).toBeUndefined();
    const again = await createPanelClient(panel.url).get(link);
    expect(again.status).toBe(403);
  });
});

describe('where the panel listens', () => {
  it('is on loopback port 8787 unless configured, and off with PANEL=off', () => {
    const env = loadConfig({ STORE_URL: 'memory://' }).env;
    expect(env.PANEL_HOST).toBe('127.0.0.1');
    expect(env.PANEL_PORT).toBe(8787);
    expect(loadConfig({ STORE_URL: 'memory://', PANEL: 'off' }).env.PANEL).toBe('off');
    expect(new URL(panel.url).hostname).toBe('127.0.0.1');
  });
});
