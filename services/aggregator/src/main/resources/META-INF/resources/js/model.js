// One model on one benchmark: its row in every view, accuracy by category and by prompt format (the
// format spread), cost and latency of its calls, its failures by kind, its regression against its
// previous version.
import { ago, api, esc, formatter, int, intervalText, ms, num, seg, simPill, tickFormatter } from './util.js';
import { axis, domain, whisker } from './charts.js';

const pct = formatter('accuracy');

function card(label, value, id = '') {
  return `<div class="card"${id ? ` id="${id}"` : ''}><div class="k">${esc(label)}</div><div class="v">${value}</div></div>`;
}

/** A table of cells {name: {value, lower, upper, n}} with whiskers on one axis. */
function cellTable(title, cells, id) {
  const entries = Object.entries(cells || {});
  if (entries.length === 0) return '';
  const dom = domain(entries.flatMap(([, c]) => [c.value, c.lower, c.upper]));
  return `<h2>${esc(title)}</h2><div class="panel"><table id="${id}"><thead><tr><th>${id === 'formats' ? 'format' : 'category'}</th>
    <th class="num">accuracy</th><th class="whisker">${axis(dom, tickFormatter('accuracy'))}</th><th class="num">95% interval</th><th class="num">n</th></tr></thead><tbody>
    ${entries.map(([name, c]) => `<tr><td>${esc(name)}</td><td class="num"><b>${pct(c.value)}</b></td>
      <td class="whisker">${whisker(c.value, c.lower, c.upper, dom)}</td>
      <td class="num muted">${pct(c.lower)} – ${pct(c.upper)}</td><td class="num">${int(c.n)}</td></tr>`).join('')}
    </tbody></table></div>`;
}

/** Failures by kind and the last error, from whichever shape the detail carries (absent: none shown). */
function failures(d) {
  const byKind = d.failures || (d.calls && d.calls.failuresByKind) || null;
  const last = d.lastError || (d.calls && d.calls.lastError) || null;
  if ((!byKind || Object.keys(byKind).length === 0) && !last) return '';
  const rows = Object.entries(byKind || {})
    .map(([k, n]) => `<tr><td>${esc(k)}</td><td class="num">${int(n)}</td></tr>`).join('');
  return `<h2>Failures</h2><div class="panel"><table id="failures"><thead><tr><th>kind</th><th class="num">calls</th></tr></thead>
    <tbody>${rows}</tbody></table>
    ${last ? `<p class="error" style="margin:8px">last error (${esc(last.kind)}${last.at ? `, ${ago(last.at)}` : ''}): ${esc(last.message)}</p>` : ''}</div>`;
}

export async function modelPage(main, benchmark, model) {
  let d;
  try {
    d = await api(`/api/benchmarks/${seg(benchmark)}/models/${seg(model)}`);
  } catch (e) {
    main.innerHTML = `<h1>${esc(model)}</h1><p class="error">${esc(e.message)}</p>`;
    return () => {};
  }
  const views = d.views || {};
  const c = d.calls || {};
  const acc = views.accuracy;
  const spread = views['format-spread'];
  const regression = views.regression;
  const viewRows = Object.entries(views).map(([v, r]) => {
    const f = formatter(v);
    return `<tr><td><a href="#/b/${seg(benchmark)}?view=${seg(v)}">${esc(v)}</a></td><td class="num">${r.rank}</td>
      <td class="num"><b>${f(r.value)}</b></td><td class="num muted">${intervalText(v, r, f, true)}</td>
      <td class="num">${int(r.n)}</td></tr>`;
  }).join('');
  const tokens = c.inputTokens !== undefined || c.outputTokens !== undefined
    ? card('tokens in / out', `${int(c.inputTokens)} / ${int(c.outputTokens)}`) : '';
  main.innerHTML = `<h1>${esc(model)}${simPill(d.simulated)}</h1>
    <div class="sub">on <a href="#/b/${seg(benchmark)}">${esc(benchmark)}</a> · <b>${int(d.judgments)}</b> judgments
      ${d.knowledgeCutoff ? ` · knowledge cutoff <b>${esc(d.knowledgeCutoff)}</b>` : ''}
      ${d.previousVersion ? ` · previous version <a href="#/b/${seg(benchmark)}/model/${seg(d.previousVersion)}">${esc(d.previousVersion)}</a>` : ''}</div>
    <div class="grid" id="cards">
      ${acc ? card('accuracy', `${pct(acc.value)}<div class="muted" style="font-size:11px;font-weight:400">${pct(acc.lower)} – ${pct(acc.upper)}</div>`) : ''}
      ${card('calls', int(c.calls))}
      ${card('failed calls', int(c.failures))}
      ${card('cached answers', int(c.cached))}
      ${card('cost', c.costUsd === undefined ? '–' : `$${num(c.costUsd, 4)}`)}
      ${tokens}
      ${card('latency p50', ms(c.p50LatencyMs), 'p50')}
      ${card('latency p95', ms(c.p95LatencyMs), 'p95')}
      ${card('latency mean', ms(c.meanLatencyMs))}
    </div>
    ${failures(d)}
    <h2>In every view (default settings)</h2>
    <div class="panel"><table id="views"><thead><tr><th>view</th><th class="num">rank</th><th class="num">value</th>
      <th class="num">95% interval</th><th class="num">n</th></tr></thead><tbody>${viewRows}</tbody></table></div>
    ${acc ? cellTable('Accuracy by category', acc.categories, 'categories') : ''}
    ${spread ? cellTable(`Accuracy by prompt format · spread ${pct(spread.metrics && spread.metrics.spread)}`, spread.categories, 'formats') : ''}
    ${regression ? `<h2>Regression against ${esc(regression.metrics.previousVersion)}</h2>
      <div class="panel"><table id="regression"><tbody>
      <tr><td>items both versions answered</td><td class="num">${int(regression.metrics.shared)}</td></tr>
      <tr><td>negative flips (was right, now wrong)</td><td class="num">${int(regression.metrics.negative_flips)} · ${pct(regression.metrics.negative_flip_rate)}</td></tr>
      <tr><td>positive flips (was wrong, now right)</td><td class="num">${int(regression.metrics.positive_flips)} · ${pct(regression.metrics.positive_flip_rate)}</td></tr>
      </tbody></table></div>` : (d.previousVersion ? '<h2>Regression</h2><p class="muted">No items shared with the previous version yet.</p>' : '')}`;
  return () => {};
}
