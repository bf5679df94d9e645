import type { AutocompleteChoice } from '../src/interaction/command.ts';
import type { Audience } from '../src/news/types.ts';
import type { Services } from '../src/interaction/services.ts';
import { storedNames } from '../src/brief/topic-catalog.ts';

/** Sections from the taxonomy, then names seen in stored stories, matching what was typed. */
export async function topicChoices(
  typed: string,
  audience: Audience,
  services: Pick<Services, 'taxonomy' | 'brief'>,
): Promise<AutocompleteChoice[]> {
  const needle = typed.trim().toLowerCase();
  const sections = services.taxonomy.sections
    .filter((section) => section.name.toLowerCase().includes(needle) || section.key.includes(needle))
    .map((section) => ({ name: section.name, value: section.key }));
  const entityCounts = new Map<string, number>();
  for (const story of await services.brief.ranked({ audience, count: 500, includeBacklog: true })) {
    for (const entity of storedNames(story.story.entities)) {
      if (entity.toLowerCase().includes(needle))
        entityCounts.set(entity, (entityCounts.get(entity) ?? 0) + 1);
    }
  }
  const entities = [...entityCounts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, count]) => ({
      name: `${name} (${count} ${count === 1 ? 'story' : 'stories'})`,
      value: name,
    }));
  return [...sections, ...entities].slice(0, 25);
}
