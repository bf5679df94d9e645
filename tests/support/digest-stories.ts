// Digest configs, brief items and a recording fake BriefService for the digest tests.
import type { BriefItem, BriefService, TopStoriesRequest } from '../../src/brief/brief-service.ts';
import type { DigestConfig } from '../../src/digest/digest-types.ts';
import { outletCount } from '../../src/news/types.ts';

/** A channel digest at 08:00 Berlin time; tests override what they are about. */
export function digestConfig(overrides: Partial<DigestConfig> = {}): DigestConfig {
  return {
    v: 1,
    id: 'd1',
    guildId: 'g1',
    channelId: 'c1',
    time: '08:00',
    timezone: 'Europe/Berlin',
    topics: [],
    count: 5,
    enabled: true,
    createdBy: 'u1',
    createdAt: '2020-01-01T00:00:00Z',
    ...overrides,
  };
}

export function briefItem(
  id: string,
  overrides: {
    title?: string;
    text?: string;
    topics?: string[];
    firstSeenAt?: string;
    sources?: string[];
    entities?: string[];
  } = {},
): BriefItem {
  const title = overrides.title ?? `Story ${id}`;
  const at = overrides.firstSeenAt ?? '2025-11-24T06:00:00Z';
  return {
    story: {
      id,
      title,
      url: `https://news.example/${id}`,
      articleIds: [`a-${id}`],
      sources: (overrides.sources ?? ['Example News']).map((name) => ({ name, url: 'https://news.example' })),
      publishedAt: at,
      firstSeenAt: at,
      updatedAt: at,
      contentHash: `h-${id}`,
      topics: overrides.topics ?? ['science'],
      entities: overrides.entities ?? [],
      sourceWeight: 1,
      featured: false,
    },
    score: 1,
    parts: { recency: 1, sourceWeight: 1, featured: 0, coverage: 0, topic: 0 },
    summary: {
      v: 1,
      headline: title,
      sentences: [overrides.text ?? `What happened in ${id}.`],
      keyFacts: [],
      topics: [],
      entities: [],
      summarizer: 'extractive',
    },
  };
}

/** Answers top() from a fixed list, honouring count, since, exclusions and the outlet threshold, and records each request. */
export function createFakeBrief(
  items: BriefItem[],
): Pick<BriefService, 'top'> & { requests: TopStoriesRequest[] } {
  const requests: TopStoriesRequest[] = [];
  return {
    requests,
    async top(request) {
      requests.push(request);
      const since = request.since ? Date.parse(request.since) : -Infinity;
      return items
        .filter(
          (item) =>
            Date.parse(item.story.firstSeenAt) > since &&
            !request.excludeStoryIds?.has(item.story.id) &&
            outletCount(item.story) >= (request.minSources ?? 1),
        )
        .slice(0, request.count);
    },
  };
}
