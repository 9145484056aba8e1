// Blazor's JS initializer for the app (loaded by blazor.web.js on every full page load).
// On a session page whose head names its charts' resources (SessionPage's preload links), it
// starts parsing plotly.js and fetching the figures right away, while the circuit starts, so
// that timeline.js finds both ready when it attaches (bench/README.md: the timeline at scale).
export function beforeWebStart() {
  const plotly = document.querySelector('link[rel=preload][data-tl-plotly]');
  const figures = document.querySelector('link[rel=preload][data-tl-figures]');
  if (!plotly || !figures) return;
  import('./js/timeline.js').then((m) => m.prefetch(plotly.getAttribute('href'), figures.getAttribute('href'))).catch(() => {});
}
