// SPDX-License-Identifier: GPL-3.0-or-later
// The parley web app: plain DOM, no framework, nothing from the network.
// Every edit is one POST /api/edit; the answer is the whole new state
// (evaluate + zopa + bridges + controls), which is redrawn.
'use strict';

const $ = (id) => document.getElementById(id);
let busy = 0;

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function colour(m, scale) {
  const t = Math.min(1, Math.abs(m) / (scale || 1));
  const mix = (a, b) => Math.round(255 + t * (b - 255));
  return m < 0 ? `rgb(${mix(0, 192)},${mix(0, 57)},${mix(0, 43)})`
               : `rgb(${mix(0, 30)},${mix(0, 132)},${mix(0, 73)})`;
}

async function api(path, body) {
  const opt = body ? { method: 'POST', headers: { 'Content-Type': 'application/json' },
                       body: JSON.stringify(body) } : {};
  const r = await fetch(path, opt);
  const j = await r.json();
  if (!r.ok) throw new Error(j.error || r.statusText);
  return j;
}

function drawControls(c) {
  const box = $('controls');
  box.replaceChildren();
  for (const a of c.actors) {
    if (!a.veto) continue;
    box.appendChild(el('h3', `${a.name} (${a.id})`));
    const res = el('label', 'reservation value');
    const inp = el('input');
    inp.type = 'number'; inp.step = '1'; inp.value = +a.reservation.toFixed(2);
    inp.dataset.actor = a.id; inp.dataset.kind = 'reservation';
    inp.addEventListener('change', () =>
      edit({ op: 'set_reservation', actor: a.id, value: Number(inp.value) }));
    res.appendChild(inp);
    box.appendChild(res);
    box.appendChild(el('div', 'issue weights (raw, as written; normalised in brackets)', 'small'));
    for (const w of a.weights) {
      if (w.weight <= 0) continue;
      const l = el('label', `${w.issue} (${(w.weight * 100).toFixed(0)}%)`);
      l.title = w.name;
      const wi = el('input');
      wi.type = 'number'; wi.step = '1'; wi.min = '0';
      wi.value = +w.raw.toFixed(3);
      wi.dataset.actor = a.id; wi.dataset.kind = 'weight'; wi.dataset.issue = w.issue;
      wi.addEventListener('change', () =>
        edit({ op: 'set_weight', actor: a.id, issue: w.issue, value: Number(wi.value) }));
      l.appendChild(wi);
      box.appendChild(l);
    }
    for (const r of a.red_lines) {
      const l = el('label', null, 'rl');
      const cb = el('input');
      cb.type = 'checkbox'; cb.checked = r.active;
      cb.dataset.actor = a.id; cb.dataset.kind = 'red_line'; cb.dataset.redLine = r.id;
      cb.addEventListener('change', () =>
        edit({ op: 'set_red_line', actor: a.id, red_line: r.id, active: cb.checked }));
      l.appendChild(cb);
      l.appendChild(el('span', `red line ${r.id}`));
      l.title = r.text || r.expr;
      box.appendChild(l);
    }
  }
}

function drawMatrix(ev, controls) {
  const props = ev.proposals || [];
  const actors = controls.actors.map((a) => a.id);
  let scale = 1;
  for (const p of props) for (const a of actors) {
    const v = p.verdicts[a];
    if (v) scale = Math.max(scale, Math.abs(v.margin));
  }
  const t = el('table');
  const hr = el('tr');
  hr.appendChild(el('th', 'proposal'));
  for (const a of actors) hr.appendChild(el('th', a));
  hr.appendChild(el('th', 'deal'));
  t.appendChild(hr);
  for (const p of props) {
    const tr = el('tr');
    tr.appendChild(el('td', p.name + (p.partial ? ' *' : '')));
    for (const a of actors) {
      const v = p.verdicts[a];
      const td = el('td', v ? (v.red_lines_broken.length ? '\u2717 ' : '') +
        (v.margin >= 0 ? '+' : '') + v.margin.toFixed(1) : '', 'cell');
      if (v) {
        td.style.background = colour(v.margin, scale);
        if (Math.abs(v.margin) > 0.55 * scale) td.style.color = '#fff';
        td.title = v.reasons.join('\n');
        td.addEventListener('click', () => {
          $('reasons').textContent = `${a} on ${p.name}: ${v.accept ? 'accepts' : 'rejects'}\n- ` +
            v.reasons.join('\n- ');
        });
      }
      tr.appendChild(td);
    }
    tr.appendChild(el('td', p.agreed ? 'agreed' : 'blocked', p.agreed ? 'agreed' : 'blocked'));
    t.appendChild(tr);
  }
  $('matrix').replaceChildren(t);
  $('agreed').textContent = `${props.filter((p) => p.agreed).length} / ${props.length}`;
}

