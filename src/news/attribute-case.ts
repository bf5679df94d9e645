/**
 * HTML attribute names are case-insensitive (`<META NAME=…>`, `<DIV CLASS=…>` on older
 * pages), but linkedom keeps them as written, so `getAttribute('class')`, `[name=…]` selectors
 * and Readability's class and id scoring would not see them. Such pages get their attribute
 * names lower-cased once after parsing; pages without any (nearly all) pay one regex test.
 */
import type { parseHTML } from 'linkedom';

type Doc = ReturnType<typeof parseHTML>['document'];

/**
 * An attribute name with a capital inside a start tag: `<meta NAME=`, `<p Class="`. It may also
 * hit text inside a quoted value, which only costs the walk below. No nested repetition: a
 * hostile tag cannot make it backtrack.
 */
const UPPER_CASE_ATTRIBUTE = /<[A-Za-z][^<>]*\s[a-z-]*[A-Z][\w.:-]*\s*=/;

/** Lower-cases the attribute names of `document` when `html` shows any written with capitals. */
export function lowerCaseAttributeNames(document: Doc, html: string): void {
  if (!UPPER_CASE_ATTRIBUTE.test(html)) return;
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of [...element.attributes]) {
      const lower = attribute.name.toLowerCase();
      if (lower === attribute.name) continue;
      // The first spelling wins, as an HTML parser keeps the first of two duplicate attributes.
      if (!element.hasAttribute(lower)) element.setAttribute(lower, attribute.value);
      element.removeAttribute(attribute.name);
    }
  }
}
