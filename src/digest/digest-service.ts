/**
 * What /digest and `npm start -- digest` do with channel digests: set one up (validated, and
 * only where Herald can actually post), list, disable, preview, send one now, and run what is
 * due. The delivery engine does the exactly-once work; this module owns the configuration.
 */
import { UserError } from '../errors.ts';
import type { Taxonomy } from '../brief/topics/taxonomy.ts';
import type { GuildNotifier } from '../delivery/notices.ts';
import { CHANNEL_DOES_NOT_EXIST, type DestinationAccess } from '../delivery/sink.ts';
import type { RecordStore } from '../store/types.ts';
import type { ComposedDigest, DeliveryReport } from './delivery-ports.ts';
import { pausedNoticeKey, type DigestDelivery } from './delivery.ts';
import type { DigestConfig } from './digest-types.ts';
import { addDays, localDateOf, normalizeTimeZone, parseTime } from '../time/local-time.ts';
import { slotFor } from './schedule.ts';
import { checkedMinSources } from '../render/coverage.ts';
import { checkedTemplate, type TemplateStyle } from '../render/templates.ts';

/** Tells which of Herald's own permissions are missing in a channel, before a digest is saved there. */
export type ChannelAccessChecker = Pick<DestinationAccess, 'missingPermissions'>;

export { CHANNEL_DOES_NOT_EXIST };

export interface DigestSetupRequest {
  guildId: string;
  channelId: string;
  /** 24-hour `HH:MM`. */
  time: string;
  /** IANA name, any capitalization. */
  timezone: string;
  /** Taxonomy sections (key or name) or names such as a country; empty or absent means all topics. */
  topics?: string[];
  count?: number;
  /** How each story reads (src/render/templates.ts). */
  style?: TemplateStyle;
  /** A template with placeholders, checked as /feed edit checks one. */
  template?: string;
  /** Only stories this many outlets carry; 1 removes the threshold. */
  minSources?: number;
  /** Settings to remove, as typed: `template, min_sources`. */
  clear?: string;
  userId: string;
}

export interface DigestSetupResult {
  digest: DigestConfig;
  /** False when an existing digest for the channel was updated. */
  created: boolean;
  /** Epoch ms of the next scheduled delivery. */
  nextDueAt: number;
}

export interface DigestPreview extends ComposedDigest {
  digest: DigestConfig;
}

/** Channel digest configuration and the operations around it. */
export interface DigestService {
  setup(request: DigestSetupRequest): Promise<DigestSetupResult>;
  /** A guild's digests (every digest when guildId is undefined), by channel then time. */
  list(guildId?: string): Promise<DigestConfig[]>;
  /** Turns a digest off; `digestIdOrChannelId` is a digest id (`d-…`) or a channel id. */
  disable(guildId: string, digestIdOrChannelId: string): Promise<DigestConfig>;
  /** What the channel's digest would post now; no side effects. */
  preview(guildId: string, channelId: string): Promise<DigestPreview>;
  /** Posts the channel's digest now (`/digest now`). */
  sendNow(guildId: string, channelId: string): Promise<DeliveryReport>;
  /** Delivers every slot due at `at` (default now): the scheduler's tick and `digest run-due`. */
  runDue(at?: number): Promise<DeliveryReport[]>;
  /** When `digest` is next due after `now`. */
  nextDueAt(digest: DigestConfig, now?: number): number;
}

export interface DigestServiceDeps {
  digests: RecordStore<DigestConfig>;
  delivery: DigestDelivery;
  access: ChannelAccessChecker;
  /** Re-arms a digest's "paused" notice whenever it is set up again. */
  notifier: Pick<GuildNotifier, 'rearm'>;
  now: () => number;
  limits: { maxPerGuild: number; defaultCount: number };
  taxonomy: Taxonomy;
  /**
   * Throws a UserError for a name (not a section) no story carries, as /subscribe and /feed add
   * refuse it; without it any name is kept.
   */
  checkName?: (name: string, guildId: string) => Promise<void>;
}

