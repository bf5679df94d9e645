import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runHerald } from '../support/run-herald.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'herald-hostile-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function articleFile(name: string, title: string): string {
  const file = path.join(dir, name);
  const body = Array.from(
    { length: 6 },
    (_, i) =>
      `${title} paragraph ${i} tells how the harbour council of Caldera voted on the new ferry timetable, and what the ferry crews said about it afterwards.`,
  );
  writeFileSync(file, `${title}\n\n${body.join('\n\n')}\n`);
  return file;
}

describe('ingest on the command line with bad arguments', () => {
  it('reports an unparseable URL with its reason and still ingests the other arguments', async () => {
    const good = articleFile('good.txt', 'Harbour council backs the winter ferry timetable');
    const run = await runHerald(['ingest', 'http://[not-a-host', good, '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      added: unknown[];
      failed: { source: string; message: string }[];
    };
    expect(report.added).toHaveLength(1);
    expect(report.failed).toEqual([
      { source: 'http://[not-a-host', message: 'http://[not-a-host: not a valid URL' },
    ]);
    expect(run.stderr).not.toMatch(/internal error|TypeError/);
  });

  it('exits non-zero when nothing could be ingested, saying so', async () => {
    const run = await runHerald(['ingest', 'http://[not-a-host', path.join(dir, 'missing.txt')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('0 added, 0 merged into existing stories, 0 skipped, 2 failed');
    expect(run.stdout).toContain('Nothing was ingested.');
  });
});

/** A TCP server that takes connections and never says a word, like a paused Redis. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function closedPort(): Promise<number> {
  const server = await silentServer();
  await server.close();
  return server.port;
}

describe('a store that cannot be reached', () => {
  it.each([
    ['down (nothing listens on its port)', async () => ({ port: await closedPort(), close: async () => {} })],
    ['not answering (takes the connection, says nothing)', silentServer],
  ])('gives one clear line and a non-zero exit when Redis is %s', async (_case, start) => {
    const redis = await start();
    try {
      const run = await runHerald(['brief'], {
        env: { STORE_URL: `redis://127.0.0.1:${redis.port}` },
        timeoutMs: 60_000,
      });
      expect(run.code).not.toBe(0);
      expect(run.stderr.trim()).toBe(
        `herald: cannot open the store (redis://127.0.0.1:${redis.port}): cannot reach Redis at 127.0.0.1:${redis.port} (no answer within 4 s)`,
      );
      expect(run.stdout).toBe('');
    } finally {
      await redis.close();
    }
  });

  it('never prints the password from STORE_URL', async () => {
    const port = await closedPort();
    const run = await runHerald(['brief'], {
      env: { STORE_URL: `redis://herald:hunter2@127.0.0.1:${port}` },
      timeoutMs: 60_000,
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`cannot open the store (redis://herald:***@127.0.0.1:${port})`);
    expect(run.stderr).not.toContain('hunter2');
  });
});
