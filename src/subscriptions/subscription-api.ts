/**
 * The subscription service's public shapes: what it needs (deps) and what it offers. Kept apart
 * from the implementation so commands and the composition root read one short file.
 */
import type { BriefService } from '../brief/brief-service.ts';
import type { StoryFinder } from '../brief/story-finder.ts';
import type { Taxonomy } from '../brief/topics/taxonomy.ts';
import type { Audience, Story } from '../news/types.ts';
import type { ClaimStore, RecordStore } from '../store/types.ts';
import type { DeliveryLane } from '../delivery/courier.ts';
import type { DeliveryMode, FollowedTopic, UserSubscriptions } from './subscription-types.ts';
import type { ResolvedTopic, TopicOverview } from '../brief/topic-catalog.ts';
import type { ServiceLog } from '../logger.ts';

/** The stories the service reads: one by id, or those the story catalog picks. */
export interface StorySource extends Pick<StoryFinder, 'newest' | 'carrying' | 'topicRows'> {
  getStory(id: string): Promise<Story | undefined>;
}

export type SubscriptionLog = ServiceLog;

export interface SubscriptionServiceDeps {
  /** One record per reader, keyed by user id. */
  store: RecordStore<UserSubscriptions>;
  /** DMs leave through the courier's DM lane, whose ledger keeps the stories each reader was sent. */
  lane: DeliveryLane;
  claims: ClaimStore;
  taxonomy: Taxonomy;
  stories: StorySource;
  brief: Pick<BriefService, 'summaryOf'>;
  now: () => number;
  log: SubscriptionLog;
  limits: { maxSubscriptionsPerUser: number };
  /** Daily digest time and zone when the reader gives none. Default 08:00 UTC. */
  dailyDefaults?: { time: string; timezone: string };
  /** Immediate DMs only carry stories first seen this recently (old stories updated by a merge stay quiet). Default 24 h. */
  freshForMs?: number;
  /** Default 10, the embeds one Discord message holds. */
  maxStoriesPerDm?: number;
  /** Ranking inside a DM. Default 12. */
  halfLifeHours?: number;
}

export interface SubscribeOptions {
  mode?: DeliveryMode;
  /** Daily digest time `HH:MM`; implies daily when mode is not given. */
  time?: string;
  /** IANA zone of the daily digest; implies daily when mode is not given. */
  timezone?: string;
  /** The server the reader subscribed from (absent in DMs): its own feeds' stories reach them too. */
  guildId?: string;
}

export interface SubscribeResult {
  topic: ResolvedTopic;
  /** False when the reader already followed it (settings may still have changed). */
  added: boolean;
  /** True when this lifted a pause. */
  resumed: boolean;
  subscriptions: UserSubscriptions;
}

/** What one delivery run did, for logs and tests. */
export interface DeliveryRunReport {
  dms: number;
  stories: number;
  paused: number;
  failed: number;
  /** Deferred to a later run (busy reader, passing Discord failure). */
  deferred: number;
}

export interface SubscriptionService {
  subscribe(userId: string, topic: string, options?: SubscribeOptions): Promise<SubscribeResult>;
  /** Stops following one topic; UserError when the reader does not follow it. Returns what was removed. */
  unsubscribe(userId: string, topic: string): Promise<FollowedTopic>;
  list(userId: string): Promise<UserSubscriptions | undefined>;
  /** Sections and the names seen in the stories this audience sees, with counts. */
  topics(audience: Audience, entityLimit?: number): Promise<TopicOverview>;
  /** After an ingest: DMs immediate readers about these new or changed stories (backlog is never pushed). */
  onNewStories(storyIds: readonly string[]): Promise<DeliveryRunReport>;
  /** Every minute: daily digests whose local time has come, and retries of deferred immediate DMs. */
  runDue(): Promise<DeliveryRunReport>;
  /** The pause notice, once, the next time the reader uses a command. */
  takePendingNotice(userId: string): Promise<string | undefined>;
  /** Resolves when no run is in flight. */
  idle(): Promise<void>;
}
