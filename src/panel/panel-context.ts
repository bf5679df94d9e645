import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Herald } from '../app/herald.ts';
import type { Logger } from '../logger.ts';
import type { PanelBotView, PanelGuild } from './bot-view.ts';
import type { DiscordOAuth } from './discord-oauth.ts';
import { page, type PageFrame } from './html.ts';
import { sameToken, type PanelSession, type SessionStore } from './sessions.ts';
import type { Html } from './html.ts';

export const SESSION_COOKIE = 'herald_session';

/** What every panel route works with. */
export interface PanelContext {
  herald: Herald;
  bot: PanelBotView;
  sessions: SessionStore;
  oauth: DiscordOAuth | undefined;
  log: Logger;
  now: () => number;
  /** Cookies carry Secure when the panel is reached over https. */
  secureCookies: boolean;
}

/** A request from someone allowed to see (and, for posts, change) one server. */
export interface GuildRequest {
  sessionId: string;
  session: PanelSession;
  guild: PanelGuild;
  request: FastifyRequest;
  reply: FastifyReply;
  /** Renders a page of this server with the session's frame. */
  render(title: string, current: string, content: Html, flash?: PageFrame['flash']): string;
}

export type FormBody = Record<string, string | undefined>;

export function formBody(request: FastifyRequest): FormBody {
  const body = request.body;
  if (body === null || typeof body !== 'object') return {};
  const out: FormBody = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

/** The servers a session may open: Herald is there, and the person manages it. */
export function allowedGuilds(ctx: PanelContext, session: PanelSession): PanelGuild[] {
  const guilds = ctx.bot.guilds();
  if (session.kind === 'local') return guilds;
  const manageable = new Set(session.manageableGuildIds);
  return guilds.filter((guild) => manageable.has(guild.id));
}

export async function currentSession(
  ctx: PanelContext,
  request: FastifyRequest,
): Promise<{ id: string; session: PanelSession } | undefined> {
  const id = request.cookies[SESSION_COOKIE];
  const session = await ctx.sessions.get(id);
  return id !== undefined && session ? { id, session } : undefined;
}

function signInRedirect(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
  return reply.redirect(`/login${next}`, 303);
}

/** Refused without a word about whether the server exists. */
function notFound(reply: FastifyReply, userName: string, csrf: string): FastifyReply {
  return reply
    .code(404)
    .type('text/html')
    .send(
      page({ title: 'Not found', userName, csrf }, { value: '<p>There is no such page here.</p>' } as Html),
    );
}

/**
 * Wraps a server page or action: no session → sign-in; a post without the session's CSRF token
 * → 403; a server the person may not manage (or Herald is not in) → 404. Before a change,
 * Discord is asked again whether the person still manages the server.
 */
export function guildRoute(
  ctx: PanelContext,
  handler: (guild: GuildRequest) => Promise<FastifyReply | string>,
): (
  request: FastifyRequest<{ Params: { guildId: string } }>,
  reply: FastifyReply,
) => Promise<FastifyReply | string> {
  return async (request, reply) => {
    const found = await currentSession(ctx, request);
    if (!found) return signInRedirect(request, reply);
    let { session } = found;
    const change = request.method !== 'GET' && request.method !== 'HEAD';
    if (change && !sameToken(formBody(request)._csrf, session.csrf)) {
      return reply
        .code(403)
        .type('text/plain')
        .send('This form has expired. Go back, reload the page and try again.');
    }
    if (change && session.kind === 'discord' && ctx.oauth && session.accessToken) {
      const guilds = await ctx.oauth.guilds(session.accessToken);
      session = { ...session, manageableGuildIds: guilds.filter((g) => g.manageable).map((g) => g.id) };
      await ctx.sessions.update(found.id, session);
    }
    const guild = allowedGuilds(ctx, session).find((g) => g.id === request.params.guildId);
    if (!guild) return notFound(reply, session.userName, session.csrf);
    reply.type('text/html');
    return handler({
      sessionId: found.id,
      session,
      guild,
      request,
      reply,
      render: (title, current, content, flash) =>
        page(
          {
            title,
            current,
            guild,
            userName: session.userName,
            csrf: session.csrf,
            ...(flash ? { flash } : {}),
          },
          content,
        ),
    });
  };
}
