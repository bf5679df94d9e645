/**
 * The LlmClient port over the openai SDK (v7): chat completions with a strict JSON Schema
 * response format. Works with OpenAI and with OpenAI-compatible servers (Ollama, vLLM,
 * llama.cpp) through `baseURL`. The SDK does the timeout and the one retry; this module adds
 * a circuit breaker, JSON parsing and call/token accounting.
 */
import type OpenAI from 'openai';
import { createCircuitBreaker } from './circuit-breaker.ts';
import type { BreakerState } from './circuit-breaker.ts';
import type { JsonCompletionRequest, LlmClient, LlmUsage } from './types.ts';

export interface OpenAiLlmClientOptions {
  /** Omit for local servers that need none. */
  apiKey?: string;
  /** For example http://127.0.0.1:11434/v1 (Ollama). Omit for api.openai.com. */
  baseURL?: string;
  model: string;
  timeoutMs: number;
  maxRetries: number;
  breaker: { failureThreshold: number; cooldownMs: number };
  now?: () => number;
}

export interface OpenAiLlmClient extends LlmClient {
  breakerState(): BreakerState;
}

/** Thrown when the model answered but not with usable JSON. */
export class ModelOutputError extends Error {
  override name = 'ModelOutputError';
}

/** Parses model text as JSON, tolerating a ```json fence some local models add. */
export function parseModelJson(content: string): unknown {
  const trimmed = content.trim();
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/iu.exec(trimmed);
  try {
    return JSON.parse(fenced?.[1] ?? trimmed) as unknown;
  } catch {
    throw new ModelOutputError('model returned malformed JSON');
  }
}

export function createOpenAiLlmClient(options: OpenAiLlmClientOptions): OpenAiLlmClient {
  // The SDK is loaded at the first call: a process that never asks the model (no key, the
  // command line, the tests) does not hold its modules (about 7 MB of heap, 30 MB resident).
  let client: Promise<OpenAI> | undefined;
  const openClient = (): Promise<OpenAI> =>
    (client ??= import('openai').then(
      ({ default: SDK }) =>
        new SDK({
          apiKey: options.apiKey ?? 'not-needed',
          timeout: options.timeoutMs,
          maxRetries: options.maxRetries,
          ...(options.baseURL !== undefined ? { baseURL: options.baseURL } : {}),
        }),
    ));
  const breaker = createCircuitBreaker({ ...options.breaker, ...(options.now ? { now: options.now } : {}) });
  const usage: LlmUsage = { calls: 0, failures: 0, promptTokens: 0, completionTokens: 0 };

  async function call(request: JsonCompletionRequest): Promise<unknown> {
    usage.calls++;
    const completion = await (
      await openClient()
    ).chat.completions.create({
      model: options.model,
      messages: [
        { role: 'system', content: request.system },
        { role: 'user', content: request.user },
      ],
      response_format: {
        type: 'json_schema',
        json_schema: { name: request.schemaName, schema: request.schema, strict: true },
      },
      max_completion_tokens: request.maxOutputTokens,
      temperature: 0,
    });
    usage.promptTokens += completion.usage?.prompt_tokens ?? 0;
    usage.completionTokens += completion.usage?.completion_tokens ?? 0;
    const message = completion.choices[0]?.message;
    if (!message || message.refusal) throw new ModelOutputError('model refused or returned no message');
    if (typeof message.content !== 'string' || message.content.trim() === '') {
      throw new ModelOutputError('model returned no content');
    }
    return parseModelJson(message.content);
  }

  return {
    model: options.model,
    breakerState: () => breaker.state(),
    async completeJson(request: JsonCompletionRequest): Promise<unknown> {
      // Failures count calls that reached the model; refusals by an open breaker do not.
      return breaker.run(async () => {
        try {
          return await call(request);
        } catch (error) {
          usage.failures++;
          throw error;
        }
      });
    },
    usage: () => ({ ...usage }),
  };
}
