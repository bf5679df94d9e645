// A newcomer's first minutes in the terminal chat (npm start, no Discord token), run as the
// real process over a SQLite store that outlives each run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runHerald } from '../support/run-herald.ts';

function tempStore(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-first-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return `sqlite://${path.join(dir, 'herald.sqlite')}`;
}

describe('a typo in the terminal never reaches the store', () => {
  it('refuses delivery:weekly with the allowed values, and every later command and restart works', async () => {
    const env = { STORE_URL: tempStore() };
    const first = await runHerald([], {
      env,
      stdin:
        '/subscribe topic:Science delivery:weekly\n/subscribe topic:Science delivry:daily\n/subscriptions\n',
    });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('! /subscribe delivery: must be one of immediate, daily (not "weekly").');
    expect(first.stdout).toContain('! /subscribe has no option delivry:');
    expect(first.stdout).not.toContain('You now follow');
    expect(first.stdout).not.toContain('Something went wrong');

    const second = await runHerald([], {
      env,
      stdin: '/subscribe topic:Science delivery:Daily\n/subscriptions\n',
    });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('You now follow **Science**');
    expect(second.stdout).not.toContain('Something went wrong');
    expect(second.stderr).not.toContain('StoreReadError');
  });
});