function drawZopa(z) {
  $('zopa-count').textContent = String(z.count);
  const box = $('zopa');
  if (!z.packages || !z.packages.length) {
    box.replaceChildren(el('p', 'The ZOPA is empty: no package is acceptable to every veto actor.', 'muted'));
    return;
  }
  const t = el('table');
  const actors = Object.keys(z.packages[0].utility);
  const hr = el('tr');
  hr.appendChild(el('th', '#'));
  hr.appendChild(el('th', 'package'));
  for (const a of actors) hr.appendChild(el('th', a));
  t.appendChild(hr);
  z.packages.slice(0, 10).forEach((p, k) => {
    const tr = el('tr');
    tr.appendChild(el('td', k + 1));
    tr.appendChild(el('td', Object.entries(p.options).map(([i, o]) => `${i}=${o}`).join(', ')));
    for (const a of actors) tr.appendChild(el('td', (p.margin[a] >= 0 ? '+' : '') +
      Number(p.margin[a]).toFixed(1), 'num'));
    t.appendChild(tr);
  });
  box.replaceChildren(t);
}

function drawBridges(b) {
  const box = $('bridges');
  if (!b.bridges || !b.bridges.length) {
    // zopa_count is null when the bridges were found without counting.
    box.replaceChildren(el('p', b.zopa_count !== 0 ? 'The ZOPA is not empty: nothing to bridge.'
      : 'No single change opens the ZOPA.', 'muted'));
    return;
  }
  const ol = el('ol');
  for (const x of b.bridges) ol.appendChild(el('li', x.explanation || JSON.stringify(x)));
  box.replaceChildren(ol);
}

function draw(s) {
  const c = s.controls;
  document.title = `${c.name} - parley`;
  $('title').textContent = c.name;
  $('subtitle').textContent = `${c.id} (hash ${c.hash})` + (c.as_of ? `, as of ${c.as_of}` : ', latest state');
  drawControls(c);
  drawMatrix(s.evaluate, c);
  drawZopa(s.zopa);
  if (s.bridges) drawBridges(s.bridges);
  if (!s.bridges || s.bridges_quick) {
    // Edits answer with the bridges found but their zones not counted (the
    // count is the slow part): fetch the counted ones next.
    if (!s.bridges) $('bridges').replaceChildren(el('p', 'computing\u2026', 'muted'));
    const gen = busy + 1;
    api('/api/bridge').then((b) => { if (busy === gen) drawBridges(b); })
      .catch((e) => { $('error').textContent = e.message; });
  }
  $('compute-ms').textContent = s.compute_ms.toFixed(1);
  $('error').textContent = '';
  document.body.dataset.ready = String(++busy);
}

async function edit(body) {
  try { draw(await api('/api/edit', body)); } catch (e) { $('error').textContent = e.message; }
}

$('reset').addEventListener('click', async () => {
  try { draw(await api('/api/reset', {})); } catch (e) { $('error').textContent = e.message; }
});

api('/api/state').then(draw).catch((e) => { $('error').textContent = e.message; });

// ---- Simulate: start a background simulation, poll its progress, draw the
// probability of a deal by month when it is done.
const SVGNS = 'http://www.w3.org/2000/svg';
let simTimer = null;
let simId = null;

function svgEl(tag, attrs, text) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = String(text);
  return e;
}

