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
    box.replaceChildren(el('p', b.zopa_count > 0 ? 'The ZOPA is not empty: nothing to bridge.'
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
  else {
    // Edits answer without the bridges (they can take seconds): fetch them next.
    $('bridges').replaceChildren(el('p', 'computing\u2026', 'muted'));
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
