/**
 * Reading a local news file (a configured `path` source or an `ingest` argument) under the
 * same size cap as a fetched body, and refusing what is not text. A file is read in chunks
 * and never past the cap, so a 200 MB file (or /dev/zero) costs one chunk of memory, not
 * its size: the old whole-file read took 4 GB of heap on a 200 MB file and died.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UserError } from '../errors.ts';

const CHUNK_BYTES = 64 * 1024;
/** How much of the start of a file the binary check looks at. */
const SNIFF_BYTES = 8 * 1024;
/** Above this share of control characters in the sniffed start, a file is not text. */
const MAX_CONTROL_SHARE = 0.05;

/**
 * Signatures of common binary formats (images, archives, compressed data, executables, PDF)
 * that cannot open a line of text. Formats that start with NUL bytes are caught by the NUL rule.
 */
const MAGIC_NUMBERS: readonly (readonly number[])[] = [
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
  [0x25, 0x50, 0x44, 0x46], // %PDF
  [0x50, 0x4b, 0x03, 0x04], // zip, docx, epub
  [0x1f, 0x8b], // gzip
  [0x42, 0x5a, 0x68], // bzip2
  [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], // xz
  [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], // 7z
  [0x28, 0xb5, 0x2f, 0xfd], // zstd
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0x4f, 0x67, 0x67, 0x53], // Ogg
  [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], // SQLite
];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((byte, i) => bytes[i] === byte);
}

/** Text in UTF-16 has a NUL in every other byte; its byte order mark says it is text. */
function hasUtf16Bom(bytes: Uint8Array): boolean {
  return startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff]);
}

/** Why these bytes are not a text file, or undefined when they may be one. */
export function binaryReason(start: Uint8Array): string | undefined {
  const head = start.subarray(0, SNIFF_BYTES);
  if (hasUtf16Bom(head)) return undefined;
  if (MAGIC_NUMBERS.some((magic) => startsWith(head, magic)))
    return 'a binary file (its first bytes are a binary format’s signature)';
  let controls = 0;
  for (const byte of head) {
    if (byte === 0) return 'a binary file (it contains NUL bytes)';
    // Tab, line feed, form feed and carriage return are text; other C0 controls and DEL are not.
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) || byte === 0x7f)
      controls++;
  }
  if (head.length > 0 && controls / head.length > MAX_CONTROL_SHARE)
    return 'a binary file (too many control characters for text)';
  return undefined;
}

/**
 * The bytes of a regular file of at most `maxBytes`, read in chunks. Throws a UserError with
 * a clear line for a file that is too large, not a regular file, or binary.
 */
export function readLocalFile(file: string, maxBytes: number): Buffer {
  const limit = `${Math.round((maxBytes / 1024 / 1024) * 10) / 10} MiB`;
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    throw new UserError(`${file}: cannot be read`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new UserError(`${file}: not a regular file`);
    if (stats.size > maxBytes)
      throw new UserError(
        `${file}: too large (${Math.ceil(stats.size / 1024 / 1024)} MiB; the limit is ${limit}, ingest.fetch.maxBytes)`,
      );
    // The size can change while reading (a growing log): the cap holds on what is read.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const read = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      total += read;
      if (total > maxBytes)
        throw new UserError(`${file}: too large (over the limit of ${limit}, ingest.fetch.maxBytes)`);
      chunks.push(chunk.subarray(0, read));
      if (total - read < SNIFF_BYTES) {
        const reason = binaryReason(Buffer.concat(chunks));
        if (reason) throw new UserError(`${file}: not news text: ${reason}`);
      }
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}
