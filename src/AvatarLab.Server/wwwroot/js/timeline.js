// The session page's one timeline: the avatar video is the clock; the user's video and audio
// follow it; every chart shows the playhead, and a click (or a drag of the playhead line) on a
// chart seeks. The transport bar (play, pause, loop, speed, frame steps, slider) is wired here,
// in the browser, so that scrubbing never waits for the server.
// With options.views (the session page), this module also draws the charts: it loads plotly.js,
// fetches every figure at once (api/sessions/{id}/timeline/figures) and plots them, and it
// shows the playhead's block from block payloads (api/sessions/{id}/timeline/blocks/{n}), which
// it fetches directly, keeps, and prefetches around the playhead: a block change restyles the
// x, y and z of the block's three heatmaps and sets the readouts' text, with no Blazor render.
// Without it (the compare page), the charts are Plotly.Blazor's and the server hears about the
// frame at the playhead (latest wins, one call in flight).

const DRIFT_SECONDS = 0.08;
const PLAYING_UPDATE_MS = 100;
const URL_SETTLE_MS = 250;
// Preload: once the charts are drawn, every block's views for the attention selection come in
// chunks of PRELOAD_CHUNK (api/sessions/{id}/timeline/blocks?from=&count=), nearest the playhead
// first, one request at a time and only while no seek happened in the last PRELOAD_QUIET_MS, so
// that a random seek finds its block already in the browser. At most PRELOAD_MAX_BLOCKS around
// the playhead (12 kB of JSON a block with the reference model: 2 hours of 10-frame blocks would
// be 216 MB): a 10-minute session has 1,500 blocks.
const PRELOAD_CHUNK = 100;
const PRELOAD_MAX_BLOCKS = 3000;
const PRELOAD_QUIET_MS = 150;
// Block payloads kept per page: the preload's and 256 more (other selections, a longer session's far end).
const KEPT_BLOCKS = PRELOAD_MAX_BLOCKS + 256;
const BLOCK_CHARTS = { schedule: 'chart-block-schedule', self: 'chart-self-attention', cross: 'chart-cross-attention' };

let plotlyLoad = null;
// plotly.js once per page: the prerendered head preloaded it, so this is mostly its parse.
function loadPlotly(url) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  plotlyLoad ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    const define = window.define;
    window.define = undefined; // plotly.js would register as an AMD module instead of window.Plotly
    script.src = url;
    script.async = true;
    script.onload = () => { window.define = define; resolve(window.Plotly); };
    script.onerror = () => { window.define = define; plotlyLoad = null; reject(new Error(`plotly.js did not load from ${url}`)); };
    document.head.appendChild(script);
  });
  return plotlyLoad;
}

