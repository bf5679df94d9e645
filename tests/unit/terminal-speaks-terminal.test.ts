// The terminal chat speaks terminal: Discord Markdown rendered for a terminal, the prompt
// redrawn after what Herald prints on its own, and log lines kept out of the chat.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { renderMarkdown, renderReplyAsText, wrapToWidth } from '../../src/terminal/render-text.ts';
import { createTerminalScreen } from '../../src/terminal/screen.ts';

describe('Markdown in the terminal', () => {
  it('shows bold without stars, links as text (url), and subtext without its marker', () => {
    expect(renderMarkdown('You now follow **Science**.')).toBe('You now follow Science.');
    expect(renderMarkdown('Read [the report](<https://news.example/a>) now')).toBe(
      'Read the report (https://news.example/a) now',
    );
    expect(renderMarkdown('-# Sources: Example News')).toBe('Sources: Example News');
  });

  it('keeps escaped article text literal', () => {
    expect(renderMarkdown('Profit \\*\\*up\\*\\* 5% \\[sharply\\](x)')).toBe('Profit **up** 5% [sharply](x)');
  });

  it('uses bold and dim on a colour terminal', () => {
    const style = { color: true };
    expect(renderMarkdown('**Top stories**', style)).toBe('\u001b[1mTop stories\u001b[22m');
    expect(renderMarkdown('-# 3 sources', style)).toBe('\u001b[2m3 sources\u001b[22m');
  });

  it('renders a reply with an embed: title, description, fields and footer without raw Markdown', () => {
    const text = renderReplyAsText(
      {
        embeds: [
          {
            title: 'Harbour reopens',
            url: 'https://news.example/h',
            description: 'The **harbour** reopened.',
            fields: [{ name: 'Sources', value: '[Metro Ledger](<https://news.example/h>)' }],
            footer: { text: 'story s1' },
          },
        ],
      },
      0,
    );
    expect(text).toBe(
      'Harbour reopens\n   https://news.example/h\nThe harbour reopened.\nSources: Metro Ledger (https://news.example/h)\nstory s1',
    );
  });
});

function fakeTty() {
  let text = '';
  const output = Object.assign(
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        text += chunk.toString();
        done();
      },
    }),
    { isTTY: true, columns: 80 },
  );
  return { output, text: () => text };
}

describe('wrapping to the terminal width', () => {
  it('breaks long lines between words, never inside one', () => {
    const text =
      'Dockworkers at the port of Caldera walked off the job on Wednesday in protest at plans to automate two terminals.';
    const wrapped = wrapToWidth(text, 40).split('\n');
    expect(wrapped.length).toBeGreaterThan(2);
    for (const line of wrapped) expect(line.length).toBeLessThanOrEqual(40);
    expect(wrapped.join(' ')).toBe(text);
  });

  it('keeps a link longer than the width whole on its own line, and does not count styles as width', () => {
    const url = `https://news.example/${'a'.repeat(60)}`;
    expect(wrapToWidth(`Read more at ${url} today`, 30).split('\n')).toEqual(['Read more at', url, 'today']);
    const bold = '\u001b[1mTop stories now\u001b[22m';
    expect(wrapToWidth(bold, 20)).toBe(bold);
  });

  it('leaves text alone when the width is unknown (a pipe)', () => {
    const text = 'word '.repeat(100).trim();
    expect(wrapToWidth(text, undefined)).toBe(text);
  });
});

describe('the prompt', () => {
  it('is redrawn, with what was typed, after a message Herald prints on its own', async () => {
    const tty = fakeTty();
    const input = new PassThrough();
    const reader = createInterface({ input, output: tty.output, terminal: true });
    onTestFinished(() => reader.close());
    const screen = createTerminalScreen(tty.output);
    reader.setPrompt('herald> ');
    screen.attach(reader);
    reader.prompt();
    input.write('/bri');
    const before = tty.text().length;
    await new Promise<void>((resolve) => screen.stream.write('Your daily brief\n', () => resolve()));
    const after = tty.text().slice(before);
    expect(after).toContain('Your daily brief\n');
    expect(after.slice(after.indexOf('Your daily brief\n'))).toContain('herald> /bri');
  });

  it('is left alone while a command runs (its reply is followed by a prompt anyway)', async () => {
    const tty = fakeTty();
    const reader = createInterface({ input: new PassThrough(), output: tty.output, terminal: true });
    onTestFinished(() => reader.close());
    const screen = createTerminalScreen(tty.output);
    reader.setPrompt('herald> ');
    screen.attach(reader);
    screen.setBusy(true);
    const before = tty.text().length;
    await new Promise<void>((resolve) => screen.stream.write('posted\n', () => resolve()));
    expect(tty.text().slice(before)).toBe('posted\n');
  });
});

describe('log lines', () => {
  it('go to the chat log file when asked, not to the screen', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'herald-log-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'data', 'herald.log');
    createLogger('info', file).info({ source: 'wire' }, 'ingest run finished');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      msg: 'ingest run finished',
      source: 'wire',
    });
  });
});
