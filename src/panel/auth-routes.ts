import type { FastifyInstance, FastifyReply } from 'fastify';
import { isUserError } from '../errors.ts';
import { html, page } from './html.ts';
import {
  allowedGuilds,
  currentSession,
  SESSION_COOKIE,
  type PanelContext,
  formBody,
} from './panel-context.ts';
import {
  pendingSignInCodec,
  randomToken,
  sameToken,
  SESSION_TTL_MS,
  SIGN_IN_TTL_MS,
  type PanelSession,
} from './sessions.ts';
import { guildPath } from './html.ts';

const STATE_COOKIE = 'herald_oauth_state';
/** Sign-in attempts per address per minute. */
const SIGN_IN_PER_MINUTE = 20;

/** A one-time link for the operator: printed at start, spent on first use. */
export interface OneTimeLink {
  readonly token: string | undefined;
  spend(token: string): boolean;
}

export function createOneTimeLink(): OneTimeLink {
  let token: string | undefined = randomToken();
  return {
    get token() {
      return token;
    },
    spend(offered) {
      if (!sameToken(offered, token)) return false;
      token = undefined;
      return true;
    },
  };
}

/** Only a path on this panel: a `next` pointing elsewhere would be an open redirect. */
function safeNext(next: string | undefined): string {
  return next !== undefined && /^\/(?!\/)[\w\-/?=&%.]*$/.test(next) ? next : '/';
}

export function registerAuthRoutes(app: FastifyInstance, ctx: PanelContext, link: OneTimeLink): void {
  const cookie = (maxAgeMs: number) =>
    ({
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.secureCookies,
      maxAge: maxAgeMs / 1000,
    }) as const;
  const pending = ctx.herald.backend.records('panel-sign-ins', pendingSignInCodec);
  const limited = { config: { rateLimit: { max: SIGN_IN_PER_MINUTE, timeWindow: 60_000 } } };

  async function startSession(
    reply: FastifyReply,
    input: Omit<PanelSession, 'csrf'>,
    next: string,
  ): Promise<FastifyReply> {
    const { id } = await ctx.sessions.create(input);
    return reply.setCookie(SESSION_COOKIE, id, cookie(SESSION_TTL_MS)).redirect(next, 303);
  }

  app.get<{ Querystring: { next?: string } }>('/login', limited, async (request, reply) => {
    const next = safeNext(request.query.next);
    const discord = ctx.oauth
      ? html`<p>
          <a class="button" href="/login/discord?next=${encodeURIComponent(next)}">Sign in with Discord</a>
        </p>`
      : html`<p>Sign-in with Discord is not set up (DISCORD_CLIENT_ID and DISCORD_CLIENT_SECRET).</p>`;
    return reply.type('text/html').send(
      page(
        { title: 'Sign in' },
        html`${discord}
          <p>Running Herald yourself? Open the one-time sign-in link Herald printed when it started.</p>`,
      ),
    );
  });

  app.get<{ Querystring: { next?: string } }>('/login/discord', limited, async (request, reply) => {
    if (!ctx.oauth) return reply.redirect('/login', 303);
    const state = randomToken();
    const verifier = randomToken();
    await pending.set(state, { verifier }, SIGN_IN_TTL_MS);
    const next = safeNext(request.query.next);
    return reply
      .setCookie(STATE_COOKIE, `${state}.${encodeURIComponent(next)}`, cookie(SIGN_IN_TTL_MS))
      .redirect(ctx.oauth.authorizeUrl(state, verifier), 303);
  });

  app.get<{ Querystring: { code?: string; state?: string; error?: string } }>(
    '/oauth/callback',
    limited,
    async (request, reply) => {
      const refuse = (text: string) =>
        reply
          .code(400)
          .type('text/html')
          .send(
            page(
              { title: 'Sign-in failed' },
              html`<p>${text}</p>
                <p><a href="/login">Try again</a></p>`,
            ),
          );
      const [expected, next] = (request.cookies[STATE_COOKIE] ?? '').split('.');
      const { code, state } = request.query;
      reply.clearCookie(STATE_COOKIE, { path: '/' });
      if (!ctx.oauth || !code || !state || !sameToken(state, expected))
        return refuse('This sign-in did not start here or has expired.');
      const started = await pending.get(state);
      await pending.delete(state);
      if (!started) return refuse('This sign-in has expired.');
      try {
        const token = await ctx.oauth.exchange(code, started.verifier);
        const [user, guilds] = await Promise.all([ctx.oauth.user(token), ctx.oauth.guilds(token)]);
        return await startSession(
          reply,
          {
            kind: 'discord',
            userId: user.id,
            userName: user.name,
            accessToken: token,
            manageableGuildIds: guilds.filter((g) => g.manageable).map((g) => g.id),
          },
          safeNext(decodeURIComponent(next ?? '/')),
        );
      } catch (error) {
        if (isUserError(error)) return refuse(error.message);
        ctx.log.warn({ err: error }, 'panel sign-in with Discord failed');
        return refuse('Discord could not confirm the sign-in.');
      }
    },
  );

  app.get<{ Params: { token: string } }>('/login/once/:token', limited, async (request, reply) => {
    if (!link.spend(request.params.token))
      return reply
        .code(403)
        .type('text/html')
        .send(
          page({ title: 'Link already used' }, html`<p>This sign-in link was used already or is wrong.</p>`),
        );
    return startSession(
      reply,
      { kind: 'local', userId: 'operator', userName: 'Operator', manageableGuildIds: [] },
      '/',
    );
  });

  app.post('/logout', async (request, reply) => {
    const found = await currentSession(ctx, request);
    if (found && sameToken(formBody(request)._csrf, found.session.csrf)) await ctx.sessions.delete(found.id);
    else if (found) return reply.code(403).type('text/plain').send('This form has expired.');
    return reply.clearCookie(SESSION_COOKIE, { path: '/' }).redirect('/login', 303);
  });

  app.get('/', async (request, reply) => {
    const found = await currentSession(ctx, request);
    if (!found) return reply.redirect('/login', 303);
    const guilds = allowedGuilds(ctx, found.session);
    const list =
      guilds.length === 0
        ? html`<p>None of your servers has Herald with you as a manager (Manage Server).</p>`
        : html`<ul class="servers">
            ${guilds.map((g) => html`<li><a href="${guildPath(g.id)}">${g.name}</a></li>`)}
          </ul>`;
    return reply
      .type('text/html')
      .send(
        page({ title: 'Your servers', userName: found.session.userName, csrf: found.session.csrf }, list),
      );
  });
}
