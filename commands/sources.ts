import { ApplicationCommandOptionType, PermissionFlagsBits } from 'discord-api-types/v10';
import { CommandContexts, defineCommand, type CommandData } from '../src/discord/command.ts';
import { requireManageGuild } from '../src/discord/permissions.ts';
import { UserError } from '../src/errors.ts';

export const sourcesCommand = defineCommand({
  data: {
    name: 'sources',
    description: 'Manage the news sources Herald reads for this server',
    default_member_permissions: String(PermissionFlagsBits.ManageGuild),
    contexts: CommandContexts.guild,
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'add',
        description: 'Add an RSS, Atom or JSON feed',
        options: [
          { type: ApplicationCommandOptionType.String, name: 'url', description: 'The feed link (http or https)', required: true, max_length: 500 },
          { type: ApplicationCommandOptionType.String, name: 'name', description: 'How the source is named in briefs', max_length: 100 },
          { type: ApplicationCommandOptionType.String, name: 'topics', description: 'Default topics, comma-separated (e.g. Business, Climate)', max_length: 200 },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'remove',
        description: 'Stop reading a source this server added',
        options: [{ type: ApplicationCommandOptionType.String, name: 'source', description: 'Its name or link', required: true, autocomplete: true, max_length: 500 }],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: 'Every source, and how each is doing' },
    ],
  } as const satisfies CommandData,
  uses: ['sourceAdmin'],
  defer: true,
  privateByDefault: true,
  async execute(ctx, services) {
    requireManageGuild(ctx);
    const guildId = ctx.guildId;
    if (!guildId) throw new UserError('Sources are set per server; use this in a server.');
    const { args } = ctx;
    if (args.subcommand === 'add') {
      const topics = (args.topics ?? '').split(',').map((t) => t.trim()).filter(Boolean);
      const { name } = args;
      const result = await services.sourceAdmin.add(guildId, { url: args.url, topics, ...(name ? { name } : {}) });
      return { content: `Added **${result.name}**. First read: ${result.stored} stories stored (older items are kept for /ask and /story, not pushed to digests).` };
    }
    if (args.subcommand === 'remove') {
      const name = await services.sourceAdmin.remove(guildId, args.source);
      return { content: `Removed **${name}**. Stories already stored stay until they age out.` };
    }
    const listing = await services.sourceAdmin.list(guildId);
    if (listing.length === 0) return { content: 'No sources yet. Add a feed with /sources add.' };
    return {
      embeds: [
        {
          title: `News sources (${listing.length})`,
          fields: listing.slice(0, 25).map((s) => ({
            name: `${s.name}${s.shared ? ' (shared)' : ''}${s.featured ? ' ★' : ''}`,
            value: `${s.location}\nweight ${s.weight} · ${s.status}`,
          })),
        },
      ],
    };
  },
  async autocomplete(ctx, focused, services) {
    if (!ctx.guildId) return [];
    const typed = focused.value.toLowerCase();
    const listing = await services.sourceAdmin.list(ctx.guildId);
    return listing
      .filter((s) => !s.shared && (s.name.toLowerCase().includes(typed) || s.location.toLowerCase().includes(typed)))
      .map((s) => ({ name: s.name, value: s.location }));
  },
});
