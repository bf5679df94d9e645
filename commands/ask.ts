import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import type { Answer } from '../src/brief/answer/answer-types.ts';
import {
  CommandContexts,
  defineCommand,
  IntegrationTypes,
  type CommandData,
  type CommandReply,
} from '../src/interaction/command.ts';
import { truncateAtWord } from '../src/delivery/fit.ts';
import { markdownLink, untrustedText } from '../src/delivery/untrusted-text.ts';
import { readerIn } from '../src/news/types.ts';
import { storyChoices } from './story-choices.ts';
import type { AskRequest, Services } from '../src/interaction/services.ts';

/** Titles and quotes are article text (untrusted); quotes are trimmed to stay readable. */
function citationLine(index: number, citation: Answer['citations'][number]): string {
  return `[${index + 1}] ${markdownLink(citation.title, citation.url)}: “${untrustedText(truncateAtWord(citation.quote, 300))}”`;
}

export function answerReply(question: string, answer: Answer): CommandReply {
  const title = truncateAtWord(untrustedText(question), 256);
  // An extractive answer is article sentences; a model's answer may echo them.
  const description = untrustedText(answer.answer);
  if (!answer.found) return { embeds: [{ title, description, color: 0x888888 }] };
  return {
    embeds: [
      {
        title,
        description,
        color: 0x2f6f9f,
        fields: [{ name: 'Sources', value: answer.citations.map((c, i) => citationLine(i, c)).join('\n') }],
      },
    ],
  };
}

/** Shared by /ask and the "Ask about this story" button. */
export async function askReply(
  services: Pick<Services, 'ask'>,
  request: AskRequest,
  ctx: { surface: 'discord' | 'terminal' },
): Promise<CommandReply> {
  const answer = await services.ask.ask(
    ctx.surface === 'terminal' ? { ...request, localUser: true } : request,
  );
  return answerReply(request.question, answer);
}

export const askCommand = defineCommand({
  data: {
    name: 'ask',
    description: 'Ask a question about the news; answered from the stories Herald holds, with sources',
    contexts: CommandContexts.everywhere,
    integration_types: IntegrationTypes.guildAndUser,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'question',
        description: 'Your question',
        required: true,
        max_length: 300,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'story',
        description: 'Keep to one story',
        autocomplete: true,
        max_length: 100,
      },
      { type: ApplicationCommandOptionType.Boolean, name: 'private', description: 'Only you see the answer' },
    ],
  } as const satisfies CommandData,
  uses: ['ask', 'brief'],
  defer: true,
  async execute(ctx, services) {
    const storyId = ctx.args.story;
    return askReply(
      services,
      {
        question: ctx.args.question,
        userId: ctx.userId,
        guildId: ctx.guildId,
        audience: readerIn(ctx.guildId),
        ...(storyId ? { storyId } : {}),
      },
      ctx,
    );
  },
  autocomplete: (ctx, focused, services) => storyChoices(focused.value, ctx.guildId, services),
});
