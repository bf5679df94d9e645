import { topicsMessage } from '../render/topics.ts';
import { renderReplyAsText } from '../terminal/render-text.ts';
import type { CliSubcommand } from './subcommand.ts';

/** `npm start -- topics [--json]`: the sections with story counts and the most-mentioned names. */
export const topicsSubcommand: CliSubcommand = {
  name: 'topics',
  usage: 'topics [--json]',
  async run(herald) {
    const overview = await herald.services.subscriptions.topics('operator', 50);
    return {
      json: {
        topics: overview.sections.map(({ key, name, description, stories }) => ({
          key,
          name,
          description,
          stories,
        })),
        entities: overview.entities.map(({ name, stories }) => ({ name, stories })),
      },
      text: renderReplyAsText(topicsMessage(overview)),
    };
  },
};
