import type { FastifyInstance } from 'fastify';
import type { PanelContext } from '../panel-context.ts';
import { registerCharts } from './charts.ts';
import { registerDigests } from './digests.ts';
import { registerFeedEdit } from './feed-edit.ts';
import { registerFeeds } from './feeds.ts';
import { registerOverview } from './overview.ts';
import { registerSources } from './sources.ts';
import { registerStories } from './stories.ts';
import { registerSubscriptions } from './subscriptions.ts';

/** Every page of one server, each behind guildRoute (session, CSRF, Manage Server). */
export function registerGuildPages(app: FastifyInstance, ctx: PanelContext): void {
  registerOverview(app, ctx);
  registerSources(app, ctx);
  registerFeeds(app, ctx);
  registerFeedEdit(app, ctx);
  registerDigests(app, ctx);
  registerStories(app, ctx);
  registerCharts(app, ctx);
  registerSubscriptions(app, ctx);
}
