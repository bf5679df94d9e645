// Runs one slash subcommand through the fake Discord and reads the reply the user saw: the
// last response or follow-up body for that interaction (a deferral is not the reply).
import type { CommandOptionInput } from '../fake-discord.ts';
import type { FakeDiscord } from '../fake-discord.ts';
import { waitFor } from '../wait.ts';

/** A reply body as Discord received it, loosely typed for assertions. */
export type ReplyBody = {
  type?: number;
  data?: ReplyBody;
  content?: string;
  flags?: number;
  embeds?: { title?: string; description?: string; fields?: { name: string; value: string }[] }[];
  choices?: { name: string; value: string }[];
};

/** What the user got for `/command subcommand …`, and the interaction it answered. */
export async function runSubcommand(
  discord: FakeDiscord,
  command: string,
  subcommand: string,
  options: CommandOptionInput[] = [],
  memberPermissions?: bigint,
): Promise<{ reply: ReplyBody; interactionId: string }> {
  const sent = await discord.dispatchInteraction({
    kind: 'command',
    name: command,
    options: [{ name: subcommand, type: 1, options }],
    ...(memberPermissions === undefined ? {} : { memberPermissions }),
  });
  let answer: ReplyBody | undefined;
  await waitFor(
    () => {
      const bodies = discord.requests
        .filter(
          (r) =>
            r.path.includes(`/webhooks/${discord.applicationId}/${sent.token}`) ||
            r.path.startsWith(`/interactions/${sent.id}/`),
        )
        .filter((r) => r.method === 'PATCH' || r.method === 'POST')
        .map((r) => r.body as ReplyBody)
        .filter((b) => b.type !== 5);
      answer = bodies.at(-1);
      return answer !== undefined;
    },
    { what: `/${command} ${subcommand} reply` },
  );
  const body = answer as ReplyBody;
  return { reply: body.type === undefined ? body : (body.data as ReplyBody), interactionId: sent.id };
}
