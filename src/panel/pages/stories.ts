import type { FastifyInstance } from 'fastify';
import { RANKING_WEIGHTS, scoreStory, type ScoreParts } from '../../brief/ranking.ts';
import { frontPageTopics } from '../../brief/brief-service.ts';
import { readerIn, type Audience, type Story } from '../../news/types.ts';
import { guildPath, html } from '../html.ts';
import { guildRoute, type PanelContext } from '../panel-context.ts';

const LISTED = 25;
const PART_NAMES: Record<keyof ScoreParts, string> = {
  recency: 'Recency',
  sourceWeight: 'Source weight',
  featured: 'Featured source',
  coverage: 'Outlets covering it',
  topic: 'Front-page section',
};

function storyRow(guildId: string, story: Story) {
  return html`<li>
    <a href="${guildPath(guildId, `stories/${encodeURIComponent(story.id)}`)}">${story.title}</a>
    <span class="meta"
      >${story.publishedAt.slice(0, 10)} · ${story.sources.map((s) => s.name).join(', ')}</span
    >
  </li>`;
}

async function newest(ctx: PanelContext, audience: Audience): Promise<Story[]> {
  // One page of LISTED: only the stories the page shows are read from the store.
  for await (const batch of ctx.herald.finder.newest({ audience }, LISTED)) return batch;
  return [];
}

export function registerStories(app: FastifyInstance, ctx: PanelContext): void {
  app.get(
    '/g/:guildId/stories',
    guildRoute(ctx, async (g) => {
      const { brief } = ctx.herald.services;
      const query = String((g.request.query as { q?: unknown }).q ?? '')
        .trim()
        .slice(0, 200);
      const audience = readerIn(g.guild.id);
      const stories = query ? await brief.findByTitle(query, LISTED, audience) : await newest(ctx, audience);
      return g.render(
        'Stories',
        'stories',
        html`<form method="get" role="search">
            <label for="story-search">Search titles</label
            ><input id="story-search" name="q" value="${query}" /><button type="submit">Search</button>
          </form>
          <h2>${query ? `Titles with “${query}”` : 'Newest stories'}</h2>
          ${
            stories.length === 0
              ? html`<p>No stories found.</p>`
              : html`<ol class="stories">
                  ${stories.map((s) => storyRow(g.guild.id, s))}
                </ol>`
          }`,
      );
    }),
  );
  app.get<{ Params: { guildId: string; storyId: string } }>(
    '/g/:guildId/stories/:storyId',
    guildRoute(ctx, async (g) => {
      const { storyId } = g.request.params as { storyId: string };
      const detail = await ctx.herald.services.brief.detail(storyId, readerIn(g.guild.id));
      if (!detail) {
        g.reply.code(404);
        return g.render(
          'No such story',
          'stories',
          html`<p>This story is not stored (or not shown in this server).</p>`,
        );
      }
      const { story, summary, articles } = detail;
      const { config, taxonomy } = ctx.herald.services;
      const ranked = scoreStory(story, {
        now: ctx.now(),
        halfLifeHours: config.brief.recencyHalfLifeHours,
        frontPageTopics: frontPageTopics(taxonomy),
      });
      const parts = (Object.keys(RANKING_WEIGHTS) as (keyof ScoreParts)[]).map(
        (key) =>
          html`<tr>
            <th scope="row">${PART_NAMES[key]}</th>
            <td>${ranked.parts[key].toFixed(2)}</td>
            <td>× ${RANKING_WEIGHTS[key]}</td>
            <td>${(ranked.parts[key] * RANKING_WEIGHTS[key]).toFixed(3)}</td>
          </tr>`,
      );
      return g.render(
        story.title,
        'stories',
        html`<p class="meta">
            First published ${story.publishedAt} · updated
            ${story.updatedAt}${story.url ? html` · <a href="${story.url}" rel="noopener noreferrer">original</a>` : ''}
          </p>
          <h2>Summary</h2>
          <p>${summary.sentences.join(' ')}</p>
          <h2>Outlets merged into this story</h2>
          <ul>
            ${story.sources.map((s) => html`<li>${s.name}</li>`)}
          </ul>
          <h2>Versions</h2>
          <ol>
            ${articles.map((a) => html`<li>${a.title} <span class="meta">(${a.source.name}${a.publishedAt ? `, ${a.publishedAt}` : ''})</span></li>`)}
          </ol>
          <h2>Why it ranks here</h2>
          <table>
            <caption>
              Score ${ranked.score.toFixed(3)}: each part in [0, 1] times its weight
            </caption>
            <thead>
              <tr>
                <th scope="col">Part</th>
                <th scope="col">Value</th>
                <th scope="col">Weight</th>
                <th scope="col">Adds</th>
              </tr>
            </thead>
            <tbody>
              ${parts}
            </tbody>
          </table>`,
      );
    }),
  );
}
