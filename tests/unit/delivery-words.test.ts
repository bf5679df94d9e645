// Each surface words the services' reasons its own way: Discord mentions the channel and names
// its error code; the terminal names its one channel #terminal and never shows a raw mention.
import { describe, expect, it } from 'vitest';
import { TERMINAL_CHANNEL_ID } from '../../src/delivery/destination.ts';
import { DeliveryError } from '../../src/delivery/failure.ts';
import type { GuildNotice } from '../../src/delivery/notices.ts';
import { channelProblemOf } from '../../src/delivery/problem.ts';
import { describeProblem, noticeText, surfaceWords, whyStopped } from '../../src/render/delivery-words.ts';

const lostPermission = (channelId: string) =>
  channelProblemOf(
    new DeliveryError('missing-permission', 'Missing Permissions', { code: 50013 }),
    channelId,
  );

describe('delivery wording per surface', () => {
  it('reads a delivery failure as a problem value, without words', () => {
    expect(channelProblemOf(new DeliveryError('destination-gone', 'x', { code: 10003 }), 'c1')).toEqual({
      kind: 'channel-gone',
      channelId: 'c1',
      code: 10003,
    });
    expect(
      channelProblemOf(new DeliveryError('missing-permission', 'x', { code: 50001 }), 'c1'),
    ).toMatchObject({
      kind: 'access-lost',
    });
    expect(lostPermission('c1')).toEqual({ kind: 'missing-permission', channelId: 'c1', code: 50013 });
  });

  it('says "Discord error 50013" and mentions the channel on Discord', () => {
    const notice: GuildNotice = {
      kind: 'digest-paused',
      channelId: '123',
      time: '08:00',
      timezone: 'UTC',
      problem: lostPermission('123'),
    };
    const text = noticeText(notice, surfaceWords('discord'));
    expect(text).toContain('digest for <#123> is paused');
    expect(text).toContain('(Discord error 50013)');
  });

  it('names the channel #terminal in the terminal, with no raw mention', () => {
    const words = surfaceWords('terminal');
    const notice: GuildNotice = {
      kind: 'feed-paused',
      channelId: TERMINAL_CHANNEL_ID,
      feed: '"Science" (f-1)',
      problem: lostPermission(TERMINAL_CHANNEL_ID),
    };
    const text = noticeText(notice, words);
    expect(text).toContain('feed "Science" (f-1) in #terminal is paused');
    expect(text).not.toMatch(/<#|Discord error/);
    expect(describeProblem(lostPermission('c1'), words)).toBe(
      'I am missing a permission in the channel (error 50013)',
    );
  });

  it("keeps an admin's own words, and a reason stored as text before problems were values", () => {
    const words = surfaceWords('discord');
    expect(whyStopped({ reason: 'turned off with /digest disable' }, words, 'off')).toBe(
      'turned off with /digest disable',
    );
    expect(whyStopped({}, words, 'off')).toBe('off');
  });
});
