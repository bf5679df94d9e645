// Editing a channel feed in place: the form shows the feed's settings, and saving runs the
// `/feed edit` handler with the settings the admin changed, so the feed keeps its id and the
// answer (or the refusal) is the slash command's own.
import type { FastifyInstance } from 'fastify';
import type { ChannelFeed } from '../../feeds/feed-types.ts';
import { MAX_MIN_SOURCES } from '../../render/coverage.ts';
import { TEMPLATE_MAX_LENGTH, templateStyles } from '../../render/templates.ts';
import { runCommand, type CommandOutcome, type CommandValues } from '../command-bridge.ts';
import { type Html, csrfField, guildPath, html } from '../html.ts';
import {
  formBody,
  guildRoute,
  type FormBody,
  type GuildRequest,
  type PanelContext,
} from '../panel-context.ts';
import { discordPreview } from './discord-preview.ts';
import { feedsPage } from './feeds.ts';

/** The settings the form edits as text, by their `/feed edit` option names. */
const TEXT_SETTINGS = ['topic', 'source', 'include', 'exclude', 'template', 'mention', 'tags'] as const;
type FormValues = Record<(typeof TEXT_SETTINGS)[number] | 'style' | 'min_sources' | 'threads', string>;

/** The feed's settings as the form shows them (an unset setting is an empty field). */
function storedValues(feed: ChannelFeed): FormValues {
  return {
    topic: feed.topic?.label ?? '',
    source: feed.source ?? '',
    include: feed.include ?? '',
    exclude: feed.exclude ?? '',
    template: feed.template?.trim() ?? '',
    mention: feed.mention?.roleId ?? '',
    tags: feed.tags?.map((pair) => `${pair.section}=${pair.tag}`).join(', ') ?? '',
    style: feed.style ?? 'embed',
    min_sources: String(feed.minSources ?? 1),
    threads: feed.threads ? 'on' : '',
  };
}

function submittedValues(body: FormBody): FormValues {
  const field = (name: string) => (body[name] ?? '').trim();
  return {
    topic: field('topic'),
    source: field('source'),
    include: field('include'),
    exclude: field('exclude'),
    template: field('template'),
    mention: field('mention'),
    tags: field('tags'),
    style: field('style'),
    min_sources: field('min_sources'),
    threads: body.threads === 'on' ? 'on' : '',
  };
}

/**
 * The `/feed edit` options for what the admin changed: a setting left as shown is not sent (the
 * reply then names only real changes), and a field emptied is cleared.
 */
export function editOptions(feed: ChannelFeed, body: FormBody): CommandValues {
  const form = submittedValues(body);
  const stored = storedValues(feed);
  const values: CommandValues = { feed: feed.id };
  const clear: string[] = [];
  for (const name of TEXT_SETTINGS) {
    if (form[name] === stored[name]) continue;
    if (form[name] === '') clear.push(name);
    else values[name] = form[name];
  }
  if (form.style !== stored.style) values.style = form.style;
  if (form.min_sources !== stored.min_sources) {
    if (form.min_sources === '') {
      if (feed.minSources !== undefined) clear.push('min_sources');
    } else values.min_sources = form.min_sources;
  }
  if (form.threads !== stored.threads) values.threads = form.threads === 'on';
  if (clear.length > 0) values.clear = clear.join(', ');
  return values;
}

function mentionField(ctx: PanelContext, g: GuildRequest, feed: ChannelFeed, chosen: string): Html {
  if (feed.channelKind === 'terminal' || ctx.bot.surface === 'terminal')
    return html`<label for="edit-mention">Role to ping in each new story's post</label
      ><input id="edit-mention" name="mention" value="${chosen}" />`;
  const roles = ctx.bot.roles(g.guild.id);
  // A role no longer in the server still shows, so saving other settings keeps it.
  if (feed.mention && !roles.some((role) => role.id === feed.mention?.roleId))
    roles.push({ id: feed.mention.roleId, name: feed.mention.name });
  return html`<label for="edit-mention">Role to ping in each new story's post</label>
    <select id="edit-mention" name="mention">
      <option value="" ${chosen === '' ? html`selected` : ''}>No ping</option>
      ${roles.map(
        (role) =>
          html`<option value="${role.id}" ${chosen === role.id ? html`selected` : ''}>@${role.name}</option>`,
      )}
    </select>`;
}

