// Discord's OAuth2 authorization-code flow with PKCE, as the panel's sign-in uses it: the
// authorize page (approved at once for the account the test chose), the token exchange, and the
// two Bearer routes the panel reads (/users/@me and /users/@me/guilds with permissions).
import { createHash, randomBytes } from 'node:crypto';

/** One server in /users/@me/guilds: permissions as Discord sends them, a decimal string. */
export interface OAuthGuildEntry {
  id: string;
  name: string;
  owner?: boolean;
  permissions: bigint;
}

/** Who signs in when the browser reaches /oauth2/authorize. */
export interface OAuthAccount {
  id: string;
  username: string;
  guilds: OAuthGuildEntry[];
}

export interface FakeOAuth {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The account the next sign-ins approve; change it to sign in as someone else. */
  setAccount(account: OAuthAccount): void;
  /** Changes a signed-in account's servers (a role taken away after sign-in). */
  setGuilds(userId: string, guilds: OAuthGuildEntry[]): void;
  /** Token exchanges refused (a bad verifier, a code used twice), for tests to assert on. */
  readonly refusedExchanges: number;
}

export interface OAuthAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const CODE_LIFETIME_MS = 60_000;

export function createFakeOAuth(initial: OAuthAccount, now: () => number) {
  const clientId = '100000000000000001';
  const clientSecret = 'fake-client-secret';
  let account = initial;
  const accounts = new Map<string, OAuthAccount>([[initial.id, initial]]);
  const codes = new Map<string, { userId: string; challenge: string; redirectUri: string; at: number }>();
  const tokens = new Map<string, string>();
  let refused = 0;

  function authorize(query: URLSearchParams): OAuthAnswer {
    const redirectUri = query.get('redirect_uri') ?? '';
    if (query.get('client_id') !== clientId || !redirectUri || query.get('response_type') !== 'code')
      return { status: 400, body: { error: 'invalid_request' } };
    const code = randomBytes(12).toString('hex');
    codes.set(code, {
      userId: account.id,
      challenge: query.get('code_challenge') ?? '',
      redirectUri,
      at: now(),
    });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', query.get('state') ?? '');
    return { status: 302, headers: { location: back.toString() } };
  }

  function exchange(form: URLSearchParams): OAuthAnswer {
    const code = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (
      !code ||
      now() - code.at > CODE_LIFETIME_MS ||
      form.get('client_id') !== clientId ||
      form.get('client_secret') !== clientSecret ||
      form.get('redirect_uri') !== code.redirectUri ||
      challenge !== code.challenge
    ) {
      refused += 1;
      return { status: 400, body: { error: 'invalid_grant' } };
    }
    const token = randomBytes(16).toString('hex');
    tokens.set(token, code.userId);
    return {
      status: 200,
      body: { access_token: token, token_type: 'Bearer', expires_in: 604_800, scope: 'identify guilds' },
    };
  }

  function bearer(path: string, authorization: string | undefined): OAuthAnswer {
    const userId = tokens.get(/^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '');
    const user = userId === undefined ? undefined : accounts.get(userId);
    if (!user) return { status: 401, body: { code: 0, message: '401: Unauthorized' } };
    if (path === '/users/@me')
      return {
        status: 200,
        body: { id: user.id, username: user.username, global_name: null, discriminator: '0', avatar: null },
      };
    return {
      status: 200,
      body: user.guilds.map((g) => ({
        id: g.id,
        name: g.name,
        icon: null,
        owner: g.owner === true,
        permissions: g.permissions.toString(),
        features: [],
      })),
    };
  }

  const api: FakeOAuth = {
    clientId,
    clientSecret,
    setAccount(next) {
      account = next;
      accounts.set(next.id, next);
    },
    setGuilds(userId, guilds) {
      const known = accounts.get(userId);
      if (known) accounts.set(userId, { ...known, guilds });
    },
    get refusedExchanges() {
      return refused;
    },
  };

  return {
    api,
    /**
     * Answers the OAuth routes; undefined for every other request. `path` is the full pathname
     * (the authorize page is outside /api, the token route outside /api/v10).
     */
    handle(
      method: string,
      pathname: string,
      query: URLSearchParams,
      rawBody: Buffer,
      authorization: string | undefined,
    ): OAuthAnswer | undefined {
      if (method === 'GET' && pathname === '/oauth2/authorize') return authorize(query);
      if (method === 'POST' && (pathname === '/api/oauth2/token' || pathname === '/api/v10/oauth2/token'))
        return exchange(new URLSearchParams(rawBody.toString('utf8')));
      const bearerPath = /^\/api\/v10(\/users\/@me(?:\/guilds)?)$/.exec(pathname)?.[1];
      if (method === 'GET' && bearerPath && authorization?.startsWith('Bearer '))
        return bearer(bearerPath, authorization);
      return undefined;
    },
  };
}
