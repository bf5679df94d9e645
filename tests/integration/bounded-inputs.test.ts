// Hostile local inputs through the real ingest job: files past the size cap, binary files,
// non-regular files and a megabyte "article" are refused or trimmed, each with a clear line,
// and never stop the good files beside them.
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { allCommands } from '../../commands/index.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logger.ts';
import { createHerald, type Herald } from '../../src/app/herald.ts';
import { readerIn } from '../../src/news/types.ts';
import { quietTransport } from '../support/quiet-transport.ts';

const MAX_ARTICLE_CHARS = 20_000;
let dir: string;
let herald: Herald;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'herald-bounded-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await herald.close();
});

async function start(): Promise<void> {
  const file = path.join(dir, 'config.json');
  writeFileSync(
    file,
    JSON.stringify({
      sources: [],
      ingest: { fetch: { maxBytes: 2 * 1024 * 1024 }, maxArticleChars: MAX_ARTICLE_CHARS },
    }),
  );
  herald = await createHerald(loadConfig({ STORE_URL: 'memory://', HERALD_CONFIG: file }), {
    commands: allCommands,
    log: createLogger('silent'),
    transport: quietTransport(),
  });
}

function goodArticle(name: string): string {
  const file = path.join(dir, name);
  const body = Array.from(
    { length: 5 },
    (_, i) =>
      `Paragraph ${i}: the tide gauge at Caldera harbour read a record level this week, and engineers from the port authority said the sea wall held.`,
  );
  writeFileSync(file, `Record tide at Caldera harbour\n\n${body.join('\n\n')}\n`);
  return file;
}

describe('local files under the size cap', () => {
  it('refuses a 200 MB file at once, naming the limit, and ingests the file beside it', async () => {
    await start();
    const big = path.join(dir, 'huge.txt');
    // A sparse file: 200 MB long without 200 MB of disk; reading it whole is what used to kill the process.
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 200 * 1024 * 1024);
    closeSync(fd);
    const report = await herald.services.ingest.ingestLocations([big, goodArticle('good.txt')]);
    expect(report.failed).toEqual([
      { source: big, message: `${big}: too large (200 MiB; the limit is 2 MiB, ingest.fetch.maxBytes)` },
    ]);
    expect(report.added).toHaveLength(1);
  });

  it('refuses something that is not a regular file (a link to /dev/zero)', async () => {
    await start();
    const zero = path.join(dir, 'zero.txt');
    symlinkSync('/dev/zero', zero);
    const report = await herald.services.ingest.ingestLocations([zero]);
    expect(report.failed[0]?.message).toBe(`${zero}: not a regular file`);
  });
});

describe('binary files', () => {
  it.each([
    [
      'a PNG named .txt',
      Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        Buffer.from('IHDR'.repeat(200)),
      ]),
      /signature/,
    ],
    ['bytes with NULs', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)), /NUL bytes/],
    [
      'text shot through with control characters',
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i % 5 === 0 ? 0x01 + (i % 7) : 0x61 + (i % 26)))),
      /control characters/,
    ],
  ])('refuses %s with a clear line and stores nothing', async (_name, bytes, reason) => {
    await start();
    const file = path.join(dir, `binary-${Math.random().toString(36).slice(2)}.txt`);
    writeFileSync(file, bytes);
    const report = await herald.services.ingest.ingestLocations([file]);
    expect(report.added).toEqual([]);
    expect(report.failed[0]?.message).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not news text: a binary file`),
    );
    expect(report.failed[0]?.message).toMatch(reason);
    expect(await herald.services.status.snapshot()).toMatchObject({ stories: 0 });
  });

  it('leaves a binary file in a directory out, with its reason, and ingests the rest of the directory', async () => {
    await start();
    const folder = path.join(dir, 'mixed');
    mkdirSync(folder);
    writeFileSync(
      path.join(folder, 'garbage.txt'),
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)),
    );
    const good = goodArticle('mixed/wire--tide.txt');
    const report = await herald.services.ingest.ingestLocations([folder]);
    expect(report.added.map((item) => item.title)).toEqual(['Record tide at Caldera harbour']);
    expect(report.failed).toEqual([
      {
        source: folder,
        message: `${path.join(folder, 'garbage.txt')}: not news text: a binary file (it contains NUL bytes)`,
      },
    ]);
    expect(good).toContain('mixed');
  });

  it('says how many words an article needs when a text of your own is too short', async () => {
    await start();
    const file = path.join(dir, 'short.txt');
    writeFileSync(file, 'Pier to reopen\n\nThe harbour council voted to rebuild the old pier.\n');
    const report = await herald.services.ingest.ingestLocations([file]);
    expect(report.added).toEqual([]);
    expect(report.skipped).toEqual([
      expect.objectContaining({
        title: 'Pier to reopen',
        reason: 'too short to be an article (fewer than 40 words)',
      }),
    ]);
  });

  it('keeps text in UTF-16 with a byte order mark out of the binary rule', async () => {
    await start();
    const file = path.join(dir, 'utf16.txt');
    writeFileSync(
      file,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Tide record at Caldera harbour', 'utf16le')]),
    );
    const report = await herald.services.ingest.ingestLocations([file]);
    expect(report.failed.map((f) => f.message).join()).not.toMatch(/binary/);
  });
});

describe('one very long article', () => {
  it('keeps at most ingest.maxArticleChars of its text, and the story reads from what was kept', async () => {
    await start();
    const file = path.join(dir, 'megabyte.txt');
    const paragraph = (i: number) =>
      `Paragraph ${i}: the Caldera harbour council heard ${i} witnesses on the ferry timetable, and the port union asked for a vote on the winter schedule.`;
    const paragraphs: string[] = [];
    for (let i = 0, size = 0; size < 1024 * 1024; i++) {
      paragraphs.push(paragraph(i));
      size += paragraph(i).length;
    }
    writeFileSync(file, `Harbour council hears ferry witnesses\n\n${paragraphs.join('\n\n')}\n`);
    const report = await herald.services.ingest.ingestLocations([file]);
    const storyId = report.added[0]?.storyId as string;
    const detail = await herald.services.brief.detail(storyId, readerIn(undefined));
    const text = detail?.articles[0]?.paragraphs.join('') ?? '';
    expect(text.length).toBeGreaterThan(MAX_ARTICLE_CHARS / 2);
    expect(text.length).toBeLessThanOrEqual(MAX_ARTICLE_CHARS + 1);
    expect(detail?.summary.sentences.length).toBeGreaterThan(0);
  });
});
