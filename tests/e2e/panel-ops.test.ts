import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PanelServer } from '../../src/panel/panel-server.ts';
import { createFaultyStore } from '../support/faulty-store.ts';
import { startBot, type BotHarness } from '../support/herald-harness.ts';
import { startTestPanel } from '../support/panel-client.ts';
import { waitFor } from '../support/wait.ts';

const faults = createFaultyStore();
let harness: BotHarness;
let panel: PanelServer;

/** One sample's value from the Prometheus text, summed over its label sets. */
function sampleTotal(text: string, name: string, labels = ''): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => line.includes(labels))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

beforeAll(async () => {
  // The sample news is ingested by the harness, through the instrumented job.
  harness = await startBot({ herald: { wrapStore: (backend) => faults.wrap(backend) } });
  panel = await startTestPanel(harness);
});

afterAll(async () => {
  faults.resume();
  await panel.close();
  await harness.close();
});

describe('operations endpoints', () => {
  it('/healthz answers while the process runs', async () => {
    const response = await fetch(`${panel.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok\n');
  });

  it('/metrics shows what an ingest and a digest did', async () => {
    const { herald, fake } = harness;
    await herald.services.digests.setup({
      guildId: fake.guildId,
      channelId: fake.channelId,
      time: '08:00',
      timezone: 'UTC',
      userId: fake.userId,
    });
    const report = await herald.services.digests.sendNow(fake.guildId, fake.channelId);
    expect(report.outcome).toBe('sent');
    const response = await fetch(`${panel.url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(sampleTotal(text, 'herald_items_fetched_total')).toBeGreaterThan(0);
    expect(sampleTotal(text, 'herald_stories_created_total')).toBeGreaterThan(0);
    expect(sampleTotal(text, 'herald_deliveries_total', 'outcome="sent"')).toBeGreaterThan(0);
    expect(text).toContain('herald_ask_latency_seconds_bucket');
  });

  it('/readyz turns unready while the store does not answer, and ready when it is back', async () => {
    const ready = await fetch(`${panel.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, checks: { store: 'ok', discord: 'connected' } });
    faults.pause();
    const unready = await fetch(`${panel.url}/readyz`);
    expect(unready.status).toBe(503);
    expect(((await unready.json()) as { checks: { store: string } }).checks.store).toMatch(/no answer/);
    faults.resume();
    await waitFor(async () => (await fetch(`${panel.url}/readyz`)).status === 200);
  });
});
