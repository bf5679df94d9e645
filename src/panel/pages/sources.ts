import type { FastifyInstance } from 'fastify';
import type { SourceState } from '../../news/source-registry.ts';
import { plainText, runCommand } from '../command-bridge.ts';
import { buttonForm, csrfField, guildPath, html, type Html } from '../html.ts';
import { formBody, guildRoute, type GuildRequest, type PanelContext } from '../panel-context.ts';
import { isUserError } from '../../errors.ts';

/**
 * A sources-page form action: the service call's message is shown on the page; a user error
 * (bad input, no such source) is shown as an error with status 400, anything else is thrown.
 */
function sourcesAction(
  ctx: PanelContext,
  act: (g: GuildRequest) => Promise<string>,
): (g: GuildRequest) => Promise<string> {
  return async (g) => {
    try {
      return await sourcesPage(ctx, g, { text: plainText(await act(g)), error: false });
    } catch (error) {
      if (!isUserError(error)) throw error;
      g.reply.code(400);
      return sourcesPage(ctx, g, { text: plainText(error.message), error: true });
    }
  };
}

async function sourcesPage(
  ctx: PanelContext,
  g: GuildRequest,
  flash?: { text: string; error: boolean },
): Promise<string> {
  const { sources } = ctx.herald.services;
  const registered = await sources.forGuild(g.guild.id);
  const states = await Promise.all(registered.map((s) => sources.state(s.key)));
  const action = (path: string, source: string, label: string): Html =>
    buttonForm({
      guildId: g.guild.id,
      csrf: g.session.csrf,
      action: `sources/${path}`,
      field: 'source',
      value: source,
      label,
    });
  const rows = registered.map((source, i) => {
    const state = states[i] as SourceState;
    const own = source.guildIds !== undefined;
    const health = state.health;
    const condition = health.disabled
      ? `off: ${health.disabled.reason}`
      : health.failures > 0
        ? `failing: ${health.lastError ?? 'unknown error'}`
        : state.lastRun
          ? 'ok'
          : 'not read yet';
    const last = state.lastRun
      ? `${state.lastRun.at.slice(0, 16).replace('T', ' ')} · ${state.lastRun.added} new`
      : '—';
    return html`<tr>
      <th scope="row">${source.config.name}</th>
      <td class="url">${source.config.url ?? source.config.path ?? ''}</td>
      <td>${condition}</td>
      <td>${health.failures}</td>
      <td>${last}</td>
      <td>
        ${
          own
            ? html`${health.disabled ? action('resume', source.config.name, `Resume ${source.config.name}`) : action('pause', source.config.name, `Pause ${source.config.name}`)}
              ${action('remove', source.config.name, `Remove ${source.config.name}`)}`
            : 'shared'
        }
      </td>
    </tr>`;
  });
  return g.render(
    'Sources',
    'sources',
    html`<table>
        <caption>
          Sources this server reads
        </caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Address</th>
            <th scope="col">Health</th>
            <th scope="col">Failures in a row</th>
            <th scope="col">Last read</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
      <h2>Add a feed</h2>
      <form method="post" action="${guildPath(g.guild.id, 'sources/add')}">
        ${csrfField(g.session.csrf)} <label for="source-url">Feed address</label
        ><input id="source-url" name="url" type="url" required />
        <label for="source-name">Name (optional)</label><input id="source-name" name="name" />
        <button type="submit">Add feed</button>
      </form>
      <h2>OPML</h2>
      <p><a href="${guildPath(g.guild.id, 'sources.opml')}">Export this server's feeds as OPML</a></p>
      <form method="post" action="${guildPath(g.guild.id, 'sources/import')}">
        ${csrfField(g.session.csrf)} <label for="opml">Paste an OPML reading list</label
        ><textarea id="opml" name="opml" rows="4" required></textarea> <button type="submit">Import</button>
      </form>`,
    flash,
  );
}

export function registerSources(app: FastifyInstance, ctx: PanelContext): void {
  app.get(
    '/g/:guildId/sources',
    guildRoute(ctx, (g) => sourcesPage(ctx, g)),
  );
  app.post(
    '/g/:guildId/sources/add',
    guildRoute(ctx, async (g) => {
      const body = formBody(g.request);
      const outcome = await runCommand(ctx, g, 'sources', 'add', { url: body.url, name: body.name });
      if (outcome.error) g.reply.code(400);
      return sourcesPage(ctx, g, outcome);
    }),
  );
  app.post(
    '/g/:guildId/sources/remove',
    guildRoute(ctx, async (g) => {
      const outcome = await runCommand(ctx, g, 'sources', 'remove', { source: formBody(g.request).source });
      if (outcome.error) g.reply.code(400);
      return sourcesPage(ctx, g, outcome);
    }),
  );
  for (const [path, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    app.post(
      `/g/:guildId/sources/${path}`,
      guildRoute(
        ctx,
        sourcesAction(ctx, async (g) => {
          const name = await ctx.herald.services.sourceAdmin.setPaused(
            g.guild.id,
            formBody(g.request).source ?? '',
            paused,
          );
          return paused
            ? `${name} is paused: Herald stops reading it.`
            : `${name} is read again from the next ingest.`;
        }),
      ),
    );
  }
  app.post(
    '/g/:guildId/sources/import',
    guildRoute(
      ctx,
      sourcesAction(ctx, async (g) => {
        const lines = await ctx.herald.services.opml.importText(g.guild.id, formBody(g.request).opml ?? '');
        return (
          lines
            .map((line) => `${line.name ?? line.url}: ${line.added ? 'added' : 'not added'} (${line.detail})`)
            .join('; ') || 'No feeds in that list.'
        );
      }),
    ),
  );
  app.get(
    '/g/:guildId/sources.opml',
    guildRoute(ctx, async (g) => {
      const exported = await ctx.herald.services.opml.exportSources(g.guild.id);
      return g.reply
        .type('text/x-opml; charset=utf-8')
        .header('content-disposition', 'attachment; filename="herald-sources.opml"')
        .send(exported.opml);
    }),
  );
}
