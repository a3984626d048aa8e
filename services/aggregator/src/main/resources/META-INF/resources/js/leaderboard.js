// A benchmark's leaderboard in any view: whiskers on a common axis, per-category columns, the view's
// parameters as controls, failing models below the ranked ones, kept live over the SSE stream, and the
// score over time with the Kendall-tau stability from the snapshot history.
import { ago, api, esc, formatter, int, intervalLabel, intervalText, num, seg, simPill, tickFormatter } from './util.js';
import { PALETTE, axis, domain, lineChart, whisker } from './charts.js';

/** The aggregator's views (View.names(); AggregatorWebTest checks the two lists agree). */
export const VIEWS = ['accuracy', 'score', 'wb-score', 'wb-reward', 'winrate', 'lc-winrate', 'bt', 'elo',
  'format-spread', 'post-cutoff', 'regression', 'position-bias', 'irt', 'judge-agreement'];

/** The query parameters a view takes (README, "Leaderboard API"), as they appear in the controls. */
const PARAMS = [
  { name: 'judge', label: 'judge', placeholder: 'default' },
  { name: 'baseline', label: 'baseline', placeholder: 'default' },
  { name: 'k', label: 'length penalty K', placeholder: 'default', type: 'number' },
  { name: 'window', label: 'window', placeholder: 'e.g. 30d' },
  { name: 'anchor', label: 'anchor (bt)', placeholder: 'mean = 1000' },
];

/** Models drawn in the score-over-time chart: the best ones, so 100 models stay legible. */
const CHART_MODELS = 10;

