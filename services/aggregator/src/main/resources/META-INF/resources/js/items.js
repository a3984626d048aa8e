// A benchmark's items, one server-side page at a time, and one item: the item itself (input, choices,
// reference, categories) when the aggregator has read it, each model's answer and each judge's verdict
// with its rationale and flags.
import { api, esc, int, num, seg, simPill } from './util.js';

const PAGE = 50;

export async function itemsPage(main, benchmark, query) {
  const offset = Math.max(0, parseInt(query.get('offset') || '0', 10) || 0);
  let page;
  try {
    page = await api(`/api/benchmarks/${seg(benchmark)}/items?offset=${offset}&limit=${PAGE}`);
  } catch (e) {
    main.innerHTML = `<h1>Items of ${esc(benchmark)}</h1><p class="error">${esc(e.message)}</p>`;
    return () => {};
  }
  const link = (o) => `#/b/${seg(benchmark)}/items?offset=${o}`;
  const last = Math.min(page.total, offset + page.items.length);
  const pager = `<div class="pager">
      ${offset > 0 ? `<a href="${link(Math.max(0, offset - PAGE))}">← previous</a>` : '<span>← previous</span>'}
      <span>${int(page.total === 0 ? 0 : offset + 1)}–${int(last)} of <b>${int(page.total)}</b></span>
      ${last < page.total ? `<a href="${link(offset + PAGE)}">next →</a>` : '<span>next →</span>'}
    </div>`;
  main.innerHTML = `<h1>Items of ${esc(benchmark)}</h1>
    <div class="sub">In item id order. <b>mean</b>: the share of correct reference verdicts, else the mean score.</div>
    ${pager}
    <div class="panel"><table id="items"><thead><tr><th>item</th><th>category</th><th class="num">verdicts</th>
      <th class="num">models</th><th class="num">mean</th></tr></thead><tbody>
      ${page.items.map((i) => `<tr><td><a href="#/b/${seg(benchmark)}/item/${seg(i.itemId)}">${esc(i.itemId)}</a></td>
        <td>${esc(i.category || '–')}</td><td class="num">${int(i.verdicts)}</td><td class="num">${int(i.models)}</td>
        <td class="num">${i.meanValue === null || i.meanValue === undefined ? '–' : num(i.meanValue, 2)}</td></tr>`).join('')}
    </tbody></table></div>${pager}`;
  return () => {};
}

/** What a verdict says, by kind. */
function verdictText(v) {
  if (v.unparseable) return '<span class="pill bad" style="margin-left:0">unparseable</span>';
  switch (String(v.kind).toLowerCase()) {
    case 'correct':
      return v.correct ? '<span class="ok">✓ correct</span>' : '<span class="no">✗ wrong</span>';
    case 'score':
      return `score <b>${num(v.score, 2)}</b>${v.scoreMin !== null && v.scoreMin !== undefined ? ` <span class="muted">on ${num(v.scoreMin, 0)}–${num(v.scoreMax, 0)}</span>` : ''}`;
    case 'pairwise':
      return `<b>${esc(String(v.outcome).replace('_', ' '))}</b> vs ${esc(v.baseline)}`;
    case 'preference':
      return `preference <b>${num(v.preference, 2)}</b> vs ${esc(v.baseline)}`;
    default:
      return esc(v.kind);
  }
}

/** Both position-swapped verdicts of a pairwise judgment, when the slot kept them. */
function swapped(v) {
  if (!v.pairVerdicts || v.pairVerdicts.length === 0) return '';
  return `<div class="muted" style="font-size:12px">order ${esc(v.pairOrder || '?')}: ${v.pairVerdicts.map(esc).join(' · ')}</div>`;
}

/** A message's content: a string, or parts (text, images by URL). */
function contentText(content) {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  return (content || []).map((p) => (p.type === 'text' ? p.text
    : `[image ${String((p.image_url && p.image_url.url) || '').slice(0, 80)}]`)).join('\n');
}

