/**
 * Page chrome: what a site wraps around an article (menus, share bars, related lists, cookie
 * and subscription prompts). Code, embeds and form controls are never text and always go.
 * Everything else that only LOOKS like chrome (a class word such as "sidebar" or "paywall", a
 * <form> or <aside>) goes only when it also behaves like chrome: it holds a small share of the
 * text around it, or it is mostly links. Sites put such words on the element that wraps the
 * whole story ("article-body paywall", "content-with-sidebar", a page inside one <form>), so a
 * class word alone never decides.
 */
import type { parseHTML } from 'linkedom';
import { hasTag, queryAll, tagOf } from './dom-query.ts';
import type { El } from './dom-query.ts';
import { isSpaceCode, isTailHeading } from './text-clean.ts';

type Doc = ReturnType<typeof parseHTML>['document'];
export type { El };

/** Never text: removed wherever they are. */
const isHardChrome = hasTag(
  'script,style,noscript,template,iframe,object,embed,button,input,select,textarea,svg,canvas,dialog',
);

/** Structural roles that are usually chrome, judged like class words. */
const STRUCTURAL_TAGS = hasTag('form,nav,aside,footer');
const CHROME_ROLES = new Set(['navigation', 'complementary', 'banner', 'contentinfo', 'dialog']);

/** `form, nav, aside, footer, [role="navigation"], …, [aria-hidden="true"], [hidden]`. */
const isStructuralChrome = (el: El): boolean =>
  STRUCTURAL_TAGS(el) ||
  CHROME_ROLES.has(el.getAttribute('role') ?? '') ||
  el.getAttribute('aria-hidden') === 'true' ||
  el.hasAttribute('hidden');

/** Class or id words that mark share bars, related lists, cookie and subscription prompts. */
const CHROME_NAME =
  /(^|[\s_-])(share|sharing|social|related|recommended|more-stories|cookie|cookies|consent|gdpr|newsletter|subscribe|subscription|signup|paywall|promo|advert|advertisement|ads?|sponsor(ed)?|comments?|breadcrumbs?|menu|sidebar|popup|modal|masthead|site-header|site-footer|byline-social|tags|pagination|pager|caption|credits?)([\s_-]|$)/i;

/** Elements that may carry a matching class yet are the page or the article itself. */
const NEVER_REMOVE = new Set(['HTML', 'BODY', 'MAIN', 'ARTICLE']);

/** A chrome-looking element holding at least this share of the text around it is content. */
const CONTENT_SHARE = 0.3;
/** Above this share of link text an element is a list of links, whatever its size. */
const LINK_LIST_DENSITY = 0.5;

/**
 * Length of an element's text with each whitespace run read as one space and none at either
 * end, counted without building the collapsed string: it runs for every chrome candidate.
 */
export function textLength(el: El): number {
  const text = el.textContent ?? '';
  let length = 0;
  let gap = false;
  for (let i = 0; i < text.length; i++) {
    if (isSpaceCode(text.charCodeAt(i))) {
      gap = length > 0;
    } else {
      if (gap) length++;
      gap = false;
      length++;
    }
  }
  return length;
}

const isLink = (el: El): boolean => tagOf(el) === 'a';

function linkTextLength(links: readonly El[]): number {
  let length = 0;
  for (const link of links) length += textLength(link);
  return length;
}

function linkDensity(el: El, length: number): number {
  return length === 0 ? 0 : linkTextLength(queryAll(el, isLink)) / length;
}

/** True when an element that looks like chrome also behaves like it. */
function behavesLikeChrome(el: El, totalText: number): boolean {
  const length = textLength(el);
  if (length === 0) return true;
  if (linkDensity(el, length) > LINK_LIST_DENSITY) return true;
  return length < CONTENT_SHARE * totalText;
}

/** Marks an element as named like chrome, surviving Readability's unwrapping of its wrapper. */
const CHROME_MARK = 'data-herald-chrome';

const hasClassOrId = (el: El): boolean => el.hasAttribute('class') || el.hasAttribute('id');

const namedLikeChrome = (el: El): boolean =>
  el.hasAttribute(CHROME_MARK) ||
  CHROME_NAME.test(`${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`);

/**
 * Before Readability reads the page: Readability replaces a wrapper that holds a single
 * element by that element, and the wrapper's class ("promo-box") would be lost with it. The
 * mark is copied down such single-child chains so the chrome check still sees it afterwards.
 */
