// The lab's page: cards and levers from /api/info, runs started with POST /api/runs and followed
// as server-sent events, charts drawn as plain SVG. No library, so the page works offline.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const COLOURS = { baseline: '#5f6b75', scenario: '#c0392b' };
const state = {
  info: null, t: {}, lang: 'en', card: null, values: {}, // lever values per card id
  run: null,   // {id, meta, rows: {baseline: [[row per time point] per replicate], scenario}, summary, state}
  source: null, drawPending: false, fixedAxes: {},
};

// ---------------------------------------------------------------------------------------------
// Texts: one file per language (assets/i18n/LANG.json); a missing text falls back to English,
// then to the model's own description.

let english = {};
function lookup(obj, path) {
  return path.split('.').reduce((o, k) => (o && o[k] !== undefined ? o[k] : undefined), obj);
}
function tr(path, fallback) {
  const v = lookup(state.t, path);
  if (v !== undefined) return v;
  const e = lookup(english, path);
  return e !== undefined ? e : (fallback !== undefined ? fallback : path);
}
function fill(text, vars) {
  return String(text).replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined ? vars[k] : m));
}
async function loadLanguage(lang) {
  const get = async (l) => (await fetch(`/assets/i18n/${l}.json`)).json();
  if (!Object.keys(english).length) english = await get('en');
  state.t = lang === 'en' ? english : await get(lang);
  state.lang = lang;
  document.documentElement.lang = lang;
  document.getElementById('lang').value = lang;
  try { localStorage.setItem('buurtlab-lang', lang); } catch (e) { /* private mode */ }
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = tr(el.dataset.t, el.textContent);
  renderCards();
  renderCard();
  if (state.run) setupPlaces(state.run.meta);
  renderStatus();
  renderRun();
}

function indicatorLabel(name) { return tr(`indicators.${name}.label`, name); }
function indicatorHelp(name) {
  return tr(`indicators.${name}.help`, (state.info.indicators[name] || {}).description || '');
}
function unitOf(name) { return (state.info.indicators[name] || {}).unit || ''; }
function unitLabel(name) { const u = unitOf(name); return tr(`units.${u}`, u); }
function isShare(unit) { return unit === 'share (0-1)'; }
function isUnitInterval(unit) { return /\(0-1\)$/.test(unit); }

// ---------------------------------------------------------------------------------------------
// Numbers: one rule for the whole page. Shares as percentages with one decimal, other 0-1 scales
// with three decimals, other quantities with three significant digits (whole numbers from 100).

function numberFormat(opts) { return new Intl.NumberFormat(state.lang === 'nl' ? 'nl-NL' : 'en-GB', opts); }
function formatValue(v, unit, signed) {
  if (v === null || v === undefined || !isFinite(v)) return tr('ui.na', 'n/a');
  // Differences and their interval ends always carry a sign, so "-0.014 … +0.000" shows which
  // side of zero a rounded end lies on.
  const sign = signed ? 'always' : 'auto';
  if (isShare(unit)) {
    const s = numberFormat({ minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: sign }).format(v * 100);
    return signed ? `${s} ${tr('ui.points', 'pt')}` : `${s}%`;
  }
  if (isUnitInterval(unit)) return numberFormat({ minimumFractionDigits: 3, maximumFractionDigits: 3, signDisplay: sign }).format(v);
  if (Math.abs(v) >= 100) return numberFormat({ maximumFractionDigits: 0, signDisplay: sign }).format(v);
  return numberFormat({ minimumSignificantDigits: 3, maximumSignificantDigits: 3, signDisplay: sign }).format(v);
}

// ---------------------------------------------------------------------------------------------
// Cards and levers

function renderCards() {
  const box = document.getElementById('cards');
  box.textContent = '';
  for (const card of state.info.cards) {
    const b = document.createElement('button');
    b.type = 'button';
    b.id = `card-${card.id}`;
    b.setAttribute('role', 'tab');
    b.setAttribute('aria-selected', String(state.card && state.card.id === card.id));
    b.textContent = tr(`cards.${card.id}.title`, card.id);
    b.addEventListener('click', () => selectCard(card.id));
    box.appendChild(b);
  }
}

