/**
 * Element queries without CSS selectors, for the extraction's many small queries. linkedom
 * compiles a selector on every querySelector call, and on an article page of a few kilobytes,
 * or within one paragraph, compiling costs more than the walk it drives. These walk the tree
 * with plain predicates and return what querySelectorAll would for the equivalent selector:
 * elements inside `root` (not root), in document order, a static list, template contents
 * skipped (querySelectorAll matches a <template> but never what it holds).
 */
import type { parseHTML } from 'linkedom';

type Doc = ReturnType<typeof parseHTML>['document'];
export type El = ReturnType<Doc['createElement']>;

/** NodeFilter.SHOW_ELEMENT: linkedom's TreeWalker snapshots matching nodes in one pass. */
const SHOW_ELEMENT = 0x1;

/** Node.DOCUMENT_NODE. */
const DOCUMENT_NODE = 9;

/** Elements inside `root` for which `test` holds, as querySelectorAll lists them. */
export function queryAll(root: El | Doc, test: (el: El) => boolean): El[] {
  const document = (root.nodeType === DOCUMENT_NODE ? root : root.ownerDocument) as Doc;
  const walker = document.createTreeWalker(root, SHOW_ELEMENT);
  const found: El[] = [];
  let template: El | undefined;
  for (let el = walker.nextNode() as El | null; el; el = walker.nextNode() as El | null) {
    if (template) {
      if (template.contains(el)) continue;
      template = undefined;
    }
    if (el.localName === 'template') template = el;
    if (test(el)) found.push(el);
  }
  return found;
}

/** The tag name as CSS type selectors compare it in an HTML document ("p", never "P"). */
export const tagOf = (el: El): string => (el.localName as string).toLowerCase();

/** A test for elements whose tag is in a comma-separated list ("p,li,h2"). */
export function hasTag(tags: string): (el: El) => boolean {
  const set = new Set(tags.split(','));
  return (el) => set.has(tagOf(el));
}
