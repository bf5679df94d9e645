import type { FastifyInstance } from 'fastify';
import { storyMessage } from '../../feeds/feed-render.ts';
import { readerIn, type Story } from '../../news/types.ts';
import { findTopic } from '../../brief/topic-catalog.ts';
import { runCommand } from '../command-bridge.ts';
import { type Html, buttonForm, csrfField, listingOrEmpty, guildPath, html } from '../html.ts';
import { formBody, guildRoute, type GuildRequest, type PanelContext } from '../panel-context.ts';
import { discordPreview } from './discord-preview.ts';

type Flash = { text: string; error: boolean };
/** Stories of a topic looked at for one that also follows the source. */
const PREVIEW_CANDIDATES = 25;

/** Stories looked at for a preview that follows a source only (newest first). */
const SOURCE_SCAN_PAGES = 5;

/** What a new feed with this topic and source would post first: the newest matching story. */
async function feedPreview(
  ctx: PanelContext,
  guildId: string,
  topic?: string,
  source?: string,
): Promise<Html> {
  const { herald } = ctx;
  const audience = readerIn(guildId);
  const wantedSource = source?.trim().toLowerCase();
  const fromSource = (story: Story) =>
    !wantedSource || story.sources.some((s) => s.name.toLowerCase() === wantedSource);
  let match: Story | undefined;
  if (topic?.trim()) {
    const resolved = await findTopic(topic, herald.services.taxonomy, herald.finder, audience).catch(
      () => undefined,
    );
    if (resolved)
      match = (await herald.finder.carrying(resolved.key, audience, PREVIEW_CANDIDATES)).find(fromSource);
  } else if (wantedSource) {
    let pages = 0;
    for await (const batch of herald.finder.newest({ audience })) {
      match = batch.find(fromSource);
      if (match || ++pages >= SOURCE_SCAN_PAGES) break;
    }
  }
  if (!match) return html`<p>No stored story matches yet; the feed posts when one arrives.</p>`;
  const summary = await herald.services.brief.summaryOf(match);
  // A new feed's post: the default card, in UTC (the panel knows no member's time zone).
  return discordPreview(
    storyMessage(
      {},
      { story: match, summary, sections: herald.services.taxonomy, timeZone: 'UTC', now: ctx.now() },
    ),
  );
}

function channelSelect(ctx: PanelContext, g: GuildRequest, id: string): Html {
  return html`<select id="${id}" name="channel" required>
    ${ctx.bot.channels(g.guild.id).map((c) => html`<option value="${c.id}">#${c.name}</option>`)}
  </select>`;
}

export async function feedsPage(
  ctx: PanelContext,
  g: GuildRequest,
  flash?: Flash,
  preview?: Html,
): Promise<string> {
  const feeds = await ctx.herald.services.feeds.list(g.guild.id);
  const names = new Map(ctx.bot.channels(g.guild.id).map((c) => [c.id, c.name]));
  const action = (feed: string, verb: string, label: string): Html =>
    buttonForm({
      guildId: g.guild.id,
      csrf: g.session.csrf,
      action: `feeds/${verb}`,
      field: 'feed',
      value: feed,
      label,
    });
  const rows = feeds.map(
    (feed) =>
      html`<tr>
        <th scope="row">${feed.id}</th>
        <td>#${names.get(feed.channelId) ?? feed.channelId}</td>
        <td>${feed.topic?.label ?? '—'}</td>
        <td>${feed.source ?? '—'}</td>
        <td>${feed.paused ? `paused: ${feed.paused.reason}` : 'running'}</td>
        <td>
          <a href="${guildPath(g.guild.id, `feeds/${encodeURIComponent(feed.id)}/edit`)}">Edit ${feed.id}</a>
          ${
            feed.paused
              ? action(feed.id, 'resume', `Resume ${feed.id}`)
              : action(feed.id, 'pause', `Pause ${feed.id}`)
          }
          ${action(feed.id, 'remove', `Remove ${feed.id}`)}
        </td>
      </tr>`,
  );
  return g.render(
    'Channel feeds',
    'feeds',
    html`${listingOrEmpty('No channel feeds yet.', 'Feeds posting stories as they arrive', ['Feed', 'Channel', 'Topic', 'Source', 'State', 'Actions'], rows)}
      <h2>Add a feed</h2>
      <p>Edit a feed above to change its template, style, role ping or threshold.</p>
      <form
        method="post"
        action="${guildPath(g.guild.id, 'feeds/add')}"
        id="feed-form"
        data-preview="${guildPath(g.guild.id, 'feeds/preview')}"
      >
        ${csrfField(g.session.csrf)}
        <label for="feed-channel">Channel</label>${channelSelect(ctx, g, 'feed-channel')}
        <label for="feed-topic">Topic</label><input id="feed-topic" name="topic" />
        <label for="feed-source">Source</label><input id="feed-source" name="source" />
        <label for="feed-include">Only stories with these words</label
        ><input id="feed-include" name="include" />
        <label for="feed-exclude">Leave out stories with these words</label
        ><input id="feed-exclude" name="exclude" />
        <label><input type="checkbox" name="threads" /> A thread per story</label>
        <button type="submit">Save feed</button>
        <button type="submit" formmethod="get" formaction="${guildPath(g.guild.id, 'feeds')}">Preview</button>
      </form>
      <section aria-live="polite" id="feed-preview">
        <h2>Preview</h2>
        ${preview ?? html`<p>Type a topic or a source to see the story it would post first.</p>`}
      </section>`,
    flash,
  );
}

export function registerFeeds(app: FastifyInstance, ctx: PanelContext): void {
  app.get<{ Params: { guildId: string }; Querystring: { topic?: string; source?: string } }>(
    '/g/:guildId/feeds',
    guildRoute(ctx, async (g) => {
      const { topic, source } = g.request.query as { topic?: string; source?: string };
      const preview = topic || source ? await feedPreview(ctx, g.guild.id, topic, source) : undefined;
      return feedsPage(ctx, g, undefined, preview);
    }),
  );
  app.get(
    '/g/:guildId/feeds/preview',
    guildRoute(ctx, async (g) => {
      const { topic, source } = g.request.query as { topic?: string; source?: string };
      return (await feedPreview(ctx, g.guild.id, topic, source)).value;
    }),
  );
  app.post(
    '/g/:guildId/feeds/add',
    guildRoute(ctx, async (g) => {
      const body = formBody(g.request);
      const outcome = await runCommand(ctx, g, 'feed', 'add', {
        channel: body.channel,
        topic: body.topic,
        source: body.source,
        include: body.include,
        exclude: body.exclude,
        threads: body.threads === 'on' ? true : undefined,
      });
      if (outcome.error) g.reply.code(400);
      return feedsPage(ctx, g, outcome);
    }),
  );
  for (const verb of ['pause', 'resume', 'remove'] as const) {
    app.post(
      `/g/:guildId/feeds/${verb}`,
      guildRoute(ctx, async (g) => {
        const outcome = await runCommand(ctx, g, 'feed', verb, { feed: formBody(g.request).feed });
        if (outcome.error) g.reply.code(400);
        return feedsPage(ctx, g, outcome);
      }),
    );
  }
}
