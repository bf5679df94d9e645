import { describe, expect, it } from 'vitest';
import { answerReply } from '../../commands/ask.ts';

const DEAL = {
  storyId: 's1',
  title: 'Brightwater Foods agrees to buy rival Ostlund Dairy',
  url: 'https://news.example/deal',
};
const FIRST = 'Brightwater Foods said on Monday it had agreed to buy Ostlund Dairy for $2.1 billion in cash.';
const SECOND = 'The deal values Ostlund at a 28 percent premium to its closing share price on Friday.';

function sourcesOf(reply: ReturnType<typeof answerReply>): string {
  return reply.embeds?.[0]?.fields?.find((field) => field.name === 'Sources')?.value ?? '';
}

describe('the sources under an answer', () => {
  it('name a story once for the two sentences the answer took from it, without repeating them', () => {
    const reply = answerReply('How much is Brightwater paying?', {
      answer: `${FIRST} [1] ${SECOND} [2]`,
      found: true,
      via: 'extractive',
      citations: [
        { ...DEAL, quote: FIRST },
        { ...DEAL, quote: SECOND },
      ],
    });
    expect(sourcesOf(reply)).toBe(`[1, 2] [${DEAL.title}](${DEAL.url})`);
  });

  it("keep the quote a model's paraphrase stands on, one line per story", () => {
    const reply = answerReply('How much is Brightwater paying?', {
      answer: 'About $2.1 billion in cash [1], a premium to the share price [2].',
      found: true,
      via: 'model',
      citations: [
        { ...DEAL, quote: FIRST },
        { storyId: 's2', title: 'Dairy shares jump', url: 'https://news.example/shares', quote: SECOND },
      ],
    });
    const lines = sourcesOf(reply).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(`[1] [${DEAL.title}]`);
    expect(lines[0]).toContain(`“${FIRST}”`);
    expect(lines[1]).toMatch(/^\[2\] \[Dairy shares jump\]/);
  });
});
