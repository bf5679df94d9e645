import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { hasTag, queryAll } from '../../src/news/dom-query.ts';
import { textLength } from '../../src/news/page-chrome.ts';
import { isSpaceCode } from '../../src/news/text-clean.ts';

const page = `<!doctype html><html><head><title>T</title></head><body>
<div id="a"><p>One <a href="/x">link</a></p><blockquote><p>Quoted</p></blockquote></div>
<template><p>never shown</p><div><p>nor this</p></div></template>
<ul><li>Item <template><li>hidden</li></template></li><li><p>Nested</p></li></ul>
<section role="navigation" hidden><p>Menu</p><table><tr><td>1</td></tr></table></section>
</body></html>`;

describe('selector-free element queries', () => {
  it('lists what querySelectorAll lists, in the same order, template contents left out', () => {
    const { document } = parseHTML(page);
    const body = document.body;
    // Elements made by script keep an upper-case local name; CSS type selectors still match them.
    const made = document.createElement('P');
    made.textContent = 'Added by a script';
    body.appendChild(made);
    for (const tags of ['p,li,blockquote,tr', 'template', 'a', 'div,section,ul']) {
      const expected = [...body.querySelectorAll(tags)];
      expect(queryAll(body, hasTag(tags)), tags).toEqual(expected);
      expect(queryAll(document, hasTag(tags)), tags).toEqual([...document.querySelectorAll(tags)]);
    }
    expect(queryAll(body, (el) => el.hasAttribute('hidden'))).toEqual([...body.querySelectorAll('[hidden]')]);
  });

  it('never lists the root itself', () => {
    const { document } = parseHTML(page);
    const div = document.querySelector('#a');
    if (!div) throw new Error('fixture lost its div');
    expect(queryAll(div, hasTag('div,p'))).toEqual([...div.querySelectorAll('div,p')]);
  });
});

describe('text length as the chrome checks measure it', () => {
  it('treats exactly the characters \\s matches as whitespace', () => {
    const mismatches: number[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (isSpaceCode(code) !== /\s/.test(String.fromCharCode(code))) mismatches.push(code);
    }
    expect(mismatches).toEqual([]);
  });

  it('counts the text with whitespace runs collapsed to one space and trimmed', () => {
    const texts = [
      '',
      '   ',
      ' a ',
      'a\u00a0\u00a0b',
      '\n\tHello,\u2003 world \u3000',
      'x\ufeff\ufeffy',
      'one  two   three',
      'é ☃ 𝄞  end',
    ];
    for (const text of texts) {
      const { document } = parseHTML('<!doctype html><html><body><div></div></body></html>');
      const div = document.querySelector('div');
      if (!div) throw new Error('fixture lost its div');
      div.innerHTML = `<span>${text}</span><b> ${text}</b>`;
      const expected = (div.textContent ?? '').replace(/\s+/g, ' ').trim().length;
      expect(textLength(div), JSON.stringify(text)).toBe(expected);
    }
  });
});
