import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deflateRawSync, deflateSync } from 'node:zlib';
import { createSafeFetcher, FetchError } from '../../src/news/safe-fetch.ts';
import type { ResolvedAddress } from '../../src/news/safe-fetch.ts';
import { createFixtureServer } from '../support/fixture-server.ts';
import type { FixtureServer } from '../support/fixture-server.ts';

// A loopback server standing in for a public site (the fetcher's policy allows exactly 127.0.0.2).
let site: FixtureServer;
const resolver = async (): Promise<ResolvedAddress[]> => [{ address: '127.0.0.2', family: 4 }];
const fetcher = (maxBytes?: number) =>
  createSafeFetcher({
    allowPrivateAddresses: (ip) => ip === '127.0.0.2',
    lookup: resolver,
    ...(maxBytes ? { maxBytes } : {}),
  });

beforeAll(async () => {
  site = await createFixtureServer({ host: '127.0.0.2' });
});
afterAll(async () => {
  await site.close();
});

async function failureCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FetchError) return error.code;
    throw error;
  }
  return 'no error';
}

const deflated = { 'content-encoding': 'deflate', 'content-type': 'text/plain; charset=utf-8' };

describe('Content-Encoding: deflate', () => {
  const text = 'Élan — news from the valley ✓ '.repeat(200);

  it('decodes raw deflate, as curl and browsers do', async () => {
    site.route('/raw', { headers: deflated, body: deflateRawSync(text) });
    const result = await fetcher().fetch(site.url('/raw'));
    expect(result.status === 'ok' && result.body).toBe(text);
  });

  it('still decodes zlib-wrapped deflate', async () => {
    site.route('/zlib', { headers: deflated, body: deflateSync(text) });
    const result = await fetcher().fetch(site.url('/zlib'));
    expect(result.status === 'ok' && result.body).toBe(text);
  });

  it('stops a raw deflate bomb at the decompressed cap', async () => {
    site.route('/bomb', {
      headers: deflated,
      body: deflateRawSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 }),
    });
    expect(await failureCode(fetcher(1024 * 1024).fetch(site.url('/bomb')))).toBe('too-large');
  });

  it('reports a corrupt deflate body as a bad encoding', async () => {
    site.route('/corrupt', {
      headers: deflated,
      body: Buffer.from([0x78, 0x9c, 0xff, 0xff, 0xff, 0x00, 0x01]),
    });
    expect(await failureCode(fetcher().fetch(site.url('/corrupt')))).toBe('bad-encoding');
  });
});
