// /metrics on a sharded bot: each gateway shard this instance holds is a gauge of its status
// and heartbeat latency, read from the shards as they are at the scrape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PanelServer } from '../../src/panel/panel-server.ts';
import { startBot, type BotHarness } from '../support/herald-harness.ts';
import { startTestPanel } from '../support/panel-client.ts';
import { waitFor } from '../support/wait.ts';

let harness: BotHarness;
let panel: PanelServer;

/** The value of one sample line (exact labels), or undefined when the scrape lacks it. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(): Promise<string> {
  const response = await fetch(`${panel.url}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

beforeAll(async () => {
  harness = await startBot({
    sampleNews: false,
    fakeOptions: { identifyIntervalMs: 50 },
    discord: { shards: 2, identifyIntervalMs: 100 },
  });
  panel = await startTestPanel(harness);
});

afterAll(async () => {
  await panel.close();
  await harness.close();
});

describe('/metrics when sharded', () => {
  it('shows each shard as ready, with its heartbeat latency once one came back', async () => {
    // The fake acknowledges heartbeats every 500 ms: wait for a round trip on both shards.
    await waitFor(() => harness.bot.shards().every((shard) => shard.latencyMs !== undefined), {
      what: 'a heartbeat on every shard',
    });
    const text = await scrape();
    for (const shard of ['0', '1']) {
      expect(sample(text, `herald_shard_connected{shard="${shard}"}`)).toBe(1);
      expect(sample(text, `herald_shard_status{shard="${shard}",status="ready"}`)).toBe(1);
      expect(sample(text, `herald_shard_status{shard="${shard}",status="reconnecting"}`)).toBe(0);
      expect(sample(text, `herald_shard_latency_seconds{shard="${shard}"}`)).toBeGreaterThanOrEqual(0);
    }
    expect(sample(text, 'herald_shard_connected{shard="2"}')).toBeUndefined();
  });

  it('drops the shards once the bot holds none', async () => {
    await harness.bot.stop();
    const text = await scrape();
    expect(text).not.toMatch(/^herald_shard_connected\{/m);
    expect(text).not.toMatch(/^herald_shard_latency_seconds\{/m);
  });
});
