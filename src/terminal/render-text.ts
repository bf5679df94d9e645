import type { MessageEmbed, OutboundMessage } from '../delivery/message.ts';
import { unescapeMarkdown } from '../delivery/untrusted-text.ts';

function relative(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const amount =
    minutes < 90
      ? `${minutes} min`
      : minutes < 48 * 60
        ? `${Math.round(minutes / 60)} h`
        : `${Math.round(minutes / 1440)} d`;
  return ms >= 0 ? `in ${amount}` : `${amount} ago`;
}

/** Discord's <t:unix:style> timestamps: relative ones stay relative, the rest read as UTC. */
function plainTimestamps(text: string, now: number): string {
  return text.replace(/<t:(\d+)(?::([a-zA-Z]))?>/g, (_m, seconds: string, style: string | undefined) => {
    const at = Number(seconds) * 1000;
    if (style === 'R') return relative(at - now);
    return `${new Date(at).toISOString().replace('T', ' ').slice(0, 16)} UTC`;
  });
}

function renderEmbed(embed: MessageEmbed): string {
  const lines: string[] = [];
  if (embed.author?.name) lines.push(embed.author.name);
  if (embed.title) lines.push(embed.url ? `## ${embed.title}\n   ${embed.url}` : `## ${embed.title}`);
  if (embed.description) lines.push(embed.description);
  for (const field of embed.fields ?? []) lines.push(`${field.name}: ${field.value}`);
  if (embed.footer?.text) lines.push(`— ${embed.footer.text}`);
  // A terminal shows Markdown as typed: the escapes that keep article text inert go.
  return unescapeMarkdown(lines.join('\n'));
}

/** A role mention the message carries reads as `@name`, as Discord shows it. */
function roleNames(text: string, roles: NonNullable<OutboundMessage['allowedRoleMentions']>): string {
  if (roles.length === 0) return text;
  return text.replace(/<@&([^>\s]+)>/g, (whole, id: string) => {
    const role = roles.find((candidate) => candidate.roleId === id);
    return role ? `@${role.name}` : whole;
  });
}

/** The same reply a Discord user would see, as readable text. */
export function renderReplyAsText(reply: OutboundMessage, now: number = Date.now()): string {
  const parts: string[] = [];
  if (reply.content) parts.push(roleNames(reply.content, reply.allowedRoleMentions ?? []));
  for (const embed of reply.embeds ?? []) parts.push(renderEmbed(embed));
  for (const file of reply.files ?? []) parts.push(`── ${file.name} ──\n${file.data.trimEnd()}`);
  for (const button of reply.buttons ?? [])
    parts.push(`[${button.label}]${button.terminalHint ? ` → ${button.terminalHint}` : ''}`);
  return plainTimestamps(parts.join('\n\n'), now);
}
