// Sharding across instances, end to end: real Herald processes (`npm start`'s entry) on one
// Redis against the fake Discord with 15,000 guilds. With DISCORD_SHARDS=auto the bot runs
// Discord's recommended 6 shards, the instances lease 2 each, every shard's guilds are
// answered once, and the shards of an instance killed with SIGKILL are taken over by the
// others once its leases lapse. Lease and identify windows are shortened through the
// environment so the takeover takes seconds, not half a minute.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord.ts';
import { startBot } from '../support/herald-harness.ts';
import { waitFor } from '../support/wait.ts';

const redisUrl = process.env.REDIS_URL;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHARD_COUNT = 6;
/**
 * Three Herald processes start, connect and rebalance here: on a shared, loaded machine that
 * alone can take minutes, so this test's hang guard is longer than the usual one.
 */
const PROCESS_HANG_GUARD_MS = 240_000;

interface Instance {
  name: string;
  child: ChildProcess;
  /** Where the process logs (JSON lines). */
  logFile: string;
  exited: Promise<void>;
}

const instances: Instance[] = [];
let fake: FakeDiscord | undefined;
let logDir: string | undefined;

function logLines(instance: Instance): string[] {
  return readFileSync(instance.logFile, 'utf8').split('\n').filter(Boolean);
}

/** Shards the instance has logged ready and not stopped since. */
function shardsOf(instance: Instance): Set<number> {
  const shards = new Set<number>();
  for (const line of logLines(instance)) {
    let entry: { msg?: string; shardId?: number };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (entry.shardId === undefined) continue;
    if (entry.msg === 'shard ready') shards.add(entry.shardId);
    if (entry.msg === 'shard stopped') shards.delete(entry.shardId);
  }
  return shards;
}

afterEach(async () => {
  // The test is over: no need for a graceful stop (the leases lapse on their own).
  const stopping = instances.splice(0);
  for (const instance of stopping) {
    if (instance.child.exitCode === null && instance.child.signalCode === null)
      instance.child.kill('SIGKILL');
  }
  await Promise.all(stopping.map((instance) => instance.exited));
  await fake?.close();
  fake = undefined;
  if (logDir) rmSync(logDir, { recursive: true, force: true });
  logDir = undefined;
}, PROCESS_HANG_GUARD_MS);

function startInstance(name: string, discord: FakeDiscord, keyPrefix: string): Instance {
  logDir ??= mkdtempSync(path.join(tmpdir(), 'herald-shards-'));
  // Logs go to a file, read back by the test: nothing depends on draining a pipe.
  const logFile = path.join(logDir, `${name}.log`);
  const fd = openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', path.join(repoRoot, 'src/main.ts')],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', fd],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DISCORD_TOKEN: discord.token,
        DISCORD_API_URL: discord.restUrl,
        DISCORD_SHARDS: 'auto',
        DISCORD_SHARD_LEASE_MS: '4000',
        DISCORD_IDENTIFY_INTERVAL_MS: '100',
        STORE_URL: redisUrl ?? '',
        STORE_KEY_PREFIX: keyPrefix,
        ANSWER_INDEX_FILE: ':memory:',
        LOG_LEVEL: 'info',
      },
    },
  );
  closeSync(fd);
  const instance: Instance = {
    name,
    child,
    logFile,
    exited: new Promise((resolve) => child.once('exit', () => resolve())),
  };
  instances.push(instance);
  return instance;
}

function describeInstances(): string {
  return instances
    .map(
      (instance) =>
        `${instance.name} [${[...shardsOf(instance)].join(',')}]:\n  ${logLines(instance).slice(-30).join('\n  ')}`,
    )
    .join('\n');
}

/** Sends /help in a guild of every shard in `shards`; resolves with the interaction ids once each is answered. */
async function helpOnShards(discord: FakeDiscord, shards: readonly number[]): Promise<string[]> {
  const ids: string[] = [];
  for (const shardId of shards) {
    const guildId = discord.guildOnShard(shardId, SHARD_COUNT);
    const sent = await discord.dispatchInteraction({ kind: 'command', name: 'help', guildId });
    await waitFor(() => discord.callbackFor(sent.id) !== undefined, {
      what: `/help on shard ${shardId} answered\n${describeInstances()}`,
      timeoutMs: PROCESS_HANG_GUARD_MS,
    });
    ids.push(sent.id);
  }
  return ids;
}

