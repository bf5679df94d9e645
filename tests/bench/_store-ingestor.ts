// The production write path for benches: a fresh store of the given kind (a SQLite file in a
// temp folder, or memory), its story repository and dedup index as the composition root (src/app) wires them, and
// the article ingestor on top. The fetcher refuses: benches read only what they are given.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createSectionClassifier } from '../../src/brief/topics/section-classifier.ts';
import { createStoryTopicTagger } from '../../src/brief/topics/story-topics.ts';
import { loadTaxonomy } from '../../src/brief/topics/taxonomy.ts';
import { createArticleIngestor, type ArticleIngestor } from '../../src/news/ingest-service.ts';
import { createStoreBackend } from '../../src/store/backend.ts';
import { buildStoryStore } from '../../src/app/story-store.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface BenchIngestor {
  ingestor: ArticleIngestor;
  close(): Promise<void>;
}

export async function openBenchIngestor(store: 'memory' | 'sqlite'): Promise<BenchIngestor> {
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-bench-'));
  const backend = await createStoreBackend({
    url: store === 'memory' ? 'memory://' : `sqlite://${path.join(dir, 'bench.sqlite')}`,
  });
  const taxonomy = loadTaxonomy(path.join(repoRoot, 'config/topics.json'));
  const { repository, dedup } = buildStoryStore(backend);
  const ingestor = createArticleIngestor({
    repository,
    dedup,
    fetcher: { fetch: () => Promise.reject(new Error('the bench never fetches')) },
    tagger: createStoryTopicTagger({ classifier: createSectionClassifier(taxonomy), taxonomy }),
    log: pino({ level: 'silent' }),
    now: Date.now,
    maxAgeHours: 72,
    teaserWords: 120,
  });
  return {
    ingestor,
    async close() {
      await backend.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
