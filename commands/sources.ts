import { fileURLToPath } from 'node:url';
import { ApplicationCommandOptionType, PermissionFlagsBits } from 'discord-api-types/v10';
import { CommandContexts, defineCommand, type CommandData } from '../src/interaction/command.ts';
import { requireManageGuild } from '../src/interaction/permissions.ts';
import { httpUrl, untrustedText } from '../src/delivery/untrusted-text.ts';
import { UserError } from '../src/errors.ts';
import type { OpmlImportLine } from '../src/news/opml-service.ts';

/** Under a MonitoRSS feed's line: its channel feed, and each thing the file said that was not kept. */
function importDetails(line: OpmlImportLine, mention: (channelId: string) => string): string[] {
  const out: string[] = [];
  const feed = line.channelFeed;
  // Channel ids and reasons come from the file too: escaped, never a live mention.
  if (feed)
    out.push(
      feed.feedId
        ? `  ↳ channel feed \`${feed.feedId}\` in ${mention(feed.channelId)}, ${feed.detail}`
        : `  ↳ channel ${untrustedText(feed.channelId)}: ${untrustedText(feed.detail)}`,
    );
  for (const item of line.notKept ?? []) out.push(`  ↳ not kept: ${untrustedText(item)}`);
  return out;
}

/** One line per feed in the file: what was added, and what was refused and why. */
export function opmlImportReply(
  lines: readonly OpmlImportLine[],
  mention: (channelId: string) => string = (id) => `<#${id}>`,
) {
  const added = lines.filter((line) => line.added).length;
  // Names and links come from the uploaded file: untrusted text.
  const body = lines.map((line) => {
    const name = line.name ? untrustedText(line.name) : '';
    // <link> keeps Discord from adding a preview card per feed.
    const link = httpUrl(line.url);
    const where = link ? `<${link}>` : untrustedText(line.url);
    const head = line.added
      ? `✅ **${name}**: added, ${line.detail}`
      : `✗ ${name ? `**${name}** ` : ''}${where}: ${untrustedText(line.detail)}`;
    return [head, ...importDetails(line, mention)].join('\n');
  });
  return {
    content: [`Imported ${added} of ${lines.length} ${lines.length === 1 ? 'feed' : 'feeds'}.`, ...body].join(
      '\n',
    ),
  };
}

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
          {
            type: ApplicationCommandOptionType.String,
            name: 'url',
            description: 'The feed link (http or https)',
            required: true,
            max_length: 500,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'name',
            description: 'How the source is named in briefs',
            max_length: 100,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'topics',
            description: 'Default topics, comma-separated (e.g. Business, Climate)',
            max_length: 200,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'remove',
        description: 'Stop reading a source this server added',
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'source',
            description: 'Its name or link',
            required: true,
            autocomplete: true,
            max_length: 500,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'list',
        description: 'Every source, and how each is doing',
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'import',
        description: 'Add every feed an OPML file or a MonitoRSS export lists (with its channel feeds)',
        options: [
          {
            type: ApplicationCommandOptionType.Attachment,
            name: 'file',
            description: 'The .opml file, or a MonitoRSS .json export',
            required: true,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'export',
        description: "This server's sources as an OPML file, for other readers",
      },
    ],
  } as const satisfies CommandData,
  uses: ['sourceAdmin', 'opml'],
  defer: true,
  privateByDefault: true,
  async execute(ctx, services) {
    requireManageGuild(ctx);
    const guildId = ctx.guildId;
    if (!guildId) throw new UserError('Sources are set per server; use this in a server.');
    const { args } = ctx;
    if (args.subcommand === 'add') {
      const topics = (args.topics ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const { name } = args;
      const result = await services.sourceAdmin.add(guildId, {
        url: args.url,
        topics,
        ...(name ? { name } : {}),
      });
      return {
        content: `Added **${result.name}**. First read: ${result.stored} stories stored (older items are kept for /ask and /story, not pushed to digests).`,
      };
    }
    if (args.subcommand === 'import') {
      // The terminal attaches a local file by its path (a file: URL); Discord, an uploaded file.
      const lines =
        ctx.surface === 'terminal' && args.file.url.startsWith('file:')
          ? await services.opml.importFile(guildId, fileURLToPath(args.file.url))
          : await services.opml.importAttachment(guildId, args.file);
      return opmlImportReply(lines, (channelId) => ctx.mentionChannel(channelId));
    }
    if (args.subcommand === 'export') {
      const exported = await services.opml.exportSources(guildId);
      if (exported.sources.length === 0) return { content: 'This server has no feed sources to export.' };
      const leftOut =
        exported.leftOut > 0
          ? ` (${exported.leftOut} local ${exported.leftOut === 1 ? 'folder is' : 'folders are'} left out: OPML lists feeds only)`
          : '';
      return {
        content: `${exported.sources.length} ${exported.sources.length === 1 ? 'source' : 'sources'} as OPML${leftOut}.`,
        files: [{ name: 'herald-sources.opml', data: exported.opml }],
      };
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
      .filter(
        (s) =>
          !s.shared && (s.name.toLowerCase().includes(typed) || s.location.toLowerCase().includes(typed)),
      )
      .map((s) => ({ name: s.name, value: s.location }));
  },
});
