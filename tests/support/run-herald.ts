import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HANG_GUARD_MS } from './wait.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface HeraldRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node src/main.ts <args>` as a user would, with stdin piped in. */
export function runHerald(
  args: string[],
  options: {
    stdin?: string;
    env?: Record<string, string>;
    timeoutMs?: number;
    /**
     * Caps the size of any file the process writes (ulimit -f), with SIGXFSZ ignored so the
     * write fails instead: a full disk where no small filesystem can be mounted.
     */
    fileSizeLimitKb?: number;
  } = {},
): Promise<HeraldRun> {
  const nodeArgs = ['--disable-warning=ExperimentalWarning', path.join(repoRoot, 'src/main.ts'), ...args];
  const [command, commandArgs] =
    options.fileSizeLimitKb === undefined
      ? [process.execPath, nodeArgs]
      : [
          '/bin/sh',
          [
            '-c',
            `trap '' XFSZ; ulimit -f ${options.fileSizeLimitKb * 2}; exec "$0" "$@"`,
            process.execPath,
            ...nodeArgs,
          ],
        ];
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        STORE_URL: 'memory://',
        // Tests run many Heralds at once; those about the panel turn it on with a port of their own.
        PANEL: 'off',
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`herald ${args.join(' ')} did not finish; stderr: ${stderr}`));
    }, options.timeoutMs ?? HANG_GUARD_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}
