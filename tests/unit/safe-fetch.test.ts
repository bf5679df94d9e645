import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import {
  brotliCompressSync,
  constants,
  createBrotliCompress,
  createGzip,
  deflateSync,
  gzipSync,
} from 'node:zlib';
import type { ServerResponse } from 'node:http';
import { createSafeFetcher, FetchError } from '../../src/news/safe-fetch.ts';
import type { FetchErrorCode, ResolvedAddress, SafeFetcherOptions } from '../../src/news/safe-fetch.ts';
import { createFixtureServer } from '../support/fixture-server.ts';
import type { FixtureServer } from '../support/fixture-server.ts';

// Two loopback servers: "pub" on 127.0.0.2 stands in for a public site (the test policy allows
// exactly that address), "internal" on 127.0.0.1 stands in for a private service and stays
// blocked. Linux routes all of 127/8 to lo, so both are real sockets.
let pub: FixtureServer;
let internal: FixtureServer;

const names: Record<string, string[]> = {
  'public.test': ['127.0.0.2'],
  'evil.test': ['127.0.0.1'],
  'metadata.test': ['169.254.169.254'],
  'mapped.test': ['::ffff:127.0.0.1'],
  'mixed.test': ['127.0.0.1', '127.0.0.2'],
};

async function fakeResolver(hostname: string): Promise<ResolvedAddress[]> {
  const found = names[hostname];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
}

function testFetcher(extra: SafeFetcherOptions = {}) {
  return createSafeFetcher({
    allowPrivateAddresses: (ip) => ip === '127.0.0.2',
    lookup: fakeResolver,
    ...extra,
  });
}

async function failure(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FetchError) return error;
    throw error;
  }
  throw new Error('expected the fetch to fail');
}

async function expectCode(promise: Promise<unknown>, code: FetchErrorCode): Promise<FetchError> {
  const error = await failure(promise);
  expect(error.code).toBe(code);
  expect(error.message).not.toMatch(/\n|ECONN|ENOTFOUND|at .*\.ts/);
  return error;
}

function redirect(to: string) {
  return { status: 302, headers: { location: to } };
}

/** A body that never ends: a byte every `interval` ms until the client hangs up. */
function endlessDrip(interval: number) {
  return (_request: unknown, response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    const timer = setInterval(() => response.write('x'), interval);
    response.on('close', () => clearInterval(timer));
  };
}

/**
 * A compression bomb with no end: zeros, compressed as they are sent, for as long as the client
 * reads. A fetch can only finish by giving up at its cap, so no clock is needed to show that it
 * stopped early; `hungUp` resolves when the client closed the connection.
 */
function endlessBomb(encoding: 'gzip' | 'br') {
  let hungUp!: () => void;
  const closed = new Promise<void>((resolve) => (hungUp = resolve));
  const zeros = Buffer.alloc(64 * 1024);
  const route = (_request: unknown, response: ServerResponse) => {
    response.writeHead(200, { 'content-encoding': encoding, 'content-type': 'text/plain' });
    const source = new Readable({
      read() {
        this.push(zeros);
      },
    });
    const compress =
      encoding === 'gzip'
        ? createGzip({ level: 9 })
        : createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
    source.pipe(compress).pipe(response);
    response.on('close', () => {
      source.destroy();
      compress.destroy();
      hungUp();
    });
  };
  return { route, hungUp: closed };
}

beforeAll(async () => {
  pub = await createFixtureServer({ host: '127.0.0.2' });
  internal = await createFixtureServer({ host: '127.0.0.1', port: pub.port });
  internal.route('/secret', { headers: { 'content-type': 'text/plain' }, body: 'internal secret' });
});

afterAll(async () => {
  await pub.close();
  await internal.close();
});

