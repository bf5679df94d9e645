/**
 * DISCORD_API_URL is the base discord.js puts `/v10/...` after, as in Discord's own
 * `https://discord.com/api`. People paste it with a trailing slash, with the version, or as a
 * bare origin; taken as they are, those would make paths like `/api//v10/gateway/bot`. It is made
 * canonical once, when the environment is read, so `npm start`, the command line's REST
 * client and deploy-commands all use the same value.
 */

/**
 * `http://host/api/` → `http://host/api`; `http://host/api/v10` → `http://host/api`;
 * `http://host` → `http://host/api` (Discord's layout); any other path (a proxy mounted
 * elsewhere) is kept, without trailing slashes. Query and fragment are dropped.
 */
export function normalizeDiscordApiUrl(value: string): string {
  const url = new URL(value);
  let pathname = url.pathname.replace(/\/+$/, '').replace(/\/v\d+$/, '');
  if (pathname === '') pathname = '/api';
  return `${url.origin}${pathname}`;
}
