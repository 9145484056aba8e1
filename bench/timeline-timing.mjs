// Opens a session page in Chromium and measures (a) open -> every timeline chart plotted and
// interactive (chartsReadyAt: every figure plotted, the block views with the first block, the
// playhead bound), three ways: by its address in a new browser profile on a freshly started
// server (cold, once), by its address again (warm: the browser's cache and the server warm;
// OPENS times), and from the sessions list by a click, as a researcher opens it (in the app:
// OPENS times, each on a freshly loaded list, so plotly.js is loaded into the page by the open,
// then again from the same page after going back); and (b) scrub -> the block views (schedule
// of the block, attention) drawn for the new frame, over random seeks. Reads window.__timeline
// (timeline.js). Used by bench/timeline-timing.sh, which starts the server and makes the session.
//   node bench/timeline-timing.mjs BASE_URL SESSION_ID EMAIL PASSWORD SCRUBS [OPENS]
import { createRequire } from 'node:module';

const require = createRequire(new URL('../tests/facetrack/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const [base, session, email, password, scrubArg] = process.argv.slice(2);
const scrubs = Number(scrubArg || 30);
const opens = Number(process.argv[7] || 5);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--js-flags=--expose-gc'] });
const context = await browser.newContext({ baseURL: base, viewport: { width: 1400, height: 1000 } });
// Set once the circuit has replaced the prerendered layout (as the browser tests' probe): a click before that would load the page anew.
await context.addInitScript(() => {
  let prerendered = null;
  new MutationObserver((_, observer) => {
    const layout = document.querySelector('.mud-layout');
    prerendered ??= layout;
    if (prerendered && !prerendered.isConnected && layout) { window.__interactive = true; observer.disconnect(); }
  }).observe(document, { childList: true, subtree: true });
});
const page = await context.newPage();
page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
page.on('console', (m) => { if (m.type() === 'error') console.error(`console: ${m.text()}`); });
await page.goto('/account/login');
await page.fill('#email', email);
await page.fill('#password', password);
await page.click('[data-testid=sign-in]');
await page.waitForURL((url) => new URL(url).pathname === '/');

async function open() {
  await page.goto(`/sessions/${session}`);
  await page.waitForFunction(() => window.__timeline && window.__timeline.chartsReadyAt !== null, null, { timeout: 120000 });
  const t = await page.evaluate(() => window.__timeline);
  console.error(`opened: circuit attached at ${t.attachedAt.toFixed(0)} ms, charts plotted at ${JSON.stringify(Object.fromEntries(Object.entries(t.plotted).map(([k, v]) => [k, Math.round(v)])))}`);
  return t.chartsReadyAt;
}

// Each visit's background work (its measures, if not saved yet; every block's views) is done
// before the next: an open measures a later visit, not one that shares the machine with the last.
const settle = () => page.waitForFunction(() => !document.querySelector('[data-testid=measures-computing]') && window.__timeline.preloadedAt !== null, null, { timeout: 120000 });

// From the sessions list, as a researcher opens a session: click -> every chart plotted (the same page: no load).
async function openFromList(again) {
  if (again) await page.goBack(); else await page.goto('/sessions');
  await page.waitForFunction(() => window.__interactive === true, null, { timeout: 60000 });
  const link = page.locator(`a[href$="sessions/${session}"]`).first();
  await link.waitFor();
  const clicked = await page.evaluate(() => performance.now());
  await link.click();
  await page.waitForFunction((t) => window.__timeline && window.__timeline.attachedAt > t && window.__timeline.chartsReadyAt !== null, clicked, { timeout: 120000 });
  const t = await page.evaluate(() => window.__timeline);
  console.error(`opened from the list${again ? ' again' : ''}: circuit rendered it ${(t.attachedAt - clicked).toFixed(0)} ms after the click, charts ready after ${(t.chartsReadyAt - clicked).toFixed(0)} ms`);
  return t.chartsReadyAt - clicked;
}

const cold = await open();
await settle();
console.error(`first visit: measures shown and every block's views in by ${(await page.evaluate(() => performance.now()) / 1000).toFixed(2)} s`);
const warmOpens = [];
const appOpens = [];
const appOpensAgain = [];
for (let i = 0; i < opens; i++) {
  warmOpens.push(await open());
  await settle();
  appOpens.push(await openFromList(false));
  await settle();
  appOpensAgain.push(await openFromList(true));
  await settle();
}
// The scrubs: on a page opened by its address, as the warm opens.
const warm = await open();
// The preload (timeline.js): every block's views in the browser, fetched in chunks once the charts are drawn.
await page.waitForFunction(() => window.__timeline.preloadedAt !== null, null, { timeout: 120000 });
const preloaded = await page.evaluate(() => window.__timeline.preloadedAt);
// Chromium's performance.memory: the page's JavaScript heap with every block's views in it, after a
// full collection (the earlier pages of this tab leave garbage in the same heap).
const heapMb = await page.evaluate(() => { window.gc?.(); return performance.memory ? performance.memory.usedJSHeapSize / 1048576 : NaN; });
console.error(`every block's views in the browser ${(preloaded / 1000).toFixed(2)} s after navigation (${((preloaded - warm) / 1000).toFixed(2)} s after the charts); JavaScript heap then ${heapMb.toFixed(0)} MB`);
const frames = Number(await page.locator('[data-tl=slider]').getAttribute('max')) * 25;
const times = [];
const scrubParts = [];
let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
for (let i = 0; i < scrubs; i++) {
  const t = Math.floor(random() * (frames - 1)) / 25;
  const before = await page.evaluate(() => window.__timeline.scrubs.length);
  // As a drag of the slider does: set its value, fire 'input'.
  await page.locator('[data-tl=slider]').evaluate((el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }, t);
  try {
    await page.waitForFunction((n) => window.__timeline.scrubs.length > n, before, { timeout: 10000 });
  } catch (e) {
    const seen = await page.evaluate(() => ({ ...document.querySelector('[data-testid=timeline]').dataset }));
    console.error(`seek ${i} to ${t} s: no redraw within 10 s; timeline state ${JSON.stringify(seen)}`);
    throw e;
  }
  const [ms, part] = await page.evaluate(() => [window.__timeline.scrubs.at(-1), window.__timeline.scrubParts.at(-1)]);
  times.push(ms);
  scrubParts.push(part);
}
{
  const at = (i, q) => { const v = scrubParts.map((p) => p[i]).sort((a, b) => a - b); return Math.round(v[Math.min(v.length - 1, Math.floor(q * v.length))]); };
  const hits = scrubParts.filter((p) => p[3] === 1).length;
  console.error(`scrubs whose block was already in the browser: ${hits} of ${scrubParts.length}`);
  console.error(`the draw that ended each scrub: payload p50 ${at(0, 0.5)} / p95 ${at(0, 0.95)} ms, queued p50 ${at(1, 0.5)} / p95 ${at(1, 0.95)} ms, drawing p50 ${at(2, 0.5)} / p95 ${at(2, 0.95)} ms`);
}
// Where the scrubs' time went (timeline.js: the block payload's request, waiting behind an earlier draw, the drawing).
const parts = await page.evaluate(() => window.__timeline.blockParts || []);
if (parts.length) {
  const median = (i) => { const v = parts.map((p) => p[i]).sort((a, b) => a - b); return Math.round(v[v.length >> 1]); };
  console.error(`block views: median ${median(0)} ms for the payload, ${median(1)} ms queued, ${median(2)} ms drawing (${parts.length} draws)`);
}
const seeks = await page.evaluate(() => window.__timeline.seekParts || []);
if (seeks.length) {
  const median = (i) => { const v = seeks.map((p) => p[i]).sort((a, b) => a - b); return Math.round(v[v.length >> 1]); };
  console.error(`seeks: median ${median(0)} ms setting the media's time, ${median(1)} ms readout, playheads and block request (${seeks.length} seeks)`);
}
await browser.close();
console.log(JSON.stringify({ coldOpenMs: cold, warmOpenMs: warmOpens, appOpenMs: appOpens, appOpenAgainMs: appOpensAgain, preloadedMs: preloaded, scrubMs: times }));
