#!/usr/bin/env node
// Copies the session page's plotly.js bundle from node_modules into wwwroot/lib/plotly/, so that
// the app serves it itself (never a CDN). wwwroot/lib/plotly/ is generated: not in git. Run after
// `npm ci` in src/AvatarLab.Server (scripts/setup-web.sh does both):
//
//   node scripts/copy-chart-assets.mjs        (or: npm run copy-chart-assets)
//
// What is copied (nothing else; the destination folder is emptied first):
//   plotly.js-cartesian-dist-min/plotly-cartesian.min.js -> plotly-cartesian.min.js
//        plotly.js' cartesian bundle (scatter, bar, histogram, heatmap, ...: every trace the
//        session page draws), a third of the full bundle Plotly.Blazor ships: a first visit's
//        browser runs it in about 0.45 s instead of 0.95 s (bench/README.md, the timeline at scale)
//   plotly.js-cartesian-dist-min/LICENSE                 -> LICENSE.plotly
// Its version must be the plotly.js version of Plotly.Blazor's bundle (the compare page's charts
// use that one), so that every page of the app draws with the same plotly.js (checked here).
// Uses node only (no dependencies). Exits 1 with a message when node_modules is missing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = path.join(serverDir, 'node_modules', 'plotly.js-cartesian-dist-min');
const dest = path.join(serverDir, 'wwwroot', 'lib', 'plotly');

function fail(message) {
  console.error(`copy-chart-assets: ${message}`);
  process.exit(1);
}

if (!fs.existsSync(path.join(pkg, 'package.json'))) fail(`${path.relative(serverDir, pkg)} is missing: run 'npm ci' in ${serverDir} first`);
const version = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).version;
// Plotly.Blazor's bundle is named by its plotly.js version (SessionPage.razor's FullPlotlyUrl).
const page = fs.readFileSync(path.join(serverDir, 'Components', 'Pages', 'SessionPage.razor'), 'utf8');
const blazorVersion = /plotly-(\d+\.\d+\.\d+)\.min\.js/.exec(page)?.[1];
if (!blazorVersion) fail('cannot find the plotly.js version of Plotly.Blazor\'s bundle in Components/Pages/SessionPage.razor');
if (blazorVersion !== version) fail(`plotly.js-cartesian-dist-min is ${version} but Plotly.Blazor's plotly.js is ${blazorVersion}: pin ${blazorVersion} in package.json`);

const copies = [
  [path.join(pkg, 'plotly-cartesian.min.js'), 'plotly-cartesian.min.js'],
  [path.join(pkg, 'LICENSE'), 'LICENSE.plotly'],
];
for (const [from] of copies) {
  if (!fs.existsSync(from)) fail(`${path.relative(serverDir, from)} is missing (package layout changed?)`);
}
fs.rmSync(dest, { recursive: true, force: true });
fs.mkdirSync(dest, { recursive: true });
let total = 0;
for (const [from, to] of copies) {
  fs.copyFileSync(from, path.join(dest, to));
  total += fs.statSync(path.join(dest, to)).size;
}
console.log(`copy-chart-assets: plotly.js-cartesian-dist-min ${version}: ${copies.length} files, ${(total / 1048576).toFixed(2)} MiB -> ${path.relative(process.cwd(), dest) || '.'}`);
