// A tiny browser for the panel over fetch: keeps cookies, follows nothing on its own (tests
// assert on redirects), and reads the CSRF token from a page's forms.
import { createDiscordBotView } from '../../src/discord/panel-view.ts';
import type { PanelBotView } from '../../src/panel/bot-view.ts';
import { startPanel, type PanelServer } from '../../src/panel/panel-server.ts';
import type { BotHarness } from './herald-harness.ts';

export interface PanelResponse {
  status: number;
  headers: Headers;
  body: string;
  location: string | undefined;
}

export interface PanelClient {
  get(url: string): Promise<PanelResponse>;
  post(url: string, form: Record<string, string>): Promise<PanelResponse>;
  /** Follows redirects (also to other hosts, as a browser would through Discord's sign-in). */
  follow(url: string): Promise<PanelResponse>;
  cookie(name: string): string | undefined;
  /** The raw Set-Cookie lines received so far. */
  readonly setCookies: string[];
}

export function csrfOf(body: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
  if (!token) throw new Error('no CSRF token on the page');
  return token;
}

export function createPanelClient(base: string): PanelClient {
  const jar = new Map<string, string>();
  const setCookies: string[] = [];
  async function request(url: string, init: RequestInit = {}): Promise<PanelResponse> {
    const target = new URL(url, base);
    const headers = new Headers(init.headers);
    if (target.origin === new URL(base).origin && jar.size > 0)
      headers.set('cookie', [...jar.entries()].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      setCookies.push(line);
      const [pair] = line.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (!name) continue;
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name.trim());
      else jar.set(name.trim(), value.join('='));
    }
    const location = response.headers.get('location') ?? undefined;
    return {
      status: response.status,
      headers: response.headers,
      body: await response.text(),
      location: location === undefined ? undefined : new URL(location, target).toString(),
    };
  }
  return {
    get: (url) => request(url),
    post: (url, form) =>
      request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      }),
    async follow(url) {
      let response = await request(url);
      for (let hops = 0; hops < 10 && response.location; hops++) response = await request(response.location);
      return response;
    },
    cookie: (name) => jar.get(name),
    setCookies,
  };
}

/** The panel on an ephemeral loopback port over a started bot, its one-time link ready. */
export async function startTestPanel(
  harness: BotHarness,
  options: { bot?: PanelBotView; publicUrl?: string; now?: () => number } = {},
): Promise<PanelServer> {
  return startPanel({
    herald: harness.herald,
    bot: options.bot ?? createDiscordBotView(harness.bot),
    log: harness.herald.log,
    host: '127.0.0.1',
    port: 0,
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}

/** Env for startBot so the panel offers Discord sign-in against the fake. */
export function oauthEnv(harnessFake: {
  oauth: { clientId: string; clientSecret: string };
  restUrl: string;
}) {
  return {
    DISCORD_CLIENT_ID: harnessFake.oauth.clientId,
    DISCORD_CLIENT_SECRET: harnessFake.oauth.clientSecret,
    DISCORD_API_URL: harnessFake.restUrl,
  };
}