describe('safe fetch: ordinary responses', () => {
  it('returns the body, final URL, content type, validators and size, sending its User-Agent', async () => {
    pub.route('/feed.xml', {
      headers: {
        'content-type': 'application/rss+xml',
        etag: '"v1"',
        'last-modified': 'Tue, 03 Mar 2026 10:00:00 GMT',
      },
      body: '<rss><channel><title>Ok</title></channel></rss>',
    });
    const result = await testFetcher().fetch(`http://public.test:${pub.port}/feed.xml`, { accept: 'feed' });
    expect(result).toEqual({
      status: 'ok',
      url: `http://public.test:${pub.port}/feed.xml`,
      body: '<rss><channel><title>Ok</title></channel></rss>',
      contentType: 'application/rss+xml',
      etag: '"v1"',
      lastModified: 'Tue, 03 Mar 2026 10:00:00 GMT',
      bytes: 47,
    });
    const seen = pub.requests.find((r) => r.path === '/feed.xml');
    expect(seen?.headers['user-agent']).toBe('HeraldBot/0.1 (+news briefing bot)');
    expect(seen?.headers['accept-encoding']).toContain('br');
  });

  it('sends If-None-Match and If-Modified-Since and reports a 304 as not-modified', async () => {
    pub.route('/cached', (request, response) => {
      const fresh = request.headers['if-none-match'] === '"v1"';
      response.writeHead(fresh ? 304 : 200, { etag: '"v1"' });
      response.end(fresh ? undefined : 'body');
    });
    const result = await testFetcher().fetch(pub.url('/cached'), {
      etag: '"v1"',
      lastModified: 'Tue, 03 Mar 2026 10:00:00 GMT',
    });
    expect(result).toEqual({ status: 'not-modified', url: pub.url('/cached') });
    expect(pub.requests.at(-1)?.headers['if-modified-since']).toBe('Tue, 03 Mar 2026 10:00:00 GMT');
  });

  it('decodes gzip, deflate and brotli bodies', async () => {
    const text = 'Élan — news ✓ '.repeat(50);
    pub.route('/gz', {
      headers: { 'content-encoding': 'gzip', 'content-type': 'text/plain; charset=utf-8' },
      body: gzipSync(text),
    });
    pub.route('/df', {
      headers: { 'content-encoding': 'deflate', 'content-type': 'text/plain' },
      body: deflateSync(text),
    });
    pub.route('/br', {
      headers: { 'content-encoding': 'br', 'content-type': 'text/plain' },
      body: brotliCompressSync(text),
    });
    for (const path of ['/gz', '/df', '/br']) {
      const result = await testFetcher().fetch(pub.url(path));
      expect(result.status === 'ok' && result.body).toBe(text);
    }
  });

  it('follows up to five redirects, relative or by name, and reports the final URL', async () => {
    for (let i = 1; i <= 5; i += 1)
      pub.route(`/r${i}`, redirect(i === 3 ? `http://public.test:${pub.port}/r4` : `/r${i + 1}`));
    pub.route('/r6', { headers: { 'content-type': 'text/plain' }, body: 'landed' });
    const result = await testFetcher().fetch(pub.url('/r1'));
    expect(result).toMatchObject({ status: 'ok', body: 'landed', url: `http://public.test:${pub.port}/r6` });
  });

  it('gives up on the sixth redirect', async () => {
    for (let i = 1; i <= 6; i += 1) pub.route(`/loop${i}`, redirect(`/loop${i + 1}`));
    pub.route('/loop7', { body: 'never reached' });
    await expectCode(testFetcher().fetch(pub.url('/loop1')), 'too-many-redirects');
    expect(pub.requests.some((r) => r.path === '/loop7')).toBe(false);
  });
});

