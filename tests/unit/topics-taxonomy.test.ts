import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTaxonomy, loadTaxonomy } from '../../src/brief/topics/taxonomy.ts';

const configPath = path.resolve(import.meta.dirname, '../../config/topics.json');

describe('taxonomy', () => {
  it('loads the shipped config with the required sections and a rich vocabulary each', () => {
    const taxonomy = loadTaxonomy(configPath);
    for (const key of [
      'world',
      'politics',
      'business',
      'technology',
      'science',
      'health',
      'sports',
      'entertainment',
      'climate',
    ]) {
      const section = taxonomy.find(key);
      expect(section, key).toBeDefined();
      expect((section?.terms.length ?? 0) + (section?.weakTerms.length ?? 0)).toBeGreaterThanOrEqual(60);
    }
  });

  it('finds sections by key or by name, ignoring case and spaces', () => {
    const taxonomy = loadTaxonomy(configPath);
    expect(taxonomy.find('BUSINESS')?.key).toBe('business');
    expect(taxonomy.find('  Crime & Justice ')?.key).toBe('crime');
    expect(taxonomy.has('sci-fi')).toBe(false);
    expect(taxonomy.keys()).toContain('climate');
  });

  it('lower-cases terms and defaults weak terms to none', () => {
    const taxonomy = createTaxonomy({
      version: 1,
      sections: [{ key: 'space', name: 'Space', description: 'Rockets', terms: [' Rocket ', 'Mars Rover'] }],
    });
    expect(taxonomy.find('space')?.terms).toEqual(['rocket', 'mars rover']);
    expect(taxonomy.find('space')?.weakTerms).toEqual([]);
  });

  it('rejects a bad file with one line naming the key', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'herald-taxonomy-'));
    const file = path.join(dir, 'topics.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        sections: [{ key: 'Bad Key', name: 'X', description: 'x', terms: ['a'] }],
      }),
    );
    try {
      expect(() => loadTaxonomy(file)).toThrow(/sections\.0\.key/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects two sections that share a key or a name', () => {
    const section = { key: 'tech', name: 'Tech', description: 'd', terms: ['chip'] };
    expect(() => createTaxonomy({ version: 1, sections: [section, { ...section, key: 'tech2' }] })).toThrow(
      /duplicate section "tech"/,
    );
  });
});
