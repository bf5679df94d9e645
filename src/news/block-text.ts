/**
 * The text of an HTML tree as its paragraphs, the way a browser lays it out: every block
 * element (a paragraph, a list item, a heading, but also a <div> or <section>) starts and ends
 * a paragraph, and so does a blank line made of two <br>. Text standing loose in a <div> next
 * to <p> elements (a standfirst written straight into its wrapper) is a paragraph of its own,
 * never glued to the paragraph after it.
 */
import { normalizeWhitespace } from './text-clean.ts';
import type { El } from './dom-query.ts';

/** Elements a browser lays out as blocks: text on either side of one is in another paragraph. */
const BLOCK_TAGS = new Set(
  (
    'address,article,aside,blockquote,center,dd,details,dialog,div,dl,dt,fieldset,figcaption,figure,' +
    'footer,form,h1,h2,h3,h4,h5,h6,header,hgroup,hr,li,main,nav,ol,p,pre,section,summary,table,' +
    'tbody,tfoot,thead,tr,ul'
  ).split(','),
);
/** A table row is one line: its cells read together ("3 Kevin Harvick 5033"), a space apart. */
const CELL_TAGS = new Set(['td', 'th']);
/** Never read: code, and the page's own headline (the article's title is read apart). */
const SKIPPED_TAGS = new Set(['script', 'style', 'noscript', 'template', 'h1']);

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

const tag = (node: El): string => (node.localName ?? '').toLowerCase();

/**
 * A <br> ends a line. A line that stops mid-sentence followed by one that starts in lower case
 * is a hard wrap inside running prose and joins back; two <br> in a row (a blank line) end the
 * paragraph.
 */
function endsLine(line: string, next: string): boolean {
  return /[.!?…:;"”’)\]]$/u.test(line) || !/^[\p{Ll}\p{N}]/u.test(next);
}

/** The elements that hold a page's paragraphs of text (a <div> or <section> only groups them). */
const TEXT_BLOCK_TAGS = new Set([
  'p',
  'li',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'figcaption',
  'dd',
  'tr',
]);
/**
 * Text standing outside every paragraph element, on a page that has them, is read only when it
 * is as long as a standfirst: shorter loose text is a caption, a link written out or a counter
 * ("Image 1 of / 8"). Words are counted by the spaces between them: an address written out is
 * one run of text, however many words its path spells.
 */
const LOOSE_MIN_WORDS = 12;

interface Line {
  text: string;
  /** Some of it stood inside a paragraph element. */
  inBlock: boolean;
}

/**
 * Paragraph texts of `root` in document order: each run of text between block boundaries,
 * whitespace normalized, empty ones left out.
 */
export function blockTexts(root: El): string[] {
  const out: Line[] = [];
  let lines: Line[] = [];
  let current = '';
  let currentInBlock = false;
  let depth = 0;
  const flushLine = (): void => {
    const text = normalizeWhitespace(current);
    const inBlock = currentInBlock;
    current = '';
    currentInBlock = false;
    if (text === '') return;
    const last = lines[lines.length - 1];
    if (last !== undefined && !endsLine(last.text, text))
      lines[lines.length - 1] = { text: `${last.text} ${text}`, inBlock: last.inBlock || inBlock };
    else lines.push({ text, inBlock });
  };
  const flush = (): void => {
    flushLine();
    out.push(...lines);
    lines = [];
  };
  const lineBreak = (): void => {
    if (normalizeWhitespace(current) === '') flush();
    else flushLine();
  };

  // An explicit walk (no recursion on hostile nesting): enter a node, later leave it.
  const stack: { node: El; leaving: boolean }[] = [{ node: root, leaving: false }];
  while (stack.length > 0) {
    const { node, leaving } = stack.pop() as { node: El; leaving: boolean };
    if (node.nodeType === TEXT_NODE) {
      const text = node.textContent ?? '';
      current += text;
      if (depth > 0 && text.trim() !== '') currentInBlock = true;
      continue;
    }
    if (node.nodeType !== ELEMENT_NODE) continue;
    const name = tag(node);
    if (leaving) {
      if (BLOCK_TAGS.has(name)) flush();
      if (TEXT_BLOCK_TAGS.has(name)) depth--;
      continue;
    }
    if (SKIPPED_TAGS.has(name)) {
      if (BLOCK_TAGS.has(name)) flush();
      continue;
    }
    if (name === 'br') {
      lineBreak();
      continue;
    }
    if (BLOCK_TAGS.has(name)) flush();
    if (TEXT_BLOCK_TAGS.has(name)) depth++;
    if (CELL_TAGS.has(name)) current += ' ';
    stack.push({ node, leaving: true });
    const children = node.childNodes as unknown as ArrayLike<El>;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child) stack.push({ node: child, leaving: false });
    }
  }
  flush();
  // Text with no paragraph elements at all (only <br> or <div> breaks) is read whole.
  if (!out.some((line) => line.inBlock)) return out.map((line) => line.text);
  return out
    .filter((line) => line.inBlock || line.text.split(' ').length >= LOOSE_MIN_WORDS)
    .map((line) => line.text);
}
