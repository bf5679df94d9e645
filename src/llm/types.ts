/**
 * The one port every model-backed feature uses. Implementations wrap the openai SDK with a
 * timeout, a retry, a circuit breaker and token accounting; callers treat any throw as
 * "use the extractive path".
 */
export interface JsonCompletionRequest {
  /** Instructions; never contains untrusted text. */
  system: string;
  /** The task with untrusted text inside clear delimiters. */
  user: string;
  /** Name and JSON Schema for a structured (json_schema) response. */
  schemaName: string;
  schema: Record<string, unknown>;
  maxOutputTokens: number;
}

export interface LlmUsage {
  calls: number;
  failures: number;
  promptTokens: number;
  completionTokens: number;
}

export interface LlmClient {
  readonly model: string;
  /** Resolves to the parsed JSON the model returned; throws on any error, timeout or open breaker. */
  completeJson(request: JsonCompletionRequest): Promise<unknown>;
  usage(): LlmUsage;
}
