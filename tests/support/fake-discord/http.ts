// Reading request bodies (JSON or the multipart form discord.js sends with files) and writing
// responses the way Discord does: JSON with a content-type, or 204 with no content-type at all.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A file part of a multipart body, reduced to what tests assert on. */
export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string | null;
  size: number;
  /** The file's bytes, for tests that read what was sent (an export). */
  data: Buffer;
}

export interface ParsedBody {
  /** The JSON body, or payload_json of a multipart body; undefined when there was none. */
  json: unknown;
  files: RecordedFile[];
  /** Set when the body could not be parsed; the route answers 400 (50109, as Discord does). */
  error?: string;
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

export function parseBody(raw: Buffer, contentType: string | undefined): ParsedBody {
  if (raw.length === 0) return { json: undefined, files: [] };
  const type = contentType ?? '';
  if (type.startsWith('multipart/form-data')) return parseMultipart(raw, type);
  try {
    return { json: JSON.parse(raw.toString('utf8')) as unknown, files: [] };
  } catch {
    return { json: undefined, files: [], error: 'The request body contains invalid JSON.' };
  }
}

/** Parses multipart/form-data: payload_json becomes the body; other parts are recorded as files. */
function parseMultipart(raw: Buffer, contentType: string): ParsedBody {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (boundary === undefined) return { json: undefined, files: [], error: 'Missing multipart boundary.' };
  // latin1 keeps one character per byte, so offsets and sizes stay byte-exact.
  const text = raw.toString('latin1');
  const result: ParsedBody = { json: undefined, files: [] };
  for (const section of text.split(`--${boundary}`)) {
    const headerEnd = section.indexOf('\r\n\r\n');
    if (headerEnd === -1) continue;
    const headers = section.slice(0, headerEnd);
    // Each part's content ends with the CRLF that precedes the next boundary.
    const content = section.slice(headerEnd + 4).replace(/\r\n$/, '');
    const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
    if (filename !== undefined) {
      const partType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? null;
      result.files.push({
        field: name,
        filename,
        contentType: partType,
        size: content.length,
        data: Buffer.from(content, 'latin1'),
      });
    } else if (name === 'payload_json') {
      try {
        result.json = JSON.parse(Buffer.from(content, 'latin1').toString('utf8')) as unknown;
      } catch {
        result.error = 'payload_json is not valid JSON.';
      }
    }
  }
  return result;
}

/** Writes a JSON answer, or a bare 204 when there is no body (discord.js parses by content-type). */
export function send(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload).toString(),
  });
  res.end(payload);
}

/** Discord's error body: `{ code, message }` plus the nested `errors` of a 50035. */
export function apiError(code: number, message: string, errors?: unknown): Record<string, unknown> {
  return errors === undefined ? { code, message } : { code, message, errors };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
