import { TERMINAL_GUILD_ID } from '../delivery/destination.ts';
import { UserError } from '../errors.ts';
import type { Herald } from '../app/herald.ts';
import { REPORT_ITEMS_KEPT } from '../news/ingest-job.ts';
import { collectGarbage } from './heap.ts';
import { createProgressWriter } from './ingest-progress.ts';
import type { CliOutput, CliSubcommand } from './subcommand.ts';

export const ingestSubcommand: CliSubcommand = {
  name: 'ingest',
  usage: 'ingest <file|dir|url>... [--json]',
  async run(herald, args) {
    if (args.positionals.length === 0)
      throw new UserError('ingest needs at least one file, directory or URL');
    // Progress goes to stderr on a terminal, so stdout stays one JSON object with --json.
    const progress = process.stderr.isTTY
      ? createProgressWriter((text) => process.stderr.write(text))
      : undefined;
    // Told after every window of a folder: the moment to free what the window left behind.
    const report = await herald.services.ingest.ingestLocations(args.positionals, (step) => {
      if (!step.done) collectGarbage();
      progress?.(step);
    });
    const { counts } = report;
    const listed = report.added.length + report.merged.length + report.skipped.length + report.failed.length;
    const total = counts.added + counts.merged + counts.skipped + counts.failed;
    const lines = [
      `${counts.added} added, ${counts.merged} merged into existing stories, ${counts.skipped} skipped, ${counts.failed} failed`,
      ...report.added.map((item) => `  + ${item.title} (${item.source}) → ${item.storyId}`),
      ...report.merged.map((item) => `  ~ ${item.title} (${item.source}): ${item.reason}`),
      ...report.skipped.map((item) => `  - ${item.title || '(untitled)'} (${item.source}): ${item.reason}`),
      // A local file's reason already names it.
      ...report.failed.map(
        (item) =>
          `  ! ${item.message.startsWith(item.source) ? item.message : `${item.source}: ${item.message}`}`,
      ),
      ...(total > listed
        ? [`  … ${total - listed} more not listed (the first ${REPORT_ITEMS_KEPT} of each kind are)`]
        : []),
    ];
    // A script must be able to tell that nothing went in; a rerun of stored items is fine.
    const alreadyHeld = report.skipped.some((item) => item.reason === 'already stored');
    const nothingIngested = counts.added === 0 && counts.merged === 0 && !alreadyHeld;
    return {
      json: {
        counts,
        added: report.added,
        merged: report.merged,
        skipped: report.skipped,
        failed: report.failed,
      },
      text: nothingIngested ? [...lines, 'Nothing was ingested.'].join('\n') : lines.join('\n'),
      ...(nothingIngested ? { exitCode: 1 } : {}),
    };
  },
};

export const sourcesSubcommand: CliSubcommand = {
  name: 'sources',
  usage:
    'sources [export [--guild ID]] [--json] | sources import <file.opml|monitorss.json> [--guild ID] [--json]',
  async run(herald, args) {
    if (args.positionals[0] === 'export') return exportSources(herald, args.flag('guild'));
    if (args.positionals[0] === 'import')
      return importSources(herald, args.positionals[1], args.flag('guild'));
    const sources = await herald.services.sources.all();
    const rows = await Promise.all(
      sources.map(async (source) => {
        const state = await herald.services.sources.state(source.key);
        return {
          name: source.config.name,
          location: source.config.url ?? source.config.path ?? '',
          guildIds: source.guildIds ?? null,
          weight: source.config.weight,
          featured: source.config.featured,
          failures: state.health.failures,
          disabled: state.health.disabled?.reason ?? null,
          lastError: state.health.lastError ?? null,
          lastRun: state.lastRun ?? null,
        };
      }),
    );
    const text = rows
      .map(
        (r) =>
          `${r.name}  ${r.location}${r.guildIds ? `  (servers ${r.guildIds.join(', ')})` : ''}\n  ${r.disabled ? `disabled: ${r.disabled}` : r.failures > 0 ? `failing ${r.failures}×: ${r.lastError}` : r.lastRun ? `ok, last run ${r.lastRun.at}` : 'not read yet'}`,
      )
      .join('\n');
    return { json: { sources: rows }, text: text || 'No sources configured.' };
  },
};

/** The feeds of an OPML file as one server's sources (the terminal's by default), one line per feed. */
async function importSources(
  herald: Herald,
  file: string | undefined,
  guildId: string | undefined,
): Promise<CliOutput> {
  if (file === undefined)
    throw new UserError('sources import needs an OPML file or a MonitoRSS export: sources import feeds.opml');
  const lines = await herald.services.opml.importFile(guildId ?? TERMINAL_GUILD_ID, file);
  const added = lines.filter((line) => line.added).length;
  const text = [
    `Imported ${added} of ${lines.length} ${lines.length === 1 ? 'feed' : 'feeds'}.`,
    ...lines.flatMap((line) => [
      line.added
        ? `  + ${line.name ?? line.url}: added, ${line.detail}`
        : `  ✗ ${line.name ? `${line.name} ` : ''}${line.url}: ${line.detail}`,
      ...(line.channelFeed
        ? [
            `      channel ${line.channelFeed.channelId}: ${line.channelFeed.feedId ? `feed ${line.channelFeed.feedId}, ` : ''}${line.channelFeed.detail}`,
          ]
        : []),
      ...(line.notKept ?? []).map((item) => `      not kept: ${item}`),
    ]),
  ].join('\n');
  return { json: { imported: lines }, text, ...(added === 0 ? { exitCode: 1 } : {}) };
}

/** OPML on stdout (every source, or what one server reads); with --json, the OPML and the list. */
async function exportSources(herald: Herald, guildId: string | undefined): Promise<CliOutput> {
  const exported = await herald.services.opml.exportSources(guildId);
  return { json: exported, text: exported.opml.trimEnd() };
}