function selectCard(id) {
  const card = state.info.cards.find((c) => c.id === id);
  if (!card || state.runningId) return;
  state.card = card;
  if (!state.values[id]) {
    state.values[id] = {};
    for (const l of card.levers) state.values[id][l.id] = l.value;
  }
  history.replaceState(null, '', `#${id}`);
  renderCards();
  renderCard();
}

function leverDisplay(lever, value) {
  const kind = tr(`levers.${lever.id}.display`, 'number');
  if (lever.kind === 'boolean') return tr(`choices.${value}`, value);
  if (lever.kind === 'choice') return tr(`choices.${value}`, value);
  const x = Number(value);
  if (kind === 'percent') return numberFormat({ maximumFractionDigits: 0, signDisplay: lever.min < 0 ? 'exceptZero' : 'auto' }).format(x * 100) + '%';
  if (kind === 'euro') return '€ ' + numberFormat({ maximumFractionDigits: 0 }).format(x);
  if (kind === 'years') return x === 0 ? tr('levers.never', 'never') : fill(tr('levers.every_years', 'every {n} years'), { n: x });
  if (kind === 'year') return String(x);
  return numberFormat({ maximumFractionDigits: 2 }).format(x);
}

function renderCard() {
  const card = state.card;
  if (!card) return;
  document.getElementById('card-title').textContent = tr(`cards.${card.id}.title`, card.id);
  document.getElementById('card-question').textContent = tr(`cards.${card.id}.question`, '');
  document.getElementById('card-lever').textContent = tr(`cards.${card.id}.lever`, '');
  const box = document.getElementById('levers');
  box.textContent = '';
  const values = state.values[card.id];
  for (const lever of card.levers) {
    const div = document.createElement('div');
    div.className = 'control';
    const label = document.createElement('label');
    const inputId = `lever-${lever.id}`;
    label.htmlFor = inputId;
    const out = document.createElement('output');
    out.id = `${inputId}-value`;
    let input;
    if (lever.kind === 'choice') {
      input = document.createElement('select');
      for (const c of lever.choices) {
        const o = document.createElement('option');
        o.value = c;
        o.textContent = tr(`choices.${c}`, c);
        input.appendChild(o);
      }
      input.value = values[lever.id];
    } else if (lever.kind === 'boolean') {
      input = document.createElement('input');
      input.type = 'checkbox';
      input.checked = values[lever.id] === 'true';
    } else {
      input = document.createElement('input');
      input.type = 'range';
      input.min = lever.min; input.max = lever.max; input.step = lever.step;
      input.value = values[lever.id];
    }
    input.id = inputId;
    input.dataset.lever = lever.id;
    const update = () => {
      values[lever.id] = lever.kind === 'boolean' ? String(input.checked) : String(input.value);
      out.textContent = leverDisplay(lever, values[lever.id]);
    };
    input.addEventListener('input', update);
    input.addEventListener('change', update);
    label.append(tr(`levers.${lever.id}.label`, lever.key), ': ', out);
    const help = document.createElement('p');
    help.className = 'help';
    help.textContent = tr(`levers.${lever.id}.help`, lever.key);
    div.append(label, input, help);
    box.appendChild(div);
    update();
  }
  const reps = document.getElementById('replicates');
  reps.max = state.info.limits.max_replicates;
  if (!state.repsTouched) reps.value = card.replicates;
  document.getElementById('replicates-value').textContent = reps.value;
  if (!state.seedTouched) document.getElementById('seed').value = card.seed;
}

// ---------------------------------------------------------------------------------------------
// Runs

// The status line is kept as a text key and its values, so that a language switch re-renders it.
function setStatus(key, vars, extra) {
  state.status = { key, vars: vars || {}, extra: extra || '' };
  renderStatus();
}
function renderStatus() {
  const st = state.status;
  if (!st) return;
  const vars = {};
  for (const [k, v] of Object.entries(st.vars)) vars[k] = k === 'series' ? tr(`ui.series_${v}`, v) : v;
  document.getElementById('status').textContent =
    fill(tr(st.key, st.key), vars) + (st.extra ? ` ${typeof st.extra === 'string' ? st.extra : tr(st.extra.key, '')}` : '');
}
function setErrors(list) {
  const ul = document.getElementById('errors');
  ul.textContent = '';
  for (const e of list || []) {
    const li = document.createElement('li');
    li.textContent = e;
    ul.appendChild(li);
  }
}
function setRunning(running) {
  document.getElementById('run').disabled = running;
  document.getElementById('stop').disabled = !running;
  for (const el of document.querySelectorAll('#levers input, #levers select, #replicates, #seed, #cards button'))
    el.disabled = running;
}

