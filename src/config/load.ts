import { readFileSync } from 'node:fs';
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
  const fileResult = strictFileConfigSchema.safeParse(raw);
  if (!fileResult.success) throw new ConfigError(firstIssue(fileResult.error, parsedEnv.HERALD_CONFIG));
  return {
    ...fileResult.data,
    env: parsedEnv,
    modelEnabled: parsedEnv.OPENAI_API_KEY !== undefined || parsedEnv.OPENAI_BASE_URL !== undefined,
  };
}
