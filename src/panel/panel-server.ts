import { readFileSync } from 'node:fs';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Herald } from '../app/herald.ts';
import type { Logger } from '../logger.ts';
import { createOneTimeLink, registerAuthRoutes } from './auth-routes.ts';
import type { PanelBotView } from './bot-view.ts';
import { createDiscordOAuth, type DiscordOAuth } from './discord-oauth.ts';
import { page, html } from './html.ts';
import { registerOpsRoutes } from './ops-routes.ts';
import type { PanelContext } from './panel-context.ts';
import { registerGuildPages } from './pages/register.ts';
import { createSessionStore, panelSessionCodec } from './sessions.ts';

/** No inline script or style, nothing from elsewhere: untrusted story text cannot run. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const STATIC = ['panel.css', 'panel.js'] as const;
const STATIC_TYPES: Record<string, string> = {
  'panel.css': 'text/css; charset=utf-8',
  'panel.js': 'text/javascript; charset=utf-8',
};
/** Form bodies stay small; an OPML import is pasted text up to this size. */
const BODY_LIMIT = 1024 * 1024;

export interface PanelOptions {
  herald: Herald;
  bot: PanelBotView;
  log: Logger;
  now?: () => number;
  host: string;
  port: number;
  /** The address people use (https behind a proxy); defaults to http://host:port. */
  publicUrl?: string;
  /** Given when Discord sign-in is configured; otherwise built from the config when it has a client id and secret. */
  oauth?: DiscordOAuth;
}

export interface PanelServer {
  /** Where people reach the panel: PANEL_PUBLIC_URL, or where it listens. */
  readonly url: string;
  /** Where it listens, e.g. http://127.0.0.1:8787. */
  readonly listenUrl: string;
  /** The operator's one-time sign-in link, until it is used. */
  signInLink(): string | undefined;
  close(): Promise<void>;
}

function oauthFromConfig(herald: Herald, publicUrl: string): DiscordOAuth | undefined {
  const {
    DISCORD_CLIENT_ID: clientId,
    DISCORD_CLIENT_SECRET: clientSecret,
    DISCORD_API_URL,
  } = herald.config.env;
  if (!clientId || !clientSecret) return undefined;
  return createDiscordOAuth({
    clientId,
    clientSecret,
    redirectUri: `${publicUrl}/oauth/callback`,
    apiUrl: DISCORD_API_URL ?? 'https://discord.com/api',
  });
}

export async function buildPanelApp(
  ctx: PanelContext,
  link: ReturnType<typeof createOneTimeLink>,
): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT, trustProxy: false });
  await app.register(cookie);
  await app.register(formbody);
  await app.register(rateLimit, { global: false });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  app.setErrorHandler(async (error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status < 500)
      return reply
        .code(status)
        .type('text/plain')
        .send(error instanceof Error ? error.message : 'Bad request');
    ctx.log.error({ err: error, url: request.url }, 'panel request failed');
    return reply
      .code(500)
      .type('text/html')
      .send(
        page(
          { title: 'Something went wrong' },
          html`<p>Something went wrong on our side; it has been logged.</p>`,
        ),
      );
  });
  app.setNotFoundHandler(async (_request, reply) =>
    reply
      .code(404)
      .type('text/html')
      .send(page({ title: 'Not found' }, html`<p>There is no such page here.</p>`)),
  );
  const assets = new Map(
    STATIC.map((name) => [name, readFileSync(new URL(`./static/${name}`, import.meta.url))]),
  );
  app.get<{ Params: { name: string } }>('/static/:name', async (request, reply) => {
    const asset = assets.get(request.params.name as (typeof STATIC)[number]);
    if (!asset) return reply.callNotFound();
    return reply
      .type(STATIC_TYPES[request.params.name] ?? 'application/octet-stream')
      .header('cache-control', 'public, max-age=300')
      .send(asset);
  });
  registerOpsRoutes(app, ctx.herald, ctx.bot, ctx.now);
  registerAuthRoutes(app, ctx, link);
  registerGuildPages(app, ctx);
  return app;
}

/** Starts the panel on the configured address; loopback unless PANEL_HOST says otherwise. */
export async function startPanel(options: PanelOptions): Promise<PanelServer> {
  const { herald, log } = options;
  const now = options.now ?? Date.now;
  const link = createOneTimeLink();
  const configuredUrl = options.publicUrl?.replace(/\/+$/, '');
  // The OAuth redirect needs the public address before listening; a port of 0 (tests) is
  // only known after, so OAuth is built lazily through this holder.
  const holder: { oauth: DiscordOAuth | undefined } = { oauth: options.oauth };
  const ctx: PanelContext = {
    herald,
    bot: options.bot,
    sessions: createSessionStore(herald.backend.records('panel-sessions', panelSessionCodec)),
    get oauth() {
      return holder.oauth;
    },
    log,
    now,
    secureCookies: configuredUrl?.startsWith('https://') === true,
  };
  const app = await buildPanelApp(ctx, link);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  const listenUrl = `http://${hostPart}:${port}`;
  const url = configuredUrl ?? listenUrl;
  holder.oauth ??= oauthFromConfig(herald, url);
  return {
    url,
    listenUrl,
    signInLink: () => (link.token ? `${url}/login/once/${link.token}` : undefined),
    close: () => app.close(),
  };
}
