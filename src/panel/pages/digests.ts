import type { FastifyInstance } from 'fastify';
import { runCommand } from '../command-bridge.ts';
import { type Html, buttonForm, csrfField, listingOrEmpty, guildPath, html } from '../html.ts';
import { formBody, guildRoute, type GuildRequest, type PanelContext } from '../panel-context.ts';
import { discordPreview } from './discord-preview.ts';
import { MAX_MIN_SOURCES } from '../../render/coverage.ts';
import { templateStyles } from '../../render/templates.ts';

type Flash = { text: string; error: boolean };

/** A time as people in the digest's timezone read it. */
function localTime(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(ms);
}

async function digestsPage(
  ctx: PanelContext,
  g: GuildRequest,
  flash?: Flash,
  preview?: Html,
): Promise<string> {
  const service = ctx.herald.services.digests;
  const digests = await service.list(g.guild.id);
  const channels = ctx.bot.channels(g.guild.id);
  const names = new Map(channels.map((c) => [c.id, c.name]));
  const post = (verb: string, channel: string, label: string): Html =>
    buttonForm({
      guildId: g.guild.id,
      csrf: g.session.csrf,
      action: `digests/${verb}`,
      field: 'channel',
      value: channel,
      label,
    });
  const rows = digests.map((digest) => {
    const channel = `#${names.get(digest.channelId) ?? digest.channelId}`;
    const next = digest.enabled
      ? `${localTime(service.nextDueAt(digest, ctx.now()), digest.timezone)} (${digest.timezone})`
      : `off${digest.disabledReason ? `: ${digest.disabledReason}` : ''}`;
    return html`<tr>
      <th scope="row">${channel}</th>
      <td>${digest.time} ${digest.timezone}</td>
      <td>${digest.topics.join(', ') || 'all'}</td>
      <td>${digest.count}</td>
      <td>${next}</td>
      <td>
        ${post('preview', digest.channelId, `Preview ${channel}`)}
        ${digest.enabled ? post('disable', digest.channelId, `Turn off ${channel}`) : ''}
      </td>
    </tr>`;
  });
  return g.render(
    'Digests',
    'digests',
    html`${listingOrEmpty('No scheduled digests yet.', 'Daily digests', ['Channel', 'Time', 'Topics', 'Stories', 'Next digest', 'Actions'], rows)}
      <h2>Set up or edit a digest</h2>
      <form method="post" action="${guildPath(g.guild.id, 'digests/setup')}">
        ${csrfField(g.session.csrf)} <label for="digest-channel">Channel</label
        ><select id="digest-channel" name="channel" required>
          ${channels.map((c) => html`<option value="${c.id}">#${c.name}</option>`)}
        </select>
        <label for="digest-time">Time (HH:MM, 24-hour)</label
        ><input id="digest-time" name="time" required pattern="[0-9]{1,2}:[0-9]{2}" value="08:00" />
        <label for="digest-timezone">Timezone</label
        ><input id="digest-timezone" name="timezone" required value="UTC" />
        <label for="digest-topics">Topic (optional)</label><input id="digest-topics" name="topics" />
        <label for="digest-count">Stories (1–25)</label
        ><input id="digest-count" name="count" type="number" min="1" max="25" value="5" />
        <label for="digest-template">Story template (optional, e.g. {title} · {url})</label
        ><input id="digest-template" name="template" /> <label for="digest-style">Style</label
        ><select id="digest-style" name="style">
          <option value="">as it is (embed for a new digest)</option>
          ${templateStyles.map((style) => html`<option value="${style}">${style}</option>`)}
        </select>
        <label for="digest-min-sources">Only stories this many outlets carry (optional)</label
        ><input id="digest-min-sources" name="min_sources" type="number" min="1" max="${MAX_MIN_SOURCES}" />
        <button type="submit">Save digest</button>
      </form>
      ${
        preview
          ? html`<section>
              <h2>Preview</h2>
              ${preview}
            </section>`
          : ''
      }`,
    flash,
  );
}

export function registerDigests(app: FastifyInstance, ctx: PanelContext): void {
  app.get(
    '/g/:guildId/digests',
    guildRoute(ctx, (g) => digestsPage(ctx, g)),
  );
  for (const verb of ['setup', 'disable', 'preview'] as const) {
    app.post(
      `/g/:guildId/digests/${verb}`,
      guildRoute(ctx, async (g) => {
        const body = formBody(g.request);
        const outcome = await runCommand(ctx, g, 'digest', verb, {
          channel: body.channel,
          time: body.time,
          timezone: body.timezone,
          topics: body.topics,
          count: body.count,
          template: body.template,
          style: body.style,
          min_sources: body.min_sources,
        });
        if (outcome.error) g.reply.code(400);
        const preview = verb === 'preview' && outcome.reply ? discordPreview(outcome.reply) : undefined;
        return digestsPage(ctx, g, verb === 'preview' && !outcome.error ? undefined : outcome, preview);
      }),
    );
  }
}