export function markChromeNames(root: El | Doc): void {
  for (const el of queryAll(root, hasClassOrId)) {
    if (NEVER_REMOVE.has(el.tagName) || !namedLikeChrome(el)) continue;
    for (
      let node: El | undefined = el;
      node;
      node = node.children.length === 1 ? (node.children[0] as El) : undefined
    ) {
      node.setAttribute(CHROME_MARK, '');
    }
  }
}

export function removeHardChrome(root: El | Doc): void {
  for (const el of queryAll(root, isHardChrome)) el.remove();
}

/**
 * Before Readability: menus, asides, footers and forms that behave like chrome (a small share
 * of the page's text, or mostly links) go at once, which also spares Readability scoring them.
 * A <form> or <aside> wrapping the article holds most of the text and stays.
 */
export function removeStructuralChrome(root: El): void {
  const total = textLength(root);
  for (const el of queryAll(root, isStructuralChrome)) {
    if (root.contains(el) && !NEVER_REMOVE.has(el.tagName) && behavesLikeChrome(el, total)) el.remove();
  }
}

const isCaption = (el: El): boolean => tagOf(el) === 'figcaption';
const isTextBlock = hasTag('p,li,h2,h3,h4,h5,h6,dd');
const isTailCandidate = hasTag('h2,h3,h4,h5,h6,p,strong');

/** One removed element and where it was, so a removal can be undone. */
interface Removal {
  node: El;
  parent: El;
  next: El | null;
}

/** Removes `node`, noting where it was. */
function detach(node: El, log: Removal[]): void {
  const parent = node.parentNode as El | null;
  if (!parent) return;
  log.push({ node, parent, next: node.nextSibling as El | null });
  node.remove();
}

/** Puts removed elements back where they were, last removed first. */
export function restore(log: readonly Removal[]): void {
  for (let i = log.length - 1; i >= 0; i--) {
    const { node, parent, next } = log[i] as Removal;
    parent.insertBefore(node, next);
  }
}

/**
 * Removes chrome inside `root`: structural and class-named candidates that hold little of
 * root's text or are mostly links, captions, blocks that are only a link, then everything
 * after a "Related Posts"-style heading when what follows is not most of the text. Returns
 * what it removed, for {@link restore}. `root` may be detached from any document (Readability's
 * article is), so "still there" means still inside `root`.
 */
export function removeChrome(root: El): Removal[] {
  const log: Removal[] = [];
  const total = textLength(root);
  for (const el of queryAll(root, isStructuralChrome)) {
    if (root.contains(el) && !NEVER_REMOVE.has(el.tagName) && behavesLikeChrome(el, total)) detach(el, log);
  }
  for (const el of queryAll(root, (node) => hasClassOrId(node) || node.hasAttribute(CHROME_MARK))) {
    if (NEVER_REMOVE.has(el.tagName) || !root.contains(el)) continue;
    if (namedLikeChrome(el) && behavesLikeChrome(el, total)) detach(el, log);
  }
  for (const caption of queryAll(root, isCaption)) detach(caption, log);
  // A block whose whole text is a link to elsewhere (a teaser headline, a "[Source]" link) is
  // navigation inside the article; a paragraph with a link in its prose keeps it.
  for (const block of queryAll(root, isTextBlock)) {
    if (!root.contains(block)) continue;
    // Most blocks hold no link: their text is not measured at all.
    const links = queryAll(block, isLink);
    if (links.length === 0) continue;
    const length = textLength(block);
    if (length > 0 && linkTextLength(links) / length >= 0.95) detach(block, log);
  }
  cutAtTailHeading(root, log);
  return log;
}

/** A "Related Posts" heading ends the article: what follows are other headlines. */
function cutAtTailHeading(root: El, log: Removal[]): void {
  for (const heading of queryAll(root, isTailCandidate)) {
    if (!root.contains(heading) || !isTailHeading(heading.textContent ?? '')) continue;
    const after: El[] = [];
    for (let node = heading as El | null; node; node = node.nextElementSibling as El | null) after.push(node);
    const removed = after.reduce((sum, node) => sum + textLength(node), 0);
    // A heading near the top with most of the text below it is not the end of the article.
    if (removed >= textLength(root) / 2) continue;
    for (const node of after) detach(node, log);
  }
}