async function json(url) {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

const figureLoads = new Map(); // figures URL -> Promise<figures>, started by prefetch or attach
function figures(url) {
  const key = new URL(url, document.baseURI).href;
  let load = figureLoads.get(key);
  if (!load) {
    load = json(key);
    load.catch(() => figureLoads.delete(key));
    figureLoads.set(key, load);
    while (figureLoads.size > 4) figureLoads.delete(figureLoads.keys().next().value);
  }
  return load;
}

// Called by avatarlab-server.lib.module.js on a session page, before timeline.js attaches: the
// figures' request at page start, plotly.js once the circuit has started (either may be null).
export function prefetch(plotlyUrl, figuresUrl) {
  if (plotlyUrl) loadPlotly(plotlyUrl).catch(() => {});
  if (figuresUrl) figures(figuresUrl).catch(() => {});
}

// The top label of a block view's colour scale (ColorScale.razor's Format): whole numbers from 100 up, three significant digits below.
const scaleLabel = (v) => (Math.abs(v) >= 100 ? v.toFixed(0) : String(Number(v.toPrecision(3))));

// The largest value of a heatmap's z (null cells skipped): the block's zmax where its chart has no fixed one.
function zMax(z) {
  let max = -Infinity;
  for (const row of z) for (const v of row) if (v !== null && v > max) max = v;
  return Number.isFinite(max) ? max : null;
}

// A chart as PNG (ChartExport's PNG button): the block views' heatmaps are drawn with plotly.js'
// colour bar, which the page leaves to ColorScale (ChartKit.BlockHeatmap).
export function downloadPng(id, filename) {
  const div = document.getElementById(id);
  if (!div || !window.Plotly) return Promise.resolve(false);
  const hidden = (div.data || []).some((t) => t.type === 'heatmap' && t.showscale === false);
  const size = { width: div._fullLayout?.width, height: div._fullLayout?.height };
  const figure = hidden
    ? { data: div.data.map((t) => (t.type === 'heatmap' ? { ...t, showscale: true } : t)), layout: { ...div.layout, ...size } }
    : div;
  return window.Plotly.downloadImage(figure, { format: 'png', filename, scale: 2, ...size }).then(() => true);
}

export function attach(root, master, followers, dotnet, options) {
  followers = followers.filter((f) => f);
  const fps = options.fps;
  const frames = options.frames;
  const blockStarts = options.blockStarts; // first frame of each block, ascending
  const duration = frames / fps;
  const charts = new Map(); // id -> { axis }
  const views = options.views || null;
  const state = { frame: -1, block: -1, loop: false, sentFrame: -1, inFlight: false, pending: null, lastDraw: 0, seekAt: null, lastSeek: 0 };
  const perf = (window.__timeline = { attachedAt: performance.now(), chartsReadyAt: null, preloadedAt: null, plotted: {}, scrubs: [], scrubParts: [], blockParts: [], seekParts: [] });
  const el = (id) => root.querySelector(`[data-tl=${id}]`);
  const slider = el('slider');

  const blockOf = (frame) => {
    let lo = 0, hi = blockStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (blockStarts[mid] <= frame) lo = mid; else hi = mid - 1;
    }
    return lo;
  };
  // A millisecond of tolerance: media elements read back a time set on a frame boundary a hair early.
  const frameOf = (t) => Math.max(0, Math.min(frames - 1, Math.floor(t * fps + 1e-3)));
  const time = () => master.currentTime;

  const sync = (force) => {
    for (const f of followers) {
      if (Math.abs(f.currentTime - master.currentTime) > (force ? 0.001 : DRIFT_SECONDS) && master.currentTime <= (f.duration || Infinity)) {
        f.currentTime = master.currentTime;
      }
      f.playbackRate = master.playbackRate;
    }
  };

  // The playhead is an overlay on each chart, placed from the chart's own axis (l2p), so that
  // moving it never redraws a figure: Plotly.relayout of a shape costs 20-130 ms per chart.
  const overlay = (div, name, horizontal) => {
    let line = div.querySelector(`:scope > .tl-${name}`);
    if (!line) {
      line = document.createElement('div');
      line.className = `tl-overlay tl-${name}${horizontal ? ' tl-horizontal' : ''}`;
      div.appendChild(line);
    }
    return line;
  };
  const place = (id, c, frame, block) => {
    const div = document.getElementById(id);
    const full = div && div._fullLayout;
    if (!full || !full.xaxis) return;
    const xa = full.xaxis, ya = full.yaxis, size = full._size;
    const at = c.axis === 'time' ? frame / fps : c.axis === 'block' ? block : frame;
    const line = overlay(div, 'playhead', c.axis === 'queryFrame');
    if (c.axis === 'queryFrame') {
      const y = ya.l2p(frame) + size.t;
      line.style.cssText = `left:${size.l}px;width:${size.w}px;top:${y}px;display:${y >= size.t && y <= size.t + size.h ? 'block' : 'none'}`;
    } else {
      const x = xa.l2p(at) + size.l;
      line.style.cssText = `top:${size.t}px;height:${size.h}px;left:${x}px;display:${x >= size.l && x <= size.l + size.w ? 'block' : 'none'}`;
    }
    if (c.blockBand) {
      const start = blockStarts[block], end = block + 1 < blockStarts.length ? blockStarts[block + 1] : frames;
      const x0 = Math.max(size.l, xa.l2p(start / fps) + size.l), x1 = Math.min(size.l + size.w, xa.l2p(end / fps) + size.l);
      overlay(div, 'band', false).style.cssText = `top:${size.t}px;height:${size.h}px;left:${x0}px;width:${Math.max(1, x1 - x0)}px;display:${x1 > x0 ? 'block' : 'none'}`;
    }
  };
  const drawPlayhead = (frame) => {
    const block = blockOf(frame);
    for (const [id, c] of charts) place(id, c, frame, block);
  };

  const readout = (frame) => {
    const t = (frame / fps).toFixed(2);
    el('time').textContent = `t = ${(time()).toFixed(2)} s`;
    el('frame').textContent = `frame ${frame} · block ${blockOf(frame)}`;
    el('time').dataset.frame = frame;
    if (document.activeElement !== slider) slider.value = time();
    root.dataset.frame = frame;
    root.dataset.time = t;
  };

  const tellServer = (frame) => {
    if (views) { showBlock(frame); return; }
    if (state.inFlight) { state.pending = frame; return; }
    if (frame === state.sentFrame) return;
    state.inFlight = true;
    state.sentFrame = frame;
    // OnFrame completes once the server has drawn the views for the frame.
    dotnet.invokeMethodAsync('OnFrame', frame).then(() => shown(frame)).catch(() => {}).finally(() => {
      state.inFlight = false;
      if (state.pending !== null) { const next = state.pending; state.pending = null; tellServer(next); }
    });
  };

  // The views show this frame: how long the scrub took.
  // parts: where the time of the draw that ended the scrub went (showBlock's blockParts entry).
  const shown = (frame, parts) => {
    root.dataset.shownFrame = frame;
    if (state.seekAt && state.seekAt.frame === frame) {
      perf.scrubs.push(performance.now() - state.seekAt.at);
      perf.scrubParts.push(parts || null);
      state.seekAt = null;
    }
  };


  // ---- block views (options.views) ----
  const blocks = new Map(); // `${block}|${selection}` -> Promise<payload>, oldest first
  let selection = views && views.selection ? views.selection : {};
  const selectionKey = () => ['step', 'layer', 'head', 'branch'].map((k) => (selection[k] ?? '')).join(',');
  const selected = (address) => {
    const url = new URL(address, document.baseURI);
    for (const k of ['step', 'layer', 'head', 'branch']) if (selection[k] !== null && selection[k] !== undefined) url.searchParams.set(k, selection[k]);
    return url;
  };
  const blockUrl = (block) => selected(views.block.replace('{block}', block));
  const arrived = new Set(); // keys of blocks whose payload is in the browser
  const keep = (key, payload) => {
    blocks.set(key, payload);
    while (blocks.size > KEPT_BLOCKS) {
      const oldest = blocks.keys().next().value;
      blocks.delete(oldest);
      arrived.delete(oldest);
    }
  };
  const fetchBlock = (block) => {
    const key = `${block}|${selectionKey()}`;
    let payload = blocks.get(key);
    if (payload) { blocks.delete(key); blocks.set(key, payload); return payload; }
    payload = json(blockUrl(block));
    payload.then(() => { if (blocks.get(key) === payload) arrived.add(key); }, () => blocks.delete(key));
    keep(key, payload);
    return payload;
  };
  let preloadRun = 0;
  // Resolves once no seek happened for PRELOAD_QUIET_MS and no block is being drawn (or a draw has
  // lasted a second: something is wrong there, and the preload should not wait on it for good).
  const quiet = () => new Promise((resolve) => {
    const waitFrom = performance.now();
    const check = () => {
      const since = performance.now() - state.lastSeek;
      if (since >= PRELOAD_QUIET_MS && (!state.drawing || performance.now() - waitFrom > 1000)) resolve();
      else setTimeout(check, Math.max(16, PRELOAD_QUIET_MS - since));
    };
    check();
  });
  const preload = async () => {
    const run = ++preloadRun;
    const sel = selectionKey();
    const count = blockStarts.length;
    const chunks = Math.ceil(count / PRELOAD_CHUNK);
    const centre = Math.floor(blockOf(Math.max(0, state.frame)) / PRELOAD_CHUNK);
    const order = [centre];
    for (let d = 1; order.length < chunks; d++) {
      if (centre + d < chunks) order.push(centre + d);
      if (centre - d >= 0) order.push(centre - d);
    }
    let failed = 0;
    for (const chunk of order.slice(0, Math.ceil(PRELOAD_MAX_BLOCKS / PRELOAD_CHUNK))) {
      const from = chunk * PRELOAD_CHUNK, to = Math.min(count, from + PRELOAD_CHUNK);
      let missing = false;
      for (let b = from; b < to && !missing; b++) missing = !arrived.has(`${b}|${sel}`);
      if (!missing) continue;
      await quiet();
      if (run !== preloadRun) return;
      const url = selected(views.blocks);
      url.searchParams.set('from', from);
      url.searchParams.set('count', to - from);
      let payloads;
      try {
        payloads = await json(url);
      } catch (e) {
        // The blocks of a failed chunk are still fetched one by one when the playhead reaches them.
        console.error(`timeline: preload of blocks ${from}..${to - 1}: ${e.message}`);
        failed++;
        continue;
      }
      if (run !== preloadRun) return;
      for (const p of payloads) {
        const key = `${p.block}|${sel}`;
        if (arrived.has(key)) continue;
        keep(key, Promise.resolve(p));
        arrived.add(key);
      }
    }
    perf.preloadedAt = performance.now();
    if (failed === 0) root.dataset.blocksPreloaded = sel;
  };
  const texts = (name) => document.querySelectorAll(`[data-tl-text="${name}"]`);
  const setText = (name, text) => { for (const e of texts(name)) if (e.textContent !== text) e.textContent = text; };
  const setValues = (row, values) => {
    const tr = document.querySelector(`[data-tl-values="${row}"]`);
    if (!tr || !values) return;
    const cells = tr.querySelectorAll('td');
    values.forEach((v, i) => { const td = cells[i + 1]; if (td && td.textContent !== v) td.textContent = v; });
  };
  // The links of the block views' exports name the block (set here, and again at a click, since a Blazor render may rewrite them).
  const exportHref = (a, block) => {
    const url = new URL(a.getAttribute('href'), document.baseURI);
    url.searchParams.set('block', block);
    const href = url.pathname.replace(/^\//, '') + url.search;
    if (a.getAttribute('href') !== href) a.setAttribute('href', href);
  };
  const onExportClick = (e) => {
    const a = e.target.closest && e.target.closest('a[data-tl-export=block]');
    if (a && drawn.block >= 0) exportHref(a, drawn.block);
  };
  const drawn = { block: -1, key: null, frame: -1 };
  let drawing = Promise.resolve();
  let wanted = null;
  // Block views whose heatmap has a fixed zmax (the schedule's t = 1000); the others take the block's largest value.
  const fixedMax = new Map();
  // A block's heatmap as plotly.js restyles it, and its colour scale's top (ColorScale.razor).
  const heatUpdate = (id, heat) => {
    const update = { x: heat ? heat.x : [], y: heat ? heat.y : [], z: heat ? heat.z : [] };
    let max = fixedMax.get(id);
    if (max === undefined || max === null) {
      max = heat ? zMax(heat.z) : null;
      if (max !== null) update.zmax = max > 0 ? max : 1;
    }
    const label = document.querySelector(`[data-tl-scale="${id}"] [data-tl-scale-max]`);
    const text = max === null || max === undefined ? '–' : scaleLabel(max);
    if (label && label.textContent !== text) label.textContent = text;
    return update;
  };
  const restyle = (id, heat) => {
    const div = document.getElementById(id);
    if (!div || !div._fullLayout) return null;
    const update = heatUpdate(id, heat);
    return window.Plotly.restyle(div, Object.fromEntries(Object.entries(update).map(([k, v]) => [k, [v]])), [0]);
  };
  const drawBlock = async (payload, frame) => {
    const key = `${payload.block}|${selectionKey()}`;
    // Charts first, text after: plotly.js measures while it draws, so it should find nothing else changed.
    if (drawn.key !== key) {
      await Promise.all([restyle(BLOCK_CHARTS.schedule, payload.schedule), restyle(BLOCK_CHARTS.self, payload.self), restyle(BLOCK_CHARTS.cross, payload.cross)]);
      drawn.key = key;
      drawn.block = payload.block;
      setText('attention-title', `Block ${payload.block} attention`);
      setText('block-schedule-title', `Block ${payload.block}: its denoiser call, frame by pass`);
      for (const e of document.querySelectorAll('[data-tl-block-chart], [data-testid=frame-block]')) e.dataset.block = payload.block;
      for (const a of document.querySelectorAll('a[data-tl-export=block]')) exportHref(a, payload.block);
    }
    const readout = payload.frames.find((f) => f.frame === frame) || payload.frames[0];
    if (readout) {
      setText('frame-block', readout.block);
      setText('frame-schedule', readout.schedule);
      setText('attention-readout', readout.attention || '');
      setText('motion-frame', String(readout.frame));
      setValues('motion', readout.motion);
      setValues('user', readout.user);
    }
    drawn.frame = frame;
  };
  // Latest wins: a payload that arrives after the playhead moved on is kept but not drawn.
  const showBlock = (frame) => {
    if (perf.chartsReadyAt === null) return; // plotAll draws the first block; ready() shows the playhead's
    const block = blockOf(frame);
    const want = (wanted = { frame, key: `${block}|${selectionKey()}` });
    // A seek's payload time counts from the seek: the media's 'seeked' event asks again for the same frame.
    const asked = state.seekAt && state.seekAt.frame === frame ? state.seekAt.at : performance.now();
    const inBrowser = arrived.has(want.key) ? 1 : 0;
    fetchBlock(block).then((payload) => {
      const fetched = performance.now();
      drawing = drawing.then(async () => {
        if (wanted !== want) return;
        const start = performance.now();
        state.drawing = true;
        try { await drawBlock(payload, frame); } finally { state.drawing = false; }
        // Where a scrub's time went: [payload (from the seek), queued behind an earlier draw, drawing] in ms, and whether the payload was already in the browser (the benchmark prints them).
        const parts = [fetched - asked, start - fetched, performance.now() - start, inBrowser];
        perf.blockParts.push(parts);
        shown(frame, parts);
      });
      return drawing;
    }).then(() => {
      if (wanted !== want) return;
      // The neighbours, for frame steps, playing and short drags.
      for (const b of [block + 1, block - 1]) if (b >= 0 && b < blockStarts.length) fetchBlock(b).catch(() => {});
    }).catch((e) => console.error(`timeline: block ${block}: ${e.message}`));
  };

  // Every figure at once, plotted in page order; the block views get the first block's data.
  const plotAll = async () => {
    const first = blockOf(options.startSeconds !== null && options.startSeconds !== undefined
      ? frameOf(Math.max(0, Math.min(duration - 1e-3, options.startSeconds))) : 0);
    const [Plotly, doc, payload] = await Promise.all([loadPlotly(views.plotly), figures(views.figures), fetchBlock(first)]);
    const heats = { [BLOCK_CHARTS.schedule]: payload.schedule, [BLOCK_CHARTS.self]: payload.self, [BLOCK_CHARTS.cross]: payload.cross };
    for (const [id, figure] of Object.entries(doc.figures)) {
      const div = document.getElementById(id);
      if (!div) continue;
      if (id in heats) {
        fixedMax.set(id, figure.data[0].zmax ?? null);
        Object.assign(figure.data[0], heatUpdate(id, heats[id]));
      }
      await Plotly.newPlot(div, figure.data, figure.layout, doc.config);
      perf.plotted[id] = performance.now();
    }
    drawn.key = `${payload.block}|${selectionKey()}`;
    drawn.block = payload.block;
    setText('attention-title', `Block ${payload.block} attention`);
    setText('block-schedule-title', `Block ${payload.block}: its denoiser call, frame by pass`);
    for (const e of document.querySelectorAll('[data-tl-block-chart], [data-testid=frame-block]')) e.dataset.block = payload.block;
    for (const a of document.querySelectorAll('a[data-tl-export=block]')) exportHref(a, payload.block);
  };

  const show = (force) => {
    const frame = frameOf(time());
    const now = performance.now();
    if (!force && frame === state.frame) return;
    if (!force && !master.paused && now - state.lastDraw < PLAYING_UPDATE_MS) return;
    state.lastDraw = now;
    state.frame = frame;
    readout(frame);
    drawPlayhead(frame);
    tellServer(frame);
  };

  const seek = (seconds) => {
    const t = Math.max(0, Math.min(duration - 1e-3, seconds));
    const at = performance.now();
    state.lastSeek = at;
    state.seekAt = { at, frame: frameOf(t), block: blockOf(frameOf(t)) };
    master.currentTime = t;
    const sought = performance.now();
    show(true);
    // Where a seek's own time went: [setting the media's currentTime, the readout, playheads and block request] in ms.
    perf.seekParts.push([sought - at, performance.now() - sought]);
    if (master.paused) replaceUrlSoon();
  };
  // While the playhead is dragged or stepped, the address waits until it rests: each change makes
  // the browser ask for the favicon again and the charts' references follow it (rebase).
  let urlTimer = 0;
  const replaceUrlSoon = () => { clearTimeout(urlTimer); urlTimer = setTimeout(replaceUrl, URL_SETTLE_MS); };
  const replaceUrl = () => {
    clearTimeout(urlTimer);
    const url = new URL(window.location.href);
    url.searchParams.set('t', time().toFixed(2));
    const before = window.location.href.split('#')[0];
    history.replaceState(history.state, '', url);
    rebase(before, window.location.href.split('#')[0]);
  };
  // Where the page has a <base> (Blazor's), plotly.js names its clip paths and gradients by the
  // page's full address, url('<address>#id'). Once the address changes (?t=), those would point
  // at another document: the browser fetches it (the whole session page, rendered by the server
  // each time: 0.3-0.5 s of its CPU per seek) and the charts lose their clipping. So the charts
  // follow the address.
  const rebase = (before, after) => {
    if (before === after) return;
    const from = `url('${before}#`, to = `url('${after}#`;
    for (const div of document.querySelectorAll('.js-plotly-plot')) {
      if (div._context && div._context._baseUrl === before) div._context._baseUrl = after;
      for (const e of div.querySelectorAll('[clip-path], [style*="url("], [fill^="url("]')) {
        for (const name of ['clip-path', 'style', 'fill']) {
          const v = e.getAttribute(name);
          if (v && v.includes(from)) e.setAttribute(name, v.split(from).join(to));
        }
      }
    }
  };

  let raf = 0;
  const tick = () => { show(false); if (!master.paused) raf = requestAnimationFrame(tick); };
  const handlers = {
    play: () => { sync(true); followers.forEach((f) => f.play().catch(() => {})); el('play').textContent = 'Pause'; cancelAnimationFrame(raf); raf = requestAnimationFrame(tick); },
    pause: () => { followers.forEach((f) => f.pause()); sync(true); el('play').textContent = 'Play'; show(true); replaceUrl(); },
    seeked: () => { sync(true); show(true); },
    ratechange: () => sync(true),
    timeupdate: () => sync(false),
    ended: () => { if (state.loop) { master.currentTime = 0; master.play().catch(() => {}); } },
  };
  for (const [event, handler] of Object.entries(handlers)) master.addEventListener(event, handler);

  const controls = {
    play: () => (master.paused ? master.play().catch(() => {}) : master.pause()),
    back: () => { master.pause(); seek((frameOf(time()) - 1 + 0.5) / fps); },
    forward: () => { master.pause(); seek((frameOf(time()) + 1 + 0.5) / fps); },
    loop: () => { state.loop = !state.loop; el('loop').classList.toggle('tl-on', state.loop); el('loop').setAttribute('aria-pressed', state.loop); },
    copy: () => { replaceUrl(); navigator.clipboard?.writeText(window.location.href).catch(() => {}); },
  };
  const clicks = [];
  for (const [name, action] of Object.entries(controls)) {
    const button = el(name);
    if (!button) continue;
    button.addEventListener('click', action);
    clicks.push([button, action]);
  }
  const onSpeed = () => { master.playbackRate = Number(el('speed').value); };
  el('speed').addEventListener('change', onSpeed);
  slider.max = duration;
  slider.step = 1 / fps;
  const onSlide = () => seek(Number(slider.value));
  slider.addEventListener('input', onSlide);
  const onKey = (e) => {
    if (e.target.closest('input, select, textarea')) return;
    if (e.key === ',' ) { controls.back(); e.preventDefault(); }
    else if (e.key === '.') { controls.forward(); e.preventDefault(); }
  };
  document.addEventListener('keydown', onKey);

  // Charts: click seeks; dragging the playhead line scrubs.
  const register = (id, axis, blockBandOn) => {
    charts.set(id, { axis, blockBand: blockBandOn });
    const div = document.getElementById(id);
    if (!div || div.dataset.tlBound) return;
    div.dataset.tlBound = '1';
    const toSeconds = (x) => (axis === 'time' ? x : axis === 'block' ? blockStarts[Math.max(0, Math.min(blockStarts.length - 1, Math.round(x)))] / fps : (x + 0.5) / fps);
    const bind = () => {
      div.on('plotly_afterplot', () => { if (state.frame >= 0) place(id, charts.get(id), state.frame, blockOf(state.frame)); });
      div.on('plotly_click', (e) => {
        const p = e.points && e.points[0];
        if (!p) return;
        const v = axis === 'queryFrame' ? p.y : p.x;
        if (typeof v === 'number') seek(toSeconds(v));
      });
      div.addEventListener('mousedown', (e) => {
        const xa = div._fullLayout && div._fullLayout.xaxis;
        const line = div.querySelector(':scope > .tl-playhead');
        if (!xa || !line || axis === 'queryFrame') return;
        const box = div.querySelector('.nsewdrag')?.getBoundingClientRect();
        if (!box) return;
        if (Math.abs(e.clientX - line.getBoundingClientRect().left) > 6) return;
        e.stopPropagation();
        e.preventDefault();
        master.pause();
        const move = (m) => seek(toSeconds(xa.p2c(m.clientX - box.left)));
        const up = () => { window.removeEventListener('mousemove', move, true); window.removeEventListener('mouseup', up, true); };
        window.addEventListener('mousemove', move, true);
        window.addEventListener('mouseup', up, true);
      }, true);
    };
    if (div.on) bind(); else { const wait = setInterval(() => { if (div.on) { clearInterval(wait); bind(); } }, 50); }
  };
  const ready = () => {
    perf.chartsReadyAt = performance.now();
    root.dataset.chartsReady = 'true';
    show(true);
  };
  if (views) {
    document.addEventListener('click', onExportClick, true);
    plotAll().then(() => {
      for (const c of options.charts) register(c.id, c.axis, c.blockBand);
      ready();
      dotnet.invokeMethodAsync('OnChartsReady').catch(() => {});
      preload();
    }).catch((e) => { root.dataset.chartsError = e.message; console.error(`timeline: ${e.message}`); });
  } else {
    for (const c of options.charts) register(c.id, c.axis, c.blockBand);
    const whenPlotted = () => {
      for (const c of options.charts) {
        const d = document.getElementById(c.id);
        if (d && d._fullLayout && !(c.id in perf.plotted)) perf.plotted[c.id] = performance.now();
      }
      if (options.charts.every((c) => c.id in perf.plotted)) ready();
      else setTimeout(whenPlotted, 20);
    };
    whenPlotted();
  }

  if (options.startSeconds !== null && options.startSeconds !== undefined) {
    const start = () => seek(options.startSeconds);
    if (master.readyState >= 1) start(); else master.addEventListener('loadedmetadata', start, { once: true });
  }

  return {
    seek,
    register,
    // The attention selectors changed (AttentionCharts): the block's matrices and readout are fetched for the new selection.
    selectAttention: (next) => {
      selection = next || {};
      drawn.key = null;
      if (state.frame >= 0) showBlock(state.frame);
      if (perf.chartsReadyAt !== null) preload();
    },
    setMuted: (element, muted) => { if (element) element.muted = muted; },
    dispose: () => {
      cancelAnimationFrame(raf);
      clearTimeout(urlTimer);
      for (const [event, handler] of Object.entries(handlers)) master.removeEventListener(event, handler);
      for (const [button, action] of clicks) button.removeEventListener('click', action);
      el('speed')?.removeEventListener('change', onSpeed);
      slider.removeEventListener('input', onSlide);
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('click', onExportClick, true);
      wanted = null;
      preloadRun++;
    },
  };
}
