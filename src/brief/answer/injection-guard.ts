/**
 * Article text is data. A sentence that reads like an instruction to an assistant ("ignore
 * previous instructions and…") is never quoted as evidence by either answerer: the model
 * answerer rejects a citation resting on one, the extractive answerer skips it.
 */
const PATTERNS: readonly RegExp[] = [
  /\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instructions?|prompts?|rules|directions|context)\b/i,
  /\byou are (?:now|no longer)\b/i,
  /\b(?:system prompt|developer message|jailbreak)\b/i,
  /\b(?:as an ai|language model)\b.{0,40}\b(?:must|should|will)\b/i,
  /^\s*(?:system|assistant|user)\s*:/i,
  /<\/?(?:passage|system|instructions?)\b/i,
];

export function looksLikeInstruction(text: string): boolean {
  return PATTERNS.some((pattern) => pattern.test(text));
}
