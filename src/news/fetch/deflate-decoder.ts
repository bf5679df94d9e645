import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { createInflate, createInflateRaw } from 'node:zlib';
import type { Inflate, InflateRaw } from 'node:zlib';

/**
 * True when two bytes open a zlib stream (RFC 1950): compression method 8 and a header whose
 * 16-bit value is a multiple of 31. Raw deflate data (RFC 1951) practically never passes both.
 */
function isZlibHeader(first: number, second: number): boolean {
  return (first & 0x0f) === 8 && first >> 4 <= 7 && ((first << 8) | second) % 31 === 0;
}

/**
 * A decoder for `Content-Encoding: deflate`. The standard says zlib-wrapped data, but many
 * servers send raw deflate; curl and browsers accept both by looking at the first two bytes,
 * and so does this. Output is pushed chunk by chunk, so the caller's size cap still stops a
 * compression bomb as soon as it passes the cap (destroying this stream destroys the inflater).
 */
export function createDeflateDecoder(): Transform {
  let inflater: Inflate | InflateRaw | undefined;
  let head = Buffer.alloc(0);

  // Called only once data flows, after `outer` below exists.
  const start = (bytes: Buffer): Inflate | InflateRaw => {
    const chosen = isZlibHeader(bytes[0] ?? 0, bytes[1] ?? 0) ? createInflate() : createInflateRaw();
    chosen.on('data', (chunk: Buffer) => outer.push(chunk));
    chosen.on('error', (error) => outer.destroy(error));
    return chosen;
  };

  const outer = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      if (!inflater) {
        head = Buffer.concat([head, chunk]);
        if (head.length < 2) return callback();
        inflater = start(head);
        chunk = head;
      }
      inflater.write(chunk, () => callback());
    },
    flush(callback: TransformCallback) {
      if (!inflater) {
        // One byte or none: too short to be either format.
        if (head.length === 0) return callback();
        return callback(new Error('truncated deflate stream'));
      }
      inflater.once('end', () => callback());
      inflater.end();
    },
    destroy(error: Error | null, callback: (error: Error | null) => void) {
      inflater?.destroy();
      callback(error);
    },
  });
  return outer;
}
