import type { FastifyInstance } from 'fastify';
import { relativeTime } from '../../time/durations.ts';
import { html } from '../html.ts';
import { guildRoute, type PanelContext } from '../panel-context.ts';

function duration(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  return days > 0 ? `${days} d ${hours} h` : hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;
}

/**
 * A moment as an admin reads it at a glance: how far off, then the clock time in UTC (the
 * schedule's zone), e.g. "in 8 min (10:15 UTC)" or "3 h ago (07:02 UTC)"; the date is added when
 * it is not today's.
 */
export function momentText(at: number, now: number): string {
  const iso = new Date(at).toISOString();
  const sameDay = iso.slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  const clock = `${sameDay ? '' : `${iso.slice(0, 10)} `}${iso.slice(11, 16)} UTC`;
  return Math.abs(at - now) < 30_000 ? `now (${clock})` : `${relativeTime(at - now)} (${clock})`;
}

/** The next run of the `*\/N * * * *` ingest schedule after `now`. */
export function nextIngestAt(now: number, intervalMinutes: number): number {
  const date = new Date(now);
  date.setUTCSeconds(0, 0);
  const minute = date.getUTCMinutes();
  const next = (Math.floor(minute / intervalMinutes) + 1) * intervalMinutes;
  if (next >= 60) {
    date.setUTCHours(date.getUTCHours() + 1, 0);
  } else date.setUTCMinutes(next);
  return date.getTime();
}

export function registerOverview(app: FastifyInstance, ctx: PanelContext): void {
  app.get(
    '/g/:guildId',
    guildRoute(ctx, async (g) => {
      const { herald } = ctx;
      // Not snapshot(): counting the summary cache walks every cached summary, per page load.
      const status = await herald.services.status.glance();
      const sources = await herald.services.sourceAdmin.list(g.guild.id);
      const failing = sources.filter(
        (s) => s.status.startsWith('failing') || s.status.startsWith('disabled'),
      );
      const last = status.lastIngest;
      const nextAt = nextIngestAt(ctx.now(), herald.config.ingest.intervalMinutes);
      const model =
        status.model.mode === 'model'
          ? `${status.model.model ?? 'model'}: ${status.model.calls} calls, ${status.model.failures} failures, ${status.model.promptTokens + status.model.completionTokens} tokens`
          : 'extractive (no model configured)';
      return g.render(
        'Overview',
        '',
        html`<dl class="facts">
            <dt>Up for</dt>
            <dd>${duration(status.uptimeSeconds)}</dd>
            <dt>Store</dt>
            <dd>
              ${status.store.kind}
              (${status.store.location})${status.store.problem ? html` <strong class="bad">${status.store.problem}</strong>` : ''}
            </dd>
            <dt>Summaries</dt>
            <dd>${model}</dd>
            <dt>Stories</dt>
            <dd>${status.stories}</dd>
            <dt>Sources</dt>
            <dd>${sources.length}, ${failing.length} failing or off</dd>
            <dt>Last ingest</dt>
            <dd>
              ${
                last
                  ? html`<time datetime="${last.at}">${momentText(Date.parse(last.at), ctx.now())}</time>:
                      ${last.added} new, ${last.merged} merged, ${last.failed} failed`
                  : 'not yet'
              }
            </dd>
            <dt>Next ingest</dt>
            <dd>
              <time datetime="${new Date(nextAt).toISOString()}">${momentText(nextAt, ctx.now())}</time>
            </dd>
          </dl>
          ${
            failing.length > 0
              ? html`<h2>Sources with failures</h2>
                  <ul>
                    ${failing.map((s) => html`<li>${s.name}: ${s.status}</li>`)}
                  </ul>`
              : ''
          }`,
      );
    }),
  );
}
