// The single page: hash routes, the breadcrumb, the health strip. Each page module renders into <main>
// and returns a function that stops what it started (an EventSource, timers) when the route changes.
import { api, esc, seg } from './util.js';
import { benchmarksPage } from './benchmarks.js';
import { leaderboardPage } from './leaderboard.js';
import { modelPage } from './model.js';
import { itemPage, itemsPage } from './items.js';

const main = document.getElementById('main');
const crumbs = document.getElementById('crumbs');
let stop = () => {};
let routed = 0;

/** `#/b/demo/model/m?view=bt` → {parts: ['b', 'demo', 'model', 'm'], query: URLSearchParams}. */
function parseHash() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = hash.split('?');
  const parts = path.split('/').filter((p) => p !== '').map(decodeURIComponent);
  return { parts, query: new URLSearchParams(query) };
}

function setCrumbs(parts) {
  const out = ['<span><a href="#/">benchmarks</a></span>'];
  if (parts[0] === 'b' && parts[1]) {
    out.push(`<span><a href="#/b/${seg(parts[1])}">${esc(parts[1])}</a></span>`);
    if (parts[2] === 'items') out.push('<span>items</span>');
    if (parts[2] === 'model' || parts[2] === 'item') {
      out.push(`<span>${parts[2] === 'item' ? '<a href="#/b/' + seg(parts[1]) + '/items">items</a></span><span>' : ''}${esc(parts[3])}</span>`);
    }
  }
  crumbs.innerHTML = out.join('');
}

async function route() {
  routed++;
  stop();
  stop = () => {};
  const { parts, query } = parseHash();
  setCrumbs(parts);
  window.scrollTo(0, 0);
  let page;
  if (parts[0] !== 'b' || !parts[1]) {
    page = benchmarksPage(main);
  } else if (parts[2] === 'model' && parts[3]) {
    page = modelPage(main, parts[1], parts[3]);
  } else if (parts[2] === 'item' && parts[3]) {
    page = itemPage(main, parts[1], parts[3]);
  } else if (parts[2] === 'items') {
    page = itemsPage(main, parts[1], query);
  } else {
    page = leaderboardPage(main, parts[1], query);
  }
  const token = ++routed;
  const cleanup = (await page) || (() => {});
  // The route changed while this page loaded: stop it at once instead of leaking its stream.
  if (token === routed) stop = cleanup;
  else cleanup();
}

// The health strip: lag, dead letters and open breakers from GET /api/status, every 5 s. An aggregator
// without the endpoint (404) says so once and is not asked again.
const health = document.getElementById('health');
let healthTimer;
async function refreshHealth() {
  try {
    const s = await api('/api/status');
    const lag = (s.stages || []).reduce((sum, st) => sum + (st.lag || 0), 0);
    const lagTitle = (s.stages || []).map((st) => `${st.stage}: ${st.lag ?? '?'}`).join('\n');
    const dl = s.deadLetters || { lastHour: 0, latest: [] };
    const dlTitle = (dl.latest || []).map((d) => `${d.stage} ${d.topic}: ${d.reason}`).join('\n');
    const open = s.breakersOpen || [];
    const openTitle = open.map((b) => `${b.model}: ${b.message}`).join('\n');
    health.innerHTML =
      `<span class="chip${lag > 1000 ? ' warn' : ''}" title="${esc(lagTitle)}">lag ${lag.toLocaleString('en-US')}</span>`
      + `<span class="chip${dl.lastHour > 0 ? ' warn' : ''}" title="${esc(dlTitle || 'none in the last hour')}">dead letters (1 h) ${dl.lastHour}</span>`
      + `<span class="chip${open.length > 0 ? ' bad' : ''}" title="${esc(openTitle || 'none')}">breakers open ${open.length}</span>`;
  } catch (e) {
    health.innerHTML = '<span class="chip" title="GET /api/status did not answer">status unavailable</span>';
    if (e.status === 404) clearInterval(healthTimer);
  }
}
refreshHealth();
healthTimer = setInterval(refreshHealth, 5000);

window.addEventListener('hashchange', route);
route();
