import { askSubcommand, briefSubcommand, storySubcommand } from './brief.ts';
import { deployCommandsSubcommand } from './deploy-commands.ts';
import { digestSubcommand } from './digest.ts';
import { feedSubcommand } from './feed.ts';
import { ingestSubcommand, sourcesSubcommand } from './ingest.ts';
import { statusSubcommand } from './status.ts';
import { storeSubcommand } from './store.ts';
import { topicsSubcommand } from './topics.ts';
import type { CliSubcommand } from './subcommand.ts';

/** Every `npm start -- <subcommand>`. */
export const cliSubcommands: readonly CliSubcommand[] = [
  statusSubcommand,
  ingestSubcommand,
  sourcesSubcommand,
  briefSubcommand,
  storySubcommand,
  askSubcommand,
  topicsSubcommand,
  digestSubcommand,
  feedSubcommand,
  deployCommandsSubcommand,
  storeSubcommand,
];
