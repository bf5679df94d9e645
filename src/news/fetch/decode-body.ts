import { TextDecoder } from 'node:util';
import { FetchError } from './fetch-error.ts';

/**
 * What the caller expects back; it decides which content types are acceptable. 'attachment' is
 * a file a user attached in Discord: its CDN labels types by extension, so an `.opml` may come
 * as application/octet-stream; the caller's parser judges the text.
 */
export type FetchAccept = 'feed' | 'page' | 'any' | 'attachment';

/** The media type without parameters, lowercased; '' when the header is missing. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

const binaryPrefixes = ['image/', 'audio/', 'video/', 'font/', 'model/'];
const binaryTypes = new Set([
  'application/octet-stream',
  'application/pdf',
  'application/zip',
  'application/gzip',
  'application/x-gzip',
  'application/x-tar',
  'application/x-7z-compressed',
  'application/x-rar-compressed',
  'application/vnd.ms-excel',
  'application/msword',
  'application/wasm',
  'application/x-shockwave-flash',
]);

function isBinary(type: string): boolean {
  return binaryTypes.has(type) || binaryPrefixes.some((prefix) => type.startsWith(prefix));
}

function isXmlOrJson(type: string): boolean {
  return (
    type === 'application/xml' ||
    type === 'application/json' ||
    type.endsWith('+xml') ||
    type.endsWith('+json')
  );
}

/** Types each expectation accepts. A missing header is let through: the parser sniffs the body. */
function accepts(accept: FetchAccept, type: string): boolean {
  if (type === '') return true;
  if (accept === 'attachment' && type === 'application/octet-stream') return true;
  if (isBinary(type)) return false;
  switch (accept) {
    // HTML served as a feed is let through on purpose: the feed parser names that mistake better.
    case 'feed':
      return type.startsWith('text/') || isXmlOrJson(type);
    case 'page':
      return type === 'text/html' || type === 'application/xhtml+xml' || type === 'text/plain';
    case 'any':
    case 'attachment':
      return true;
  }
}

const acceptNames: Record<FetchAccept, string> = {
  feed: 'a feed',
  page: 'a web page',
  any: 'text',
  attachment: 'a text file',
};

/** Throws 'bad-content-type' when the response cannot be what the caller asked for. */
export function checkContentType(host: string, contentType: string | undefined, accept: FetchAccept): void {
  const type = mediaType(contentType);
  if (!accepts(accept, type)) {
    throw new FetchError('bad-content-type', `${host} sent ${type}, which is not ${acceptNames[accept]}.`);
  }
}

/** Returns a TextDecoder for `label`, or undefined when the label is unknown to WHATWG encoding. */
function decoderFor(label: string | undefined): TextDecoder | undefined {
  if (label === undefined || label.trim() === '') return undefined;
  try {
    return new TextDecoder(label.trim());
  } catch {
    return undefined;
  }
}

/** A declaration inside the document cannot honestly say UTF-16: it was readable as ASCII. */
function fromDocument(label: string | undefined): TextDecoder | undefined {
  const decoder = decoderFor(label);
  return decoder?.encoding.startsWith('utf-16') ? new TextDecoder('utf-8') : decoder;
}

function bomEncoding(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  // No BOM, but "<?" written in two-byte units: an XML document in UTF-16 (XML 1.0, Appendix F).
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return 'utf-16le';
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return 'utf-16be';
  return undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Undeclared bytes: UTF-8 when they are valid UTF-8, else windows-1252, the charset browsers
 * assume for undeclared Western pages (and a superset of ISO-8859-1). Invalid UTF-8 is almost
 * never an accident of real UTF-8 text, so the test is reliable.
 */
function undeclared(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

function headerCharset(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1];
}

function xmlDeclarationEncoding(head: string): string | undefined {
  const match = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([^"']+)["']/i.exec(head);
  return match?.[1];
}

function htmlMetaCharset(head: string): string | undefined {
  const direct = /<meta[^>]*?\scharset\s*=\s*["']?([^"'\s/>;]+)/i.exec(head);
  if (direct) return direct[1];
  const equiv = /<meta[^>]*?http-equiv\s*=\s*["']?content-type["']?[^>]*?>/i.exec(head);
  return equiv ? headerCharset(/content\s*=\s*["']([^"']*)["']/i.exec(equiv[0])?.[1]) : undefined;
}

/**
 * The bytes as UTF-8 when they are valid UTF-8 and hold at least one multi-byte sequence. Text
 * in a legacy charset with letters beyond ASCII is almost never valid UTF-8 by accident, so
 * such bytes were written as UTF-8 whatever a template's meta tag still declares.
 */
function provenUtf8(bytes: Uint8Array): string | undefined {
  if (!bytes.some((byte) => byte >= 0x80)) return undefined;
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Decodes a body, fetched or read from a file, to text. A byte-order mark wins (as WHATWG
 * encoding sniffing does: a BOM is never wrong about itself), then the HTTP charset (absent for
 * files). A declaration inside the document (the XML declaration, else an HTML meta charset in
 * the first 2 KiB) comes next, except that bytes proven to be UTF-8 are read as UTF-8: pages
 * re-encoded to UTF-8 often keep their old "gb2312" or "iso-8859-1" meta tag. With no
 * declaration, UTF-8 when the bytes are valid UTF-8 and windows-1252 otherwise. Unknown labels
 * fall through to the next source instead of failing.
 */
export function decodeBody(bytes: Uint8Array, contentType: string | undefined): string {
  // latin1 maps bytes 1:1, so an ASCII-compatible declaration reads correctly whatever follows.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 2048)).toString(
    'latin1',
  );
  const outside = decoderFor(bomEncoding(bytes)) ?? decoderFor(headerCharset(contentType));
  if (outside) return outside.decode(bytes);
  const declared = fromDocument(xmlDeclarationEncoding(head)) ?? fromDocument(htmlMetaCharset(head));
  if (!declared) return undeclared(bytes);
  if (declared.encoding !== 'utf-8') {
    const utf8 = provenUtf8(bytes);
    if (utf8 !== undefined) return utf8;
  }
  return declared.decode(bytes);
}
