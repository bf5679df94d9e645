import { describe, expect, it } from 'vitest';
import { html, page } from '../../src/panel/html.ts';
import { momentText, nextIngestAt } from '../../src/panel/pages/overview.ts';
import { discordPreview } from '../../src/panel/pages/discord-preview.ts';

describe('panel pages', () => {
  it('escape story text, so a hostile title cannot add markup or script', () => {
    const title = '<script>alert(1)</script> & "quotes" \'too\'';
    const rendered = html`<h2>${title}</h2>
      <a href="${title}">x</a>`.value;
    expect(rendered).not.toContain('<script>');
    expect(rendered).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &#39;too&#39;',
    );
    expect(page({ title }, html`<p>ok</p>`)).not.toContain('<script>alert');
  });

  it('show a Discord preview as words: masked links and emphasis become text, never markup', () => {
    const shown = discordPreview({
      content: '**Breaking** [click](https://evil.example/x) <img src=x>',
      embeds: [
        { title: 'A <b>title</b>', description: 'Said `hi`', fields: [{ name: 'Sources', value: 'A, B' }] },
      ],
    }).value;
    expect(shown).toContain('Breaking click &lt;img src=x&gt;');
    expect(shown).not.toContain('evil.example');
    expect(shown).toContain('A &lt;b&gt;title&lt;/b&gt;');
    expect(shown).toContain('Said hi');
  });

  it('tell the next ingest of a */N schedule, across the hour', () => {
    const at = Date.parse('2026-12-07T10:07:30Z');
    expect(new Date(nextIngestAt(at, 15)).toISOString()).toBe('2026-12-07T10:15:00.000Z');
    expect(new Date(nextIngestAt(Date.parse('2026-12-07T10:52:00Z'), 15)).toISOString()).toBe(
      '2026-12-07T11:00:00.000Z',
    );
    expect(new Date(nextIngestAt(Date.parse('2026-12-07T23:45:00Z'), 15)).toISOString()).toBe(
      '2026-12-08T00:00:00.000Z',
    );
  });

  it('tell an ingest time as an admin reads it: how far off, then the clock time', () => {
    const now = Date.parse('2026-12-07T10:07:30Z');
    expect(momentText(Date.parse('2026-12-07T10:15:00Z'), now)).toBe('in 8 min (10:15 UTC)');
    expect(momentText(Date.parse('2026-12-07T07:02:00Z'), now)).toBe('3 h ago (07:02 UTC)');
    expect(momentText(Date.parse('2026-12-08T00:00:00Z'), Date.parse('2026-12-07T23:52:00Z'))).toBe(
      'in 8 min (2026-12-08 00:00 UTC)',
    );
    expect(momentText(now, now)).toBe('now (10:07 UTC)');
  });
});