async function startRun() {
  const card = state.card;
  const body = new URLSearchParams();
  body.set('card', card.id);
  body.set('replicates', document.getElementById('replicates').value);
  body.set('seed', document.getElementById('seed').value);
  for (const l of card.levers) body.set(`lever.${l.id}`, state.values[card.id][l.id]);
  setErrors([]);
  let reply;
  try {
    const r = await fetch('/api/runs', { method: 'POST', body });
    reply = { status: r.status, json: await r.json() };
  } catch (e) {
    setErrors([tr('ui.no_connection', 'The lab does not answer; is it still running?')]);
    return;
  }
  if (reply.status !== 202) {
    setErrors(reply.json.errors);
    setStatus('ui.not_started');
    return;
  }
  follow(reply.json.id);
}

function follow(id) {
  if (state.source) state.source.close();
  state.runningId = id;
  setRunning(true);
  setStatus('ui.starting');
  document.getElementById('progress').style.width = '0';
  const src = new EventSource(`/api/runs/${id}/events`);
  state.source = src;
  src.addEventListener('meta', (ev) => {
    const meta = JSON.parse(ev.data);
    state.run = { id, meta, rows: {}, summary: null, state: 'running', progress: {},
      levers: Object.assign({}, state.values[meta.card]) };
    for (const s of meta.series) state.run.rows[s.id] = Array.from({ length: meta.replicates }, () => []);
    setupPlaces(meta);
    renderRun();
  });
  src.addEventListener('progress', (ev) => {
    const p = JSON.parse(ev.data);
    state.run.progress[p.series] = p.done;
    const fresh = state.run.meta.series.filter((s) => !s.cached);
    const done = fresh.reduce((a, s) => a + (state.run.progress[s.id] || 0), 0) / Math.max(1, fresh.length);
    document.getElementById('progress').style.width = `${(100 * done).toFixed(1)}%`;
    setStatus(p.spin_up ? 'ui.status_spin_up' : 'ui.status_running', { series: p.series });
  });
  src.addEventListener('frames', (ev) => {
    const f = JSON.parse(ev.data);
    const rows = state.run.rows[f.series][f.replicate];
    f.rows.forEach((row, k) => { rows[f.from + k] = row; });
    scheduleDraw();
  });
  src.addEventListener('summary', (ev) => {
    state.run.summary = JSON.parse(ev.data);
    renderTable();
  });
  src.addEventListener('end', (ev) => {
    const st = JSON.parse(ev.data);
    src.close();
    state.source = null;
    state.runningId = null;
    state.run.state = st.state;
    state.run.status = st;
    setRunning(false);
    document.getElementById('progress').style.width = st.state === 'complete' ? '100%' : '0';
    setStatus(`ui.state_${st.state}`, {},
      st.message ? `(${st.message})` : (st.state === 'interrupted' ? { key: 'ui.interrupted_note' } : ''));
    renderRun();
  });
  // The stream broke before its end: the lab was stopped or the connection lost. The browser
  // would retry for ever; say so instead and give the controls back.
  src.onerror = () => {
    src.close();
    if (state.source !== src) return;
    state.source = null;
    state.runningId = null;
    setErrors([tr('ui.no_connection', 'The lab does not answer; is it still running?')]);
    setStatus('ui.connection_lost');
    setRunning(false);
  };
}

async function stopRun() {
  if (!state.runningId) return;
  await fetch(`/api/runs/${state.runningId}/stop`, { method: 'POST' });
  setStatus('ui.stopping');
}

// ---------------------------------------------------------------------------------------------
// Charts: per watched indicator, the median over replicates as a line and the 5th-95th
// percentile as a band, the baseline in grey, the lever's start as a dashed line.

