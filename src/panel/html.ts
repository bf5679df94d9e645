// Server-rendered HTML: every interpolated value is escaped unless it is already Html, so story
// titles and feed text (untrusted) can never inject markup.

/** Markup that is already safe to put on a page. */
export class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

type Part = Html | string | number | undefined | null | false | readonly Part[];

function render(part: Part): string {
  if (part === undefined || part === null || part === false) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return (part as readonly Part[]).map(render).join('');
  return escapeHtml(String(part as string | number));
}

/** A template literal whose values are escaped; arrays of Html are joined. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

export interface PageFrame {
  title: string;
  /** The signed-in user's name; absent on the sign-in page. */
  userName?: string;
  csrf?: string;
  guild?: { id: string; name: string };
  /** Which tab of the server's menu is current. */
  current?: string;
  /** One line after a change: what the command said. */
  flash?: { text: string; error: boolean };
}

const TABS: readonly [string, string][] = [
  ['', 'Overview'],
  ['sources', 'Sources'],
  ['feeds', 'Feeds'],
  ['digests', 'Digests'],
  ['stories', 'Stories'],
  ['charts', 'Charts'],
  ['subscriptions', 'Subscriptions'],
];

export function guildPath(guildId: string, tab = ''): string {
  return `/g/${encodeURIComponent(guildId)}${tab ? `/${tab}` : ''}`;
}

export function csrfField(token: string | undefined): Html {
  return html`<input type="hidden" name="_csrf" value="${token ?? ''}" />`;
}

/** A table with a caption and column headings; `rows` are the body's `<tr>`s. */
export function dataTable(
  caption: Html | string,
  columns: readonly string[],
  rows: Html | readonly Html[],
): Html {
  return html`<table>
    <caption>
      ${caption}
    </caption>
    <thead>
      <tr>
        ${columns.map((column) => html`<th scope="col">${column}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

/** A listing as a table, or the one line that says there is nothing to list yet. */
export function listingOrEmpty(
  empty: string,
  caption: Html | string,
  columns: readonly string[],
  rows: readonly Html[],
): Html {
  return rows.length === 0 ? html`<p>${empty}</p>` : dataTable(caption, columns, rows);
}

/** A one-button form posting `field=value` and the CSRF token to one of a server's actions. */
export function buttonForm(form: {
  guildId: string;
  csrf: string | undefined;
  action: string;
  field: string;
  value: string;
  label: string;
}): Html {
  return html`<form method="post" action="${guildPath(form.guildId, form.action)}" class="inline">
    ${csrfField(form.csrf)}<input type="hidden" name="${form.field}" value="${form.value}" /><button
      type="submit"
    >
      ${form.label}
    </button>
  </form>`;
}

/** The whole page: header, the server's menu, the flash line, the content. */
export function page(frame: PageFrame, content: Html): string {
  const nav = frame.guild
    ? html`<nav aria-label="Server pages">
        <ul>
          ${TABS.map(
            ([tab, label]) =>
              html`<li>
                <a
                  href="${guildPath(frame.guild?.id ?? '', tab)}"
                  ${frame.current === tab ? new Html(' aria-current="page"') : ''}
                  >${label}</a
                >
              </li>`,
          )}
        </ul>
      </nav>`
    : '';
  const account = frame.userName
    ? html`<form method="post" action="/logout" class="account">
        <span>${frame.userName}</span> ${csrfField(frame.csrf)}<button type="submit">Sign out</button>
      </form>`
    : '';
  const flash = frame.flash
    ? html`<p class="${frame.flash.error ? 'flash error' : 'flash'}" role="status">${frame.flash.text}</p>`
    : '';
  return `<!doctype html>${
    html`<html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${frame.title} · Herald</title>
        <link rel="stylesheet" href="/static/panel.css" />
        <script src="/static/panel.js" defer></script>
      </head>
      <body>
        <header>
          <a href="/" class="brand">Herald</a
          >${frame.guild ? html` <span class="guild">${frame.guild.name}</span>` : ''}${account}
        </header>
        ${nav}
        <main>
          <h1>${frame.title}</h1>
          ${flash}${content}
        </main>
      </body>
    </html>`.value
  }`;
}
