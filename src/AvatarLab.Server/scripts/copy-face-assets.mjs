#!/usr/bin/env node
// Copies the browser face-tracking assets from node_modules into wwwroot/lib/human/, so that the
// app serves them itself (never a CDN). wwwroot/lib/human/ is generated: not in git. Run after
// `npm ci` in src/AvatarLab.Server:
//
//   node scripts/copy-face-assets.mjs        (or: npm run copy-face-assets)
//
// What is copied (nothing else; the destination folder is emptied first):
//   @vladmandic/human/dist/human.esm.js        -> human.esm.js   the ESM browser build (tfjs inside)
//   @vladmandic/human/models/<m>.json|.bin     -> models/        only the models that
//        wwwroot/js/facetrack/facetrack.js enables (its MODELS): blazeface (face detector),
//        facemesh (468 landmarks), iris (iris and eyelid points, 478 in all)
//   @tensorflow/tfjs-backend-wasm/dist/*.wasm  -> wasm/          the kernels of tfjs' wasm backend
//        (plain, SIMD, threaded SIMD), which human would otherwise fetch from a CDN; the version
//        must be the tfjs version bundled in human (checked here)
//   @vladmandic/human/LICENSE                  -> LICENSE.human  (tfjs-backend-wasm: Apache-2.0)
// Uses node only (no dependencies). Exits 1 with a message when node_modules is missing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nodeModules = path.join(serverDir, 'node_modules');
const dest = path.join(serverDir, 'wwwroot', 'lib', 'human');
const human = path.join(nodeModules, '@vladmandic', 'human');
const wasm = path.join(nodeModules, '@tensorflow', 'tfjs-backend-wasm');

/** Keep in sync with MODELS in wwwroot/js/facetrack/facetrack.js (a test checks it). */
export const MODELS = ['blazeface', 'facemesh', 'iris'];
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

function fail(message) {
  console.error(`copy-face-assets: ${message}`);
  process.exit(1);
}

if (!fs.existsSync(nodeModules)) fail(`${nodeModules} is missing: run 'npm ci' in ${serverDir} first`);
for (const pkg of [human, wasm]) {
  if (!fs.existsSync(path.join(pkg, 'package.json'))) {
    fail(`${path.relative(serverDir, pkg)} is missing: run 'npm ci' in ${serverDir} first`);
  }
}

const version = (pkg) => JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).version;
// dist/tfjs.version.js: var e="4.22.0";... with e the tfjs-core version human was built with
const bundled = /"tfjs-core":\s*(\w+)|tfjs-core":(\w+)/.exec(fs.readFileSync(path.join(human, 'dist', 'tfjs.version.js'), 'utf8'));
const bundledVar = bundled?.[1] ?? bundled?.[2];
const tfjsVersion = bundledVar
  && new RegExp(`var ${bundledVar}="([^"]+)"`).exec(fs.readFileSync(path.join(human, 'dist', 'tfjs.version.js'), 'utf8'))?.[1];
if (!tfjsVersion) fail('cannot read the tfjs version human bundles (dist/tfjs.version.js changed?)');
if (tfjsVersion !== version(wasm)) {
  fail(`human ${version(human)} bundles tfjs ${tfjsVersion} but @tensorflow/tfjs-backend-wasm is ${version(wasm)}: pin ${tfjsVersion} in package.json`);
}

const copies = [
  [path.join(human, 'dist', 'human.esm.js'), 'human.esm.js'],
  ...MODELS.flatMap((m) => ['json', 'bin'].map((ext) => [path.join(human, 'models', `${m}.${ext}`), `models/${m}.${ext}`])),
  ...WASM_FILES.map((f) => [path.join(wasm, 'dist', f), `wasm/${f}`]),
  [path.join(human, 'LICENSE'), 'LICENSE.human'],
];
for (const [from] of copies) {
  if (!fs.existsSync(from)) fail(`${path.relative(serverDir, from)} is missing (package layout changed?)`);
}

fs.rmSync(dest, { recursive: true, force: true });
let total = 0;
for (const [from, to] of copies) {
  const target = path.join(dest, to);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(from, target);
  const size = fs.statSync(target).size;
  total += size;
  console.log(`  ${to.padEnd(44)} ${(size / 1024).toFixed(0).padStart(6)} KiB`);
}
console.log(`copy-face-assets: @vladmandic/human ${version(human)} (tfjs ${tfjsVersion}), @tensorflow/tfjs-backend-wasm ${version(wasm)}: `
  + `${copies.length} files, ${(total / 1048576).toFixed(2)} MiB -> ${path.relative(process.cwd(), dest) || '.'}`);
