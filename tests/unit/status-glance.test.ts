// The panel's overview reads the status on every load: its glance must not walk the summary
// cache (one read per cached summary), yet report the same counts /status does.
import { describe, expect, it } from 'vitest';
import { createStatusService } from '../../src/status/status-service.ts';

function statusWithCountedWalks() {
  const walks = { summaries: 0 };
  const status = createStatusService({
    startedAt: 0,
    now: () => 60_000,
    store: { kind: 'memory', location: 'memory' },
    model: () => ({ mode: 'extractive', calls: 0, failures: 0, promptTokens: 0, completionTokens: 0 }),
    countSources: async () => 3,
    countStories: async () => 120,
    summaries: async () => {
      walks.summaries += 1;
      return { cached: 40, hits: 5, misses: 2 };
    },
    lastIngest: async () => ({ at: '2026-12-07T10:00:00.000Z', added: 4, merged: 1, skipped: 0, failed: 0 }),
  });
  return { status, walks };
}

describe('the status glance', () => {
  it('reports what /status reports except the summary cache, without walking it', async () => {
    const { status, walks } = statusWithCountedWalks();
    const glance = await status.glance();
    expect(walks.summaries).toBe(0);
    expect(glance).not.toHaveProperty('summaries');
    const { summaries, ...full } = await status.snapshot();
    expect(walks.summaries).toBe(1);
    expect(summaries.cached).toBe(40);
    expect(glance).toEqual(full);
  });
});
