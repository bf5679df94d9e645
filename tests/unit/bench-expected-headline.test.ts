import { describe, expect, it } from 'vitest';
import { expectedHeadline } from '../bench/extract.ts';

// The extract bench's title measure: what it counts as "the expected headline" decides the figure.
describe("the extract bench's expected headline", () => {
  it("takes the page's own site name off either end behind a separator", () => {
    expect(expectedHeadline('How to plant a hedge | Garden Weekly', 'Garden Weekly')).toBe('How to plant a hedge');
    expect(expectedHeadline('Garden Weekly - How to plant a hedge', 'Garden Weekly')).toBe('How to plant a hedge');
    expect(expectedHeadline('Garden Weekly: How to plant a hedge', 'Garden Weekly')).toBe('How to plant a hedge');
    expect(expectedHeadline('How to plant a hedge · garden weekly', 'Garden Weekly')).toBe('How to plant a hedge');
  });

  it('ignores a top-level domain on the site name', () => {
    expect(expectedHeadline('Hedge notes #12 - spring | Gardenweekly', 'Gardenweekly.com')).toBe('Hedge notes #12 - spring');
  });

  it('keeps the title whole when the site name is absent, unknown or only inside it', () => {
    expect(expectedHeadline('How to plant a hedge | Hedge Club', 'Garden Weekly')).toBe('How to plant a hedge | Hedge Club');
    expect(expectedHeadline('How to plant a hedge - Garden Weekly', null)).toBe('How to plant a hedge - Garden Weekly');
    expect(expectedHeadline('Garden Weekly readers plant a hedge', 'Garden Weekly')).toBe('Garden Weekly readers plant a hedge');
  });
});
