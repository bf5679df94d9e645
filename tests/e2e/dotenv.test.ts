// `.env` in the working directory is read when present (the environment wins over it), and a
// missing one is not worth a line on every run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function status(cwd: string, env: Record<string, string>) {
  return spawnSync(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', path.join(repoRoot, 'src/main.ts'), 'status', '--json'],
    {
      cwd,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    },
  );
}

describe('.env', () => {
  it('is read from the working directory, the environment winning, and its absence goes unmentioned', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'herald-dotenv-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    // An install's layout: the config folder beside where Herald is started.
    symlinkSync(path.join(repoRoot, 'config'), path.join(dir, 'config'));
    const fromFile = `sqlite://${path.join(dir, 'from-dotenv.sqlite')}`;
    writeFileSync(path.join(dir, '.env'), `# written by the test\nSTORE_URL=${fromFile}\nLOG_LEVEL=silent\n`);

    const read = status(dir, {});
    expect(read.status).toBe(0);
    expect(JSON.parse(read.stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({
      store: { kind: 'sqlite', location: expect.stringContaining('from-dotenv.sqlite') },
    });

    const overridden = status(dir, { STORE_URL: 'memory://' });
    expect(JSON.parse(overridden.stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({
      store: { kind: 'memory' },
    });

    rmSync(path.join(dir, '.env'));
    const without = status(dir, { STORE_URL: 'memory://' });
    expect(without.status).toBe(0);
    expect(without.stderr).not.toMatch(/\.env/);
  });
});
