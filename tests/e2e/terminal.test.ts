import { describe, expect, it, onTestFinished } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot, runHerald } from '../support/run-herald.ts';

describe('npm start without DISCORD_TOKEN: the terminal chat', () => {
  it('answers /help from a pipe with the command list and exits 0 at end of input', async () => {
    const run = await runHerald([], { stdin: '/help\n' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('/help');
    expect(run.stdout).toContain('/status');
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it('runs one command per line and keeps going after a mistake', async () => {
    const run = await runHerald([], { stdin: '/nope\n/status\n' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Unknown command /nope');
    expect(run.stdout).toContain('Store: memory');
    // Piped replies are told apart by a blank line, since no prompt comes between them.
    expect(run.stdout).toMatch(/Unknown command \/nope[^\n]*\n\n[^\n]*\S/);
  });

  it('answers a typo or an unknown story id with what the terminal can do (no list as you type)', async () => {
    const run = await runHerald([], {
      stdin: '/breif\n/story story:s-nope\n/ask question:why? story:s-nope\n',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Unknown command /breif. Did you mean /brief?');
    expect(run.stdout).toContain('I do not have that story. /brief shows the stories with their ids (s-…).');
    expect(run.stdout).not.toContain('as you type');
  });
});

describe('configuration errors at start', () => {
  it('stop with exit code 2 and one line naming the value', async () => {
    const run = await runHerald(['status'], { env: { STORE_URL: 'mysql://db' } });
    expect(run.code).toBe(2);
    expect(
      run.stderr
        .trim()
        .split('\n')
        .filter((line) => line.startsWith('herald:')),
    ).toEqual([expect.stringContaining('STORE_URL')]);
    expect(run.stderr).not.toContain('    at ');
  });
});

describe('operations subcommands', () => {
  it('status --json prints one JSON object on stdout', async () => {
    const run = await runHerald(['status', '--json']);
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout) as { store: { kind: string }; model: { mode: string } };
    expect(status.store.kind).toBe('memory');
    expect(status.model.mode).toBe('extractive');
  });

  it('an unknown subcommand lists the available ones and exits 2', async () => {
    const run = await runHerald(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('npm start -- status');
  });
});

describe('shutdown', () => {
  it('stops cleanly on SIGTERM with the chat still open, and the store keeps what was ingested', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'herald-stop-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const store = `sqlite://${path.join(dir, 'herald.sqlite')}`;
    const child = spawn(process.execPath, [path.join(repoRoot, 'src/main.ts')], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', STORE_URL: store, PANEL: 'off' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stdin.write('/status\n');
    // Waits for the answer, or fails at once if the chat exits without giving one.
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => {
        if (stdout.includes('Cached stories')) resolve();
      });
      child.once('close', (code) =>
        reject(new Error(`the chat exited (${code}) without answering /status: ${stdout}`)),
      );
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const after = await runHerald(['status', '--json'], { env: { STORE_URL: store } });
    expect((JSON.parse(after.stdout) as { stories: number }).stories).toBeGreaterThan(3);
  });
});
