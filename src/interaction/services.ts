import type { BriefService } from '../brief/brief-service.ts';
import type { AskService } from '../brief/answer/ask-service.ts';
import type { IngestJob } from '../news/ingest-job.ts';
import type { OpmlService } from '../news/opml-service.ts';
import type { SourceAdmin } from '../news/source-admin.ts';
import type { SourceRegistry } from '../news/source-registry.ts';
import type { Taxonomy } from '../brief/topics/taxonomy.ts';
import type { HeraldConfig } from '../config/schema.ts';
import type { CommandData } from './command-data.ts';
import type { DigestService } from '../digest/digest-service.ts';
import type { FeedService } from '../feeds/feed-service.ts';
import type { Logger } from '../logger.ts';
import type { StatusService } from '../status/status-service.ts';
import type { SubscriptionService } from '../subscriptions/subscription-service.ts';

export type { StatusService, StatusSnapshot } from '../status/status-service.ts';
export type { AskRequest, AskService } from '../brief/answer/ask-service.ts';

/**
 * The typed deps object every command handler receives. Built once in the composition root (src/app/herald.ts); tests
 * build their own with fakes. Areas are added here as they land.
 */
export interface Services {
  config: HeraldConfig;
  log: Logger;
  now: () => number;
  /** Every registered command, for /help. */
  commands: readonly { data: CommandData }[];
  status: StatusService;
  brief: BriefService;
  ask: AskService;
  sources: SourceRegistry;
  sourceAdmin: SourceAdmin;
  /** /sources import and export (OPML). */
  opml: OpmlService;
  ingest: IngestJob;
  taxonomy: Taxonomy;
  /** Topic subscriptions and /topics. */
  subscriptions: SubscriptionService;
  digests: DigestService;
  /** Channel feeds (/feed). */
  feeds: FeedService;
}
