// Blazor's JS initializer for the app (loaded by blazor.web.js on every full page load).
// On a session page whose head names its charts' resources (SessionPage's preload links), it
// starts fetching the figures right away and runs plotly.js once the circuit has started, while
// the server renders the page, so that timeline.js finds both ready when it attaches. Not
// earlier: running plotly.js (0.3 s of main thread on a first visit) before the circuit's
// connection opens would hold the connection back by as much (bench/README.md: the timeline at scale).
const link = (name) => document.querySelector(`link[rel=preload][data-tl-${name}]`);
let timeline = null;

export function beforeWebStart() {
  const plotly = link('plotly');
  const figures = link('figures');
  if (!plotly || !figures) return;
  timeline = import('./js/timeline.js');
  timeline.then((m) => m.prefetch(null, figures.getAttribute('href'))).catch(() => {});
}

export function afterServerStarted() {
  const plotly = link('plotly');
  if (!timeline || !plotly) return;
  timeline.then((m) => m.prefetch(plotly.getAttribute('href'), null)).catch(() => {});
}
