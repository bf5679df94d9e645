import { describe, expect, it } from 'vitest';
import { closestSpelling, editDistance } from '../../src/text/spelling.ts';

const SECTIONS = ['World', 'Politics', 'Business', 'Technology', 'Science', 'Health', 'Sports'];

describe('did you mean', () => {
  it('suggests the section a reader misspelt, swapped letters included', () => {
    expect(closestSpelling('Sciense', SECTIONS)).toBe('Science');
    expect(closestSpelling('bsuiness', SECTIONS)).toBe('Business');
    expect(closestSpelling('Tecnology', SECTIONS)).toBe('Technology');
  });

  it('suggests nothing for a short word or one far from every name', () => {
    expect(closestSpelling('Wld', SECTIONS)).toBeUndefined();
    expect(closestSpelling('Gardening', SECTIONS)).toBeUndefined();
    // An exact name needs no suggestion.
    expect(closestSpelling('health', SECTIONS)).toBeUndefined();
  });

  it('counts edits as a reader would', () => {
    expect(editDistance('science', 'sciense')).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('kitten', 'sitting', 1)).toBe(2);
  });
});
