// DISCORD_API_URL as people paste it: with a trailing slash, with the API version, or as a
// bare origin. `npm start` (the gateway bot), the command line's REST client and
// deploy-commands all read the one normalised value, so every form reaches the same API.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord.ts';
import { repoRoot, runHerald } from '../support/run-herald.ts';
import { waitFor } from '../support/wait.ts';

let fake: FakeDiscord | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('DISCORD_API_URL', () => {
  it.each([
    ['http://127.0.0.1:9/api/', 'http://127.0.0.1:9/api'],
    ['http://127.0.0.1:9/api//', 'http://127.0.0.1:9/api'],
    ['http://127.0.0.1:9/api/v10/', 'http://127.0.0.1:9/api'],
    ['http://127.0.0.1:9', 'http://127.0.0.1:9/api'],
    ['http://127.0.0.1:9/', 'http://127.0.0.1:9/api'],
    ['https://proxy.example/discord/api', 'https://proxy.example/discord/api'],
  ])('reads %s as %s', (value, expected) => {
    expect(loadConfig({ DISCORD_API_URL: value }).env.DISCORD_API_URL).toBe(expected);
  });

  it('npm start logs in to the gateway through a URL with a trailing slash instead of exiting', async () => {
    fake = await startFakeDiscord();
    const child = spawn(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', path.join(repoRoot, 'src/main.ts')],
      {
        cwd: repoRoot,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          STORE_URL: 'memory://',
          LOG_LEVEL: 'warn',
          PANEL: 'off',
          DISCORD_TOKEN: fake.token,
          DISCORD_API_URL: `${fake.restUrl}/`,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    let exitedEarly: number | null | undefined;
    void exited.then((code) => (exitedEarly = code));
    const current = fake;
    await waitFor(() => current.identifyCount >= 1 || exitedEarly !== undefined, {
      what: 'a gateway identify or the process exiting',
    });
    expect(exitedEarly, stderr).toBeUndefined();
    expect(
      fake.requests.some((r) => r.method === 'GET' && r.path === '/gateway/bot' && r.status === 200),
    ).toBe(true);
    child.kill('SIGTERM');
    await exited;
  });

  it('deploy-commands and the command line REST client use the same normalised base', async () => {
    fake = await startFakeDiscord();
    const env = {
      DISCORD_TOKEN: fake.token,
      DISCORD_CLIENT_ID: fake.applicationId,
      DISCORD_GUILD_ID: fake.guildId,
      DISCORD_API_URL: `${fake.restUrl}/v10/`,
      LOG_LEVEL: 'warn',
    };
    const run = await runHerald(['deploy-commands', '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(fake.commands(fake.guildId).length).toBeGreaterThan(0);
    expect(fake.requests.every((r) => !r.path.includes('//') && r.status < 400)).toBe(true);
  });
});
