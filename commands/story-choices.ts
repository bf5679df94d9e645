import type { AutocompleteChoice } from '../src/interaction/command.ts';
import type { Services } from '../src/interaction/services.ts';
import { readerIn } from '../src/news/types.ts';

/** Discord shows at most 25 autocomplete choices. */
const MAX_CHOICES = 25;

/** Stored stories the reader may see whose title matches what was typed, for a `story` option. */
export async function storyChoices(
  typed: string,
  guildId: string | undefined,
  services: Pick<Services, 'brief'>,
): Promise<AutocompleteChoice[]> {
  const stories = await services.brief.findByTitle(typed, MAX_CHOICES, readerIn(guildId));
  return stories.map((story) => ({ name: story.title, value: story.id }));
}
