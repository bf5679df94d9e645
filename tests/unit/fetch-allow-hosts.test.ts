// The operator's allowlist for private hosts (ingest.fetch.allowHosts), against a real local
// server on 127.0.0.1 and the real safe fetcher: no test-only address exception is set here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.ts';
import { createSafeFetcher, type Resolver } from '../../src/news/safe-fetch.ts';
import { createFixtureServer, type FixtureServer } from '../support/fixture-server.ts';

let server: FixtureServer;
beforeEach(async () => {
  server = await createFixtureServer();
  server.route('/feed.xml', {
    headers: { 'content-type': 'application/rss+xml' },
    body: '<rss version="2.0"><channel><title>Intranet</title></channel></rss>',
  });
});
afterEach(async () => {
  await server.close();
});

// Every name here resolves to the fixture server's loopback address, as an intranet name would.
const intranetResolver: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];

function at(host: string, pathname: string): string {
  return `http://${host}:${server.port}${pathname}`;
}

describe('ingest.fetch.allowHosts', () => {
  it('refuses a private address when nothing is allowed', async () => {
    const fetcher = createSafeFetcher({ lookup: intranetResolver });
    await expect(fetcher.fetch(at('rsshub.lan', '/feed.xml'))).rejects.toMatchObject({
      code: 'blocked-address',
    });
    await expect(fetcher.fetch(server.url('/feed.xml'))).rejects.toMatchObject({ code: 'blocked-address' });
  });

  it('fetches from a host name the operator allowed, and from nothing else on that address', async () => {
    const fetcher = createSafeFetcher({ lookup: intranetResolver, allowHosts: ['rsshub.lan'] });
    expect(await fetcher.fetch(at('RSSHub.lan', '/feed.xml'))).toMatchObject({ status: 'ok' });
    await expect(fetcher.fetch(at('other.lan', '/feed.xml'))).rejects.toMatchObject({
      code: 'blocked-address',
    });
    await expect(fetcher.fetch(server.url('/feed.xml'))).rejects.toMatchObject({ code: 'blocked-address' });
  });

  it('fetches from an allowed CIDR range, by name or by address', async () => {
    const fetcher = createSafeFetcher({ lookup: intranetResolver, allowHosts: ['127.0.0.0/30'] });
    expect(await fetcher.fetch(at('feeds.lan', '/feed.xml'))).toMatchObject({ status: 'ok' });
    expect(await fetcher.fetch(server.url('/feed.xml'))).toMatchObject({ status: 'ok' });
    const narrow = createSafeFetcher({
      lookup: intranetResolver,
      allowHosts: ['127.0.0.2/32', '10.0.0.0/8'],
    });
    await expect(narrow.fetch(server.url('/feed.xml'))).rejects.toMatchObject({ code: 'blocked-address' });
  });

  it('refuses a redirect out of the allowlist to another private host', async () => {
    server.route('/moved', { status: 302, headers: { location: at('admin.lan', '/feed.xml') } });
    server.route('/moved-literal', { status: 302, headers: { location: server.url('/feed.xml') } });
    const fetcher = createSafeFetcher({ lookup: intranetResolver, allowHosts: ['rsshub.lan'] });
    await expect(fetcher.fetch(at('rsshub.lan', '/moved'))).rejects.toMatchObject({
      code: 'blocked-address',
    });
    await expect(fetcher.fetch(at('rsshub.lan', '/moved-literal'))).rejects.toMatchObject({
      code: 'blocked-address',
    });
    expect(server.requests.filter((r) => r.path === '/feed.xml')).toHaveLength(0);
  });
});

describe('allowHosts in the config file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-allow-hosts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const configWith = (allowHosts: unknown): string => {
    const file = path.join(dir, `${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify({ ingest: { fetch: { allowHosts } } }));
    return file;
  };

  it('is empty by default and takes names, addresses and ranges', () => {
    expect(loadConfig({}).ingest.fetch.allowHosts).toEqual([]);
    const entries = ['rsshub.lan', 'intranet.example.com', '192.168.1.20', '10.0.0.0/8', 'fd00::/8'];
    expect(loadConfig({ HERALD_CONFIG: configWith(entries) }).ingest.fetch.allowHosts).toEqual(entries);
  });

  it.each([
    [['http://rsshub.lan/'], /ingest\.fetch\.allowHosts\.0: expected a host name/],
    [['0.0.0.0/0'], /ingest\.fetch\.allowHosts\.0: a \/0 range would allow every address/],
    [['10.0.0.0/33'], /ingest\.fetch\.allowHosts\.0: the prefix must be 0–32/],
    [['rsshub.lan', 'bad host'], /ingest\.fetch\.allowHosts\.1: /],
  ])('refuses %o with one line naming the entry', (entries, pattern) => {
    expect(() => loadConfig({ HERALD_CONFIG: configWith(entries) })).toThrowError(ConfigError);
    expect(() => loadConfig({ HERALD_CONFIG: configWith(entries) })).toThrowError(pattern);
  });
});
