import type { IncomingMessage } from 'node:http';
import { createBrotliDecompress, createUnzip } from 'node:zlib';
import type { Transform } from 'node:stream';
import { FetchError, networkError } from './fetch-error.ts';
import { createDeflateDecoder } from './deflate-decoder.ts';

export interface ReadBodyOptions {
  host: string;
  maxBytes: number;
  signal: AbortSignal;
  /** Called on every chunk off the wire, so an idle timer can be pushed back. */
  onActivity: () => void;
}

/** The decoder for a Content-Encoding, null for none; throws for encodings Herald did not ask for. */
function decoderFor(host: string, encoding: string): Transform | null {
  switch (encoding.trim().toLowerCase()) {
    case '':
    case 'identity':
      return null;
    // createUnzip accepts both gzip and zlib-wrapped deflate, so a mislabeled body still decodes.
    case 'gzip':
    case 'x-gzip':
      return createUnzip();
    // zlib-wrapped as the standard says, or raw as many servers send it.
    case 'deflate':
      return createDeflateDecoder();
    case 'br':
      return createBrotliDecompress();
    default:
      throw new FetchError(
        'bad-encoding',
        `${host} sent its response in an unsupported encoding (${encoding}).`,
      );
  }
}

export function tooLargeError(host: string, maxBytes: number): FetchError {
  const limit =
    maxBytes >= 1024 * 1024
      ? `${(maxBytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MiB`
      : `${maxBytes} bytes`;
  return new FetchError('too-large', `The response from ${host} is larger than the ${limit} limit.`);
}

/**
 * Reads the response body, decompressing it, and stops as soon as the DECOMPRESSED size passes
 * `maxBytes`: a compression bomb costs at most the cap in memory and the time to inflate it.
 */
export function readBody(response: IncomingMessage, options: ReadBodyOptions): Promise<Buffer> {
  const { host, maxBytes, signal } = options;
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    let decoder: Transform | null;
    const finish = (error: FetchError | null): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (error) {
        decoder?.destroy();
        response.destroy();
        reject(error);
      } else {
        resolve(Buffer.concat(chunks, total));
      }
    };
    const onAbort = (): void =>
      finish(signal.reason instanceof FetchError ? signal.reason : networkError(host, signal.reason));
    try {
      decoder = decoderFor(host, String(response.headers['content-encoding'] ?? ''));
    } catch (error) {
      response.destroy();
      reject(error instanceof FetchError ? error : networkError(host, error));
      return;
    }
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort);

    response.on('data', options.onActivity);
    response.on('error', (error) => finish(networkError(host, error)));
    response.on('close', () => {
      if (!response.complete) finish(networkError(host, { code: 'ECONNRESET' }));
    });
    const output = decoder ?? response;
    if (decoder) {
      response.pipe(decoder);
      decoder.on('error', (error) =>
        finish(
          new FetchError('bad-encoding', `${host} sent a corrupt compressed response.`, { cause: error }),
        ),
      );
    }
    output.on('data', (chunk: Buffer) => {
      if (settled) return;
      total += chunk.length;
      if (total > maxBytes) return finish(tooLargeError(host, maxBytes));
      chunks.push(chunk);
    });
    output.on('end', () => finish(null));
  });
}
