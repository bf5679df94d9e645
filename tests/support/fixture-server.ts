import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A canned answer: status (default 200), headers, and a body sent in one piece. */
export interface StaticRoute {
  status?: number;
  headers?: OutgoingHttpHeaders;
  body?: string | Uint8Array;
}

/** Full control over the answer: drip bytes, stall, stream a bomb, inspect the request. */
export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

export type Route = StaticRoute | RouteHandler;

/** One request as the server saw it, kept in arrival order. */
export interface RecordedRequest {
  method: string;
  /** Path plus query string, as sent. */
  path: string;
  headers: IncomingHttpHeaders;
}

/** A real HTTP server on loopback for tests that fetch feeds and pages. */
export interface FixtureServer {
  /** e.g. '127.0.0.1' */
  readonly host: string;
  readonly port: number;
  /** 'http://127.0.0.1:PORT' */
  readonly origin: string;
  /** Absolute URL of `path` on this server. */
  url(path: string): string;
  /** Adds or replaces a route. Routes match the path with query first, then the bare path. */
  route(path: string, route: Route): void;
  /** Every request received so far (including ones that hit no route). */
  readonly requests: RecordedRequest[];
  /** Stops the server and cuts open connections, so stalled handlers cannot hang a test. */
  close(): Promise<void>;
}

export interface FixtureServerOptions {
  /** Address to bind; any of 127/8 works on Linux. Default '127.0.0.1'. */
  host?: string;
  /** Port to bind; default 0 (a free random port). */
  port?: number;
  routes?: Record<string, Route>;
}

function sendStatic(response: ServerResponse, route: StaticRoute): void {
  response.writeHead(route.status ?? 200, route.headers ?? {});
  response.end(route.body ?? '');
}

export async function createFixtureServer(options: FixtureServerOptions = {}): Promise<FixtureServer> {
  const host = options.host ?? '127.0.0.1';
  const routes = new Map<string, Route>(Object.entries(options.routes ?? {}));
  const requests: RecordedRequest[] = [];

  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push({ method: request.method ?? 'GET', path, headers: request.headers });
    const route = routes.get(path) ?? routes.get(path.split('?', 1)[0]!);
    if (route === undefined) {
      sendStatic(response, { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not found' });
    } else if (typeof route === 'function') {
      Promise.resolve(route(request, response)).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500);
        response.end(String(error));
      });
    } else {
      sendStatic(response, route);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    host,
    port,
    origin,
    requests,
    url: (path) => new URL(path, origin).href,
    route: (path, route) => void routes.set(path, route),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
