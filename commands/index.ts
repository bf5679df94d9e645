import type { HeraldCommand } from '../src/interaction/command.ts';
import { askCommand } from './ask.ts';
import { briefCommand } from './brief.ts';
import { digestCommand } from './digest.ts';
import { feedCommand } from './feed.ts';
import { helpCommand } from './help.ts';
import { sourcesCommand } from './sources.ts';
import { statusCommand } from './status.ts';
import { storyCommand } from './story.ts';
import { subscribeCommand } from './subscribe.ts';
import { subscriptionsCommand } from './subscriptions.ts';
import { topicsCommand } from './topics.ts';
import { unsubscribeCommand } from './unsubscribe.ts';

/** Every slash command, in the order /help lists them. Deployment uses the same list. */
export const allCommands: readonly HeraldCommand[] = [
  briefCommand,
  storyCommand,
  askCommand,
  topicsCommand,
  subscribeCommand,
  unsubscribeCommand,
  subscriptionsCommand,
  digestCommand,
  feedCommand,
  sourcesCommand,
  helpCommand,
  statusCommand,
];
