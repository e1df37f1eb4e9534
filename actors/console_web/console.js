// berth web console: the live actor table, an actor's detail (info, state,
// recent messages) and a chart of messages/s and journal append latency.
// Reads berthd's /api/introspect/... with the admin token; no framework, no
// other network access. Field names are those of schema/introspect.capnp
// (Cap'n Proto's JSON codec writes 64-bit integers as strings).
(function () {
  'use strict';

  const TOKEN_KEY = 'berth.console.token';
  const POLL_MS = 1000;
  const CHART_SAMPLES = 120;  // two minutes at one sample a second
  const TRACE_MS = 2000;
  const TRACE_MAX = 500;

  const $ = (id) => document.getElementById(id);

  const state = {
    token: '',
    actors: [],           // rows derived from /actors
    sort: { key: 'id', dir: 1 },
    filter: '',
    selected: '',         // the selected actor's name
    detailBusy: false,
    lastSummary: null,    // the previous /summary, for rates
    samples: [],          // {rate, latencyMs} per poll
    timer: 0,
  };

  class auth_error extends Error {}

  // ---- token: from #token=... once, then session storage; never in a URL sent out

  /// The fragment's parameters: #token=...&actor=NAME (a link straight to an actor).
  function fragment() {
    return new URLSearchParams(location.hash.replace(/^#/, ''));
  }

  function set_fragment(params) {
    const text = params.toString();
    history.replaceState(null, '', location.pathname + location.search + (text ? '#' + text : ''));
  }

  function take_token_from_fragment() {
    const params = fragment();
    if (!params.has('token')) return;
    sessionStorage.setItem(TOKEN_KEY, params.get('token'));
    // Drop it so that the token does not stay in the address bar or history.
    params.delete('token');
    set_fragment(params);
  }

  function show_login(message) {
    clearTimeout(state.timer);
    $('main').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = message || '';
    $('token').focus();
  }

  function start_with(token) {
    state.token = token;
    $('login').hidden = true;
    $('main').hidden = false;
    load_process();
    poll();
    const actor = fragment().get('actor');
    if (actor) select(actor);
  }

  // ---- HTTP

  async function api(path) {
    const response = await fetch(path, {
      headers: { 'Authorization': 'Bearer ' + state.token },
      cache: 'no-store',
    });
    if (response.status === 401) throw new auth_error('berthd refused the token');
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      throw new Error(path + ': HTTP ' + response.status + ' (not JSON)');
    }
    if (!response.ok) {
      const err = new Error(body && body.error ? body.error : path + ': HTTP ' + response.status);
      err.status = response.status;
      throw err;
    }
    return body;
  }

  function on_error(e) {
    if (e instanceof auth_error) {
      sessionStorage.removeItem(TOKEN_KEY);
      show_login(e.message);
      return true;
    }
    set_status('error: ' + e.message, true);
    return false;
  }

  function set_status(text, bad) {
    $('status').textContent = text;
    $('status').classList.toggle('bad', !!bad);
  }

  // ---- formatting

  const num = (v) => (v === undefined || v === null || v === '' ? 0 : Number(v));

  function fmt_int(v) {
    return num(v).toLocaleString('en-US');
  }

  function fmt_rate(v) {
    const n = num(v);
    if (n === 0) return '0';
    return n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US');
  }

  function fmt_seconds(s) {
    if (s === null || s === undefined || !isFinite(s)) return '–';
    if (s < 1e-3) return (s * 1e6).toFixed(s < 1e-5 ? 1 : 0) + ' µs';
    if (s < 1) return (s * 1e3).toFixed(s < 1e-2 ? 2 : 1) + ' ms';
    return s.toFixed(2) + ' s';
  }

  function fmt_time(ns) {
    if (!num(ns)) return '–';
    const d = new Date(num(ns) / 1e6);
    return d.toLocaleTimeString('en-GB', { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
  }

  function fmt_age(ns, now_ms) {
    if (!num(ns)) return 'never';
    const s = Math.max(0, (now_ms - num(ns) / 1e6) / 1000);
    if (s < 1) return 'now';
    if (s < 120) return Math.floor(s) + ' s ago';
    if (s < 7200) return Math.floor(s / 60) + ' min ago';
    return Math.floor(s / 3600) + ' h ago';
  }

  function mean_seconds(h) {
    return h && num(h.count) > 0 ? num(h.sumSeconds) / num(h.count) : null;
  }

  /// The upper bound of the bucket holding quantile q (Infinity: the overflow bucket).
  function quantile(h, q) {
    if (!h || !num(h.count)) return null;
    const want = q * num(h.count);
    let seen = 0;
    const counts = h.counts || [];
    for (let i = 0; i < counts.length; ++i) {
      seen += num(counts[i]);
      if (seen >= want) return i < h.boundsSeconds.length ? h.boundsSeconds[i] : Infinity;
    }
    return Infinity;
  }

  function fmt_bound(s) {
    if (s === null) return '–';
    return s === Infinity ? '> 5 s' : '≤ ' + fmt_seconds(s);
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') node.className = v;
      else if (k.startsWith('data-')) node.setAttribute(k, v);
      else node[k] = v;
    }
    for (const c of children) node.append(c instanceof Node ? c : String(c));
    return node;
  }

  // ---- process and summary

  async function load_process() {
    try {
      const p = await api('/api/introspect/process');
      const started = new Date(num(p.startedNs) / 1e6);
      $('process').textContent = `${p.role} ${p.version} · started ${started.toLocaleString('en-GB')}`;
    } catch (e) {
      on_error(e);
    }
  }

  /// One chart sample from two successive summaries: the messages handled per
  /// second between them, and the mean journal append latency of the appends
  /// between them (null when there were none, or no journal figures).
  function sample_between(a, b) {
    const dt = (num(b.timeNs) - num(a.timeNs)) / 1e9;
    if (dt <= 0) return null;
    const rate = Math.max(0, (num(b.handled) - num(a.handled)) / dt);
    let latency = null;
    if (a.journal && b.journal) {
      const n = num(b.journal.appendCount) - num(a.journal.appendCount);
      if (n > 0) latency = (num(b.journal.appendSecondsSum) - num(a.journal.appendSecondsSum)) / n * 1000;
    }
    return { rate, latencyMs: latency };
  }

  function render_totals(s, sample) {
    const rows = [
      ['actors', fmt_int(s.actors)],
      ['messages handled', fmt_int(s.handled)],
      ['in mailboxes', fmt_int(s.mailbox)],
      ['messages/s', sample ? fmt_rate(sample.rate) : '–'],
    ];
    if (s.journal) {
      const n = num(s.journal.appendCount);
      rows.push(['journal records', fmt_int(s.journal.records)]);
      rows.push(['appends', fmt_int(n)]);
      rows.push(['mean append', n ? fmt_seconds(num(s.journal.appendSecondsSum) / n) : '–']);
    } else {
      rows.push(['journal', 'n/a']);
    }
    $('totals').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  }

  function on_summary(s) {
    let sample = null;
    if (state.lastSummary) sample = sample_between(state.lastSummary, s);
    state.lastSummary = s;
    if (sample) {
      state.samples.push(sample);
      if (state.samples.length > CHART_SAMPLES) state.samples.shift();
    }
    render_totals(s, sample);
    draw_chart();
  }

  // ---- the actor table

  function to_row(a) {
    return {
      id: num(a.id),
      name: a.name || '',
      kind: a.kind || '',
      mailbox: num(a.mailbox),
      handled: num(a.handled),
      rate: num(a.ratePerSecond),
      mean: mean_seconds(a.processing),
      lastMessage: a.lastMessage || '',
      lastNs: num(a.lastMessageNs),
    };
  }

  function compare(key, dir) {
    return (x, y) => {
      const a = x[key], b = y[key];
      let c;
      if (a === null || b === null) c = (a === null) - (b === null);
      else if (typeof a === 'string') c = a.localeCompare(b);
      else c = a - b;
      return (c || x.id - y.id) * dir;
    };
  }

  function visible_rows() {
    const f = state.filter.trim().toLowerCase();
    const rows = f ? state.actors.filter((r) => r.name.toLowerCase().includes(f) || r.kind.toLowerCase().includes(f))
                   : state.actors.slice();
    return rows.sort(compare(state.sort.key, state.sort.dir));
  }

  function render_table() {
    const now = Date.now();
    const rows = visible_rows();
    const body = $('actor-rows');
    body.replaceChildren(...rows.map((r) => {
      const tr = el('tr', { 'data-actor': r.name },
        el('td', { class: 'num' }, r.id),
        el('td', { class: 'name' }, r.name),
        el('td', {}, r.kind),
        el('td', { class: 'num mailbox' }, fmt_int(r.mailbox)),
        el('td', { class: 'num' }, fmt_int(r.handled)),
        el('td', { class: 'num' }, fmt_rate(r.rate)),
        el('td', { class: 'num' }, fmt_seconds(r.mean)),
        el('td', { class: 'last', title: r.lastMessage }, r.lastMessage || '–'),
        el('td', { class: 'num' }, fmt_age(r.lastNs, now)));
      if (r.name === state.selected) tr.classList.add('selected');
      if (r.mailbox > 0) tr.classList.add('busy');
      return tr;
    }));
    const total = state.actors.length;
    $('count').textContent = rows.length === total ? `${total} actors` : `${rows.length} of ${total} actors`;
    for (const th of document.querySelectorAll('#actors th')) {
      th.classList.toggle('sorted-asc', th.dataset.key === state.sort.key && state.sort.dir > 0);
      th.classList.toggle('sorted-desc', th.dataset.key === state.sort.key && state.sort.dir < 0);
    }
  }

  function on_header_click(e) {
    const th = e.target.closest('th');
    if (!th || !th.dataset.key) return;
    const key = th.dataset.key;
    // Numbers start largest first (what is backed up, what is busy); text A to Z.
    const first = ['name', 'kind', 'lastMessage', 'id'].includes(key) ? 1 : -1;
    state.sort = { key, dir: state.sort.key === key ? -state.sort.dir : first };
    render_table();
  }

  function on_row_click(e) {
    const tr = e.target.closest('tr');
    if (tr && tr.dataset.actor) select(tr.dataset.actor);
  }

  // ---- the detail pane

  function select(name) {
    if (state.selected !== name) {  // nothing of the previous actor stays on screen
      for (const id of ['trace-rows', 'detail-info', 'detail-state']) $(id).replaceChildren();
      $('trace-status').textContent = '';
      $('detail-error').textContent = '';
    }
    state.selected = name;
    const params = fragment();
    params.set('actor', name);
    set_fragment(params);
    $('detail-empty').hidden = true;
    $('detail-body').hidden = false;
    $('detail-name').textContent = name;
    render_table();
    refresh_detail();
  }

  function link_to(name) {
    if (!name) return '–';
    const a = el('a', {}, name);
    a.addEventListener('click', () => select(name));
    return a;
  }

  function render_info(a) {
    const h = a.processing;
    const items = [
      ['id', a.id],
      ['kind', a.kind],
      ['object', a.object || '–'],
      ['spawned by', a.parentName ? link_to(a.parentName) : (num(a.parent) ? '#' + a.parent : '(outside any actor)')],
      ['owner', link_to(a.owner)],
      ['spawned', fmt_time(a.spawnedNs)],
      ['mailbox', fmt_int(a.mailbox)],
      ['handled', fmt_int(a.handled)],
      ['msg/s (10 s)', fmt_rate(a.ratePerSecond)],
      ['processing', `mean ${fmt_seconds(mean_seconds(h))} · p50 ${fmt_bound(quantile(h, 0.5))}` +
                     ` · p99 ${fmt_bound(quantile(h, 0.99))}`],
      ['last message', a.lastMessage ? `${a.lastMessage} at ${fmt_time(a.lastMessageNs)}` : 'never'],
      ['tracing', a.tracing ? 'yes' : 'no'],
    ];
    $('detail-info').replaceChildren(...items.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  }

  /// Pretty JSON with its tokens coloured (built from text nodes: nothing is parsed as HTML).
  function render_json(text) {
    const out = $('detail-state');
    let pretty;
    try {
      pretty = JSON.stringify(JSON.parse(text), null, 2);
    } catch (e) {
      out.textContent = text;
      return;
    }
    const parts = [];
    const token = /("(?:\\.|[^"\\])*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b/g;
    let at = 0;
    for (let m; (m = token.exec(pretty));) {
      parts.push(pretty.slice(at, m.index));
      const cls = m[1] ? (m[2] ? 'json-key' : 'json-string') : m[3] ? 'json-number' : 'json-literal';
      parts.push(el('span', { class: cls }, m[1] || m[3] || m[4]));
      if (m[2]) parts.push(m[2]);
      at = token.lastIndex;
    }
    parts.push(pretty.slice(at));
    out.replaceChildren(...parts);
  }

  async function refresh_detail() {
    const name = state.selected;
    if (!name || state.detailBusy) return;
    state.detailBusy = true;
    try {
      const r = await api('/api/introspect/actors/' + encodeURIComponent(name));
      if (name !== state.selected) return;
      render_info(r.info);
      $('detail-error').textContent = r.error || '';
      if (r.stateJson) render_json(r.stateJson);
    } catch (e) {
      if (name !== state.selected) return;
      if (e.status === 404) $('detail-error').textContent = e.message + ' (it exited?)';
      else on_error(e);
    } finally {
      state.detailBusy = false;
    }
  }

  async function run_trace() {
    const name = state.selected;
    const button = $('trace-button');
    button.disabled = true;
    $('trace-status').textContent = `tracing for ${TRACE_MS / 1000} s…`;
    try {
      const q = `actor=${encodeURIComponent(name)}&forMs=${TRACE_MS}&max=${TRACE_MAX}`;
      const r = await api('/api/introspect/trace?' + q);
      if (name !== state.selected) return;
      $('trace-status').textContent = `${r.events.length} messages, stopped: ${r.stopped}`;
      $('trace-rows').replaceChildren(...r.events.map((e) => el('tr', {},
        el('td', {}, fmt_time(e.timeNs)),
        el('td', { class: e.direction }, e.direction === 'out' ? '→' : '←'),
        el('td', {}, e.peer),
        el('td', {}, e.type),
        el('td', { class: 'num' }, fmt_int(e.bytes)),
        el('td', { class: 'text' }, e.text))));
    } catch (e) {
      if (!on_error(e)) $('trace-status').textContent = 'trace failed: ' + e.message;
    } finally {
      button.disabled = false;
    }
  }

  // ---- the chart: messages/s (left axis) and journal append latency (right axis)

  function nice_max(v) {
    if (!(v > 0)) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }

  function draw_series(ctx, values, x_of, y_of, colour, fill_to) {
    ctx.beginPath();
    let open = false;
    values.forEach((v, i) => {
      if (v === null) { open = false; return; }
      if (open) ctx.lineTo(x_of(i), y_of(v));
      else ctx.moveTo(x_of(i), y_of(v));
      open = true;
    });
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5;
    ctx.stroke();
    if (fill_to !== undefined && values.length > 1 && !values.includes(null)) {
      ctx.lineTo(x_of(values.length - 1), fill_to);
      ctx.lineTo(x_of(0), fill_to);
      ctx.closePath();
      ctx.globalAlpha = 0.12;
      ctx.fillStyle = colour;
      ctx.fill();
      ctx.globalAlpha = 1;
    }
    values.forEach((v, i) => {  // lone points between gaps stay visible
      if (v !== null && (i === 0 || values[i - 1] === null) && (i + 1 >= values.length || values[i + 1] === null)) {
        ctx.fillStyle = colour;
        ctx.fillRect(x_of(i) - 1.5, y_of(v) - 1.5, 3, 3);
      }
    });
  }

  function draw_chart() {
    const canvas = $('chart');
    const ratio = window.devicePixelRatio || 1;
    const w = canvas.clientWidth, h = canvas.clientHeight;
    if (!w || !h) return;
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const css = getComputedStyle(document.documentElement);
    const left = 52, right = 60, top = 8, bottom = 18;
    const plot_w = w - left - right, plot_h = h - top - bottom;
    const rates = state.samples.map((s) => s.rate);
    const lats = state.samples.map((s) => s.latencyMs);
    const rate_max = nice_max(Math.max(0, ...rates));
    const lat_max = nice_max(Math.max(0, ...lats.filter((v) => v !== null)));
    const x_of = (i) => left + plot_w * (CHART_SAMPLES - rates.length + i) / (CHART_SAMPLES - 1);

    ctx.font = '11px system-ui, sans-serif';
    ctx.lineWidth = 1;
    for (let k = 0; k <= 4; ++k) {
      const y = top + plot_h * (1 - k / 4);
      ctx.strokeStyle = css.getPropertyValue('--line');
      ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(left + plot_w, y); ctx.stroke();
      ctx.fillStyle = css.getPropertyValue('--rate');
      ctx.textAlign = 'right';
      ctx.fillText(String(+(rate_max * k / 4).toPrecision(3)), left - 6, y + 4);
      ctx.fillStyle = css.getPropertyValue('--latency');
      ctx.textAlign = 'left';
      ctx.fillText(k ? +(lat_max * k / 4).toPrecision(2) + ' ms' : '0', left + plot_w + 6, y + 4);
    }
    ctx.fillStyle = css.getPropertyValue('--dim');
    ctx.textAlign = 'left';
    ctx.fillText(`last ${CHART_SAMPLES * POLL_MS / 1000} s`, left, h - 4);
    if (!rates.length) {
      ctx.textAlign = 'center';
      ctx.fillText('collecting samples…', left + plot_w / 2, top + plot_h / 2);
      return;
    }
    draw_series(ctx, rates, x_of, (v) => top + plot_h * (1 - v / rate_max), css.getPropertyValue('--rate'), top + plot_h);
    draw_series(ctx, lats, x_of, (v) => top + plot_h * (1 - v / lat_max), css.getPropertyValue('--latency'));
    const last = state.samples[state.samples.length - 1];
    $('legend-rate').textContent = fmt_rate(last.rate);
    $('legend-latency').textContent = last.latencyMs === null ? (state.lastSummary.journal ? 'no appends' : 'n/a')
                                                              : fmt_seconds(last.latencyMs / 1000);
  }

  // ---- polling

  async function poll() {
    clearTimeout(state.timer);
    try {
      const [actors, summary] = await Promise.all([api('/api/introspect/actors'), api('/api/introspect/summary')]);
      state.actors = (actors.actors || []).map(to_row);
      render_table();
      on_summary(summary);
      set_status('live · ' + new Date().toLocaleTimeString('en-GB', { hour12: false }));
      refresh_detail();
    } catch (e) {
      if (on_error(e)) return;
    }
    state.timer = setTimeout(poll, POLL_MS);
  }

  function init() {
    $('actors').querySelector('thead').addEventListener('click', on_header_click);
    $('actor-rows').addEventListener('click', on_row_click);
    $('filter').addEventListener('input', (e) => { state.filter = e.target.value; render_table(); });
    $('trace-button').addEventListener('click', run_trace);
    $('login').addEventListener('submit', (e) => {
      e.preventDefault();
      const token = $('token').value.trim();
      if (!token) return;
      sessionStorage.setItem(TOKEN_KEY, token);
      $('token').value = '';
      start_with(token);
    });
    window.addEventListener('resize', draw_chart);
    take_token_from_fragment();
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) start_with(token);
    else show_login('');
  }

  init();
})();