function setupPlaces(meta) {
  const sel = document.getElementById('place');
  const keep = sel.value;
  sel.textContent = '';
  for (const p of meta.places) {
    const o = document.createElement('option');
    o.value = p.code;
    o.textContent = `${p.name} (${tr(`levels.${p.level}`, p.level)})`;
    sel.appendChild(o);
  }
  sel.value = meta.places.some((p) => p.code === keep) && state.placeCard === meta.card ? keep : meta.place;
  state.placeCard = meta.card;
}

function quantile(sorted, q) {  // linear interpolation between order statistics (numpy's default)
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return lo + 1 < sorted.length ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
}

// {t, median, low, high} per time point where at least one replicate has a value.
function bands(seriesId, k, p) {
  const run = state.run;
  const P = run.meta.places.length;
  const reps = run.rows[seriesId];
  const out = [];
  for (let t = 0; t < run.meta.dates.length; ++t) {
    const v = [];
    for (const rows of reps) {
      const row = rows[t];
      if (row && row[k * P + p] !== null) v.push(row[k * P + p]);
    }
    if (!v.length) continue;
    v.sort((a, b) => a - b);
    out.push({ t, median: quantile(v, 0.5), low: quantile(v, 0.05), high: quantile(v, 0.95) });
  }
  return out;
}