function callbacksOf(discord: FakeDiscord, interactionId: string): number {
  return discord.requests.filter(
    (request) => request.method === 'POST' && request.path.startsWith(`/interactions/${interactionId}/`),
  ).length;
}

describe.runIf(redisUrl)('shards across instances', () => {
  it(
    'splits 6 shards over three instances, answers every shard once, and takes over a killed one',
    async () => {
      const discord = await startFakeDiscord({
        guildCount: 15_000,
        identifyIntervalMs: 50,
        heartbeatIntervalMs: 1000,
      });
      fake = discord;
      expect(discord.recommendedShards).toBe(SHARD_COUNT);
      const keyPrefix = `test-${randomUUID()}`;
      const [first, second, third] = ['first', 'second', 'third'].map((name) =>
        startInstance(name, discord, keyPrefix),
      ) as [Instance, Instance, Instance];

      await waitFor(() => instances.every((instance) => shardsOf(instance).size === 2), {
        what: `two shards per instance\n${describeInstances()}`,
        timeoutMs: PROCESS_HANG_GUARD_MS,
      });
      const held = instances.flatMap((instance) => [...shardsOf(instance)]).sort();
      expect(held).toEqual([0, 1, 2, 3, 4, 5]);
      // A shard given up while rebalancing may still be closing: wait for one session per shard.
      await waitFor(() => discord.gatewaySessions().length === SHARD_COUNT, {
        what: `six gateway sessions\n${describeInstances()}`,
        timeoutMs: PROCESS_HANG_GUARD_MS,
      });
      expect(
        discord
          .gatewaySessions()
          .map((session) => session.shard.join('/'))
          .sort(),
      ).toEqual(['0/6', '1/6', '2/6', '3/6', '4/6', '5/6']);

      const before = await helpOnShards(discord, [0, 1, 2, 3, 4, 5]);

      const orphaned = [...shardsOf(third)];
      third.child.kill('SIGKILL');
      await third.exited;
      // Until the takeover settles, a lease that lapsed under load may have two holders for a
      // moment (the older stops at its next beat): wait for each shard on exactly one instance.
      const survivorsHold = (): string => [...shardsOf(first), ...shardsOf(second)].sort().join(',');
      await waitFor(() => survivorsHold() === '0,1,2,3,4,5', {
        what: `shards ${orphaned.join(', ')} taken over\n${describeInstances()}`,
        timeoutMs: PROCESS_HANG_GUARD_MS,
      });
      const after = await helpOnShards(discord, orphaned);

      for (const id of [...before, ...after]) expect(callbacksOf(discord, id), id).toBe(1);
      // The takeover settles on one live session per shard (a session given up in a rebalance
      // may still be closing when the survivors report their shards, so this is awaited).
      const liveShards = (): string =>
        discord
          .gatewaySessions()
          .map((session) => session.shard.join('/'))
          .sort()
          .join(',');
      await waitFor(() => liveShards() === '0/6,1/6,2/6,3/6,4/6,5/6', {
        what: `one session per shard after the takeover\n${describeInstances()}`,
        timeoutMs: PROCESS_HANG_GUARD_MS,
      });
      expect(discord.gatewayRefusals).toEqual([]);
    },
    3 * PROCESS_HANG_GUARD_MS,
  );
});

describe('one instance past 2,500 guilds', () => {
  it("connects with Discord's recommended 2 shards instead of being closed with 4011", async () => {
    const harness = await startBot({
      sampleNews: false,
      fakeOptions: { guildCount: 5000, identifyIntervalMs: 50 },
      discord: { shards: 'auto', identifyIntervalMs: 100 },
    });
    try {
      const { fake: discord, bot } = harness;
      expect(bot.shards().map((shard) => [shard.id, shard.count, shard.status, shard.guilds])).toEqual([
        [0, 2, 'ready', 2500],
        [1, 2, 'ready', 2500],
      ]);
      expect(discord.gatewayRefusals).toEqual([]);
      for (const shardId of [0, 1]) {
        const guildId = discord.guildOnShard(shardId, 2);
        const sent = await discord.dispatchInteraction({ kind: 'command', name: 'status', guildId });
        const reply = await discord.waitForRequest(
          (request) => request.path.startsWith(`/webhooks/`) && request.path.includes(sent.token),
        );
        expect(JSON.stringify(reply.body)).toContain('Shards on this instance');
      }
    } finally {
      await harness.close();
    }
  });
});