describe('safe fetch: SSRF', () => {
  it('refuses a redirect from an allowed host to 127.0.0.1 before connecting', async () => {
    pub.route('/to-loopback', redirect(internal.url('/secret')));
    const error = await expectCode(testFetcher().fetch(pub.url('/to-loopback')), 'blocked-address');
    expect(error.message).toContain('private');
    expect(internal.requests).toHaveLength(0);
  });

  it('refuses a redirect to a name that resolves to a private address', async () => {
    pub.route('/to-evil', redirect(`http://evil.test:${internal.port}/secret`));
    await expectCode(testFetcher().fetch(pub.url('/to-evil')), 'blocked-address');
    expect(internal.requests).toHaveLength(0);
  });

  it('refuses names resolving to loopback, link-local metadata or IPv4-mapped loopback', async () => {
    for (const name of ['evil.test', 'metadata.test', 'mapped.test']) {
      const error = await expectCode(
        testFetcher().fetch(`http://${name}:${internal.port}/secret`),
        'blocked-address',
      );
      expect(error.message).toContain(name);
      expect(error.message).not.toContain('127.0.0.1');
    }
    expect(internal.requests).toHaveLength(0);
  });

  it('checks the resolved address for https too (TLS connects through the same lookup)', async () => {
    await expectCode(testFetcher().fetch(`https://evil.test:${internal.port}/secret`), 'blocked-address');
    expect(internal.requests).toHaveLength(0);
  });

  it('connects through the injected lookup, so the refusal above is the policy and not a DNS miss', async () => {
    const lenient = testFetcher({ allowPrivateAddresses: (ip) => ip === '127.0.0.1' });
    const result = await lenient.fetch(`http://evil.test:${internal.port}/secret`);
    expect(result).toMatchObject({ status: 'ok', body: 'internal secret' });
    internal.requests.length = 0;
  });

  it('connects only to the allowed address of a name that has both kinds', async () => {
    pub.route('/which', { body: 'public side' });
    internal.route('/which', { body: 'internal side' });
    const result = await testFetcher().fetch(`http://mixed.test:${pub.port}/which`);
    expect(result).toMatchObject({ status: 'ok', body: 'public side' });
    expect(internal.requests).toHaveLength(0);
  });

  it.each([
    'http://127.0.0.1:PORT/secret',
    'http://localhost:PORT/secret',
    'http://[::ffff:127.0.0.1]:PORT/secret',
    'http://[::ffff:7f00:1]:PORT/secret',
    'http://[::1]:PORT/secret',
    'http://[::]:PORT/secret',
    'http://[::127.0.0.1]:PORT/secret',
    'http://[64:ff9b::7f00:1]:PORT/secret',
    'http://[2002:7f00:1::1]:PORT/secret',
    'http://[fe80::1]:PORT/secret',
    'http://[fd00::1]:PORT/secret',
    'http://2130706433:PORT/secret',
    'http://0x7f.1:PORT/secret',
    'http://017700000001:PORT/secret',
    'http://127.1:PORT/secret',
    'http://0:PORT/secret',
    'http://169.254.169.254/latest/meta-data/',
  ])('the default policy refuses %s', async (template) => {
    const url = template.replace('PORT', String(internal.port));
    await expectCode(createSafeFetcher().fetch(url), 'blocked-address');
    expect(internal.requests).toHaveLength(0);
  });

  it.each([
    'file:///etc/passwd',
    'gopher://127.0.0.1:70/_x',
    'ftp://example.com/a',
    'data:text/plain,hi',
    'javascript:alert(1)',
  ])('refuses the %s scheme', async (url) => {
    await expectCode(createSafeFetcher().fetch(url), 'bad-scheme');
  });

  it('refuses a redirect to file:// and text that is not a URL', async () => {
    pub.route('/to-file', redirect('file:///etc/passwd'));
    await expectCode(testFetcher().fetch(pub.url('/to-file')), 'bad-scheme');
    await expectCode(testFetcher().fetch('not a url'), 'bad-url');
  });
});

describe('safe fetch: size and time limits', () => {
  it('stops an endless gzip bomb at the decompressed cap and hangs up', async () => {
    const bomb = endlessBomb('gzip');
    pub.route('/bomb.gz', bomb.route);
    const error = await expectCode(testFetcher().fetch(pub.url('/bomb.gz')), 'too-large');
    expect(error.message).toContain('5 MiB');
    await bomb.hungUp;
  });

  it('stops an endless brotli bomb at the decompressed cap and hangs up', async () => {
    const bomb = endlessBomb('br');
    pub.route('/bomb.br', bomb.route);
    await expectCode(testFetcher({ maxBytes: 1024 * 1024 }).fetch(pub.url('/bomb.br')), 'too-large');
    await bomb.hungUp;
  });

  it('refuses an oversized plain body, declared or streamed', async () => {
    pub.route('/big', { headers: { 'content-type': 'text/plain' }, body: Buffer.alloc(2048, 97) });
    pub.route('/big-chunked', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 4; i += 1) response.write(Buffer.alloc(512, 97));
      response.end();
    });
    const small = testFetcher({ maxBytes: 1000 });
    await expectCode(small.fetch(pub.url('/big')), 'too-large');
    await expectCode(small.fetch(pub.url('/big-chunked')), 'too-large');
    expect(await testFetcher({ maxBytes: 2048 }).fetch(pub.url('/big'))).toMatchObject({
      status: 'ok',
      bytes: 2048,
    });
  });

  it('cuts off a server that keeps dripping bytes at the overall deadline', async () => {
    // The body never ends and the idle timeout is out of reach: only the deadline can stop it.
    pub.route('/drip', endlessDrip(20));
    const error = await expectCode(
      testFetcher({ deadlineMs: 300, idleTimeoutMs: 600_000 }).fetch(pub.url('/drip')),
      'timeout',
    );
    expect(error.message).toContain('did not finish');
  });

  it('cuts off a server that goes quiet after the headers, or never answers', async () => {
    pub.route('/stall', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('first chunk');
    });
    pub.route('/silent', () => undefined);
    // Neither ever finishes and the deadline is out of reach: only the idle timeout can stop them.
    const fetcher = testFetcher({ deadlineMs: 600_000, idleTimeoutMs: 150 });
    for (const path of ['/stall', '/silent']) {
      const error = await expectCode(fetcher.fetch(pub.url(path)), 'timeout');
      expect(error.message).toContain('stopped sending data');
    }
  });
});

