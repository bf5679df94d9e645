import type { DeliveryReport } from '../digest/delivery-ports.ts';
import type { PlannedDelivery } from '../digest/due-plan.ts';
import { renderReplyAsText } from '../terminal/render-text.ts';
import { UserError } from '../errors.ts';
import { surfaceWords, whyStopped } from '../render/delivery-words.ts';
import type { CliSubcommand } from './subcommand.ts';

/** One delivered slot as `digest run-due --json` prints it. */
export interface CliDelivery {
  digestId: string;
  channelId: string;
  slot: string;
  /** The first message of the slot; null when a quiet day posted nothing. */
  messageId: string | null;
  stories: { id: string; title: string }[];
}

export function deliveriesOf(reports: readonly DeliveryReport[]): CliDelivery[] {
  return reports
    .filter((report) => report.outcome === 'sent' || report.outcome === 'quiet')
    .map((report) => ({
      digestId: report.digestId,
      channelId: report.channelId,
      slot: report.slot,
      messageId: report.messageIds[0] ?? null,
      stories: report.stories.map((story) => ({ id: story.id, title: story.title })),
    }));
}

function parseAt(raw: string): number {
  const at = Date.parse(raw);
  if (!Number.isFinite(at))
    throw new UserError(`--at must be an ISO-8601 instant such as 2025-11-24T07:00:00Z, not "${raw}"`);
  return at;
}

function reportLine(report: DeliveryReport): string {
  const head = `${report.outcome.padEnd(17)} ${report.slot}`;
  if (report.outcome === 'sent' || report.outcome === 'quiet') {
    return `${head} -> ${report.messageIds.join(', ') || '(nothing posted)'}, ${report.stories.length} stories`;
  }
  // The command line names channels as the terminal does.
  const why = whyStopped(report, surfaceWords('terminal'), '');
  return why ? `${head}: ${why}` : head;
}

/** One slot of a dry run as `digest run-due --at … --json` prints it. */
export interface CliPlannedDelivery {
  digestId: string;
  channelId: string;
  slot: string;
  dueAt: string;
  outcome: PlannedDelivery['outcome'];
  stories: { id: string; title: string }[];
}

function plannedOf(entry: PlannedDelivery): CliPlannedDelivery {
  return {
    digestId: entry.digestId,
    channelId: entry.channelId,
    slot: entry.slot,
    dueAt: new Date(entry.dueAt).toISOString(),
    outcome: entry.outcome,
    stories: entry.stories.map((story) => ({ id: story.id, title: story.title })),
  };
}

function plannedText(at: number, entries: readonly PlannedDelivery[]): string {
  const head = `Dry run for ${new Date(at).toISOString()}: nothing is posted or recorded.`;
  if (entries.length === 0) return `${head}\nNothing would be due.`;
  const lines = entries.map((entry) => {
    const line = `${entry.outcome.padEnd(15)} ${entry.slot}`;
    if (entry.outcome !== 'would-send' && entry.outcome !== 'would-be-quiet') return line;
    const body = entry.messages.map((message) => renderReplyAsText(message)).join('\n\n');
    return body === '' ? line : `${line}\n${body}`;
  });
  return [head, ...lines].join('\n');
}

export const digestSubcommand: CliSubcommand = {
  name: 'digest',
  usage: 'digest preview [--channel ID] [--json] | digest run-due [--at ISO-8601] [--json]',
  async run(herald, args) {
    const action = args.positionals[0];
    const digests = herald.services.digests;
    if (action === 'run-due') {
      const atFlag = args.flag('at');
      if (atFlag !== undefined) {
        const at = parseAt(atFlag);
        const planned = await digests.planDue(at);
        return {
          json: { dryRun: true, at: new Date(at).toISOString(), planned: planned.map(plannedOf) },
          text: plannedText(at, planned),
        };
      }
      const reports = await digests.runDue();
      const deliveries = deliveriesOf(reports);
      const lines = reports.map(reportLine);
      const text = lines.length > 0 ? lines.join('\n') : 'Nothing due.';
      return { json: { deliveries }, text };
    }
    if (action === 'preview') {
      const channel = args.flag('channel');
      const chosen = (await digests.list()).filter(
        (digest) => channel === undefined || digest.channelId === channel,
      );
      if (chosen.length === 0) {
        throw new UserError(
          channel ? `No digest for channel ${channel}.` : 'No digests are set up yet (/digest setup).',
        );
      }
      const previews = [];
      const texts: string[] = [];
      for (const digest of chosen) {
        const preview = await digests.preview(digest.guildId, digest.channelId);
        previews.push({
          digestId: digest.id,
          channelId: digest.channelId,
          quiet: preview.quiet,
          stories: preview.stories,
          messages: preview.messages,
        });
        const body = preview.quiet
          ? '(nothing new: quiet day)'
          : preview.messages.map((m) => renderReplyAsText(m)).join('\n\n');
        texts.push(
          `=== ${digest.id} (channel ${digest.channelId}, ${digest.time} ${digest.timezone})\n${body}`,
        );
      }
      return { json: { previews }, text: texts.join('\n\n') };
    }
    throw new UserError(`usage: npm start -- ${digestSubcommand.usage}`);
  },
};
