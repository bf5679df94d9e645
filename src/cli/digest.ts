import type { DeliveryReport } from '../digest/delivery-ports.ts';
import { renderReplyAsText } from '../terminal/render-text.ts';
import { UserError } from '../errors.ts';
import { surfaceWords, whyStopped } from '../render/delivery-words.ts';
import type { CliOutput, CliSubcommand } from './subcommand.ts';
import type { CliArgs } from './args.ts';
import type { Herald } from '../app/herald.ts';
import { TERMINAL_CHANNEL_ID, TERMINAL_GUILD_ID } from '../delivery/destination.ts';
import { templateStyles, type TemplateStyle } from '../render/templates.ts';

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

function parseAt(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
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

/** A whole-number flag, or undefined when absent; UserError when it is not one. */
function wholeNumber(args: CliArgs, flag: string): number | undefined {
  const raw = args.flag(flag);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UserError(`--${flag} takes a whole number, not "${raw}"`);
  return Number(raw);
}

/** `digest setup`: the terminal's digest, or with --guild and --channel a server channel's, as /digest setup. */
async function setup(herald: Herald, args: CliArgs): Promise<CliOutput> {
  const guildId = args.flag('guild') ?? TERMINAL_GUILD_ID;
  const channelId = args.flag('channel') ?? TERMINAL_CHANNEL_ID;
  if ((guildId === TERMINAL_GUILD_ID) !== (channelId === TERMINAL_CHANNEL_ID))
    throw new UserError('Give both --guild and --channel, or neither for the terminal.');
  const time = args.flag('time');
  const timezone = args.flag('timezone');
  if (time === undefined || timezone === undefined)
    throw new UserError(
      'digest setup needs --time HH:MM and --timezone, such as --time 08:00 --timezone UTC',
    );
  const style = args.flag('style');
  if (style !== undefined && !(templateStyles as readonly string[]).includes(style))
    throw new UserError(`--style takes ${templateStyles.join(', ')}, not "${style}"`);
  const optional = (flag: string): Record<string, string> => {
    const value = args.flag(flag);
    return value === undefined ? {} : { [flag]: value };
  };
  const count = wholeNumber(args, 'count');
  const minSources = wholeNumber(args, 'min-sources');
  const topics = args.flag('topics');
  const result = await herald.services.digests.setup({
    guildId,
    channelId,
    time,
    timezone,
    userId: 'operator',
    ...(topics === undefined ? {} : { topics: [topics] }),
    ...(count === undefined ? {} : { count }),
    ...(style === undefined ? {} : { style: style as TemplateStyle }),
    ...optional('template'),
    ...(minSources === undefined ? {} : { minSources }),
    ...optional('clear'),
  });
  const { digest } = result;
  const shape = [
    digest.style ?? 'embed',
    digest.template ? 'own template' : '',
    digest.minSources ? `min ${digest.minSources} sources` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return {
    json: { digest, created: result.created, nextDueAt: new Date(result.nextDueAt).toISOString() },
    text: `${result.created ? 'Set up' : 'Updated'} ${digest.id}: ${digest.time} ${digest.timezone}, up to ${digest.count} stories {${shape}}`,
  };
}

export const digestSubcommand: CliSubcommand = {
  name: 'digest',
  usage:
    'digest preview [--channel ID] [--json] | digest run-due [--at ISO-8601] [--json] | digest setup --time HH:MM --timezone TZ [--guild ID --channel ID] [--topics T] [--count N] [--template T] [--style embed|text|compact] [--min-sources N] [--clear template,min_sources] [--json]',
  async run(herald, args) {
    const action = args.positionals[0];
    const digests = herald.services.digests;
    if (action === 'setup') return setup(herald, args);
    if (action === 'run-due') {
      const reports = await digests.runDue(parseAt(args.flag('at')));
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
