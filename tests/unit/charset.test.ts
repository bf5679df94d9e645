import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLocalInputs } from '../../src/news/ingest-job.ts';
import { decodeBody } from '../../src/news/fetch/decode-body.ts';
import { parseFeed } from '../../src/news/feed-parser.ts';
import { extractArticleFromHtml } from '../../src/news/html-extract.ts';

/** Encodes text in a single-byte charset from a table of the non-ASCII characters used. */
function singleByte(text: string, table: Record<string, number>): Buffer {
  return Buffer.from([...text].map((ch) => table[ch] ?? ch.charCodeAt(0)));
}
const LATIN1 = { ã: 0xe3, é: 0xe9, ç: 0xe7, õ: 0xf5 };
const CP1252 = { ...LATIN1, '€': 0x80, '’': 0x92 };
const CP1251 = {
  П: 0xcf,
  р: 0xf0,
  и: 0xe8,
  в: 0xe2,
  е: 0xe5,
  т: 0xf2,
  м: 0xec,
  о: 0xee,
  с: 0xf1,
  к: 0xea,
  а: 0xe0,
  М: 0xcc,
};

const rss = (title: string, prolog = ''): string =>
  `${prolog}<rss version="2.0"><channel><title>Feed</title><item><title>${title}</title><link>https://n.test/a</link><description>${title}</description></item></channel></rss>`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'herald-charset-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function feedTitleOfFile(name: string, bytes: Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  const [input] = readLocalInputs(file);
  return parseFeed(input?.body ?? '').items[0]?.title ?? '';
}

describe('charset of local files', () => {
  it('reads ISO-8859-1 declared in the XML prolog', () => {
    const bytes = singleByte(
      rss('Mãe de utente é ouvida', '<?xml version="1.0" encoding="ISO-8859-1"?>'),
      LATIN1,
    );
    expect(feedTitleOfFile('latin1.xml', bytes)).toBe('Mãe de utente é ouvida');
  });

  it('reads windows-1251 declared in the XML prolog', () => {
    const bytes = singleByte(rss('Привет Москва', "<?xml version='1.0' encoding='windows-1251'?>"), CP1251);
    expect(feedTitleOfFile('cyrillic.rss', bytes)).toBe('Привет Москва');
  });

  it('reads UTF-16LE with a byte-order mark', () => {
    const text = rss('Grüße aus Zürich', '<?xml version="1.0" encoding="UTF-16"?>');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(feedTitleOfFile('utf16.xml', bytes)).toBe('Grüße aus Zürich');
  });

  it('falls back to windows-1252 for undeclared bytes that are not UTF-8', () => {
    const bytes = singleByte(rss('Preço sobe 5 € e não pára’'), CP1252);
    expect(feedTitleOfFile('undeclared.xml', bytes)).toBe('Preço sobe 5 € e não pára’');
  });

  it('keeps undeclared UTF-8 as UTF-8', () => {
    expect(feedTitleOfFile('utf8.xml', Buffer.from(rss('Preço sobe 5 €')))).toBe('Preço sobe 5 €');
  });

  it('reads an HTML page by its meta charset, and pasted text by the fallback', () => {
    const page = `<html><head><meta charset="iso-8859-1"><title>Ação</title></head><body><article><h1>Ação de graças na praça</h1><p>${'A população da região celebrou a colheita na praça. '.repeat(5)}</p></article></body></html>`;
    writeFileSync(path.join(dir, 'page.html'), singleByte(page, { ...LATIN1, ç: 0xe7, ã: 0xe3 }));
    const [html] = readLocalInputs(path.join(dir, 'page.html'));
    expect(extractArticleFromHtml(html?.body ?? '').paragraphs.join(' ')).toContain('A população da região');
    writeFileSync(path.join(dir, 'note.txt'), singleByte('Ação de graças\nA população celebrou.', LATIN1));
    expect(readLocalInputs(path.join(dir, 'note.txt'))[0]?.body).toBe(
      'Ação de graças\nA população celebrou.',
    );
  });
});

describe('charset of fetched bodies', () => {
  it('honours the HTTP charset, and falls back to windows-1252 without one', () => {
    const bytes = singleByte('Mãe', LATIN1);
    expect(decodeBody(bytes, 'text/html; charset=ISO-8859-1')).toBe('Mãe');
    expect(decodeBody(bytes, 'text/html')).toBe('Mãe');
  });
});

describe('UTF-8 bytes under a legacy meta charset', () => {
  const page = (charset: string): string =>
    `<html><head><meta http-equiv="Content-Type" content="text/html; charset=${charset}"><title>深圳地铁新线开通</title></head><body><article><h1>深圳地铁新线开通</h1><p>${'深圳地铁十六号线今天正式开通运营，全长约三十公里。'.repeat(6)}</p></article></body></html>`;

  it('reads valid multi-byte UTF-8 as UTF-8 though the page declares gb2312', () => {
    const bytes = Buffer.from(page('gb2312'));
    const article = extractArticleFromHtml(decodeBody(bytes, undefined));
    expect(article.title).toBe('深圳地铁新线开通');
    expect(article.paragraphs.join('')).toContain('深圳地铁十六号线今天正式开通运营');
  });

  it('still reads real gb2312 bytes by the meta tag, and lets an HTTP charset win', () => {
    // "中文" in GB2312: D6 D0 CE C4, which is not valid UTF-8.
    const gb = Buffer.concat([
      Buffer.from('<html><head><meta charset="gb2312"></head><body><p>'),
      Buffer.from([0xd6, 0xd0, 0xce, 0xc4]),
      Buffer.from('</p></body></html>'),
    ]);
    expect(decodeBody(gb, undefined)).toContain('中文');
    const latin1Header = decodeBody(Buffer.from('<p>Zürich</p>'), 'text/html; charset=iso-8859-1');
    expect(latin1Header).toBe('<p>ZÃ¼rich</p>');
  });
});
