// Small helpers shared by the pages: JSON fetches, HTML escaping, number and time formatting.

/** An HTTP answer other than 2xx, with the API's message when it sent one. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** GET a JSON resource of the aggregator. */
export async function api(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = await res.json();
      if (body && body.message) message = body.message;
    } catch (e) {
      // not JSON: keep the status line
    }
    throw new ApiError(res.status, message);
  }
  return res.json();
}

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for innerHTML (model ids, rationales and answers come from outside). */
export function esc(value) {
  return value === null || value === undefined ? '' : String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** A path segment for the hash routes. */
export const seg = (s) => encodeURIComponent(s);

/** A number with `digits` decimals, a dash when missing. */
export function num(v, digits = 3) {
  return v === null || v === undefined || Number.isNaN(v) ? '–' : Number(v).toFixed(digits);
}

/** An integer with thousands separators. */
export function int(v) {
  return v === null || v === undefined ? '–' : Number(v).toLocaleString('en-US');
}

/** "12 s ago", "3 min ago", "2 h ago", "4 d ago". */
export function ago(instant, now = Date.now()) {
  if (!instant) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(instant)) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

/** Milliseconds as "840 ms" or "2.4 s". */
export function ms(v) {
  if (v === null || v === undefined) return '–';
  return v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(1)} s`;
}

/** Views whose values are proportions in [0, 1], shown as percentages. */
const PROPORTION_VIEWS = new Set(['accuracy', 'post-cutoff', 'format-spread', 'regression', 'position-bias', 'irt',
  'judge-agreement']);

/** Views whose values are percentages already, in [0, 100]: AlpacaEval's win rates. */
const PERCENT_VIEWS = new Set(['winrate', 'lc-winrate']);

/** How many percent one unit of `view`'s values is: 100 for a proportion, 1 for a percentage, else none. */
function percentScale(view) {
  if (PROPORTION_VIEWS.has(view)) return 100;
  return PERCENT_VIEWS.has(view) ? 1 : null;
}

/** A formatter for the values of `view`. */
export function formatter(view) {
  const scale = percentScale(view);
  if (scale !== null) return (v) => (v === null || v === undefined ? '–' : `${(v * scale).toFixed(1)}%`);
  if (view === 'bt' || view === 'elo') return (v) => num(v, 0);
  return (v) => num(v, 2);
}

/** A formatter for axis ticks of `view`: fewer decimals than the values. */
export function tickFormatter(view) {
  const scale = percentScale(view);
  // Three significant digits, not whole percents: ticks 2.5 apart read 42.5%, 45%, 47.5%, not 43%, 45%, 48%.
  if (scale !== null) return (v) => `${Number((v * scale).toPrecision(3))}%`;
  return (v) => String(Number(v.toPrecision(4)));
}

/**
 * What a view's lower and upper values are: its 95% interval; for `format-spread` the lowest and highest format's
 * accuracy; `null` for `elo`, which has none (its bounds are null).
 */
export function intervalLabel(view) {
  if (view === 'elo') return null;
  return view === 'format-spread' ? 'min – max' : '95% interval';
}

/** Whether a bound is missing (null in the API). */
const missing = (v) => v === null || v === undefined;

/**
 * A row's interval cell as `fmt` formats its bounds: 'no interval' where the view or the data give none; a bound
 * alone is unbounded on the other side (`bt`: the model was off to that side in more than 2.5% of the resamples),
 * written ∞; `named` adds what the bounds are when they are not a 95% interval (a page with several views in one
 * column).
 */
export function intervalText(view, r, fmt, named = false) {
  const label = intervalLabel(view);
  if (label === null || (missing(r.lower) && missing(r.upper))) return 'no interval';
  const text = `${missing(r.lower) ? '−∞' : fmt(r.lower)} – ${missing(r.upper) ? '∞' : fmt(r.upper)}`;
  return named && label !== '95% interval' ? `${text} (${label})` : text;
}

/** The `simulated` label. */
export const simPill = (simulated) => (simulated ? '<span class="pill sim" title="a simulated model">simulated</span>' : '');