function niceTicks(lo, hi, n) {
  const span = hi - lo;
  const step0 = span / Math.max(1, n);
  const mag = Math.pow(10, Math.floor(Math.log10(step0)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= step0) || 10 * mag;
  const ticks = [];
  for (let x = Math.ceil(lo / step) * step; x <= hi + step * 1e-9; x += step) ticks.push(Math.abs(x) < step * 1e-9 ? 0 : x);
  return ticks;
}

// The vertical range. Fitted to the bands, but never narrower than a sensible span (0.1 on a 0-1
// scale, a fifth of the largest value otherwise), so that replicate noise does not fill the
// panel and look like a trend; on request the full scale, or the axes as they are now.
function yRange(name, key, lo, hi) {
  const unit = unitOf(name);
  const mode = document.getElementById('yaxis').value;
  if (mode === 'fixed' && state.fixedAxes[key]) return state.fixedAxes[key];
  let range;
  if (!isFinite(lo) || !isFinite(hi)) range = isUnitInterval(unit) ? [0, 1] : [0, 1];
  else if (mode === 'full') range = isUnitInterval(unit) ? [0, 1] : [Math.min(0, lo), Math.max(0, hi) * 1.05 || 1];
  else {
    const minSpan = isUnitInterval(unit) ? 0.1 : Math.max(0.2 * Math.max(Math.abs(lo), Math.abs(hi)), 1e-9);
    if (hi - lo < minSpan) {
      const mid = (lo + hi) / 2;
      lo = mid - minSpan / 2; hi = mid + minSpan / 2;
      if (lo < 0 && (isUnitInterval(unit) || (lo + minSpan / 2) >= 0)) { hi -= lo; lo = 0; }
      if (isUnitInterval(unit) && hi > 1) { lo -= hi - 1; hi = 1; }
    }
    const pad = (hi - lo) * 0.05;
    range = [isUnitInterval(unit) ? Math.max(0, lo - pad) : lo - pad, isUnitInterval(unit) ? Math.min(1, hi + pad) : hi + pad];
  }
  state.fixedAxes[key] = range;
  return range;
}

function el(name, attrs, parent) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

function drawChart(box, name, k, p) {
  const run = state.run;
  const W = 560, H = 300, L = 62, R = 22, T = 14, B = 34;
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': indicatorLabel(name), 'data-indicator': name });
  el('rect', { x: 0, y: 0, width: W, height: H, fill: '#ffffff' }, svg);
  const dates = run.meta.dates.map((d) => Date.parse(d));
  const x0 = dates[0], x1 = dates[dates.length - 1];
  const series = run.meta.series.map((s) => ({ id: s.id, b: bands(s.id, k, p) }));
  let lo = Infinity, hi = -Infinity;
  for (const s of series) for (const q of s.b) { lo = Math.min(lo, q.low); hi = Math.max(hi, q.high); }
  const [y0, y1] = yRange(name, `${name}@${p}`, lo, hi);
  const X = (t) => L + (W - L - R) * (dates[t] - x0) / (x1 - x0 || 1);
  const Y = (v) => T + (H - T - B) * (1 - (Math.min(Math.max(v, y0), y1) - y0) / (y1 - y0 || 1));
  // Axes and grid
  const unit = unitOf(name);
  for (const v of niceTicks(y0, y1, 5)) {
    el('line', { x1: L, x2: W - R, y1: Y(v), y2: Y(v), stroke: '#e3e7ea' }, svg);
    const tx = el('text', { x: L - 6, y: Y(v) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#5b6670' }, svg);
    tx.textContent = isShare(unit) ? numberFormat({ maximumFractionDigits: 1 }).format(v * 100) + '%' : numberFormat({ maximumSignificantDigits: 4 }).format(v);
  }
  const y0year = new Date(x0).getUTCFullYear(), y1year = new Date(x1).getUTCFullYear();
  for (let y = y0year; y <= y1year; ++y) {
    const at = Date.UTC(y, 0, 1);
    if (at < x0 || at > x1) continue;
    const xx = L + (W - L - R) * (at - x0) / (x1 - x0);
    el('line', { x1: xx, x2: xx, y1: H - B, y2: H - B + 4, stroke: '#5b6670' }, svg);
    if ((y - y0year) % 2 === 0) {
      const tx = el('text', { x: xx, y: H - B + 16, 'text-anchor': 'middle', 'font-size': 11, fill: '#5b6670' }, svg);
      tx.textContent = String(y);
    }
  }
  el('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, stroke: '#5b6670' }, svg);
  el('line', { x1: L, x2: L, y1: T, y2: H - B, stroke: '#5b6670' }, svg);
  const ylabel = el('text', { x: 12, y: (T + H - B) / 2, 'font-size': 11, fill: '#1d2327', 'text-anchor': 'middle',
    transform: `rotate(-90 12 ${(T + H - B) / 2})` }, svg);
  ylabel.textContent = unitLabel(name);
  // Where the lever starts
  for (const e of run.meta.events) {
    const at = Date.parse(e.date);
    const xx = L + (W - L - R) * (at - x0) / (x1 - x0 || 1);
    el('line', { x1: xx, x2: xx, y1: T, y2: H - B, stroke: '#1d2327', 'stroke-dasharray': '4 3', class: 'marker' }, svg);
    const tx = el('text', { x: xx + 4, y: T + 10, 'font-size': 11, fill: '#1d2327' }, svg);
    tx.textContent = tr(`events.${e.label}`, e.label);
  }
  // Bands, then lines on top
  for (const s of series) {
    if (!s.b.length) continue;
    const up = s.b.map((q) => `${X(q.t).toFixed(1)},${Y(q.high).toFixed(1)}`);
    const down = s.b.slice().reverse().map((q) => `${X(q.t).toFixed(1)},${Y(q.low).toFixed(1)}`);
    el('polygon', { points: up.concat(down).join(' '), fill: COLOURS[s.id], 'fill-opacity': 0.18, stroke: 'none', class: `band ${s.id}` }, svg);
  }
  for (const s of series) {
    if (!s.b.length) continue;
    el('polyline', { points: s.b.map((q) => `${X(q.t).toFixed(1)},${Y(q.median).toFixed(1)}`).join(' '),
      fill: 'none', stroke: COLOURS[s.id], 'stroke-width': s.id === 'scenario' ? 2 : 1.5, class: `line ${s.id}` }, svg);
  }
  box.appendChild(svg);
}

function scheduleDraw() {
  if (state.drawPending) return;
  state.drawPending = true;
  requestAnimationFrame(() => { state.drawPending = false; drawCharts(); });
}

function drawCharts() {
  const run = state.run;
  const box = document.getElementById('charts');
  box.textContent = '';
  if (!run) return;
  const p = Math.max(0, run.meta.places.findIndex((q) => q.code === document.getElementById('place').value));
  run.meta.indicators.forEach((name, k) => {
    const div = document.createElement('div');
    div.className = 'chart';
    div.id = `chart-${name}`;
    const h = document.createElement('h3');
    h.textContent = indicatorLabel(name);
    const help = document.createElement('p');
    help.textContent = indicatorHelp(name);
    div.append(h, help);
    drawChart(div, name, k, p);
    box.appendChild(div);
  });
}

// ---------------------------------------------------------------------------------------------
// The table of numbers: means over replicates, and the paired difference with its 95% interval.

function renderTable() {
  const table = document.getElementById('summary');
  table.textContent = '';
  const run = state.run;
  if (!run || !run.summary) return;
  const place = document.getElementById('place').value;
  const head = table.createTHead();
  const r1 = head.insertRow();
  const r2 = head.insertRow();
  const th = (row, text, span) => { const c = document.createElement('th'); c.textContent = text; if (span) c.colSpan = span; row.appendChild(c); };
  th(r1, '');
  th(r1, tr('ui.at_end', 'At the end'), 3);
  th(r1, tr('ui.over_run', 'Mean over the run'), 3);
  th(r2, tr('ui.indicator', 'Indicator'));
  for (let i = 0; i < 2; ++i) {
    th(r2, tr('ui.series_baseline', 'baseline'));
    th(r2, tr('ui.series_scenario', 'this run'));
    th(r2, tr('ui.difference', 'difference (95% interval)'));
  }
  const body = table.createTBody();
  for (const name of run.meta.indicators) {
    const s = (run.summary[name] || {})[place];
    if (!s) continue;
    const unit = unitOf(name);
    const row = body.insertRow();
    const label = row.insertCell();
    label.textContent = indicatorLabel(name) + ' ';
    const u = document.createElement('span');
    u.className = 'ci';
    u.textContent = `(${unitLabel(name)})`;
    label.appendChild(u);
    for (const stat of ['end', 'run']) {
      const v = s[stat];
      for (const series of ['baseline', 'scenario']) {
        const c = row.insertCell();
        c.textContent = formatValue(v[series], unit, false);
        Object.assign(c.dataset, { indicator: name, place, stat, series, value: JSON.stringify(v[series]) });
      }
      const c = row.insertCell();
      c.className = 'diff';
      c.textContent = formatValue(v.difference, unit, true) + ' ';
      const ci = document.createElement('span');
      ci.className = 'ci';
      // A difference of two values on a 0-1 scale lies within -1..1, whatever a t interval from
      // very few runs says.
      const clip = (x) => (isUnitInterval(unit) ? Math.min(1, Math.max(-1, x)) : x);
      ci.textContent = v.low !== null && isFinite(v.low)
        ? `(${formatValue(clip(v.low), unit, true)} … ${formatValue(clip(v.high), unit, true)})` : '';
      c.appendChild(ci);
      Object.assign(c.dataset, { indicator: name, place, stat, series: 'difference', value: JSON.stringify(v.difference),
        low: JSON.stringify(v.low), high: JSON.stringify(v.high) });
    }
  }
}

function renderRun() {
  const run = state.run;
  const has = run && run.state === 'complete';
  document.getElementById('export-svg').disabled = !run;
  document.getElementById('export-png').disabled = !run;
  for (const s of ['scenario', 'baseline']) {
    const a = document.getElementById(`download-${s}`);
    const file = run && run.status && run.status.series.find((x) => x.id === s);
    const ok = file && file.status !== 'running' && run.state !== 'running';
    a.classList.toggle('disabled', !ok);
    if (ok) { a.href = `/api/runs/${run.id}/file/${s}`; a.setAttribute('download', file.file); a.title = file.file; }
    else a.removeAttribute('href');
  }
  document.getElementById('commands').textContent = run ? run.meta.series.map((s) => s.command).join('\n') : '';
  const reading = document.getElementById('reading');
  reading.textContent = run ? fill(tr('ui.reading', ''), { n: run.meta.replicates }) : tr('ui.before_run', '');
  if (run) { drawCharts(); if (has) renderTable(); }
}

// ---------------------------------------------------------------------------------------------
// Export: the charts as one SVG, or as PNG drawn from it.

function figureSvg() {
  const charts = Array.from(document.querySelectorAll('#charts .chart'));
  const W = 560, H = 300, head = 40;
  const cols = Math.min(2, charts.length || 1);
  const rows = Math.ceil(charts.length / cols);
  // A figure for a session report must say what it shows: the card, the levers as set, the runs.
  const top = 56;
  const total = (H + head) * rows + 30 + top;
  const out = el('svg', { xmlns: SVG, width: W * cols, height: total, viewBox: `0 0 ${W * cols} ${total}` });
  el('rect', { x: 0, y: 0, width: W * cols, height: total, fill: '#ffffff' }, out);
  const card = state.info.cards.find((c) => c.id === state.run.meta.card);
  const heading = el('text', { x: 10, y: 24, 'font-size': 18, 'font-weight': 700, 'font-family': 'sans-serif', fill: '#1d2327' }, out);
  heading.textContent = tr(`cards.${card.id}.title`, card.id);
  const levers = card.levers.map((l) => `${tr(`levers.${l.id}.label`, l.id)}: ${leverDisplay(l, state.run.levers[l.id])}`);
  const sub = el('text', { x: 10, y: 44, 'font-size': 12, 'font-family': 'sans-serif', fill: '#1d2327' }, out);
  sub.textContent = `${levers.join(' · ')} · ${fill(tr('ui.runs_seed', '{n} runs, seed {seed}'), { n: state.run.meta.replicates, seed: state.run.meta.seed })}`;
  charts.forEach((c, i) => {
    const x = (i % cols) * W, y = top + Math.floor(i / cols) * (H + head);
    const title = el('text', { x: x + 10, y: y + 24, 'font-size': 15, 'font-weight': 600, 'font-family': 'sans-serif', fill: '#1d2327' }, out);
    title.textContent = c.querySelector('h3').textContent;
    const g = el('g', { transform: `translate(${x},${y + head})`, 'font-family': 'sans-serif' }, out);
    for (const child of c.querySelector('svg').childNodes) g.appendChild(child.cloneNode(true));
  });
  const note = el('text', { x: 10, y: (H + head) * rows + 20 + top, 'font-size': 11, 'font-family': 'sans-serif', fill: '#5b6670' }, out);
  note.textContent = `${tr('ui.legend_red', 'Red: this run.')} ${document.getElementById('reading').textContent}`;
  return new XMLSerializer().serializeToString(out);
}
function download(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}
function figureName(ext) { return `buurtlab-${state.run.meta.card}-${state.run.id}.${ext}`; }
function exportSvg() { download(new Blob([figureSvg()], { type: 'image/svg+xml' }), figureName('svg')); }
function exportPng() {
  const text = figureSvg();
  const img = new Image();
  img.onload = () => {
    const canvas = document.createElement('canvas');
    canvas.width = img.width * 2; canvas.height = img.height * 2;
    const ctx = canvas.getContext('2d');
    ctx.scale(2, 2);
    ctx.drawImage(img, 0, 0);
    canvas.toBlob((b) => download(b, figureName('png')), 'image/png');
  };
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(text);
}

// ---------------------------------------------------------------------------------------------

async function init() {
  state.info = await (await fetch('/api/info')).json();
  document.getElementById('version').textContent = `v${state.info.version}`;
  const wanted = location.hash.slice(1);
  state.card = state.info.cards.find((c) => c.id === wanted) || state.info.cards[0];
  for (const c of state.info.cards) {
    state.values[c.id] = {};
    for (const l of c.levers) state.values[c.id][l.id] = l.value;
  }
  let lang = 'en';
  try { lang = localStorage.getItem('buurtlab-lang') || ''; } catch (e) { lang = ''; }
  if (!lang) lang = (navigator.language || 'en').toLowerCase().startsWith('nl') ? 'nl' : 'en';
  await loadLanguage(lang);
  document.getElementById('lang').addEventListener('change', (e) => loadLanguage(e.target.value));
  document.getElementById('run').addEventListener('click', startRun);
  document.getElementById('stop').addEventListener('click', stopRun);
  document.getElementById('replicates').addEventListener('input', (e) => {
    state.repsTouched = true;
    document.getElementById('replicates-value').textContent = e.target.value;
  });
  document.getElementById('seed').addEventListener('input', () => { state.seedTouched = true; });
  document.getElementById('place').addEventListener('change', () => { drawCharts(); renderTable(); });
  document.getElementById('yaxis').addEventListener('change', drawCharts);
  document.getElementById('export-svg').addEventListener('click', exportSvg);
  document.getElementById('export-png').addEventListener('click', exportPng);
  document.body.dataset.ready = 'true';
}

init().catch((e) => setErrors([String(e)]));
