// The benchmarks list: items, models, judgments, last judgment, live or idle. Refreshed every 5 s.
import { ago, api, esc, int, seg } from './util.js';

export async function benchmarksPage(main) {
  async function render() {
    let list;
    try {
      list = await api('/api/benchmarks');
    } catch (e) {
      main.innerHTML = `<h1>Benchmarks</h1><p class="error">${esc(e.message)}</p>`;
      return;
    }
    const rows = list
      .map((b) => `<tr data-benchmark="${esc(b.benchmark)}">
        <td><a href="#/b/${seg(b.benchmark)}">${esc(b.benchmark)}</a></td>
        <td class="num"><a href="#/b/${seg(b.benchmark)}/items">${int(b.items)}</a></td>
        <td class="num">${int(b.models)}</td>
        <td class="num">${int(b.judgments)}</td>
        <td title="${esc(b.lastJudgedAt || '')}">${ago(b.lastJudgedAt)}</td>
        <td><span class="dot${b.live ? ' live' : ''}"></span>${b.live ? 'live' : 'idle'}</td>
      </tr>`)
      .join('');
    main.innerHTML = `<h1>Benchmarks</h1>
      <div class="sub">Every benchmark with judgments. <b>live</b>: a judgment was folded in the last minute.</div>
      ${list.length === 0 ? '<p class="muted">No judgments yet. Start the demo: <code>./assay demo</code>.</p>' : `
      <div class="panel"><table id="benchmarks">
        <thead><tr><th>benchmark</th><th class="num">items</th><th class="num">models</th>
        <th class="num">judgments</th><th>last judgment</th><th>state</th></tr></thead>
        <tbody>${rows}</tbody></table></div>`}`;
  }
  await render();
  const timer = setInterval(render, 5000);
  return () => clearInterval(timer);
}
