import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { UserError } from '../src/errors.ts';
import {
  CommandContexts,
  defineCommand,
  IntegrationTypes,
  type CommandData,
} from '../src/interaction/command.ts';
import { storyDetailEmbed } from '../src/render/story-embeds.ts';
import { readerIn } from '../src/news/types.ts';
import { storyChoices } from './story-choices.ts';
import { askReply } from './ask.ts';

export const storyCommand = defineCommand({
  data: {
    name: 'story',
    description: 'One story in full: summary, key facts and every source',
    contexts: CommandContexts.everywhere,
    integration_types: IntegrationTypes.guildAndUser,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'story',
        description: 'Start typing a headline',
        required: true,
        autocomplete: true,
        max_length: 100,
      },
      { type: ApplicationCommandOptionType.Boolean, name: 'private', description: 'Only you see it' },
    ],
  } as const satisfies CommandData,
  uses: ['brief', 'now', 'ask', 'taxonomy'],
  defer: true,
  async execute(ctx, services) {
    const storyId = ctx.args.story;
    const detail = await services.brief.detail(storyId, readerIn(ctx.guildId));
    if (!detail)
      throw new UserError(
        // The terminal has no list as you type: it points at what shows the ids.
        ctx.surface === 'terminal'
          ? 'I do not have that story. /brief shows the stories with their ids (s-…).'
          : 'I do not have that story. Pick one from the list as you type, or run /brief.',
      );
    return {
      embeds: [storyDetailEmbed(detail, services.now(), services.taxonomy)],
      buttons: [
        {
          customId: `story:form-ask:${detail.story.id}`,
          label: 'Ask about this story',
          style: 'primary',
          terminalHint: `/ask story:${detail.story.id} question:…`,
        },
      ],
    };
  },
  autocomplete: (ctx, focused, services) => storyChoices(focused.value, ctx.guildId, services),
  async component(ctx, services) {
    const [action, storyId] = ctx.customId.split(':');
    if (action === 'form-ask' && storyId) {
      return {
        modal: {
          customId: `story:ask:${storyId}`,
          title: 'Ask about this story',
          fields: [
            {
              customId: 'question',
              label: 'Your question',
              placeholder: 'What happened, who said what…',
              long: false,
              maxLength: 300,
            },
          ],
        },
      };
    }
    if (action === 'ask' && storyId) {
      const question = ctx.fields.question?.trim();
      if (!question) throw new UserError('Type a question first.');
      return askReply(
        services,
        {
          question,
          storyId,
          userId: ctx.userId,
          guildId: ctx.guildId,
          audience: readerIn(ctx.guildId),
        },
        ctx,
      );
    }
    throw new UserError('That button no longer works.');
  },
});
