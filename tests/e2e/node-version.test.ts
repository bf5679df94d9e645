import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/run-herald.ts';

/** Runs the `npm start` entry as if Node reported `version` (set before the entry loads). */
function startAs(
  version: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const pretend = `data:text/javascript,Object.defineProperty(process,"version",{value:"${version}"})`;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', pretend, path.join(repoRoot, 'src/start.js'), ...args],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH ?? '', STORE_URL: 'memory://' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm start on a Node too old for Herald', () => {
  it.each(['v20.19.0', 'v22.17.1'])(
    'on %s prints one line naming Node 22.18 and exits 1',
    async (version) => {
      const run = await startAs(version, ['status']);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `herald: Node.js 22.18 or newer is needed (this is ${version}); Node 24 LTS is recommended.\n`,
      );
    },
  );

  it('starts as usual on a Node that is new enough', async () => {
    const run = await startAs('v22.18.0', ['status']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Store: memory');
  });

  it('is the entry npm start runs', async () => {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).toMatch(/ src\/start\.js$/);
  });
});
