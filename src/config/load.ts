import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { envSchema, fileConfigSchema, type HeraldConfig } from './schema.ts';
import { describeUnknownKey, rejectUnknownKeys } from './strict-keys.ts';

const strictFileConfigSchema = rejectUnknownKeys(fileConfigSchema);

/** A configuration problem, described in one line that names the key. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function firstIssue(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0];
  if (!issue) return `${prefix}: invalid`;
  const where = issue.path.length > 0 ? issue.path.join('.') : prefix;
  return `${prefix === 'environment' ? '' : `${prefix}: `}${describeUnknownKey(issue) ?? `${where}: ${issue.message}`}`;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Paths written in a config file are read against the file's own folder, as a user who keeps
 * the file beside their news expects, whatever folder Herald is started from. Defaults (not
 * in the file) stay relative to the working directory, where the bundled ones are.
 */
function resolvePaths(raw: unknown, folder: string): unknown {
  if (!isObject(raw)) return raw;
  const at = (value: unknown) =>
    typeof value === 'string' && value !== '' ? path.resolve(folder, value) : value;
  const resolved: Json = { ...raw };
  if (Array.isArray(raw.sources))
    resolved.sources = raw.sources.map((source: unknown) =>
      isObject(source) && 'path' in source ? { ...source, path: at(source.path) } : source,
    );
  if (isObject(raw.ingest) && 'sampleNewsDir' in raw.ingest)
    resolved.ingest = { ...raw.ingest, sampleNewsDir: at(raw.ingest.sampleNewsDir) };
  if (isObject(raw.topics) && 'taxonomyPath' in raw.topics)
    resolved.topics = { ...raw.topics, taxonomyPath: at(raw.topics.taxonomyPath) };
  return resolved;
}

/** Reads config/default.json (or HERALD_CONFIG) and the environment; throws ConfigError. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): HeraldConfig {
  const cleanedEnv = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const envResult = envSchema.safeParse(cleanedEnv);
  if (!envResult.success) throw new ConfigError(firstIssue(envResult.error, 'environment'));
  const parsedEnv = envResult.data;

  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(parsedEnv.HERALD_CONFIG, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    throw new ConfigError(`${parsedEnv.HERALD_CONFIG} ${reason}`);
  }
  const fileResult = strictFileConfigSchema.safeParse(
    resolvePaths(raw, path.dirname(parsedEnv.HERALD_CONFIG)),
  );
  if (!fileResult.success) throw new ConfigError(firstIssue(fileResult.error, parsedEnv.HERALD_CONFIG));
  return {
    ...fileResult.data,
    env: parsedEnv,
    modelEnabled: parsedEnv.OPENAI_API_KEY !== undefined || parsedEnv.OPENAI_BASE_URL !== undefined,
  };
}
