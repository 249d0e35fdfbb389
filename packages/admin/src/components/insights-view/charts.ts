import { html, svg, nothing, type TemplateResult } from 'lit';

/*
 * The Insights charts, in plain SVG, colored by CSS class (the dashboard's CSP allows no inline style) (no chart library: these four shapes cost about 2 KB, a
 * library 40 KB or more). Each chart is decorative for screen readers (`aria-hidden`): the table
 * beside it carries the same numbers.
 */

/** One series of a stacked bar chart: its name, CSS class (its color) and value per bar. */
export interface Series {
  name: string;
  color: string;
  values: number[];
}

const W = 640;
const H = 220;
const PAD = { top: 10, right: 8, bottom: 24, left: 36 };

function niceMax(max: number): number {
  if (max <= 5) return 5;
  const step = 10 ** Math.floor(Math.log10(max));
  return Math.ceil(max / step) * step;
}

/** Bars per label (days), each stacked from the series, with a y axis and its top value. */
export function stackedBars(labels: string[], series: Series[]): TemplateResult {
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const width = (W - PAD.left - PAD.right) / Math.max(1, labels.length);
  const y = (v: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - v / max);
  const every = Math.ceil(labels.length / 10);
  return html`<svg viewBox="0 0 ${W} ${H}" role="img" aria-hidden="true" class="chart">
    ${[0, max / 2, max].map((v) => svg`<line class="grid" x1=${PAD.left} x2=${W - PAD.right} y1=${y(v)} y2=${y(v)}></line><text class="axis" x=${PAD.left - 4} y=${y(v) + 4} text-anchor="end">${v}</text>`)}
    ${labels.map((label, i) => {
      let base = 0;
      const x = PAD.left + i * width + width * 0.15;
      return svg`${series.map((s) => {
        const v = s.values[i] ?? 0;
        const top = y(base + v);
        const rect = v ? svg`<rect x=${x} width=${width * 0.7} y=${top} height=${y(base) - top} class=${s.color}><title>${label} · ${s.name}: ${v}</title></rect>` : nothing;
        base += v;
        return rect;
      })}${i % every === 0 ? svg`<text class="axis" x=${x + width * 0.35} y=${H - 6} text-anchor="middle">${label.slice(5)}</text>` : nothing}`;
    })}
  </svg>`;
}

/** Horizontal bars: one per label, with its value at the end (distributions, the funnel). */
export function horizontalBars(rows: Array<{ label: string; value: number; marker?: number }>): TemplateResult {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowH = 26;
  const left = 130;
  const height = rows.length * rowH + 4;
  return html`<svg viewBox="0 0 ${W} ${height}" role="img" aria-hidden="true" class="chart">
    ${rows.map((r, i) => {
      const width = ((W - left - 60) * r.value) / max;
      const lost = r.marker ? ((W - left - 60) * r.marker) / max : 0;
      return svg`<text class="axis" x=${left - 6} y=${i * rowH + 17} text-anchor="end">${r.label.length > 18 ? `${r.label.slice(0, 17)}…` : r.label}</text>
        <rect x=${left} y=${i * rowH + 4} width=${Math.max(width, r.value ? 2 : 0)} height=${rowH - 8} rx="3" class="bar"></rect>
        ${lost ? svg`<rect x=${left + width - lost} y=${i * rowH + 4} width=${lost} height=${rowH - 8} rx="3" class="lost"></rect>` : nothing}
        <text class="axis value" x=${left + width + 6} y=${i * rowH + 17}>${r.value}</text>`;
    })}
  </svg>`;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** A weekday x hour heatmap: darker cells had more conversations. */
export function heatmap(cells: number[][]): TemplateResult {
  const max = Math.max(1, ...cells.flat());
  const left = 36;
  const cw = (W - left - 4) / 24;
  const ch = 22;
  return html`<svg viewBox="0 0 ${W} ${7 * ch + 20}" role="img" aria-hidden="true" class="chart">
    ${cells.map(
      (row, d) => svg`<text class="axis" x=${left - 6} y=${d * ch + 15} text-anchor="end">${WEEKDAYS[d]}</text>
        ${row.map((n, h) => svg`<rect x=${left + h * cw + 1} y=${d * ch + 1} width=${cw - 2} height=${ch - 2} rx="2" class="cell" fill-opacity=${n ? 0.12 + (0.88 * n) / max : 0.04}><title>${WEEKDAYS[d]} ${h}:00 · ${n}</title></rect>`)}`,
    )}
    ${[0, 6, 12, 18, 23].map((h) => svg`<text class="axis" x=${left + h * cw + cw / 2} y=${7 * ch + 14} text-anchor="middle">${h}h</text>`)}
  </svg>`;
}

export { WEEKDAYS };
