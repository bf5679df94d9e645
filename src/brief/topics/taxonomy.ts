/**
 * The topic taxonomy: the sections a reader can follow ("Business", "Sports"), each with the
 * vocabulary the offline classifier matches. Loaded from config/topics.json and validated.
 */
import { ConfigError } from '../../config/load.ts';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const sectionSchema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lower-case slug'),
  name: z.string().min(1),
  description: z.string().min(1),
  terms: z.array(z.string().min(1)).min(1),
  weakTerms: z.array(z.string().min(1)).default([]),
});

export const taxonomySchema = z
  .object({
    version: z.literal(1),
    sections: z.array(sectionSchema).min(1),
  })
  .superRefine((value, ctx) => {
    // A key or name may label only one section, or lookups by either would be ambiguous.
    const owner = new Map<string, number>();
    for (const [i, section] of value.sections.entries()) {
      for (const label of new Set([section.key, section.name.toLowerCase()])) {
        const other = owner.get(label);
        if (other !== undefined && other !== i) {
          ctx.addIssue({ code: 'custom', message: `duplicate section "${label}"`, path: ['sections', i] });
        }
        owner.set(label, i);
      }
    }
  });

/** One section of the taxonomy. */
export interface TaxonomySection {
  /** Lower-case slug, the topic key stored on stories and subscriptions. */
  key: string;
  /** Display name, such as "Crime & Justice". */
  name: string;
  description: string;
  /** Words and multiword phrases that signal the section, lower case. */
  terms: string[];
  /**
   * Everyday words that lean towards the section but also appear elsewhere ("win", "market",
   * "study"): they count for less than `terms`.
   */
  weakTerms: string[];
}

/** The validated taxonomy with case-insensitive lookups. */
export interface Taxonomy {
  readonly sections: readonly TaxonomySection[];
  /** The section whose key or name equals `keyOrName`, ignoring case and outer spaces. */
  find(keyOrName: string): TaxonomySection | undefined;
  /** True when `keyOrName` names a section. */
  has(keyOrName: string): boolean;
  /** Every section key, in config order. */
  keys(): string[];
}

/** Builds a taxonomy from already-parsed data; throws one line naming the bad key. */
export function createTaxonomy(data: unknown, source = 'taxonomy'): Taxonomy {
  const result = taxonomySchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new Error(`invalid ${source}: ${where}${issue?.message ?? 'invalid'}`);
  }
  const parsed = result.data;
  const clean = (terms: string[]): string[] =>
    terms.map((t) => t.trim().toLowerCase()).filter((t) => t.length > 0);
  const sections: TaxonomySection[] = parsed.sections.map((s) => ({
    ...s,
    terms: clean(s.terms),
    weakTerms: clean(s.weakTerms),
  }));
  const byLabel = new Map<string, TaxonomySection>();
  for (const section of sections) {
    byLabel.set(section.key, section);
    byLabel.set(section.name.toLowerCase(), section);
  }
  const find = (keyOrName: string): TaxonomySection | undefined =>
    byLabel.get(keyOrName.trim().toLowerCase());
  return {
    sections,
    find,
    has: (keyOrName) => find(keyOrName) !== undefined,
    keys: () => sections.map((s) => s.key),
  };
}

/** Reads and validates a taxonomy file such as config/topics.json. */
export function loadTaxonomy(path: string): Taxonomy {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    // A configuration problem, named by the file: not the store's.
    throw new ConfigError(
      `topics.taxonomyPath: the taxonomy file ${path} ${error instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read'}`,
      { cause: error },
    );
  }
  return createTaxonomy(data, `taxonomy ${path}`);
}
