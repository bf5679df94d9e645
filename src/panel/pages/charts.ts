import type { FastifyInstance } from 'fastify';
import { DIRECT_MESSAGES } from '../../metrics/activity.ts';
import { readerIn } from '../../news/types.ts';
import { html } from '../html.ts';
import { guildRoute, type PanelContext } from '../panel-context.ts';
import { horizontalBars, PALETTE, stackedColumns, type Series } from './svg-chart.ts';

const DAYS = 14;
/** Sources with the most items get their own color; the rest are summed as "others". */
const NAMED_SOURCES = PALETTE.length - 1;

type SectionBar = { label: string; value: number };

/**
 * Sections are counted in the catalog's SQL (one pass over its small rows, no story read), and
 * kept this long per server: a chart of thousands of stories barely moves in minutes.
 */
const SECTION_COUNTS_MS = 5 * 60_000;

export function registerCharts(app: FastifyInstance, ctx: PanelContext): void {
  const sectionCounts = new Map<string, { at: number; sections: Promise<SectionBar[]> }>();
  async function countSections(guildId: string): Promise<SectionBar[]> {
    const { sections } = ctx.herald.services.taxonomy;
    const counts = await ctx.herald.finder.sectionCounts(
      readerIn(guildId),
      sections.map((section) => section.key),
    );
    return sections.map((section) => ({ label: section.name, value: counts.get(section.key) ?? 0 }));
  }
  function sectionsOf(guildId: string): Promise<SectionBar[]> {
    const kept = sectionCounts.get(guildId);
    if (kept && ctx.now() - kept.at < SECTION_COUNTS_MS) return kept.sections;
    const sections = countSections(guildId);
    // A failed count is not kept: the next page load asks again.
    sections.catch(() => sectionCounts.delete(guildId));
    sectionCounts.set(guildId, { at: ctx.now(), sections });
    return sections;
  }
  app.get(
    '/g/:guildId/charts',
    guildRoute(ctx, async (g) => {
      const { herald } = ctx;
      const days = await herald.activity.days(DAYS);
      const labels = days.map((d) => d.date);
      // Feeds other servers added are theirs to see; shared sources and the operator's files are everyone's.
      const hidden = new Set(
        (await herald.services.sources.all())
          .filter((s) => s.guildIds !== undefined && !s.guildIds.includes(g.guild.id))
          .map((s) => s.config.name),
      );
      const totals = new Map<string, number>();
      for (const { day } of days)
        for (const [source, count] of Object.entries(day.items))
          if (!hidden.has(source)) totals.set(source, (totals.get(source) ?? 0) + count);
      const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
      const named = ranked.slice(0, NAMED_SOURCES);
      const others = new Set(ranked.slice(NAMED_SOURCES));
      const itemSeries: Series[] = named.map((name, i) => ({
        name,
        color: PALETTE[i] ?? '#455a64',
        values: days.map(({ day }) => day.items[name] ?? 0),
      }));
      if (others.size > 0)
        itemSeries.push({
          name: 'others',
          color: PALETTE[PALETTE.length - 1] ?? '#455a64',
          values: days.map(({ day }) =>
            Object.entries(day.items).reduce((sum, [name, n]) => sum + (others.has(name) ? n : 0), 0),
          ),
        });
      const deliveries = days.map(({ day }) => day.deliveries[g.guild.id] ?? { sent: 0, failed: 0 });
      const sections = await sectionsOf(g.guild.id);
      return g.render(
        'Charts',
        'charts',
        html`<h2>Items per source per day</h2>
          ${stackedColumns('Items read per source, last 14 days', labels, itemSeries)}
          <h2>Stories per section</h2>
          ${horizontalBars('Stored stories per section', sections)}
          <h2>Deliveries per day</h2>
          ${stackedColumns('Messages posted in this server and failures, last 14 days', labels, [
            { name: 'posted', color: PALETTE[2] ?? '#2e7d32', values: deliveries.map((d) => d.sent) },
            { name: 'failed', color: PALETTE[1] ?? '#b8430f', values: deliveries.map((d) => d.failed) },
          ])}
          <p class="meta">
            Direct messages to readers are counted apart
            (${days.reduce((sum, { day }) => sum + (day.deliveries[DIRECT_MESSAGES]?.sent ?? 0), 0)} in 14
            days, every server).
          </p>`,
      );
    }),
  );
}
