// Placeholder: the summaries work replaces this with a splitter that survives abbreviations,
// quotations and datelines. The signature is the contract other modules rely on.
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?]["”’)]?)\s+(?=["“‘(]?[A-Z0-9])/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
