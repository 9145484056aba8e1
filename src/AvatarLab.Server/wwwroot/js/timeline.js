// The session page's one timeline: the avatar video is the clock; the user's video and audio
// follow it; every chart shows the playhead, and a click (or a drag of the playhead line) on a
// chart seeks. The transport bar (play, pause, loop, speed, frame steps, slider) is wired here,
// in the browser, so that scrubbing never waits for the server. The server hears about the
// frame at the playhead (latest wins, one call in flight) and updates the views that depend on
// the block: it never re-sends whole figures per frame.

const DRIFT_SECONDS = 0.08;
const PLAYING_UPDATE_MS = 100;

export function attach(root, master, followers, dotnet, options) {
  followers = followers.filter((f) => f);
  const fps = options.fps;
  const frames = options.frames;
  const blockStarts = options.blockStarts; // first frame of each block, ascending
  const duration = frames / fps;
  const charts = new Map(); // id -> { axis }
  const state = { frame: -1, block: -1, loop: false, sentFrame: -1, inFlight: false, pending: null, lastDraw: 0, seekAt: null };
  const perf = (window.__timeline = { attachedAt: performance.now(), chartsReadyAt: null, plotted: {}, scrubs: [] });
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
  const shown = (frame) => {
    root.dataset.shownFrame = frame;
    if (state.seekAt && state.seekAt.frame === frame) {
      perf.scrubs.push(performance.now() - state.seekAt.at);
      state.seekAt = null;
    }
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
    state.seekAt = { at: performance.now(), frame: frameOf(t), block: blockOf(frameOf(t)) };
    master.currentTime = t;
    show(true);
    if (master.paused) replaceUrl();
  };
  const replaceUrl = () => {
    const url = new URL(window.location.href);
    url.searchParams.set('t', time().toFixed(2));
    history.replaceState(history.state, '', url);
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
  for (const c of options.charts) register(c.id, c.axis, c.blockBand);

  const whenPlotted = () => {
    for (const c of options.charts) {
      const d = document.getElementById(c.id);
      if (d && d._fullLayout && !(c.id in perf.plotted)) perf.plotted[c.id] = performance.now();
    }
    const ready = options.charts.every((c) => c.id in perf.plotted);
    if (ready) { perf.chartsReadyAt = performance.now(); root.dataset.chartsReady = 'true'; show(true); }
    else setTimeout(whenPlotted, 20);
  };
  whenPlotted();

  if (options.startSeconds !== null && options.startSeconds !== undefined) {
    const start = () => seek(options.startSeconds);
    if (master.readyState >= 1) start(); else master.addEventListener('loadedmetadata', start, { once: true });
  }

  return {
    seek,
    register,
    setMuted: (element, muted) => { if (element) element.muted = muted; },
    download: (id, name) => { const div = document.getElementById(id); if (div && window.Plotly) window.Plotly.downloadImage(div, { format: 'png', filename: name, scale: 2 }); },
    dispose: () => {
      cancelAnimationFrame(raf);
      for (const [event, handler] of Object.entries(handlers)) master.removeEventListener(event, handler);
      for (const [button, action] of clicks) button.removeEventListener('click', action);
      el('speed')?.removeEventListener('change', onSpeed);
      slider.removeEventListener('input', onSlide);
      document.removeEventListener('keydown', onKey);
    },
  };
}
