/**
 * Topic subscriptions: readers follow sections and names, and get the matching stories by DM,
 * either at once (one DM per reader per ingest run) or as a daily digest at their local time.
 * A story reaches a reader at most once, across runs, restarts and instances (the sent ledger,
 * see dm-delivery.ts). Closed DMs pause the reader's subscriptions until they /subscribe again.
 */
import { entityTopicKey } from '../brief/topics/entities.ts';
import { createSubscriptionMatcher } from '../brief/topics/subscription-matcher.ts';
import { localDateOf, normalizeTimeZone, parseTime, zonedInstant } from '../time/local-time.ts';
import { UserError } from '../errors.ts';
import { createInFlight } from '../in-flight.ts';
import { isVisibleTo, readerIn, type Audience, type Story } from '../news/types.ts';
import { DAY_MS } from '../time/durations.ts';
import { createDmDelivery, memoizeSummaries, type DmResult } from './dm-delivery.ts';
import type { DeliveryRunReport, SubscriptionService, SubscriptionServiceDeps } from './subscription-api.ts';
import { isStoreReadError } from '../store/record-store.ts';
import { deliveryModes, type DeliveryMode, type UserSubscriptions } from './subscription-types.ts';
import { findTopic, topicOverview } from '../brief/topic-catalog.ts';

export type {
  DeliveryRunReport,
  StorySource,
  SubscribeOptions,
  SubscribeResult,
  SubscriptionLog,
  SubscriptionService,
  SubscriptionServiceDeps,
} from './subscription-api.ts';

const DAY_CLAIM_TTL_MS = 2 * DAY_MS;
const MAX_PENDING = 50;

export const PAUSED_NOTICE =
  'Your subscriptions are paused because I could not DM you: your DMs are closed to me. ' +
  'Allow direct messages from this server, then run /subscribe again to resume.';

function emptyReport(): DeliveryRunReport {
  return { dms: 0, stories: 0, paused: 0, failed: 0, deferred: 0 };
}

/** A reader sees shared stories and those of the servers they subscribed from. */
function audienceOf(user: UserSubscriptions): Audience {
  return { guildIds: user.guildIds ?? [] };
}

/** A copy without the pause and pending fields (exactOptionalPropertyTypes forbids `undefined`). */
function cleared(
  user: UserSubscriptions,
  fields: readonly ('paused' | 'pausedNoticePending' | 'pendingStoryIds')[],
): UserSubscriptions {
  const copy = { ...user };
  for (const field of fields) delete copy[field];
  return copy;
}

/** What a reader is told when their own record cannot be read back. */
export const DAMAGED_SUBSCRIPTIONS_TEXT =
  'Your stored subscriptions are damaged and cannot be read. /unsubscribe (any topic) clears them; then /subscribe again.';

function checkedMode(mode: string | undefined): DeliveryMode | undefined {
  if (mode === undefined) return undefined;
  if (!(deliveryModes as readonly string[]).includes(mode))
    throw new UserError(`Delivery must be one of ${deliveryModes.join(', ')} (not "${mode.slice(0, 40)}").`);
  return mode as DeliveryMode;
}

