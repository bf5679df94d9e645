import type { MessageEmbed, OutboundMessage } from '../delivery/message.ts';
import { unescapeMarkdown } from '../delivery/untrusted-text.ts';
import { relativeTime } from '../time/durations.ts';

/** Discord's <t:unix:style> timestamps: relative ones stay relative, the rest read as UTC. */
function plainTimestamps(text: string, now: number): string {
  return text.replace(/<t:(\d+)(?::([a-zA-Z]))?>/g, (_m, seconds: string, style: string | undefined) => {
    const at = Number(seconds) * 1000;
    if (style === 'R') return relativeTime(at - now);
    return `${new Date(at).toISOString().replace('T', ' ').slice(0, 16)} UTC`;
  });
}

/** How the terminal shows text: with ANSI styles (bold, dim) on a colour terminal, plain otherwise. */
export interface TerminalStyle {
  color: boolean;
}

/** A role mention the message carries reads as `@name`, as Discord shows it. */
function roleNames(text: string, roles: NonNullable<OutboundMessage['allowedRoleMentions']>): string {
  if (roles.length === 0) return text;
  return text.replace(/<@&([^>\s]+)>/g, (whole, id: string) => {
    const role = roles.find((candidate) => candidate.roleId === id);
    return role ? `@${role.name}` : whole;
  });
}

const PLAIN: TerminalStyle = { color: false };
const bold = (text: string, style: TerminalStyle) => (style.color ? `\u001b[1m${text}\u001b[22m` : text);
const dim = (text: string, style: TerminalStyle) => (style.color ? `\u001b[2m${text}\u001b[22m` : text);

/**
 * Discord Markdown as a terminal shows it: bold and headings in bold, masked links as
 * `text (url)`, subtext (`-# …`) dimmed, and the escapes that keep article text inert removed
 * last, so an escaped `\*` stays a star.
 */
export function renderMarkdown(text: string, style: TerminalStyle = PLAIN): string {
  const rendered = text
    .replace(/^-# (.*)$/gm, (_m, line: string) => dim(line, style))
    .replace(/^#{1,3} (.*)$/gm, (_m, line: string) => bold(line, style))
    .replace(/(?<!\\)\[((?:[^\]\\]|\\.)+)\]\(<?([^)<>\s]+)>?\)/g, (_m, label: string, url: string) =>
      label === url ? url : `${label} (${url})`,
    )
    .replace(/(?<!\\)\*\*((?:[^*\\]|\\.)+?)\*\*/g, (_m, inner: string) => bold(inner, style))
    .replace(/(?<!\\)__((?:[^_\\]|\\.)+?)__/g, '$1');
  return unescapeMarkdown(rendered);
}

function renderEmbed(embed: MessageEmbed, style: TerminalStyle): string {
  const lines: string[] = [];
  if (embed.author?.name) lines.push(embed.author.name);
  if (embed.title) lines.push(embed.url ? `# ${embed.title}\n   ${embed.url}` : `# ${embed.title}`);
  if (embed.description) lines.push(embed.description);
  for (const field of embed.fields ?? []) lines.push(`**${field.name}**: ${field.value}`);
  if (embed.footer?.text) lines.push(`-# ${embed.footer.text}`);
  return renderMarkdown(lines.join('\n'), style);
}

/** The same reply a Discord user would see, as text for a terminal. */
export function renderReplyAsText(
  reply: OutboundMessage,
  now: number = Date.now(),
  style: TerminalStyle = PLAIN,
): string {
  const parts: string[] = [];
  if (reply.content)
    parts.push(renderMarkdown(roleNames(reply.content, reply.allowedRoleMentions ?? []), style));
  for (const embed of reply.embeds ?? []) parts.push(renderEmbed(embed, style));
  for (const file of reply.files ?? []) parts.push(`── ${file.name} ──\n${file.data.trimEnd()}`);
  for (const button of reply.buttons ?? [])
    parts.push(`[${button.label}]${button.terminalHint ? ` → ${button.terminalHint}` : ''}`);
  return plainTimestamps(parts.join('\n\n'), now);
}

// The escape character is the point here: styles take no room on the screen.
// eslint-disable-next-line no-control-regex
const ANSI_STYLE = /\u001b\[[0-9;]*m/g;
const visibleLength = (text: string) => text.replace(ANSI_STYLE, '').length;

/**
 * Lines longer than the terminal is wide broken between words, as a reader expects, instead of
 * the terminal cutting words in half. A word longer than the width (a link) keeps its own line
 * whole so it stays clickable; leading indentation is kept on the continuation lines.
 */
export function wrapToWidth(text: string, columns: number | undefined): string {
  if (columns === undefined || columns < 20) return text;
  return text
    .split('\n')
    .map((line) => {
      if (visibleLength(line) <= columns) return line;
      const indent = /^\s*/.exec(line)?.[0] ?? '';
      const lines: string[] = [];
      let current = '';
      for (const word of line.slice(indent.length).split(/ +/)) {
        const candidate = current === '' ? indent + word : `${current} ${word}`;
        if (current !== '' && visibleLength(candidate) > columns) {
          lines.push(current);
          current = indent + word;
        } else current = candidate;
      }
      lines.push(current);
      return lines.join('\n');
    })
    .join('\n');
}
