// Charts drawn on the server as SVG: no chart library, no script, and the numbers are also in a
// table beside each chart for screen readers and for copying.
import { html, type Html } from '../html.ts';

export interface Series {
  name: string;
  color: string;
  values: number[];
}

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { left: 40, bottom: 28, top: 10, right: 10 };
/** Colors with enough contrast on white, told apart by more than hue in the legend text. */
export const PALETTE = [
  '#1f5fbf',
  '#b8430f',
  '#2e7d32',
  '#6a3d9a',
  '#8a6d00',
  '#00796b',
  '#ad1457',
  '#455a64',
];

/** Stacked columns, one per label (day), one segment per series. */
export function stackedColumns(title: string, labels: readonly string[], series: readonly Series[]): Html {
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const step = plotWidth / Math.max(1, labels.length);
  const barWidth = Math.max(2, step * 0.7);
  const scale = (value: number) => (value / max) * plotHeight;
  const bars = labels.map((label, i) => {
    let y = PAD.top + plotHeight;
    const x = PAD.left + i * step + (step - barWidth) / 2;
    const segments = series.map((s) => {
      const value = s.values[i] ?? 0;
      const h = scale(value);
      y -= h;
      return value > 0
        ? html`<rect
            x="${x.toFixed(1)}"
            y="${y.toFixed(1)}"
            width="${barWidth.toFixed(1)}"
            height="${h.toFixed(1)}"
            fill="${s.color}"
            ><title>${label} · ${s.name}: ${value}</title></rect
          >`
        : '';
    });
    const tick = i % Math.ceil(labels.length / 7) === 0;
    return html`${segments}${tick ? html`<text x="${(x + barWidth / 2).toFixed(1)}" y="${HEIGHT - 8}" text-anchor="middle" font-size="11" fill="#222">${label.slice(5)}</text>` : ''}`;
  });
  const id = `chart-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return html`<figure>
    <svg role="img" aria-labelledby="${id}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%">
      <title id="${id}">${title}</title>
      <line
        x1="${PAD.left}"
        y1="${PAD.top + plotHeight}"
        x2="${WIDTH - PAD.right}"
        y2="${PAD.top + plotHeight}"
        stroke="#444"
      />
      <text x="4" y="${PAD.top + 10}" font-size="11" fill="#222">${max}</text>
      <text x="4" y="${PAD.top + plotHeight}" font-size="11" fill="#222">0</text>
      ${bars}
    </svg>
    <figcaption>
      ${title}.
      ${series.map(
        (s) =>
          html`<span class="legend"
            ><svg width="10" height="10" aria-hidden="true">
              <rect width="10" height="10" fill="${s.color}" />
            </svg>
            ${s.name}</span
          > `,
      )}
    </figcaption>
    ${dataTable(title, labels, series)}
  </figure>`;
}

function dataTable(title: string, labels: readonly string[], series: readonly Series[]): Html {
  return html`<details>
    <summary>${title}: the numbers</summary>
    <table>
      <thead>
        <tr>
          <th scope="col">Day</th>
          ${series.map((s) => html`<th scope="col">${s.name}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${labels.map(
          (label, i) =>
            html`<tr>
              <th scope="row">${label}</th>
              ${series.map((s) => html`<td>${s.values[i] ?? 0}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
  </details>`;
}

/** Horizontal bars: one per row, labelled. */
export function horizontalBars(title: string, rows: readonly { label: string; value: number }[]): Html {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowHeight = 22;
  const labelWidth = 160;
  const height = rows.length * rowHeight + 10;
  const id = `chart-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return html`<figure>
    <svg role="img" aria-labelledby="${id}" viewBox="0 0 ${WIDTH} ${height}" width="100%">
      <title id="${id}">${title}</title>
      ${rows.map((row, i) => {
        const w = ((WIDTH - labelWidth - 60) * row.value) / max;
        const y = 5 + i * rowHeight;
        return html`<text x="${labelWidth - 6}" y="${y + 14}" text-anchor="end" font-size="12" fill="#222"
            >${row.label}</text
          ><rect
            x="${labelWidth}"
            y="${y + 2}"
            width="${w.toFixed(1)}"
            height="${rowHeight - 6}"
            fill="${PALETTE[0] ?? '#1f5fbf'}"
            ><title>${row.label}: ${row.value}</title></rect
          ><text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + 14}" font-size="12" fill="#222"
            >${row.value}</text
          >`;
      })}
    </svg>
    <figcaption>${title}</figcaption>
  </figure>`;
}
