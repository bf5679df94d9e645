import { describe, expect, it } from 'vitest';
import { timezoneChoices } from '../../commands/subscribe.ts';
import { describeSubscriptions } from '../../commands/subscriptions.ts';
import { parseCliArgs } from '../../src/cli/args.ts';
import { topicsSubcommand } from '../../src/cli/topics.ts';
import type { Herald } from '../../src/app/herald.ts';
import type { TopicOverview } from '../../src/brief/topic-catalog.ts';

const overview: TopicOverview = {
  sections: [{ key: 'world', name: 'World', description: 'News from abroad.', stories: 3 }],
  entities: [{ key: 'syria', name: 'Syria', stories: 2 }],
};

describe('subscription commands', () => {
  it('prints `topics --json` as sections and names with story counts', async () => {
    const herald = { services: { subscriptions: { topics: async () => overview } } } as unknown as Herald;
    const output = await topicsSubcommand.run(herald, parseCliArgs(['topics', '--json']));
    expect(output.json).toEqual({
      topics: [{ key: 'world', name: 'World', description: 'News from abroad.', stories: 3 }],
      entities: [{ name: 'Syria', stories: 2 }],
    });
    expect(output.text).toContain('World · 3 stories');
    expect(output.text).toContain('Syria (2)');
  });

  it('suggests IANA timezones for what was typed, UTC first', () => {
    expect(timezoneChoices('berl')).toEqual([{ name: 'Europe/Berlin', value: 'Europe/Berlin' }]);
    expect(timezoneChoices('new york')[0]?.value).toBe('America/New_York');
    expect(timezoneChoices('')[0]?.value).toBe('UTC');
    expect(timezoneChoices('')).toHaveLength(25);
  });

  it('shows a paused reader how to resume', () => {
    const text = describeSubscriptions({
      userId: 'u1',
      topics: [{ key: 'world', label: 'World', kind: 'section', addedAt: '2025-01-01T00:00:00Z' }],
      mode: 'daily',
      time: '07:30',
      timezone: 'Europe/Paris',
      createdAt: '2025-01-01T00:00:00Z',
      updatedAt: '2025-01-01T00:00:00Z',
      dailySince: '2025-01-01T00:00:00Z',
      paused: { reason: 'dms-closed', at: '2025-01-02T00:00:00Z' },
    });
    expect(text).toContain('• World (section)');
    expect(text).toContain('a daily DM digest at 07:30 (Europe/Paris)');
    expect(text).toMatch(/Paused.*\/subscribe again/);
    expect(describeSubscriptions(undefined)).toMatch(/don't follow any topics/);
  });
});