const MAX_TOPICS = 10;
const MAX_TOPIC_LENGTH = 100;
const MAX_COUNT = 25;

/** One digest per channel, the same id in every process. */
export function digestIdFor(guildId: string, channelId: string): string {
  return `d-${guildId}-${channelId}`;
}

/** Splits "business, Syria; science" into topics, resolving taxonomy names to their keys. */
export function parseTopics(raw: readonly string[], taxonomy: Taxonomy): string[] {
  const topics: string[] = [];
  for (const part of raw.flatMap((text) => text.split(/[,;]/))) {
    const topic = part.trim().replace(/\s+/g, ' ');
    if (topic === '') continue;
    if (topic.length > MAX_TOPIC_LENGTH)
      throw new UserError(`The topic "${topic.slice(0, 40)}…" is too long.`);
    // Anything that is not a section is kept as a name (country, company, person) matched on entities.
    const resolved = taxonomy.find(topic)?.key ?? topic;
    if (!topics.some((known) => known.toLowerCase() === resolved.toLowerCase())) topics.push(resolved);
  }
  if (topics.length > MAX_TOPICS) throw new UserError(`A digest can follow at most ${MAX_TOPICS} topics.`);
  return topics;
}

/** Settings `/digest setup clear:` removes (the style goes back with `style: embed`). */
export const digestClearable = ['template', 'min_sources'] as const;

type Shaping = Pick<DigestConfig, 'style' | 'template' | 'minSources'>;

