import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { createHostAllowlist } from '../config/allow-hosts.ts';
import { isBlockedAddress } from './fetch/blocked-address.ts';
import { checkContentType, decodeBody } from './fetch/decode-body.ts';
import type { FetchAccept } from './fetch/decode-body.ts';
import { FetchError, networkError } from './fetch/fetch-error.ts';
import { blockedAddressError, createGuardedLookup, systemResolver } from './fetch/guarded-lookup.ts';
import type { Resolver } from './fetch/guarded-lookup.ts';
import { readBody, tooLargeError } from './fetch/read-body.ts';

export { isBlockedAddress } from './fetch/blocked-address.ts';
export { FetchError, isFetchError } from './fetch/fetch-error.ts';
export type { FetchErrorCode } from './fetch/fetch-error.ts';
export type { FetchAccept } from './fetch/decode-body.ts';
export type { ResolvedAddress, Resolver } from './fetch/guarded-lookup.ts';

/** Limits and policy of a fetcher. Production passes nothing but maybe the limits from config. */
export interface SafeFetcherOptions {
  /** Whole fetch, redirects included, must finish within this. Default 15 000 ms. */
  deadlineMs?: number;
  /** Longest wait for the next sign of life (headers or a body chunk). Default 5 000 ms. */
  idleTimeoutMs?: number;
  /** Cap on the decompressed body. Default 5 MiB. */
  maxBytes?: number;
  /** Redirects followed before giving up. Default 5. */
  maxRedirects?: number;
  userAgent?: string;
  /**
   * Exceptions to the address policy, FOR TESTS: return true to allow an address that
   * isBlockedAddress refuses (e.g. exactly '127.0.0.2' for a fixture server). Never set in production.
   */
  allowPrivateAddresses?: (ip: string) => boolean;
  /** Host name resolution; defaults to the system resolver. Tests map names like 'evil.test'. */
  lookup?: Resolver;
  /** The operator's private hosts and ranges (`ingest.fetch.allowHosts`); see allow-hosts.ts. */
  allowHosts?: readonly string[];
}

/** Per-request choices: validators from the previous fetch, and what kind of document is wanted. */
export interface FetchRequest {
  etag?: string;
  lastModified?: string;
  /** Which content types are acceptable. Default 'any' (any non-binary type). */
  accept?: FetchAccept;
}

export type FetchResult =
  | {
      status: 'ok';
      /** The final URL, after redirects. */
      url: string;
      body: string;
      /** The Content-Type header as sent, '' when missing. */
      contentType: string;
      etag?: string;
      lastModified?: string;
      /** Decompressed body size in bytes. */
      bytes: number;
    }
  | { status: 'not-modified'; url: string };

/** The one way Herald fetches a URL. Every failure is a FetchError with a presentable message. */
export interface SafeFetcher {
  fetch(url: string, request?: FetchRequest): Promise<FetchResult>;
}

const acceptHeaders: Record<FetchAccept, string> = {
  feed: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.1',
  page: 'text/html, application/xhtml+xml;q=0.9, text/plain;q=0.5, */*;q=0.1',
  any: '*/*',
  attachment: 'text/x-opml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1',
};

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

function parseUrl(raw: string | URL): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchError('bad-url', 'That is not a valid web address.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError(
      'bad-scheme',
      `Only http and https links can be fetched, not ${url.protocol.replace(/:$/, '')}.`,
    );
  }
  return url;
}