/** The next post of the saved feed, from `/feed preview`. */
async function savedPreview(ctx: PanelContext, g: GuildRequest, feed: ChannelFeed): Promise<Html> {
  const outcome = await runCommand(ctx, g, 'feed', 'preview', { feed: feed.id });
  if (outcome.error || !outcome.reply) return html`<p>${outcome.text}</p>`;
  const roles = new Map(ctx.bot.roles(g.guild.id).map((role) => [role.id, role.name]));
  const { content, embeds } = outcome.reply;
  // The ping shows as Discord draws it (@role), never as its raw <@&id>.
  const shown = content?.replace(
    /<@&(\d+)>/g,
    (_m, id: string) => `@${roles.get(id) ?? feed.mention?.name ?? id}`,
  );
  return discordPreview({
    ...(shown === undefined ? {} : { content: shown }),
    ...(embeds ? { embeds } : {}),
  });
}

async function editPage(
  ctx: PanelContext,
  g: GuildRequest,
  feed: ChannelFeed,
  form: FormValues = storedValues(feed),
  flash?: CommandOutcome,
): Promise<string> {
  const forum = feed.channelKind === 'forum';
  return g.render(
    `Edit feed ${feed.id}`,
    'feeds',
    html`<p><a href="${guildPath(g.guild.id, 'feeds')}">All feeds</a></p>
      <form method="post" action="${guildPath(g.guild.id, 'feeds/edit')}" id="feed-edit-form">
        ${csrfField(g.session.csrf)}<input type="hidden" name="feed" value="${feed.id}" />
        <p>An emptied field removes that setting. The feed keeps its id and never posts a story twice.</p>
        <label for="edit-topic">Topic</label><input id="edit-topic" name="topic" value="${form.topic}" />
        <label for="edit-source">Source</label><input id="edit-source" name="source" value="${form.source}" />
        <label for="edit-include">Only stories with these words</label
        ><input id="edit-include" name="include" value="${form.include}" />
        <label for="edit-exclude">Leave out stories with these words</label
        ><input id="edit-exclude" name="exclude" value="${form.exclude}" />
        ${
          forum
            ? html`<label for="edit-tags">Forum tags per section (science=Space, business=Markets)</label
                ><input id="edit-tags" name="tags" value="${form.tags}" />`
            : html`<label
                ><input type="checkbox" name="threads" ${form.threads === 'on' ? html`checked` : ''} /> A
                thread per story</label
              >`
        }
        <label for="edit-style">Style</label>
        <select id="edit-style" name="style">
          ${templateStyles.map(
            (style) =>
              html`<option value="${style}" ${form.style === style ? html`selected` : ''}>${style}</option>`,
          )}
        </select>
        <label for="edit-template"
          >Template (placeholders such as {title} {summary} {url}; empty: the style's own)</label
        >
        <textarea id="edit-template" name="template" rows="4" maxlength="${TEMPLATE_MAX_LENGTH}">
${form.template}</textarea>
        ${mentionField(ctx, g, feed, form.mention)}
        <label for="edit-min-sources">Post a story once this many outlets carry it (1: at once)</label
        ><input
          id="edit-min-sources"
          name="min_sources"
          type="number"
          min="1"
          max="${MAX_MIN_SOURCES}"
          value="${form.min_sources}"
        />
        <button type="submit">Save changes</button>
      </form>
      <section id="feed-preview">
        <h2>Next post with the saved settings</h2>
        ${await savedPreview(ctx, g, feed)}
      </section>`,
    flash,
  );
}

async function ownFeed(ctx: PanelContext, g: GuildRequest, feedId: string | undefined) {
  return (await ctx.herald.services.feeds.list(g.guild.id)).find((feed) => feed.id === feedId);
}

function noSuchFeed(g: GuildRequest): string {
  g.reply.code(404);
  return g.render('No such feed', 'feeds', html`<p>This server has no such feed.</p>`);
}

export function registerFeedEdit(app: FastifyInstance, ctx: PanelContext): void {
  app.get<{ Params: { guildId: string; feedId: string } }>(
    '/g/:guildId/feeds/:feedId/edit',
    guildRoute(ctx, async (g) => {
      const { feedId } = g.request.params as { feedId: string };
      const feed = await ownFeed(ctx, g, feedId);
      return feed ? editPage(ctx, g, feed) : noSuchFeed(g);
    }),
  );
  app.post(
    '/g/:guildId/feeds/edit',
    guildRoute(ctx, async (g) => {
      const body = formBody(g.request);
      const feed = await ownFeed(ctx, g, body.feed);
      if (!feed) return noSuchFeed(g);
      const outcome = await runCommand(ctx, g, 'feed', 'edit', editOptions(feed, body));
      if (!outcome.error) return feedsPage(ctx, g, outcome);
      // Refused: the form again as typed, with the command's words, nothing saved.
      g.reply.code(400);
      return editPage(ctx, g, feed, submittedValues(body), outcome);
    }),
  );
}
