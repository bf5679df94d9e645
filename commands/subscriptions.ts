import {
  CommandContexts,
  defineCommand,
  IntegrationTypes,
  type CommandData,
} from '../src/interaction/command.ts';
import type { UserSubscriptions } from '../src/subscriptions/subscription-types.ts';

/** How a reader gets their stories, in words. */
export function describeDelivery(record: Pick<UserSubscriptions, 'mode' | 'time' | 'timezone'>): string {
  return record.mode === 'daily'
    ? `a daily DM digest at ${record.time} (${record.timezone})`
    : 'a DM when new stories land (at most one per news run)';
}

/** The reader's subscriptions as a private reply's text. */
export function describeSubscriptions(record: UserSubscriptions | undefined): string {
  if (!record || record.topics.length === 0) {
    return "You don't follow any topics yet. /subscribe adds one; /topics lists what you can follow.";
  }
  const lines = [`**You follow ${record.topics.length} ${record.topics.length === 1 ? 'topic' : 'topics'}**`];
  for (const topic of record.topics)
    lines.push(`• ${topic.label}${topic.kind === 'section' ? ' (section)' : ''}`);
  lines.push('', `Delivery: ${describeDelivery(record)}.`);
  if (record.paused)
    lines.push('**Paused:** I could not DM you. Open your DMs to me, then run /subscribe again to resume.');
  return lines.join('\n');
}

export const subscriptionsCommand = defineCommand({
  data: {
    name: 'subscriptions',
    description: 'The topics you follow and how they reach you (only you see this)',
    contexts: CommandContexts.everywhere,
    integration_types: IntegrationTypes.guildAndUser,
  } as const satisfies CommandData,
  uses: ['subscriptions'],
  privateByDefault: true,
  async execute(ctx, services) {
    return { content: describeSubscriptions(await services.subscriptions.list(ctx.userId)), private: true };
  },
});
