import type { OutboundMessage } from '../../delivery/message.ts';
import { html, type Html } from '../html.ts';

/** Discord's markdown links and emphasis, reduced to text: the preview shows words, not markup. */
function discordText(text: string): string {
  return text
    .replace(/\[([^\]]+)\]\((?:<)?[^)>\s]+(?:>)?\)/g, '$1')
    .replace(/<t:(\d+)(?::\w)?>/g, (_m, s: string) => new Date(Number(s) * 1000).toUTCString())
    .replace(/\*\*|__|`/g, '');
}

/** A message drawn the way Discord shows it: content, then embed cards with a colored edge. */
export function discordPreview(message: OutboundMessage): Html {
  return html`<div class="discord-message">
    ${message.content ? html`<p>${discordText(message.content)}</p>` : ''}
    ${(message.embeds ?? []).map(
      (embed) =>
        html`<article class="discord-embed">
          ${embed.author ? html`<p class="embed-author">${embed.author.name}</p>` : ''}
          ${embed.title ? html`<h3 class="embed-title">${discordText(embed.title)}</h3>` : ''}
          ${embed.description ? html`<p class="embed-description">${discordText(embed.description)}</p>` : ''}
          ${(embed.fields ?? []).map((field) => html`<p class="embed-field"><strong>${discordText(field.name)}</strong> ${discordText(field.value)}</p>`)}
          ${embed.footer ? html`<p class="embed-footer">${discordText(embed.footer.text)}</p>` : ''}
        </article>`,
    )}
  </div>`;
}
