// The panel's feed form shows a feed's settings; saving must send /feed edit only what the admin
// changed (so the reply names real changes) and clear what was emptied.
import { describe, expect, it } from 'vitest';
import type { ChannelFeed } from '../../src/feeds/feed-types.ts';
import { editOptions } from '../../src/panel/pages/feed-edit.ts';

const feed: ChannelFeed = {
  id: 'f-abc',
  guildId: 'g1',
  channelId: 'c1',
  channelKind: 'text',
  topic: { key: 'business', label: 'Business', kind: 'section' },
  include: 'ferry',
  threads: false,
  createdBy: 'u1',
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  since: '2026-12-01T00:00:00.000Z',
  template: '{title}',
  mention: { roleId: '42', name: 'desk' },
  minSources: 3,
};

/** The form as the page shows it for `feed`, with `changes` typed over it. */
function form(changes: Record<string, string> = {}): Record<string, string> {
  return {
    feed: feed.id,
    topic: 'Business',
    source: '',
    include: 'ferry',
    exclude: '',
    style: 'embed',
    template: '{title}',
    mention: '42',
    min_sources: '3',
    ...changes,
  };
}

describe('the panel feed edit form', () => {
  it('sends nothing but the feed when nothing changed (the command then says so)', () => {
    expect(editOptions(feed, form())).toEqual({ feed: 'f-abc' });
  });

  it('sends the settings that changed, as typed', () => {
    expect(
      editOptions(feed, form({ template: ' {title} ({sourceCount}) ', min_sources: '5', threads: 'on' })),
    ).toEqual({ feed: 'f-abc', template: '{title} ({sourceCount})', min_sources: '5', threads: true });
  });

  it('clears what was emptied, and leaves a threshold of one to the command', () => {
    expect(editOptions(feed, form({ include: '', mention: '', min_sources: '' }))).toEqual({
      feed: 'f-abc',
      clear: 'include, mention, min_sources',
    });
    expect(editOptions(feed, form({ min_sources: '1' }))).toEqual({ feed: 'f-abc', min_sources: '1' });
  });
});
