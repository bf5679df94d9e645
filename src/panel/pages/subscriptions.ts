import type { FastifyInstance } from 'fastify';
import { userSubscriptionsCodec } from '../../subscriptions/subscription-types.ts';
import { html } from '../html.ts';
import { guildRoute, type PanelContext } from '../panel-context.ts';

/** Readers' topics as counts only: who follows what stays private. */
export function registerSubscriptions(app: FastifyInstance, ctx: PanelContext): void {
  // The namespace the subscription service keeps one record per reader in (build-subscriptions.ts).
  const store = ctx.herald.backend.records('subscriptions', userSubscriptionsCodec);
  app.get(
    '/g/:guildId/subscriptions',
    guildRoute(ctx, async (g) => {
      let readers = 0;
      const modes = new Map<string, number>();
      const topics = new Map<string, number>();
      for await (const [, record] of store.entries()) {
        readers += 1;
        modes.set(record.mode, (modes.get(record.mode) ?? 0) + 1);
        for (const topic of record.topics) topics.set(topic.label, (topics.get(topic.label) ?? 0) + 1);
      }
      const top = [...topics.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
      return g.render(
        'Subscriptions',
        'subscriptions',
        html`<p>Readers follow topics by direct message, across every server; only counts are shown here.</p>
          <dl class="facts">
            <dt>Readers</dt>
            <dd>${readers}</dd>
            ${[...modes.entries()].map(
              ([mode, n]) =>
                html`<dt>${mode}</dt>
                  <dd>${n}</dd>`,
            )}
          </dl>
          ${
            top.length > 0
              ? html`<table>
                  <caption>
                    Most followed topics
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Topic</th>
                      <th scope="col">Readers</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${top.map(
                      ([label, n]) =>
                        html`<tr>
                          <th scope="row">${label}</th>
                          <td>${n}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`
              : ''
          }`,
      );
    }),
  );
}