export function createSubscriptionService(deps: SubscriptionServiceDeps): SubscriptionService {
  const { store, taxonomy, stories, now, log } = deps;
  const defaults = deps.dailyDefaults ?? { time: '08:00', timezone: 'UTC' };
  const freshForMs = deps.freshForMs ?? DAY_MS;
  const delivery = createDmDelivery({
    store,
    lane: deps.lane,
    claims: deps.claims,
    now,
    maxStoriesPerDm: deps.maxStoriesPerDm ?? 10,
    halfLifeHours: deps.halfLifeHours ?? 12,
    taxonomy: deps.taxonomy,
  });
  const { track, idle } = createInFlight();
  let dueRun: Promise<DeliveryRunReport> | undefined;

  /** The reader's record; damage is logged with its key and told to the reader as a repair step. */
  async function readUser(userId: string): Promise<UserSubscriptions | undefined> {
    try {
      return await store.get(userId);
    } catch (error) {
      if (!isStoreReadError(error)) throw error;
      log.error({ userId, problem: error.message }, 'store damage: a reader record cannot be read');
      throw new UserError(DAMAGED_SUBSCRIPTIONS_TEXT);
    }
  }

  async function patch(
    userId: string,
    change: (user: UserSubscriptions) => UserSubscriptions,
  ): Promise<void> {
    const current = await store.get(userId);
    if (current) await store.set(userId, change(current));
  }

  async function allUsers(): Promise<UserSubscriptions[]> {
    const users: UserSubscriptions[] = [];
    for await (const [, user] of store.entries()) users.push(user);
    return users;
  }

  async function loadStories(ids: readonly string[]): Promise<Story[]> {
    const found = await Promise.all([...new Set(ids)].map((id) => stories.getStory(id)));
    return found.filter((story): story is Story => story !== undefined && story.backlog !== true);
  }

  /** Folds one reader's result into the report and their record. */
  async function settle(
    user: UserSubscriptions,
    result: DmResult,
    report: DeliveryRunReport,
    deferIds: readonly string[],
  ): Promise<void> {
    const { userId } = user;
    const iso = new Date(now()).toISOString();
    if (result.outcome === 'sent') {
      report.dms += 1;
      report.stories += result.storyIds.length;
    } else if (result.outcome === 'closed') {
      report.paused += 1;
      log.warn({ userId, reason: result.reason }, 'DMs closed: subscriptions paused');
      await patch(userId, (current) => ({
        ...cleared(current, ['pendingStoryIds']),
        paused: { reason: 'dms-closed', at: iso },
        pausedNoticePending: true,
      }));
      return;
    } else if (result.outcome === 'failed') {
      report.failed += 1;
      log.error({ userId, reason: result.reason }, 'subscription DM failed');
    } else if (result.outcome === 'retry' || result.outcome === 'busy') {
      report.deferred += 1;
    }
    const deferred = result.outcome === 'retry' || result.outcome === 'busy';
    if (!deferred && user.pendingStoryIds === undefined) return;
    await patch(userId, (current) => {
      if (!deferred) return cleared(current, ['pendingStoryIds']);
      const pending = [...new Set([...(current.pendingStoryIds ?? []), ...deferIds])].slice(-MAX_PENDING);
      return pending.length > 0 ? { ...current, pendingStoryIds: pending } : current;
    });
  }

  function matchByUser(users: readonly UserSubscriptions[], batch: readonly Story[]): Map<string, string[]> {
    const matcher = createSubscriptionMatcher();
    for (const user of users) {
      for (const topic of user.topics)
        matcher.add({ id: `${user.userId}:${topic.key}`, userId: user.userId, topicKey: topic.key });
    }
    return matcher.match([...batch]);
  }

  async function runImmediate(
    users: UserSubscriptions[],
    batch: Story[],
    report: DeliveryRunReport,
  ): Promise<void> {
    const byId = new Map(batch.map((story) => [story.id, story]));
    const matches = matchByUser(users, batch);
    const summaryOf = memoizeSummaries((story) => deps.brief.summaryOf(story));
    for (const user of users) {
      const matched = matches.get(user.userId) ?? [];
      const pending = user.pendingStoryIds ?? [];
      if (matched.length === 0 && pending.length === 0) continue;
      const candidates = [
        ...(await loadStories(pending)),
        ...matched.map((id) => byId.get(id)).filter((s): s is Story => s !== undefined),
      ].filter((story) => isVisibleTo(story, audienceOf(user)));
      const result = await delivery.deliver(user.userId, candidates, 'immediate', summaryOf);
      await settle(
        user,
        result,
        report,
        candidates.map((story) => story.id),
      );
    }
  }

  async function onNewStories(storyIds: readonly string[]): Promise<DeliveryRunReport> {
    const report = emptyReport();
    const cutoff = now() - freshForMs;
    const batch = (await loadStories(storyIds)).filter((story) => Date.parse(story.firstSeenAt) >= cutoff);
    if (batch.length === 0) return report;
    const users = (await allUsers()).filter(
      (user) => user.mode === 'immediate' && !user.paused && user.topics.length > 0,
    );
    await runImmediate(users, batch, report);
    if (report.dms + report.paused + report.failed > 0)
      log.info({ batch: batch.length, ...report }, 'subscription DMs sent');
    return report;
  }

  function isDailyDue(user: UserSubscriptions, at: number): string | undefined {
    if (user.mode !== 'daily' || user.paused || user.topics.length === 0) return undefined;
    const today = localDateOf(at, user.timezone);
    if (user.lastDigestDate === today) return undefined;
    const { hour, minute } = parseTime(user.time);
    const dueAt = zonedInstant(today, hour, minute, user.timezone);
    // A time that had already passed when the reader chose daily starts tomorrow.
    return dueAt <= at && dueAt >= Date.parse(user.dailySince) ? today : undefined;
  }

  async function runDaily(users: UserSubscriptions[], at: number, report: DeliveryRunReport): Promise<void> {
    const due = users.flatMap((user) => {
      const today = isDailyDue(user, at);
      return today ? [{ user, today }] : [];
    });
    if (due.length === 0) return;
    const oldest = Math.min(...due.map(({ user }) => Date.parse(user.dailySince)));
    const pool: Story[] = [];
    for await (const page of stories.newest({
      audience: 'operator',
      excludeBacklog: true,
      firstSeenAfterMs: oldest,
    }))
      pool.push(...page);
    const byId = new Map(pool.map((story) => [story.id, story]));
    const matches = matchByUser(
      due.map(({ user }) => user),
      pool,
    );
    const summaryOf = memoizeSummaries((story) => deps.brief.summaryOf(story));
    for (const { user, today } of due) {
      const dayKey = `subscriptions:daily:${user.userId}:${today}`;
      const token = await deps.claims.claim(dayKey, DAY_CLAIM_TTL_MS);
      if (!token) continue;
      const since = Date.parse(user.dailySince);
      const candidates = (matches.get(user.userId) ?? [])
        .map((id) => byId.get(id))
        .filter(
          (story): story is Story =>
            story !== undefined &&
            Date.parse(story.firstSeenAt) > since &&
            isVisibleTo(story, audienceOf(user)),
        );
      const result: DmResult =
        candidates.length > 0
          ? await delivery.deliver(user.userId, candidates, 'daily', summaryOf)
          : { outcome: 'nothing', storyIds: [] };
      if (result.outcome === 'busy' || result.outcome === 'retry') {
        // Not delivered: give the day back so the next tick tries again.
        await deps.claims.release(dayKey, token);
        report.deferred += 1;
        continue;
      }
      await settle(user, result, report, []);
      if (result.outcome !== 'closed') {
        const iso = new Date(at).toISOString();
        await patch(user.userId, (current) => ({ ...current, lastDigestDate: today, dailySince: iso }));
      }
    }
  }

  async function runDueOnce(): Promise<DeliveryRunReport> {
    const report = emptyReport();
    const at = now();
    const users = (await allUsers()).filter((user) => !user.paused && user.topics.length > 0);
    const retrying = users.filter(
      (user) => user.mode === 'immediate' && (user.pendingStoryIds?.length ?? 0) > 0,
    );
    if (retrying.length > 0) await runImmediate(retrying, [], report);
    await runDaily(users, at, report);
    if (report.dms + report.paused + report.failed > 0) log.info({ ...report }, 'subscription run finished');
    return report;
  }

  return {
    async subscribe(userId, typed, options = {}) {
      const audience = readerIn(options.guildId);
      const topic = await findTopic(typed, taxonomy, stories, audience);
      const time = options.time === undefined ? undefined : parseTime(options.time).text;
      const timezone = options.timezone === undefined ? undefined : normalizeTimeZone(options.timezone);
      const mode =
        checkedMode(options.mode) ?? (time !== undefined || timezone !== undefined ? 'daily' : undefined);
      const iso = new Date(now()).toISOString();
      const existing = await readUser(userId);
      const base: UserSubscriptions = existing ?? {
        userId,
        topics: [],
        mode: 'immediate',
        time: defaults.time,
        timezone: defaults.timezone,
        createdAt: iso,
        updatedAt: iso,
        dailySince: iso,
      };
      const already = base.topics.some((followed) => followed.key === topic.key);
      if (!already && base.topics.length >= deps.limits.maxSubscriptionsPerUser) {
        throw new UserError(
          `You follow ${base.topics.length} topics, the most I keep for one person. /unsubscribe one first.`,
        );
      }
      const guildIds = [
        ...new Set([...(base.guildIds ?? []), ...(options.guildId === undefined ? [] : [options.guildId])]),
      ];
      const next: UserSubscriptions = {
        ...cleared(base, ['paused', 'pausedNoticePending']),
        ...(guildIds.length > 0 ? { guildIds } : {}),
        topics: already ? base.topics : [...base.topics, { ...topic, addedAt: iso }],
        mode: mode ?? base.mode,
        time: time ?? base.time,
        timezone: timezone ?? base.timezone,
        updatedAt: iso,
      };
      // Switching to daily: the first digest holds what arrives from now on.
      if (next.mode === 'daily' && (existing === undefined || existing.mode !== 'daily'))
        next.dailySince = iso;
      await store.set(userId, next);
      return { topic, added: !already, resumed: base.paused !== undefined, subscriptions: next };
    },

    async unsubscribe(userId, typed) {
      let user: UserSubscriptions | undefined;
      try {
        user = await store.get(userId);
      } catch (error) {
        if (!isStoreReadError(error)) throw error;
        // The reader's way out of a damaged record: it is cleared, and they subscribe again.
        log.error({ userId, problem: error.message }, 'store damage: a damaged reader record was cleared');
        await store.delete(userId);
        throw new UserError('Your damaged subscriptions were cleared. /subscribe to follow topics again.');
      }
      if (!user || user.topics.length === 0)
        throw new UserError("You don't follow any topics. /subscribe adds one.");
      const text = typed.trim();
      const keys = new Set([taxonomy.find(text)?.key, entityTopicKey(text)]);
      const found = user.topics.find(
        (followed) => keys.has(followed.key) || followed.label.toLowerCase() === text.toLowerCase(),
      );
      if (!found)
        throw new UserError(
          `You don't follow "${text.slice(0, 100)}". /subscriptions lists what you follow.`,
        );
      const topics = user.topics.filter((followed) => followed !== found);
      if (topics.length === 0) await store.delete(userId);
      else await store.set(userId, { ...user, topics, updatedAt: new Date(now()).toISOString() });
      return found;
    },

    list: (userId) => readUser(userId),

    async topics(audience, entityLimit) {
      return topicOverview(taxonomy, await stories.topicRows(audience), entityLimit);
    },

    onNewStories: (storyIds) => track(onNewStories(storyIds)),

    runDue() {
      dueRun ??= track(runDueOnce()).finally(() => {
        dueRun = undefined;
      });
      return dueRun;
    },

    async takePendingNotice(userId) {
      // Rides on every command: a damaged record must not make every command fail.
      const user = await store.get(userId).catch((error: unknown) => {
        if (isStoreReadError(error)) return undefined;
        throw error;
      });
      if (!user?.pausedNoticePending) return undefined;
      await store.set(userId, cleared(user, ['pausedNoticePending']));
      return PAUSED_NOTICE;
    },

    idle,
  };
}