function header(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

export function createSafeFetcher(options: SafeFetcherOptions = {}): SafeFetcher {
  const deadlineMs = options.deadlineMs ?? 15_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 5_000;
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 5;
  const userAgent = options.userAgent ?? 'HeraldBot/0.1 (+news briefing bot)';
  const exception = options.allowPrivateAddresses;
  const operatorAllows = createHostAllowlist(options.allowHosts ?? []);
  const isAllowed = (ip: string, hostname?: string): boolean =>
    !isBlockedAddress(ip) || (exception?.(ip) ?? false) || operatorAllows.allows(ip, hostname);
  const lookup = createGuardedLookup(options.lookup ?? systemResolver, isAllowed);

  /** Sends one GET and resolves with the response head; the body is left unread. */
  function send(url: URL, headers: OutgoingHttpHeaders, signal: AbortSignal): Promise<IncomingMessage> {
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    // node:net skips `lookup` for IP literals, so literals are judged here. The WHATWG parser
    // has already turned forms like http://2130706433/ and http://0x7f.1/ into dotted quads.
    if (isIP(hostname) !== 0 && !isAllowed(hostname)) return Promise.reject(blockedAddressError(url.host));
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.request(
        {
          protocol: url.protocol,
          hostname,
          ...(url.port === '' ? {} : { port: Number(url.port) }),
          path: `${url.pathname}${url.search}`,
          method: 'GET',
          headers,
          // A private agent per request: no pooled socket opened under another policy is reused,
          // and no proxy taken from the environment connects on our behalf.
          agent: false,
          lookup,
          signal,
        },
        resolve,
      );
      request.on('error', (error) => {
        if (error instanceof FetchError) reject(error);
        else if (signal.aborted && signal.reason instanceof FetchError) reject(signal.reason);
        else reject(networkError(url.host, error));
      });
      request.end();
    });
  }

  async function fetchUrl(
    raw: string,
    request: FetchRequest,
    signal: AbortSignal,
    touch: (host: string) => void,
  ): Promise<FetchResult> {
    const accept = request.accept ?? 'any';
    const headers: OutgoingHttpHeaders = {
      'user-agent': userAgent,
      accept: acceptHeaders[accept],
      'accept-encoding': 'gzip, deflate, br',
      ...(request.etag === undefined ? {} : { 'if-none-match': request.etag }),
      ...(request.lastModified === undefined ? {} : { 'if-modified-since': request.lastModified }),
    };
    let url = parseUrl(raw);
    for (let redirects = 0; ; redirects += 1) {
      touch(url.host);
      const response = await send(url, headers, signal);
      touch(url.host);
      const status = response.statusCode ?? 0;
      const location = header(response, 'location');
      if (redirectStatuses.has(status) && location !== undefined) {
        response.destroy();
        if (redirects >= maxRedirects) {
          throw new FetchError(
            'too-many-redirects',
            `${url.host} redirected more than ${maxRedirects} times.`,
          );
        }
        url = parseUrl(new URL(location, url));
        continue;
      }
      if (status === 304) {
        response.destroy();
        return { status: 'not-modified', url: url.href };
      }
      if (status < 200 || status > 299) {
        response.destroy();
        const text = response.statusMessage ? ` ${response.statusMessage}` : '';
        throw new FetchError('http-status', `${url.host} answered HTTP ${status}${text}.`, { status });
      }
      const contentType = header(response, 'content-type') ?? '';
      try {
        checkContentType(url.host, contentType, accept);
        const declared = Number(header(response, 'content-length') ?? NaN);
        if (declared > maxBytes && !header(response, 'content-encoding'))
          throw tooLargeError(url.host, maxBytes);
      } catch (error) {
        response.destroy();
        throw error;
      }
      const host = url.host;
      const bytes = await readBody(response, { host, maxBytes, signal, onActivity: () => touch(host) });
      const etag = header(response, 'etag');
      const lastModified = header(response, 'last-modified');
      return {
        status: 'ok',
        url: url.href,
        body: decodeBody(bytes, contentType),
        contentType,
        ...(etag === undefined ? {} : { etag }),
        ...(lastModified === undefined ? {} : { lastModified }),
        bytes: bytes.byteLength,
      };
    }
  }

  return {
    async fetch(url, request = {}) {
      const controller = new AbortController();
      let host = url;
      let idle: NodeJS.Timeout | undefined;
      const deadline = setTimeout(() => {
        controller.abort(
          new FetchError('timeout', `${host} did not finish responding within ${seconds(deadlineMs)}.`),
        );
      }, deadlineMs);
      // Any sign of life pushes the idle timer back; the deadline never moves.
      const touch = (current: string): void => {
        host = current;
        clearTimeout(idle);
        idle = setTimeout(() => {
          controller.abort(
            new FetchError('timeout', `${host} stopped sending data for ${seconds(idleTimeoutMs)}.`),
          );
        }, idleTimeoutMs);
      };
      try {
        return await fetchUrl(url, request, controller.signal, touch);
      } finally {
        clearTimeout(deadline);
        clearTimeout(idle);
      }
    },
  };
}
