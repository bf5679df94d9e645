import { readFileSync } from 'node:fs';
import { decodeBody } from './fetch/decode-body.ts';

/**
 * A local feed, page or text file as text, its charset found the way a fetched body's is (BOM,
 * XML declaration, meta charset, else UTF-8 or windows-1252): files saved by other tools are
 * often ISO-8859-1, windows-1251 or UTF-16, and reading them as UTF-8 makes mojibake.
 */
export function readTextFile(file: string): string {
  return decodeBody(readFileSync(file), undefined);
}