function drawDealChart(res) {
  const box = $('sim-result');
  const p = res.deal_by_month || [];
  const H = p.length;
  const W = 560, Ht = 220, L = 44, T = 12, PW = W - L - 16, PH = Ht - T - 40;
  const X = (m) => L + (H ? m / H : 0) * PW;
  const Y = (v) => T + PH - v * PH;
  const svg = svgEl('svg', { width: W, height: Ht, viewBox: `0 0 ${W} ${Ht}`, role: 'img',
                             id: 'sim-chart' });
  svg.appendChild(svgEl('title', {}, 'Probability of a lasting deal signed by the end of each month'));
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    svg.appendChild(svgEl('line', { x1: L, x2: L + PW, y1: Y(v), y2: Y(v), stroke: '#e6eaef' }));
    svg.appendChild(svgEl('text', { x: L - 6, y: Y(v) + 4, 'text-anchor': 'end' }, v.toFixed(2)));
  }
  const step = H <= 12 ? 1 : H <= 36 ? 3 : 12;
  for (let m = 0; m <= H; m += step)
    svg.appendChild(svgEl('text', { x: X(m), y: T + PH + 16, 'text-anchor': 'middle' }, m));
  svg.appendChild(svgEl('text', { x: L + PW / 2, y: T + PH + 34, 'text-anchor': 'middle' },
                        'month'));
  // 90% Monte Carlo band (normal approximation; the report uses Wilson intervals).
  const n = res.runs || 1;
  const band = (sign) => p.map((v, k) => {
    const e = 1.645 * Math.sqrt(v * (1 - v) / n);
    return `${X(k + 1)},${Y(Math.min(1, Math.max(0, v + sign * e)))}`;
  });
  const lo = band(-1), hi = band(1);
  svg.appendChild(svgEl('polygon', { points: [`${X(0)},${Y(0)}`, ...hi, ...lo.reverse()].join(' '),
                                     fill: '#c9d8e8' }));
  svg.appendChild(svgEl('polyline', { points: [`${X(0)},${Y(0)}`, ...p.map((v, k) => `${X(k + 1)},${Y(v)}`)].join(' '),
                                      fill: 'none', stroke: '#1f3b57', 'stroke-width': 2 }));
  p.forEach((v, k) => {
    const c = svgEl('circle', { cx: X(k + 1), cy: Y(v), r: 2.5, fill: '#1f3b57' });
    c.appendChild(svgEl('title', {}, `month ${k + 1}: ${v.toFixed(3)}`));
    svg.appendChild(c);
  });
  const md = res.month_of_deal || {};
  const txt = el('p', `P(lasting deal within ${H} months) = ${Number(res.p_deal).toFixed(3)} ` +
    `(${res.runs} runs, seed ${res.seed})` +
    (md.n ? `; median month of the deal ${Number(md.p50).toFixed(1)}` : '') +
    '. Band: 90% Monte Carlo interval.', 'muted');
  box.replaceChildren(svg, txt);
}

function simShow(j) {
  $('sim-progress').max = j.total;
  $('sim-progress').value = j.done;
  const secs = (j.elapsed_ms / 1000).toFixed(1);
  $('sim-text').textContent = j.state === 'running' ? `${j.done} / ${j.total} runs (${secs} s)`
    : j.state === 'done' ? `done: ${j.total} runs in ${secs} s`
      : j.state === 'failed' ? `failed: ${j.error}` : `stopped after ${j.done} runs`;
  document.body.dataset.sim = j.state;
  if (j.state !== 'running') {
    $('sim-start').disabled = false;
    $('sim-stop').disabled = true;
    if (j.state === 'done' && j.result) drawDealChart(j.result);
  }
}

async function simPoll() {
  simTimer = null;
  try {
    const j = await api(`/api/simulate/${simId}`);
    simShow(j);
    if (j.state === 'running') simTimer = setTimeout(simPoll, 250);
  } catch (e) {
    $('sim-text').textContent = e.message;
    $('sim-start').disabled = false;
    $('sim-stop').disabled = true;
  }
}

$('sim-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('sim-start').disabled = true;
  $('sim-result').replaceChildren();
  try {
    const j = await api('/api/simulate', { runs: Number($('sim-runs').value),
                                           seed: Number($('sim-seed').value) });
    simId = j.id;
    $('sim-stop').disabled = false;
    simShow(j);
    if (simTimer) clearTimeout(simTimer);
    simTimer = setTimeout(simPoll, 150);
  } catch (e) {
    $('sim-text').textContent = e.message;
    $('sim-start').disabled = false;
  }
});

$('sim-stop').addEventListener('click', async () => {
  if (simId === null) return;
  try { await fetch(`/api/simulate/${simId}`, { method: 'DELETE' }); } catch (e) { /* polled next */ }
});

// The panel says so when there is nothing to simulate.
api('/api/simulate').then((s) => {
  if (!s.war) {
    $('sim-note').textContent = 'This scenario has no war: section, so there is nothing to ' +
      'simulate (see docs/simulate.md).';
    $('sim-start').disabled = true;
    $('sim-runs').disabled = true;
    $('sim-seed').disabled = true;
    document.body.dataset.sim = 'unavailable';
  } else {
    $('sim-runs').max = String(s.max_runs);
    document.body.dataset.sim = 'idle';
  }
}).catch((e) => { $('error').textContent = e.message; });