/** A short one-line JSON of a value (metadata), cut at `max` characters. */
function brief(value, max = 300) {
  const s = JSON.stringify(value);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** What a correct answer looks like. */
function referenceText(r) {
  if (!r) return '<span class="muted">none</span>';
  const parts = [];
  if (r.answers && r.answers.length) parts.push(`answer ${r.answers.map((a) => `<b>${esc(a)}</b>`).join(' or ')}`);
  if (r.value !== null && r.value !== undefined) parts.push(`value <b>${esc(r.value)}</b>${r.tolerance !== null && r.tolerance !== undefined ? ` ± ${esc(r.tolerance)}` : ''}`);
  if (r.regex) parts.push(`matches <code>${esc(r.regex)}</code>`);
  if (r.checklist && r.checklist.length) parts.push(`checklist:<ul>${r.checklist.map((c) => `<li>${esc(c)}</li>`).join('')}</ul>`);
  return parts.length ? parts.join(' · ') : '<span class="muted">none</span>';
}

/** The item itself, as published on assay.items (GET …/items/{i}/source). */
function sourcePanel(src) {
  const messages = src.messages && src.messages.length ? src.messages : [{ role: 'user', content: src.prompt }];
  const input = messages.map((m) => `<div class="muted" style="font-size:12px">${esc(m.role)}</div>
      <pre class="answer" style="max-height:18em">${esc(contentText(m.content))}</pre>`).join('');
  const choices = src.choices && src.choices.length
    ? `<tr><th>choices</th><td class="wrap"><ol style="margin:0;padding-left:1.4em" type="A">${src.choices.map((c) => `<li>${esc(c)}</li>`).join('')}</ol></td></tr>`
    : '';
  const cats = [src.category, ...(src.categories || [])].filter((c, i, all) => c && all.indexOf(c) === i);
  const row = (label, html) => (html ? `<tr><th>${label}</th><td class="wrap">${html}</td></tr>` : '');
  return `<h2>Item</h2><div class="panel"><table id="item-source"><tbody>
      ${row('input', input)}${choices}
      ${row('reference', referenceText(src.reference))}
      ${row('categories', cats.map(esc).join(', '))}
      ${row('tags', (src.tags || []).map(esc).join(', '))}
      ${row('source', esc(src.source))}
      ${row('difficulty', src.difficulty === null || src.difficulty === undefined ? '' : num(src.difficulty, 2))}
      ${row('metadata', src.metadata && Object.keys(src.metadata).length ? `<code>${esc(brief(src.metadata))}</code>` : '')}
    </tbody></table></div>`;
}

export async function itemPage(main, benchmark, item) {
  let verdicts;
  try {
    verdicts = await api(`/api/benchmarks/${seg(benchmark)}/items/${seg(item)}`);
  } catch (e) {
    main.innerHTML = `<h1>${esc(item)}</h1><p class="error">${esc(e.message)}</p>`;
    return () => {};
  }
  let src = null;
  try {
    src = await api(`/api/benchmarks/${seg(benchmark)}/items/${seg(item)}/source`);
  } catch (e) {
    // 404: the aggregator has not read the item (yet); the verdicts stand on their own
  }
  let models = {};
  try {
    // One request for the simulated labels of every model (the leaderboard rows carry them).
    const board = await api(`/api/benchmarks/${seg(benchmark)}/leaderboard`);
    models = Object.fromEntries((board.rows || []).map((r) => [r.modelId, r.simulated]));
  } catch (e) {
    // labels are optional here
  }
  const first = verdicts[0] ? verdicts[0].verdict : {};
  const cats = first.categories || (first.category ? [first.category] : []);
  const sorted = [...verdicts].sort((a, b) => (a.verdict.modelId + a.verdict.judgeId).localeCompare(b.verdict.modelId + b.verdict.judgeId));
  const rows = sorted.map(({ verdict: v, answer, traceId }) => {
    // Unparseable shows as the verdict itself (verdictText).
    const flags = v.truncatedOrEmpty
      ? '<div><span class="pill warn" style="margin-left:0" title="the answer (or, for a pair, either answer) hit the token limit or was empty">truncated or empty</span></div>'
      : '';
    return `<tr class="verdict" data-model="${esc(v.modelId)}">
      <td><a href="#/b/${seg(benchmark)}/model/${seg(v.modelId)}">${esc(v.modelId)}</a>${simPill(models[v.modelId])}
        ${v.format ? `<div class="muted" style="font-size:12px">format ${esc(v.format)}</div>` : ''}
        ${traceId ? `<div class="muted trace" style="font-size:12px" title="W3C trace id of this answer, its prompt and its judgments (docs/traces.md)">trace <code>${esc(traceId)}</code></div>` : ''}</td>
      <td>${esc(v.judgeId)}<div class="muted" style="font-size:12px">${esc(v.judgeVersion || '')}</div></td>
      <td>${verdictText(v)}${swapped(v)}${flags}</td>
      <td class="wrap rationale">${esc(v.rationale || '–')}</td>
      <td class="wrap">${answer === null || answer === undefined ? '<span class="muted">not seen</span>' : `<pre class="answer">${esc(answer)}</pre>`}</td>
    </tr>`;
  }).join('');
  main.innerHTML = `<h1>${esc(item)}</h1>
    <div class="sub">${cats.length ? `category <b>${cats.map(esc).join(', ')}</b> · ` : ''}<b>${verdicts.length}</b> verdicts
      · revision ${int(first.revision)}${first.publishedAt ? ` · published ${esc(first.publishedAt)}` : ''}<br>
      ${src
    ? `The item as published on <code>assay.items</code> (revision ${int(src.revision || 1)}). The prompt each
      model saw is this item through the benchmark's template and the model's variant (the aggregator does
      not keep rendered prompts; they are on <code>assay.prompts</code>).`
    : `The aggregator keeps the verdicts and the answers judged; the item's text and the prompts stay in
      <code>assay.items</code> and <code>assay.prompts</code>.`}</div>
    ${src ? sourcePanel(src) : ''}
    ${src ? '<h2>Verdicts</h2>' : ''}<div class="panel"><table id="verdicts"><thead><tr><th>model</th><th>judge</th><th>verdict</th><th>rationale</th><th>answer</th></tr></thead>
    <tbody>${rows}</tbody></table></div>`;
  return () => {};
}
