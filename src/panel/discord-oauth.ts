import { createHash } from 'node:crypto';
import { z } from 'zod';
import { UserError } from '../errors.ts';

/** Discord's permission bits that let a member configure a server. */
const ADMINISTRATOR = 1n << 3n;
const MANAGE_GUILD = 1n << 5n;

export interface OAuthUser {
  id: string;
  name: string;
}

export interface OAuthGuild {
  id: string;
  name: string;
  /** Manage Server, Administrator, or the owner. */
  manageable: boolean;
}

/** Discord's OAuth2 authorization-code flow with PKCE (scopes identify and guilds). */
export interface DiscordOAuth {
  authorizeUrl(state: string, verifier: string): string;
  /** Trades the code Discord sent back for an access token. */
  exchange(code: string, verifier: string): Promise<string>;
  user(accessToken: string): Promise<OAuthUser>;
  guilds(accessToken: string): Promise<OAuthGuild[]>;
}

export interface DiscordOAuthOptions {
  clientId: string;
  clientSecret: string;
  /** Where Discord sends the browser back: the panel's /oauth/callback. */
  redirectUri: string;
  /** Discord's REST base (`https://discord.com/api`, or a local fake's). */
  apiUrl: string;
  fetch?: typeof fetch;
}

const tokenSchema = z.object({ access_token: z.string().min(1) });
const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  global_name: z.string().nullish(),
});
const guildsSchema = z.array(
  z.object({
    id: z.string(),
    name: z.string(),
    owner: z.boolean().optional(),
    permissions: z.string(),
  }),
);

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export function createDiscordOAuth(options: DiscordOAuthOptions): DiscordOAuth {
  const fetcher = options.fetch ?? fetch;
  // The authorize page is on Discord's site, beside the API: https://discord.com/oauth2/authorize.
  const site = new URL(options.apiUrl).origin;

  async function call<T>(path: string, schema: z.ZodType<T>, init: RequestInit): Promise<T> {
    const response = await fetcher(`${options.apiUrl}${path}`, {
      ...init,
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok)
      throw new UserError(`Discord refused the sign-in (HTTP ${response.status}). Try again.`);
    const parsed = schema.safeParse(await response.json());
    if (!parsed.success) throw new Error(`unexpected answer from Discord at ${path}`);
    return parsed.data;
  }
  const bearer = (token: string): RequestInit => ({ headers: { authorization: `Bearer ${token}` } });

  return {
    authorizeUrl(state, verifier) {
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: options.clientId,
        scope: 'identify guilds',
        redirect_uri: options.redirectUri,
        state,
        code_challenge: pkceChallenge(verifier),
        code_challenge_method: 'S256',
        prompt: 'none',
      });
      return `${site}/oauth2/authorize?${query.toString()}`;
    },
    async exchange(code, verifier) {
      const body = new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: options.redirectUri,
        code_verifier: verifier,
        client_id: options.clientId,
        client_secret: options.clientSecret,
      });
      const token = await call('/oauth2/token', tokenSchema, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      return token.access_token;
    },
    async user(accessToken) {
      const user = await call('/v10/users/@me', userSchema, bearer(accessToken));
      return { id: user.id, name: user.global_name ?? user.username };
    },
    async guilds(accessToken) {
      const guilds = await call('/v10/users/@me/guilds', guildsSchema, bearer(accessToken));
      return guilds.map((guild) => {
        const bits = BigInt(guild.permissions);
        return {
          id: guild.id,
          name: guild.name,
          manageable: guild.owner === true || (bits & (ADMINISTRATOR | MANAGE_GUILD)) !== 0n,
        };
      });
    },
  };
}
