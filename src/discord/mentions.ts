/**
 * Allowed mentions that ping nobody. Article text is untrusted, so every message Herald sends
 * carries this. Frozen so no caller can widen it for everyone else.
 */
export const NO_MENTIONS: { readonly parse: never[] } = Object.freeze({
  parse: Object.freeze([]) as never[],
});