export async function leaderboardPage(main, benchmark, query) {
  const view = VIEWS.includes(query.get('view')) ? query.get('view') : (query.get('view') || 'accuracy');
  const params = new URLSearchParams({ view });
  for (const key of ['judge', 'baseline', 'k', 'window', 'anchor', 'of', 'stability']) {
    if (query.get(key)) params.set(key, query.get(key));
  }
  if (query.get('postCutoff') === 'true') params.set('postCutoff', 'true');
  const defaults = [...params.keys()].every((k) => k === 'view');
  const valueView = view === 'post-cutoff' ? (params.get('of') || 'accuracy') : view;
  const fmt = formatter(valueView);
  const tick = tickFormatter(valueView);
  // judge-agreement ranks the model judges (against the human labels): its rows are judges, with no model page
  const subject = valueView === 'judge-agreement' ? 'judge' : 'model';

  main.innerHTML = `<h1>${esc(benchmark)} <span class="muted" style="font-weight:400">· ${esc(view)}</span></h1>
    <div class="sub" id="meta">&nbsp;</div>
    <form class="controls" id="controls">
      <label>view<select name="view">${VIEWS.map((v) => `<option${v === view ? ' selected' : ''}>${v}</option>`).join('')}</select></label>
      ${PARAMS.map((p) => `<label>${p.label}<input name="${p.name}" type="${p.type || 'text'}" placeholder="${p.placeholder}" value="${esc(params.get(p.name) || '')}"></label>`).join('')}
      <label class="check"><input type="checkbox" name="postCutoff"${params.get('postCutoff') ? ' checked' : ''}> post-cutoff only</label>
      <button type="submit">Apply</button>
      <a href="#/b/${seg(benchmark)}/items" style="margin-left:auto">items →</a>
    </form>
    <div class="panel" id="board"><p class="muted" style="padding:10px">Loading…</p></div>
    <h2>Score over time${defaults ? '' : ' <span class="muted" style="font-weight:400">(kept for the default settings of this view)</span>'}</h2>
    <div class="charts">
      <div class="chart"><h3>value per model, by judgments folded</h3><div id="history"></div><div class="legend" id="legend"></div></div>
      <div class="chart"><h3>stability: Kendall τ against the ranking judgments earlier</h3><div id="tau"></div></div>
    </div>`;

  const form = main.querySelector('#controls');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form).entries()) {
      if (k === 'postCutoff') next.set(k, 'true');
      else if (v !== '') next.set(k, v);
    }
    location.hash = `#/b/${seg(benchmark)}?${next}`;
  });
  form.querySelector('select[name=view]').addEventListener('change', () => form.requestSubmit());

  const board = main.querySelector('#board');
  const meta = main.querySelector('#meta');
  let updatedAt = null;
  let snapshot;
  try {
    snapshot = await api(`/api/benchmarks/${seg(benchmark)}/leaderboard?${params}`);
  } catch (e) {
    board.innerHTML = `<p class="error">${esc(e.message)}</p>`;
    return () => {};
  }

  function render(s) {
    snapshot = s;
    updatedAt = Date.parse(s.asOf);
    const rows = s.rows || [];
    const failing = s.failing || [];
    const dom = domain(rows.flatMap((r) => [r.value, r.lower, r.upper]));
    const cats = [...new Set(rows.flatMap((r) => Object.keys(r.categories || {})))].sort();
    const settings = Object.entries(s.params || {})
      .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
      .map(([k, v]) => `${esc(k)} <b>${esc(v)}</b>`)
      .join(' · ');
    const tau = s.kendallTau === null || s.kendallTau === undefined
      ? '' : ` · stability τ <b>${num(s.kendallTau, 3)}</b> vs ${int(s.kendallTauLag)} judgments earlier`;
    meta.innerHTML = `<b id="judgments">${int(s.judgments)}</b> judgments · <b>${rows.length}</b> ${subject}s`
      + ` · updated <span id="ago">${ago(s.asOf)}</span>${tau}${settings ? `<br>${settings}` : ''}`;
    const body = rows.map((r) => `<tr class="model-row" data-model="${esc(r.modelId)}" data-n="${r.n}">
        <td class="num">${r.rank}</td>
        <td>${subject === 'judge' ? esc(r.modelId) : `<a href="#/b/${seg(benchmark)}/model/${seg(r.modelId)}">${esc(r.modelId)}</a>`}${simPill(r.simulated)}</td>
        <td class="num"><b>${fmt(r.value)}</b></td>
        <td class="whisker">${whisker(r.value, r.lower, r.upper, dom)}</td>
        <td class="num muted">${intervalText(valueView, r, fmt)}</td>
        <td class="num">${int(r.n)}</td>
        ${cats.map((c) => {
          const cell = (r.categories || {})[c];
          return cell ? `<td class="num" title="${intervalText(valueView, cell, fmt)}, n = ${cell.n}">${fmt(cell.value)}</td>` : '<td class="num muted">–</td>';
        }).join('')}
      </tr>`).join('');
    const failRows = failing.map((f) => {
      const kinds = Object.entries(f.failures || {}).map(([k, n]) => `${esc(k)} ${int(n)}`).join(', ');
      const last = f.lastError ? `${esc(f.lastError.kind)}: ${esc(f.lastError.message)}` : '';
      return `<tr class="failing" data-model="${esc(f.modelId)}">
        <td class="num">–</td>
        <td>${esc(f.modelId)}${simPill(f.simulated)}<span class="pill bad">failing</span></td>
        <td class="num">${int(f.answered ?? 0)} answered</td>
        <td colspan="${3 + cats.length}" class="wrap">${int(f.failed)} failed${kinds ? ` (${kinds})` : ''}${last ? ` · last error: ${last}` : ''}</td>
      </tr>`;
    }).join('');
    board.innerHTML = rows.length + failing.length === 0
      ? '<p class="muted" style="padding:10px">No rows in this view (no judgments of its kind, or none match the settings).</p>'
      : `<table id="leaderboard"><thead><tr>
        <th class="num">#</th><th>${subject}</th><th class="num">value</th>
        <th class="whisker">${axis(dom, tick)}</th><th class="num">${intervalLabel(valueView) || 'interval'}</th><th class="num">n</th>
        ${cats.map((c) => `<th class="num">${esc(c)}</th>`).join('')}
      </tr></thead><tbody>${body}${failRows}</tbody></table>`;
  }
  render(snapshot);

  // History: reloaded at most every 3 s however fast the stream moves.
  let historyTimer = null;
  async function loadHistory() {
    historyTimer = null;
    let points;
    try {
      points = await api(`/api/benchmarks/${seg(benchmark)}/history?view=${encodeURIComponent(view)}`);
    } catch (e) {
      main.querySelector('#history').innerHTML = `<p class="muted">${esc(e.message)}</p>`;
      return;
    }
    const top = (snapshot.rows || []).slice(0, CHART_MODELS).map((r) => r.modelId);
    const series = top.map((m, i) => ({
      name: m,
      color: PALETTE[i % PALETTE.length],
      points: points.flatMap((p) => p.models.filter((x) => x.modelId === m).map((x) => [p.judgments, x.value])),
    }));
    const jfmt = (v) => (v >= 10000 ? `${Math.round(v / 1000)}k` : String(Math.round(v)));
    main.querySelector('#history').innerHTML = lineChart(series, { fmt: tick, xfmt: jfmt });
    main.querySelector('#legend').innerHTML = series
      .map((s) => `<span><i style="background:${s.color}"></i>${esc(s.name)}</span>`).join('')
      + ((snapshot.rows || []).length > CHART_MODELS ? `<span>(best ${CHART_MODELS} of ${snapshot.rows.length})</span>` : '');
    const taus = points.filter((p) => p.kendallTau !== null && p.kendallTau !== undefined).map((p) => [p.judgments, p.kendallTau]);
    main.querySelector('#tau').innerHTML = lineChart([{ name: 'Kendall τ', color: '#5f7f9e', points: taus }],
      { width: 320, fmt: (v) => v.toFixed(2), xfmt: jfmt, yDomain: [Math.min(0, ...taus.map((t) => t[1])), 1.02] });
  }
  loadHistory();

  const stream = new EventSource(`/api/benchmarks/${seg(benchmark)}/leaderboard/stream?${params}`);
  stream.onmessage = (event) => {
    render(JSON.parse(event.data));
    if (!historyTimer) historyTimer = setTimeout(loadHistory, 3000);
  };
  // EventSource reconnects by itself after an error; the page keeps the last snapshot meanwhile.
  stream.onerror = () => {};
  const ticker = setInterval(() => {
    const el = main.querySelector('#ago');
    if (el && updatedAt) el.textContent = ago(new Date(updatedAt).toISOString());
  }, 1000);
  return () => {
    stream.close();
    clearInterval(ticker);
    clearTimeout(historyTimer);
  };
}
