import { z } from 'zod';

/**
 * The same schema with every object in it strict: a key it does not define is an error, not
 * silently dropped. A misspelt setting in the config file would otherwise never apply while
 * the admin believes it does. Applied once, here, so sections added later are strict too.
 */
export function rejectUnknownKeys<T extends z.ZodType>(schema: T): T {
  const def = (schema as unknown as z.ZodObject).def as unknown as Record<string, unknown> & { type: string };
  const clone = (changes: Record<string, unknown>): T =>
    (schema as unknown as { clone(def: unknown): T }).clone({ ...def, ...changes });
  switch (def.type) {
    case 'object': {
      const shape = Object.fromEntries(
        Object.entries(def.shape as Record<string, z.ZodType>).map(([key, value]) => [
          key,
          rejectUnknownKeys(value),
        ]),
      );
      return clone({ shape, catchall: z.never() });
    }
    case 'default':
    case 'prefault':
    case 'optional':
    case 'nullable':
      return clone({ innerType: rejectUnknownKeys(def.innerType as z.ZodType) });
    case 'array':
      return clone({ element: rejectUnknownKeys(def.element as z.ZodType) });
    default:
      return schema;
  }
}

/** "ingest.fetch.maxbytes: unknown key" for the first unknown key of an issue list, if any. */
export function describeUnknownKey(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code !== 'unrecognized_keys') return undefined;
  const key = [...issue.path, issue.keys[0] ?? ''].join('.');
  return `${key}: unknown key (misspelt? it would be ignored)`;
}
