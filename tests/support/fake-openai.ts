// A local OpenAI-compatible server for tests: POST /v1/chat/completions answers from a
// per-test script (queued responses, else a default handler) and records every request so a
// test can assert how many model calls a feature made.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer. `content` becomes the assistant message; `status` an error body. */
export type FakeResponse =
  | { content: string; delayMs?: number; promptTokens?: number; completionTokens?: number }
  | { status: number; message?: string; type?: string; delayMs?: number };

export interface RecordedRequest {
  path: string;
  body: Record<string, unknown>;
}

export interface FakeOpenAi {
  /** Ends in /v1, ready for `new OpenAI({ baseURL })`. */
  baseURL: string;
  enqueue(...responses: FakeResponse[]): void;
  /** Answers requests once the queue is empty (default: a 500). */
  setDefault(handler: (request: RecordedRequest) => FakeResponse): void;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Builds an assistant message whose content is the JSON of `value`. */
export function jsonContent(value: unknown): FakeResponse {
  return { content: JSON.stringify(value) };
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const queue: FakeResponse[] = [];
  const requests: RecordedRequest[] = [];
  let fallback: (request: RecordedRequest) => FakeResponse = () => ({
    status: 500,
    message: 'no scripted response',
  });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        // keep the empty body; the test sees it in `requests`
      }
      const recorded = { path: req.url ?? '', body };
      requests.push(recorded);
      if (req.method !== 'POST' || !(req.url ?? '').endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
        return;
      }
      const response = queue.shift() ?? fallback(recorded);
      const send = (): void => {
        if (res.destroyed) return;
        if ('status' in response) {
          // retry-after-ms keeps the SDK's one retry fast in tests.
          res.writeHead(response.status, { 'content-type': 'application/json', 'retry-after-ms': '5' });
          res.end(
            JSON.stringify({
              error: {
                message: response.message ?? `status ${response.status}`,
                type: response.type ?? 'server_error',
                code: null,
              },
            }),
          );
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: `chatcmpl-${requests.length}`,
            object: 'chat.completion',
            created: 0,
            model: typeof body['model'] === 'string' ? body['model'] : 'fake',
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: response.content, refusal: null },
                finish_reason: 'stop',
              },
            ],
            usage: {
              prompt_tokens: response.promptTokens ?? 100,
              completion_tokens: response.completionTokens ?? 50,
              total_tokens: (response.promptTokens ?? 100) + (response.completionTokens ?? 50),
            },
          }),
        );
      };
      if (response.delayMs) setTimeout(send, response.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    enqueue: (...responses) => {
      queue.push(...responses);
    },
    setDefault: (handler) => {
      fallback = handler;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
