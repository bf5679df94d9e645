import { createExtractiveSummarizer } from '../brief/extractive-summarizer.ts';
import { createModelSummarizer } from '../brief/model-summarizer.ts';
import { createSummaryService, type SummaryService } from '../brief/summary-service.ts';
import { storySummarySchema, type StorySummary, type Summarizer } from '../brief/summary-types.ts';
import type { HeraldConfig } from '../config/schema.ts';
import type { Logger } from '../logger.ts';
import { createOpenAiLlmClient, type OpenAiLlmClient } from '../llm/openai-client.ts';
import type { StoreBackend } from '../store/backend.ts';
import type { RecordStore } from '../store/types.ts';

export interface SummaryWiring {
  llm: OpenAiLlmClient | undefined;
  summaries: SummaryService;
  summaryCache: RecordStore<StorySummary>;
}

/** Bumped whenever the model prompt or schema changes, so cached model summaries are redone. */
const PROMPT_VERSION = 'summary-v1';

/**
 * Offline first: the extractive summarizer always exists; a model, when configured, sits in
 * front of it and falls back to it on any failure.
 */
export function buildSummaries(
  config: HeraldConfig,
  backend: StoreBackend,
  log: Logger,
  now: () => number,
): SummaryWiring {
  const extractive = createExtractiveSummarizer();
  let llm: OpenAiLlmClient | undefined;
  let summarizer: Summarizer = extractive;
  if (config.modelEnabled) {
    llm = createOpenAiLlmClient({
      model: config.env.OPENAI_MODEL ?? config.model.model,
      timeoutMs: config.model.timeoutMs,
      maxRetries: 1,
      breaker: {
        failureThreshold: config.model.breakerFailures,
        cooldownMs: config.model.breakerCooldownSeconds * 1000,
      },
      now,
      ...(config.env.OPENAI_API_KEY ? { apiKey: config.env.OPENAI_API_KEY } : {}),
      ...(config.env.OPENAI_BASE_URL ? { baseURL: config.env.OPENAI_BASE_URL } : {}),
    });
    summarizer = createModelSummarizer({
      llm,
      fallback: extractive,
      maxInputChars: config.model.maxInputChars,
      promptVersion: PROMPT_VERSION,
      onFallback: (reason) => log.warn({ reason }, 'model summary fell back to extractive'),
    });
  }
  const summaryCache = backend.records('summaries', { version: 1, schema: storySummarySchema });
  const summaries = createSummaryService({
    summarizer,
    cache: summaryCache,
    summarizerId: summarizer.id,
    // A story lives at most retentionDays after its last update; a day more covers a late read.
    ttlMs: (config.ingest.retentionDays + 1) * 86_400_000,
    onSaveFailed: (error) =>
      log.warn({ err: error }, 'summary made but not cached: the store refused the write'),
  });
  return { llm, summaries, summaryCache };
}
