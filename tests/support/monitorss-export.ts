// The MonitoRSS export fixture (tests/fixtures/monitorss/export.json), written for these tests
// after MonitoRSS's feed shape: its feeds served by a local fixture server, its channels given.
import { readFileSync } from 'node:fs';

export function monitorRssExport(
  feeds: string,
  channels: { CHANNEL: string; OTHER_CHANNEL: string },
): string {
  const text = readFileSync(new URL('../fixtures/monitorss/export.json', import.meta.url), 'utf8');
  return text
    .replaceAll('FEEDS/', `${feeds}/`)
    .replaceAll('"OTHER_CHANNEL"', JSON.stringify(channels.OTHER_CHANNEL))
    .replaceAll('"CHANNEL"', JSON.stringify(channels.CHANNEL));
}
