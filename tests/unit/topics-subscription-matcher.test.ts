import { describe, expect, it } from 'vitest';
import { createSubscriptionMatcher } from '../../src/brief/topics/subscription-matcher.ts';

const stories = [
  { id: 's1', topics: ['business', 'technology'], entities: ['Acme Corp'] },
  { id: 's2', topics: ['sports'], entities: ['Syria'] },
  { id: 's3', topics: ['world', 'syria'], entities: ['United States'] },
];

describe('subscription matcher', () => {
  it('matches section keys case-insensitively', () => {
    const m = createSubscriptionMatcher();
    m.add({ id: 'a', userId: 'u1', topicKey: 'Business' });
    expect(m.match(stories)).toEqual(new Map([['u1', ['s1']]]));
  });

  it('matches entity topics through their normalized key and aliases', () => {
    const m = createSubscriptionMatcher();
    m.add({ id: 'a', userId: 'u1', topicKey: 'SYRIA' });
    m.add({ id: 'b', userId: 'u2', topicKey: 'U.S.' });
    m.add({ id: 'c', userId: 'u3', topicKey: 'acme corp' });
    const result = m.match(stories);
    expect(result.get('u1')).toEqual(['s2', 's3']);
    expect(result.get('u2')).toEqual(['s3']);
    expect(result.get('u3')).toEqual(['s1']);
  });

  it('lists a story once per subscriber however many of their topics it matches', () => {
    const m = createSubscriptionMatcher();
    m.add({ id: 'a', userId: 'u1', topicKey: 'business' });
    m.add({ id: 'b', userId: 'u1', topicKey: 'technology' });
    m.add({ id: 'c', userId: 'u1', topicKey: 'world' });
    expect(m.match([...stories, stories[0] as (typeof stories)[number]]).get('u1')).toEqual(['s1', 's3']);
  });

  it('leaves out subscribers with nothing new', () => {
    const m = createSubscriptionMatcher();
    m.add({ id: 'a', userId: 'u1', topicKey: 'health' });
    expect(m.match(stories).size).toBe(0);
  });

  it('stops matching after remove, and keeps a same-topic twin subscription working', () => {
    const m = createSubscriptionMatcher();
    m.add({ id: 'a', userId: 'u1', topicKey: 'sports' });
    m.add({ id: 'b', userId: 'u1', topicKey: 'Sports' });
    expect(m.remove('a')).toBe(true);
    expect(m.match(stories).get('u1')).toEqual(['s2']);
    expect(m.remove('b')).toBe(true);
    expect(m.remove('b')).toBe(false);
    expect(m.match(stories).size).toBe(0);
    expect(m.size()).toBe(0);
  });

  it('replaces a subscription added again under the same id', () => {
    const m = createSubscriptionMatcher();
    m.add({ id: 'a', userId: 'u1', topicKey: 'sports' });
    m.add({ id: 'a', userId: 'u1', topicKey: 'world' });
    expect(m.size()).toBe(1);
    expect(m.match(stories).get('u1')).toEqual(['s3']);
  });

  it('gives each subscriber a list of their own', () => {
    const m = createSubscriptionMatcher();
    m.add({ id: 'a', userId: 'u1', topicKey: 'sports' });
    m.add({ id: 'b', userId: 'u2', topicKey: 'sports' });
    const result = m.match(stories);
    result.get('u1')?.push('changed');
    expect(result.get('u2')).toEqual(['s2']);
  });

  it('matches a large index quickly', () => {
    const m = createSubscriptionMatcher();
    for (let i = 0; i < 20_000; i++)
      m.add({ id: `s${i}`, userId: `u${i % 5000}`, topicKey: i % 2 ? 'sports' : `name ${i % 700}` });
    const batch = Array.from({ length: 200 }, (_, i) => ({
      id: `x${i}`,
      topics: [i % 3 ? 'world' : 'sports'],
      entities: [`Name ${i}`],
    }));
    const result = m.match(batch);
    expect(result.get('u1')).toHaveLength(67);
  });
});