describe('safe fetch: content types and charsets', () => {
  it.each([
    ['image/png', 'feed'],
    ['application/octet-stream', 'page'],
    ['application/pdf', 'any'],
    ['application/json', 'page'],
    ['video/mp4', 'any'],
  ] as const)('refuses %s when asked for %s', async (type, accept) => {
    pub.route('/typed', { headers: { 'content-type': type }, body: 'x' });
    await expectCode(testFetcher().fetch(pub.url('/typed'), { accept }), 'bad-content-type');
  });

  it.each([
    ['application/rss+xml; charset=utf-8', 'feed'],
    ['application/atom+xml', 'feed'],
    ['application/feed+json', 'feed'],
    ['text/xml', 'feed'],
    ['text/html; charset=utf-8', 'page'],
    ['application/xhtml+xml', 'page'],
    ['text/plain', 'page'],
    ['application/json', 'any'],
  ] as const)('accepts %s when asked for %s', async (type, accept) => {
    pub.route('/typed', { headers: { 'content-type': type }, body: 'x' });
    expect(await testFetcher().fetch(pub.url('/typed'), { accept })).toMatchObject({
      status: 'ok',
      contentType: type,
    });
  });

  const cafe = (before: string, after = '') =>
    Buffer.concat([
      Buffer.from(before, 'latin1'),
      Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x93, 0x80, 0x94]),
      Buffer.from(after),
    ]);

  it.each([
    ['the HTTP charset (windows-1252)', 'text/plain; charset=windows-1252', cafe(''), 'café “€”'],
    [
      'the XML declaration (iso-8859-1)',
      'application/xml',
      cafe('<?xml version="1.0" encoding="ISO-8859-1"?><t>', '</t>'),
      '<t>café “€”</t>',
    ],
    [
      'an HTML meta charset',
      'text/html',
      cafe('<html><head><meta charset="windows-1252"></head><p>', '</p>'),
      '<p>café “€”</p>',
    ],
    [
      'an HTML http-equiv',
      'text/html',
      cafe('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>'),
      '<p>café “€”',
    ],
  ])('decodes by %s', async (_name, type, body, expected) => {
    pub.route('/charset', { headers: { 'content-type': type }, body });
    const result = await testFetcher().fetch(pub.url('/charset'));
    expect(result.status === 'ok' && result.body).toContain(expected);
  });

  it('prefers the HTTP charset over the document, and reads UTF-8 with or without a BOM', async () => {
    pub.route('/both', {
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: '<meta charset="windows-1252">café',
    });
    pub.route('/bom', {
      headers: { 'content-type': 'text/plain' },
      body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('café')]),
    });
    pub.route('/plain', { headers: { 'content-type': 'text/plain' }, body: 'café' });
    for (const [path, expected] of [
      ['/both', '<meta charset="windows-1252">café'],
      ['/bom', 'café'],
      ['/plain', 'café'],
    ]) {
      const result = await testFetcher().fetch(pub.url(path!));
      expect(result.status === 'ok' && result.body).toBe(expected);
    }
  });
});

describe('safe fetch: failures carry presentable messages', () => {
  it('reports an HTTP error status with its code', async () => {
    pub.route('/gone', { status: 410, body: 'gone' });
    const error = await expectCode(testFetcher().fetch(pub.url('/gone')), 'http-status');
    expect(error.status).toBe(410);
    expect(error.message).toBe(`${pub.host}:${pub.port} answered HTTP 410 Gone.`);
  });

  it('reports a refused connection and an unknown host in plain words', async () => {
    const closed = await createFixtureServer({ host: '127.0.0.2' });
    await closed.close();
    const refused = await expectCode(testFetcher().fetch(closed.url('/')), 'network');
    expect(refused.message).toContain('refused');
    const unknown = await expectCode(testFetcher().fetch('http://nowhere.test/'), 'network');
    expect(unknown.message).toContain('no such host');
  });

  it('reports a corrupt compressed body as bad-encoding', async () => {
    pub.route('/corrupt', { headers: { 'content-encoding': 'gzip' }, body: 'definitely not gzip' });
    await expectCode(testFetcher().fetch(pub.url('/corrupt')), 'bad-encoding');
  });
});
