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

/**
 * The Sources field: one line per article, numbered by every citation it carries ("[1, 2]"), so
 * an answer built from two sentences of one story names that story once. A quote is shown only
 * when the answer does not already say it (a model's answer paraphrases; an extractive one is the
 * quoted sentences). Titles and quotes are article text (untrusted); quotes are trimmed.
 */
function sourcesField(answer: Answer): string {
  const articles: { numbers: number[]; citation: Answer['citations'][number]; quotes: string[] }[] = [];
  answer.citations.forEach((citation, index) => {
    const same = articles.find(
      (entry) => entry.citation.url === citation.url && entry.citation.title === citation.title,
    );
    const entry = same ?? { numbers: [], citation, quotes: [] };
    if (!same) articles.push(entry);
    entry.numbers.push(index + 1);
    if (!answer.answer.includes(citation.quote.trim())) entry.quotes.push(citation.quote);
  });
  return articles
    .map(({ numbers, citation, quotes }) => {
      const said = quotes.map((quote) => `“${untrustedText(truncateAtWord(quote, 300))}”`).join(' ');
      return `[${numbers.join(', ')}] ${markdownLink(citation.title, citation.url)}${said ? `: ${said}` : ''}`;
    })
    .join('\n');
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
        fields: [{ name: 'Sources', value: sourcesField(answer) }],
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
