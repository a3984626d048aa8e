// Hand-rolled SVG: interval whiskers on a common axis and small line charts. No library needed.

import { esc } from './util.js';

/** Muted, distinguishable line colours (cycled beyond ten). */
export const PALETTE = ['#4e79a7', '#e0915c', '#5b9b8a', '#c0616a', '#7f6aa6', '#9c7b5d', '#c77fa8', '#6f7f8f', '#a6a04e', '#5f9cc0'];

/** The range [lo, hi] covering `values` with a little margin, widened when flat. */
export function domain(values) {
  const finite = values.filter((v) => v !== null && v !== undefined && Number.isFinite(v));
  if (finite.length === 0) return [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi - lo < 1e-9) {
    lo -= Math.abs(lo) * 0.05 + 0.05;
    hi += Math.abs(hi) * 0.05 + 0.05;
  }
  const pad = (hi - lo) * 0.04;
  return [lo - pad, hi + pad];
}

/** About `count` round tick values in [lo, hi]. */
export function ticks(lo, hi, count = 5, integer = false) {
  const raw = Math.max((hi - lo) / count, integer ? 1 : 0);
  if (!(raw > 0) || !Number.isFinite(raw)) return [lo];
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

/**
 * One row's whisker: the interval as a line with end caps and the value as a dot, on the axis
 * [lo, hi] shared by every row, so rows compare by eye. No interval: the dot alone, hollow.
 */
export function whisker(value, lower, upper, [lo, hi], width = 220, height = 18) {
  const x = (v) => ((v - lo) / (hi - lo)) * (width - 8) + 4;
  const y = height / 2;
  const hasLower = lower !== null && lower !== undefined;
  const hasUpper = upper !== null && upper !== undefined;
  // A bound alone is unbounded on the other side: the line runs to that edge, without an end cap.
  const has = hasLower || hasUpper;
  const parts = [`<line x1="0" x2="${width}" y1="${y}" y2="${y}" stroke="#eef1f4"/>`];
  if (has) {
    const a = hasLower ? x(lower).toFixed(1) : '0';
    const b = hasUpper ? x(upper).toFixed(1) : String(width);
    parts.push(`<line class="interval" x1="${a}" x2="${b}" y1="${y}" y2="${y}" stroke="#5f7f9e" stroke-width="2"/>`);
    if (hasLower) parts.push(`<line x1="${a}" x2="${a}" y1="${y - 5}" y2="${y + 5}" stroke="#5f7f9e" stroke-width="1.5"/>`);
    if (hasUpper) parts.push(`<line x1="${b}" x2="${b}" y1="${y - 5}" y2="${y + 5}" stroke="#5f7f9e" stroke-width="1.5"/>`);
  }
  const fill = has ? '#2f4a63' : '#fff';
  parts.push(`<circle cx="${x(value).toFixed(1)}" cy="${y}" r="3.5" fill="${fill}" stroke="#2f4a63" stroke-width="1.2"/>`);
  return `<svg class="whiskers" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" aria-hidden="true">${parts.join('')}</svg>`;
}

/** The shared axis drawn in the whisker column's header. */
export function axis([lo, hi], fmt, width = 220, height = 18) {
  const x = (v) => ((v - lo) / (hi - lo)) * (width - 8) + 4;
  // Ticks whose label would be cut at either end are left out.
  const labels = ticks(lo, hi, 4)
    .filter((t) => x(t) >= 16 && x(t) <= width - 16)
    .map((t) => `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="14" y2="18" stroke="#b4bcc5"/>`
      + `<text x="${x(t).toFixed(1)}" y="11" text-anchor="middle" font-size="10" fill="#6b7785">${fmt(t)}</text>`)
    .join('');
  return `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" aria-hidden="true">${labels}</svg>`;
}

/**
 * A line chart of several series [{name, color, points: [[x, y], ...]}] with y ticks formatted by
 * `fmt` and x ticks by `xfmt`. Returns an SVG string.
 */
export function lineChart(series, { width = 640, height = 220, fmt = String, xfmt = String, yDomain } = {}) {
  const left = 52;
  const right = 10;
  const top = 8;
  const bottom = 24;
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  if (xs.length === 0) {
    return `<svg width="${width}" height="${height}"><text x="${width / 2}" y="${height / 2}" text-anchor="middle" fill="#6b7785" font-size="12">no history yet</text></svg>`;
  }
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  if (x1 === x0) x1 = x0 + 1;
  const [y0, y1] = yDomain || domain(ys);
  const X = (v) => left + ((v - x0) / (x1 - x0)) * (width - left - right);
  const Y = (v) => top + (1 - (v - y0) / (y1 - y0)) * (height - top - bottom);
  const grid = ticks(y0, y1, 4)
    .map((t) => `<line x1="${left}" x2="${width - right}" y1="${Y(t).toFixed(1)}" y2="${Y(t).toFixed(1)}" stroke="#eef1f4"/>`
      + `<text x="${left - 6}" y="${(Y(t) + 3).toFixed(1)}" text-anchor="end" font-size="10" fill="#6b7785">${fmt(t)}</text>`)
    .join('');
  const xt = ticks(x0, x1, 5, true)
    .map((t) => `<text x="${X(t).toFixed(1)}" y="${height - 6}" text-anchor="middle" font-size="10" fill="#6b7785">${xfmt(t)}</text>`)
    .join('');
  const lines = series
    .map((s) => {
      const d = s.points.map((p, i) => `${i ? 'L' : 'M'}${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join('');
      // Few points (a fresh aggregator): mark them, so a single point still shows.
      const dots = s.points.length <= 40
        ? s.points.map((p) => `<circle cx="${X(p[0]).toFixed(1)}" cy="${Y(p[1]).toFixed(1)}" r="2.2" fill="${s.color}"/>`).join('')
        : '';
      return `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.6" stroke-linejoin="round"><title>${esc(s.name)}</title></path>${dots}`;
    })
    .join('');
  return `<svg class="linechart" width="100%" viewBox="0 0 ${width} ${height}" role="img">${grid}${xt}`
    + `<line x1="${left}" x2="${width - right}" y1="${height - bottom}" y2="${height - bottom}" stroke="#d9dee4"/>${lines}</svg>`;
}
