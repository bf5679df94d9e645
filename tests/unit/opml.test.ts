import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { buildOpml, parseOpml } from '../../src/news/opml.ts';

const wrap = (body: string) =>
  `<?xml version="1.0"?><opml version="1.0"><head><title>x</title></head><body>${body}</body></opml>`;

describe('OPML', () => {
  it('lists every feed in document order, from nested folders too, titled by title or text', () => {
    const feeds = parseOpml(
      wrap(`
      <outline text="Tech"><outline text="A &amp; B" xmlUrl="https://a.example/feed"/>
        <outline text="Deeper"><outline title="C" text="ignored" xmlUrl="https://c.example/rss?x=1&amp;y=2"/></outline></outline>
      <outline text="No feed here" htmlUrl="https://site.example/"/>
      <outline xmlUrl="https://d.example/atom"/>`),
    );
    expect(feeds).toEqual([
      { url: 'https://a.example/feed', title: 'A & B' },
      { url: 'https://c.example/rss?x=1&y=2', title: 'C' },
      { url: 'https://d.example/atom', title: undefined },
    ]);
  });

  it('round-trips an export, escaping names and links', () => {
    const sources = [
      { name: 'Quotes "&" <tags>', url: 'https://q.example/feed?a=1&b=2' },
      { name: "It's", url: 'https://i.example/' },
    ];
    const opml = buildOpml('Herald sources', sources, new Date('2026-03-02T12:00:00Z'));
    expect(opml).toContain('<dateCreated>Mon, 02 Mar 2026 12:00:00 GMT</dateCreated>');
    expect(parseOpml(opml)).toEqual(sources.map((s) => ({ url: s.url, title: s.name })));
  });

  it.each([
    [
      'a DOCTYPE with entities (billion laughs)',
      `<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><opml><body><outline text="&b;" xmlUrl="https://x.example/"/></body></opml>`,
      /DOCTYPE or entities/,
    ],
    [
      'an external entity',
      `<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]><opml><body><outline text="&x;" xmlUrl="https://x.example/"/></body></opml>`,
      /DOCTYPE or entities/,
    ],
    ['malformed XML', '<opml><body><outline xmlUrl="https://x.example/"></body></opml>', /malformed XML/],
    ['XML that is not OPML', '<rss><channel><title>x</title></channel></rss>', /not OPML/],
    ['text that is not XML', 'https://x.example/feed', /not XML/],
  ])('refuses %s with a clear message', (_what, text, message) => {
    expect(() => parseOpml(text)).toThrow(UserError);
    expect(() => parseOpml(text)).toThrow(message);
  });

  it('leaves an undeclared entity as written, never resolving it', () => {
    expect(parseOpml(wrap('<outline text="&xxe; &#65;" xmlUrl="https://x.example/"/>'))).toEqual([
      { url: 'https://x.example/', title: '&xxe; A' },
    ]);
  });
});