/** The digest's style, template and threshold after a setup: what was given, else what it had. */
function shapingOf(existing: DigestConfig | undefined, request: DigestSetupRequest): Shaping {
  const cleared = (request.clear ?? '')
    .split(/[,\s]+/)
    .map((name) => name.trim().toLowerCase().replace('-', '_'))
    .filter((name) => name.length > 0);
  const unknown = cleared.filter((name) => !(digestClearable as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new UserError(
      `I cannot clear ${unknown.map((name) => `"${name.slice(0, 30)}"`).join(', ')}; clear takes: ${digestClearable.join(', ')}.`,
    );
  const style = request.style ?? existing?.style;
  const template =
    request.template !== undefined
      ? checkedTemplate(request.template)
      : cleared.includes('template')
        ? undefined
        : existing?.template;
  const threshold =
    request.minSources !== undefined
      ? checkedMinSources(request.minSources)
      : cleared.includes('min_sources')
        ? undefined
        : existing?.minSources;
  return {
    ...(style === undefined ? {} : { style }),
    ...(template === undefined ? {} : { template }),
    ...(threshold === undefined || threshold <= 1 ? {} : { minSources: threshold }),
  };
}

function missingText(missing: readonly string[]): string {
  if (missing.length === 1) return missing[0] ?? '';
  return `${missing.slice(0, -1).join(', ')} and ${missing.at(-1) ?? ''}`;
}

export function createDigestService(deps: DigestServiceDeps): DigestService {
  const { digests, delivery, access, now, limits, taxonomy } = deps;

  async function list(guildId?: string): Promise<DigestConfig[]> {
    const found: DigestConfig[] = [];
    for await (const [, digest] of digests.entries()) {
      if (guildId === undefined || digest.guildId === guildId) found.push(digest);
    }
    return found.sort((a, b) => a.channelId.localeCompare(b.channelId) || a.time.localeCompare(b.time));
  }

  async function digestOf(guildId: string, channelId: string): Promise<DigestConfig> {
    const digest = await digests.get(digestIdFor(guildId, channelId));
    if (!digest) throw new UserError('There is no digest for that channel. Set one up with /digest setup.');
    return digest;
  }

  async function checkNames(topics: readonly string[], guildId: string): Promise<void> {
    const { checkName } = deps;
    if (checkName === undefined) return;
    for (const topic of topics) if (taxonomy.find(topic) === undefined) await checkName(topic, guildId);
  }

  function nextDueAt(digest: DigestConfig, at = now()): number {
    const today = localDateOf(at, digest.timezone);
    const dueToday = slotFor(digest, today).dueAt;
    return dueToday > at ? dueToday : slotFor(digest, addDays(today, 1)).dueAt;
  }

  return {
    list,
    nextDueAt,
    async setup(request) {
      const time = parseTime(request.time).text;
      const timezone = normalizeTimeZone(request.timezone);
      const id = digestIdFor(request.guildId, request.channelId);
      const existing = await digests.get(id);
      // Setting up an existing digest changes only what was given.
      const topics =
        request.topics === undefined ? (existing?.topics ?? []) : parseTopics(request.topics, taxonomy);
      if (request.topics !== undefined) await checkNames(topics, request.guildId);
      const count = request.count ?? existing?.count ?? limits.defaultCount;
      if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
        throw new UserError(`count must be a whole number from 1 to ${MAX_COUNT}.`);
      }
      const shaping = shapingOf(existing, request);
      // Checked before saving: a digest that can never be posted would only fail at its first slot.
      const missing = await access.missingPermissions(request.guildId, request.channelId);
      if (missing.includes(CHANNEL_DOES_NOT_EXIST)) {
        throw new UserError(
          'I cannot find that channel, or I cannot see it. Pick a text channel I can read.',
        );
      }
      if (missing.length > 0) {
        throw new UserError(
          `I cannot post digests in that channel: I am missing ${missingText(missing)} there. ` +
            'Grant them to my role in that channel, then run /digest setup again.',
        );
      }
      if (!existing?.enabled) {
        const active = (await list(request.guildId)).filter((digest) => digest.enabled && digest.id !== id);
        if (active.length >= limits.maxPerGuild) {
          throw new UserError(
            `This server already has ${active.length} digests, the most allowed. Disable one with /digest disable first.`,
          );
        }
      }
      const at = new Date(now()).toISOString();
      // A new schedule starts now: a slot earlier today under the new time or zone must not fire
      // as a "catch-up" the moment it is saved. An unchanged schedule keeps its start.
      const rescheduled =
        !existing || !existing.enabled || existing.time !== time || existing.timezone !== timezone;
      const {
        disabledReason: _reason,
        disabledProblem: _problem,
        style: _style,
        template: _template,
        minSources: _minSources,
        ...kept
      } = existing ?? ({} as Partial<DigestConfig>);
      const digest: DigestConfig = {
        ...kept,
        v: 1,
        id,
        guildId: request.guildId,
        channelId: request.channelId,
        time,
        timezone,
        topics,
        count,
        ...shaping,
        enabled: true,
        createdBy: existing?.createdBy ?? request.userId,
        createdAt: rescheduled ? at : (existing?.createdAt ?? at),
      };
      await digests.set(id, digest);
      // Set up again: if it breaks again, the guild hears about it again.
      await deps.notifier.rearm(digest.guildId, pausedNoticeKey(digest));
      return { digest, created: existing === undefined, nextDueAt: nextDueAt(digest) };
    },
    async disable(guildId, digestIdOrChannelId) {
      const id = digestIdOrChannelId.startsWith('d-')
        ? digestIdOrChannelId
        : digestIdFor(guildId, digestIdOrChannelId);
      const digest = await digests.get(id);
      if (!digest || digest.guildId !== guildId) {
        throw new UserError('There is no such digest in this server. /digest show lists them.');
      }
      const disabled: DigestConfig = {
        ...digest,
        enabled: false,
        disabledReason: 'turned off with /digest disable',
      };
      await digests.set(id, disabled);
      return disabled;
    },
    async preview(guildId, channelId) {
      const digest = await digestOf(guildId, channelId);
      return { ...(await delivery.preview(digest)), digest };
    },
    async sendNow(guildId, channelId) {
      const digest = await digestOf(guildId, channelId);
      if (!digest.enabled) {
        throw new UserError(
          'The digest for that channel is off (/digest show says why). Run /digest setup to turn it back on.',
        );
      }
      return delivery.sendNow(digest.id);
    },
    runDue: (at) => delivery.runDue(at),
  };
}
