import type { APIEmbed } from 'discord-api-types/v10';
import type { CommandReply } from '../discord/command.ts';

/** Discord's <t:unix:style> timestamps read as plain UTC times in a terminal. */
function plainTimestamps(text: string): string {
  return text.replace(/<t:(\d+)(?::[a-zA-Z])?>/g, (_m, seconds: string) => new Date(Number(seconds) * 1000).toISOString().replace('T', ' ').slice(0, 16) + ' UTC');
}

function renderEmbed(embed: APIEmbed): string {
  const lines: string[] = [];
  if (embed.author?.name) lines.push(embed.author.name);
  if (embed.title) lines.push(embed.url ? `## ${embed.title}\n   ${embed.url}` : `## ${embed.title}`);
  if (embed.description) lines.push(embed.description);
  for (const field of embed.fields ?? []) lines.push(`${field.name}: ${field.value}`);
  if (embed.footer?.text) lines.push(`— ${embed.footer.text}`);
  return lines.join('\n');
}

/** The same reply a Discord user would see, as readable text. */
export function renderReplyAsText(reply: CommandReply): string {
  const parts: string[] = [];
  if (reply.content) parts.push(reply.content);
  for (const embed of reply.embeds ?? []) parts.push(renderEmbed(embed));
  for (const button of reply.buttons ?? []) parts.push(`[${button.label}]${button.terminalHint ? ` → ${button.terminalHint}` : ''}`);
  return plainTimestamps(parts.join('\n\n'));
}
