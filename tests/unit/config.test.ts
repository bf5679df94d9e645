import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { ConfigError, loadConfig } from '../../src/config/load.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'herald-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function configFile(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('configuration', () => {
  it("reads the file's paths against the file's own folder, whatever the working directory", () => {
    const file = configFile('paths.json', {
      sources: [{ name: 'Local Desk', path: 'news' }],
      ingest: { sampleNewsDir: '../samples' },
      topics: { taxonomyPath: 'my-topics.json' },
    });
    const config = loadConfig({ HERALD_CONFIG: file });
    expect(config.sources[0]?.path).toBe(path.join(dir, 'news'));
    expect(config.ingest.sampleNewsDir).toBe(path.resolve(dir, '../samples'));
    expect(config.topics.taxonomyPath).toBe(path.join(dir, 'my-topics.json'));
    // The shipped file names its neighbours: the sample news and the taxonomy beside it.
    const shipped = loadConfig({});
    expect(shipped.sources[0]?.path).toBe(path.resolve('config/sample-news'));
    expect(shipped.topics.taxonomyPath).toBe(path.resolve('config/topics.json'));
  });

  it('names the taxonomy file when it cannot be read, as a configuration problem', () => {
    expect(() => loadTaxonomy(path.join(dir, 'missing-topics.json'))).toThrowError(
      new ConfigError(
        `topics.taxonomyPath: the taxonomy file ${path.join(dir, 'missing-topics.json')} cannot be read`,
      ),
    );
  });

  it('loads the shipped defaults: SQLite store, extractive mode, the sample source', () => {
    const config = loadConfig({});
    expect(config.env.STORE_URL).toBe('sqlite://data/herald.sqlite');
    expect(config.modelEnabled).toBe(false);
    expect(config.sources.length).toBeGreaterThan(0);
    expect(config.digest.graceMinutes).toBeGreaterThan(0);
  });

  it('turns the model on with an API key or with a local base URL alone', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test' }).modelEnabled).toBe(true);
    expect(loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }).modelEnabled).toBe(true);
  });

  it('treats empty environment values as unset', () => {
    expect(loadConfig({ OPENAI_API_KEY: '', DISCORD_TOKEN: '  ' }).modelEnabled).toBe(false);
  });

  it.each([
    [{ STORE_URL: 'postgres://x' }, /^STORE_URL: /],
    [{ DISCORD_CLIENT_ID: 'my-app' }, /^DISCORD_CLIENT_ID: /],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: /],
    [{ OPENAI_BASE_URL: 'not a url' }, /^OPENAI_BASE_URL: /],
  ])('names the bad environment value %o in one line', (env, pattern) => {
    expect(() => loadConfig(env)).toThrowError(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as Error).message).toMatch(pattern);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('names the bad key of the config file', () => {
    const file = configFile('bad-key.json', { digest: { quietDay: 'sometimes' } });
    expect(() => loadConfig({ HERALD_CONFIG: file })).toThrowError(/digest\.quietDay/);
  });

  it('rejects a source with both a url and a path, naming it', () => {
    const file = configFile('bad-source.json', {
      sources: [{ name: 'x', url: 'https://example.com/feed', path: 'x' }],
    });
    expect(() => loadConfig({ HERALD_CONFIG: file })).toThrowError(/sources\.0/);
  });

  it('says when the config file is not JSON', () => {
    const file = configFile('broken.json', '{ "sources": [');
    expect(() => loadConfig({ HERALD_CONFIG: file })).toThrowError(/not valid JSON/);
  });
});

describe('unknown config keys', () => {
  it.each([
    [{ ingest: { fetch: { maxbytes: 1024 } } }, /ingest\.fetch\.maxbytes: unknown key/],
    [{ digest: { quietday: 'skip' } }, /digest\.quietday: unknown key/],
    [{ breif: { defaultCount: 3 } }, /: breif: unknown key/],
    [
      { sources: [{ name: 'x', url: 'https://example.com/feed', wieght: 2 }] },
      /sources\.0\.wieght: unknown key/,
    ],
    [{ ask: { perUser: { limit: 1, windowSeconds: 5, burst: 2 } } }, /ask\.perUser\.burst: unknown key/],
  ])('stop the start with one line naming the key: %o', (content, pattern) => {
    const file = configFile(`unknown-${Math.random().toString(36).slice(2)}.json`, content);
    expect(() => loadConfig({ HERALD_CONFIG: file })).toThrowError(ConfigError);
    try {
      loadConfig({ HERALD_CONFIG: file });
    } catch (error) {
      expect((error as Error).message).toMatch(pattern);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('still applies defaults and accepts every key the shipped config uses', () => {
    const config = loadConfig({});
    expect(config.ingest.fetch.maxBytes).toBeGreaterThan(0);
    const file = configFile('partial.json', { ingest: { fetch: { maxBytes: 2048 } } });
    const partial = loadConfig({ HERALD_CONFIG: file });
    expect(partial.ingest.fetch.maxBytes).toBe(2048);
    expect(partial.ingest.fetch.deadlineMs).toBe(15_000);
    expect(partial.brief.defaultCount).toBe(5);
  });
});
