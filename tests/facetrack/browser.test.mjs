// Browser test of wwwroot/js/facetrack/facetrack.js in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core): serves src/AvatarLab.Server/wwwroot (with
// lib/human/ from copy-face-assets.mjs) and tests/facetrack/page from a node static server on
// 127.0.0.1, and tracks test videos made with ffmpeg from real face photographs shipped in
// @vladmandic/human's tarball (videos.mjs). run.sh installs everything first.
// Run: node --test tests/facetrack/browser.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, WWWROOT } from './server.mjs';
import { makeFaceVideo, makeTestsrcVideo, makeLiveWebm, makeGallery, assetsPresent, SEGMENTS, FACE_VIDEO_FRAMES, ROLL_AMPLITUDE, GALLERY_SIZE } from './videos.mjs';
import { CHANNELS, RANGES } from '../../src/AvatarLab.Server/wwwroot/js/facetrack/facetrack.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ch = (name) => CHANNELS.indexOf(name);
const range = ([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
const correlation = (a, b) => {
  const ma = mean(a);
  const mb = mean(b);
  const cov = a.reduce((s, x, i) => s + (x - ma) * (b[i] - mb), 0);
  return cov / Math.sqrt(a.reduce((s, x) => s + (x - ma) ** 2, 0) * b.reduce((s, y) => s + (y - mb) ** 2, 0));
};
const last = (n, [a, b]) => [Math.max(a, b - n + 1), b];

let dir;
let server;
let browser;
let page;
let init;
const requests = [];
const failures = [];
let faceRun;
let gallery;

before(async () => {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing (apt-get install chromium; run.sh does it)`);
  assert.ok(fs.existsSync(path.join(WWWROOT, 'lib', 'human', 'human.esm.js')),
    'wwwroot/lib/human is missing: run node src/AvatarLab.Server/scripts/copy-face-assets.mjs');
  assert.ok(assetsPresent(), 'the face pictures of @vladmandic/human are missing: npm ci in src/AvatarLab.Server');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facetrack-'));
  makeFaceVideo(dir);
  makeTestsrcVideo(dir);
  makeLiveWebm(dir);
  gallery = makeGallery(dir);
  server = await startServer({ mediaDir: dir });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  page = await browser.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) failures.push(`${r.status()} ${r.url()}`); });
  page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
  await page.goto(`${server.url}/test/`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 60_000 });
  init = await page.evaluate(() => window.initTracker());
}, { timeout: 180_000 });

after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const trackFaces = () => {
  faceRun ??= page.evaluate(() => window.trackUrl('/media/faces.webm'));
  return faceRun;
};

test('Human loads from the app\'s own /lib/human/ with the wasm backend (nothing from elsewhere)', async (t) => {
  assert.equal(init.backend, 'wasm', `backend ${init.backend} (errors: ${init.errors.join('; ')})`);
  t.diagnostic(`tracker loaded in ${init.loadSeconds.toFixed(2)} s, backend ${init.backend}`);
  await trackFaces();
  const outside = requests.filter((u) => !u.startsWith(server.url) && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(outside, [], 'every request goes to the test server');
  assert.ok(requests.some((u) => u.endsWith('/lib/human/models/facemesh.json')));
  assert.ok(requests.some((u) => u.endsWith('/lib/human/wasm/tfjs-backend-wasm-simd.wasm')));
  assert.deepEqual(failures, []);
});

test('face video: 125 frames at 25 fps, the right frame drawn at every step, progress to 1', { timeout: 300_000 }, async (t) => {
  const run = await trackFaces();
  assert.ok(run.ok, run.message);
  const r = run.result;
  assert.equal(r.frames, FACE_VIDEO_FRAMES);
  assert.equal(r.fps, 25);
  assert.equal(r.rows.length, FACE_VIDEO_FRAMES);
  assert.ok(Math.abs(r.durationSeconds - 5) < 0.05, `duration ${r.durationSeconds}`);
  // every frame carries its index in a binary strip: seeking drew exactly frame f at step f
  assert.deepEqual(run.indices, range([0, FACE_VIDEO_FRAMES - 1]));
  assert.equal(run.progress.length, FACE_VIDEO_FRAMES + 1);
  assert.equal(run.progress[0], 0);
  assert.equal(run.progress.at(-1), 1);
  assert.ok(run.progress.every((p, i) => i === 0 || p >= run.progress[i - 1]), 'progress never goes back');
  t.diagnostic(`tracking speed: ${r.trackingFps.toFixed(1)} frames/s (480x360, ${r.backend})`);
});

test('face video: most face frames find a face; gaps are held (<= 0.5 s) or zeros, and marked', async () => {
  const { result: r } = await trackFaces();
  for (const name of ['rotating', 'smiling', 'turned', 'turnedMirrored', 'still']) {
    const frames = range(SEGMENTS[name]);
    const tracked = frames.filter((f) => r.states[f] === 'tracked').length;
    assert.ok(tracked >= 0.85 * frames.length, `${name}: a face in ${tracked} of ${frames.length} frames`);
  }
  const before = SEGMENTS.shortGap[0] - 1;
  assert.equal(r.states[before], 'tracked');
  for (const f of range(SEGMENTS.shortGap)) {
    assert.equal(r.states[f], 'held', `frame ${f}`);
    assert.deepEqual(r.rows[f], r.rows[before], `frame ${f} holds frame ${before}`);
  }
  for (const f of range(SEGMENTS.longGap)) {
    assert.equal(r.states[f], 'dropped', `frame ${f}`);
    assert.deepEqual(r.rows[f], Array(12).fill(0));
  }
  assert.equal(r.missing, r.states.filter((s) => s !== 'tracked').length);
});

test('face video: head_roll follows the on-screen rotation (clockwise is negative)', async () => {
  const { result: r } = await trackFaces();
  const frames = range(SEGMENTS.rotating).filter((f) => r.states[f] === 'tracked');
  const roll = frames.map((f) => r.rows[f][ch('head_roll')]);
  const applied = frames.map((f) => ROLL_AMPLITUDE * Math.sin(Math.PI * (f / 25))); // clockwise
  const corr = correlation(roll, applied);
  assert.ok(corr < -0.9, `correlation of head_roll with the clockwise rotation: ${corr.toFixed(3)}`);
  const at = (a, b) => mean(range([a, b]).map((f) => r.rows[f][ch('head_roll')]));
  assert.ok(at(10, 15) < -0.15, `turned clockwise by 0.3 rad: head_roll ${at(10, 15)}`);
  assert.ok(at(35, 40) > 0.15, `turned counter-clockwise by 0.3 rad: head_roll ${at(35, 40)}`);
});

test('face video: head_yaw sign (a face turned to the viewer\'s left < 0, its mirror image > 0)', async () => {
  const { result: r } = await trackFaces();
  const yaw = (seg) => mean(range(last(6, SEGMENTS[seg])).map((f) => r.rows[f][ch('head_yaw')]));
  assert.ok(yaw('turned') < -0.15, `turned toward the viewer's left: head_yaw ${yaw('turned')}`);
  assert.ok(yaw('turnedMirrored') > 0.15, `mirrored: head_yaw ${yaw('turnedMirrored')}`);
  assert.ok(Math.abs(yaw('still')) < 0.15, `the upright webcam face: head_yaw ${yaw('still')}`);
});

test('real faces: head_yaw and head_pitch signs agree with where the nose tip is', { timeout: 300_000 }, async (t) => {
  await trackFaces();
  const faces = [];
  for (const name of gallery) faces.push(await page.evaluate((u) => window.detectImage(u), `/media/${name}`));
  const found = faces.filter(Boolean);
  assert.ok(found.length >= GALLERY_SIZE - 2, `a face in ${found.length} of ${GALLERY_SIZE} pictures`);
  const yawCorr = correlation(found.map((f) => f.row[ch('head_yaw')]), found.map((f) => f.noseX));
  const pitchCorr = correlation(found.map((f) => f.row[ch('head_pitch')]), found.map((f) => f.noseY));
  t.diagnostic(`${found.length} faces: corr(head_yaw, nose right) ${yawCorr.toFixed(3)}, corr(head_pitch, nose down) ${pitchCorr.toFixed(3)}`);
  assert.ok(yawCorr > 0.8, `head_yaw > 0 is a face turned to the viewer's right: correlation ${yawCorr}`);
  assert.ok(pitchCorr < -0.6, `head_pitch > 0 is chin up (nose tip higher): correlation ${pitchCorr}`);
});

test('face video: the smiling face smiles and opens its mouth more than the neutral one', async () => {
  const { result: r } = await trackFaces();
  const avg = (seg, name) => mean(range(last(6, SEGMENTS[seg])).map((f) => r.rows[f][ch(name)]));
  assert.ok(avg('smiling', 'mouth_smile') > 0.4, `smile ${avg('smiling', 'mouth_smile')}`);
  assert.ok(avg('smiling', 'mouth_smile') > avg('still', 'mouth_smile') + 0.4,
    `smile ${avg('smiling', 'mouth_smile')} vs neutral ${avg('still', 'mouth_smile')}`);
  assert.ok(avg('smiling', 'jaw_open') > avg('still', 'jaw_open') + 0.05,
    `jaw_open ${avg('smiling', 'jaw_open')} vs neutral ${avg('still', 'jaw_open')}`);
  for (const name of ['blink_left', 'blink_right']) assert.ok(avg('still', name) < 0.3, `${name} of open eyes`);
});

test('face video: every value is finite and in range; the CSV is the server\'s format', async () => {
  const { result: r } = await trackFaces();
  for (const row of r.rows) {
    assert.equal(row.length, 12);
    row.forEach((v, i) => assert.ok(Number.isFinite(v) && v >= RANGES[i][0] && v <= RANGES[i][1], `${CHANNELS[i]} = ${v}`));
  }
  const lines = r.csv.trimEnd().split('\n');
  assert.equal(lines[0], `frame,time,${CHANNELS.join(',')},face`);
  assert.equal(lines.length, FACE_VIDEO_FRAMES + 1);
  lines.slice(1).forEach((line, f) => {
    const cells = line.split(',');
    assert.equal(cells.length, 15);
    assert.equal(cells[0], String(f));
    assert.equal(cells[1], (f / 25).toFixed(2));
    assert.equal(cells[14], r.states[f]);
    cells.slice(2, 14).forEach((c, i) => assert.ok(Math.abs(Number(c) - r.rows[f][i]) <= 5e-6, `line ${f + 2} ${CHANNELS[i]}`));
  });
});

test('abort: an aborted upload rejects with AbortError and stops', { timeout: 300_000 }, async () => {
  await trackFaces();
  const run = await page.evaluate(() => window.trackUrl('/media/faces.webm', { abortAt: 0.2 }));
  assert.equal(run.ok, false);
  assert.equal(run.name, 'AbortError', run.message);
  assert.ok(Math.max(...run.progress) < 0.3, `stopped at ${Math.max(...run.progress)}`);
});

test('no face (ffmpeg testsrc, H.264 MP4, 2 s): 50 dropped frames of zeros, progress to 1', { timeout: 300_000 }, async () => {
  await trackFaces();
  const run = await page.evaluate(() => window.trackUrl('/media/testsrc.mp4'));
  assert.ok(run.ok, run.message);
  const r = run.result;
  assert.equal(r.frames, 50);
  assert.ok(Math.abs(r.durationSeconds - 2) < 0.05, `duration ${r.durationSeconds}`);
  assert.equal(r.missing, 50);
  assert.ok(r.states.every((s) => s === 'dropped'));
  assert.ok(r.rows.every((row) => row.every((v) => v === 0)));
  assert.equal(run.progress.at(-1), 1);
  const lines = r.csv.trimEnd().split('\n');
  assert.equal(lines.length, 51);
  assert.equal(lines[0], `frame,time,${CHANNELS.join(',')},face`);
  assert.equal(lines[50], `49,1.96,${Array(12).fill('0.00000').join(',')},dropped`);
});

test('a WebM without duration (as MediaRecorder writes) is measured and tracked to its end', { timeout: 300_000 }, async () => {
  await trackFaces();
  const run = await page.evaluate(() => window.trackUrl('/media/testsrc-live.webm'));
  assert.ok(run.ok, run.message);
  assert.ok(Math.abs(run.result.durationSeconds - 2) < 0.001, `duration ${run.result.durationSeconds}`);
  assert.equal(run.result.frames, 50);
  assert.equal(run.progress.at(-1), 1);
});

test('a MediaRecorder recording in slices (canvas stream, start(100)) is read as declaring no duration and tracked to its end', { timeout: 300_000 }, async () => {
  await trackFaces();
  const recorded = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 160;
    canvas.height = 120;
    const ctx = canvas.getContext('2d');
    const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/webm' });
    const chunks = [];
    recorder.ondataavailable = (e) => chunks.push(e.data);
    const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
    const draw = (n) => { ctx.fillStyle = `hsl(${(n * 37) % 360}, 60%, 50%)`; ctx.fillRect(0, 0, 160, 120); };
    draw(0);
    // In slices, as a recording streamed while it is made: the header goes out before the
    // duration is known (without a timeslice Chromium writes a Duration into the header).
    recorder.start(100);
    const started = performance.now();
    for (let n = 1; n < 25; n++) {
      await new Promise((resolve) => setTimeout(resolve, 40));
      draw(n);
    }
    await new Promise((resolve) => setTimeout(resolve, 40));
    recorder.stop();
    const seconds = (performance.now() - started) / 1000;
    await stopped;
    const blob = new Blob(chunks, { type: 'video/webm' });
    const head = new Uint8Array(await blob.slice(0, 64 * 1024).arrayBuffer());
    return { url: URL.createObjectURL(blob), seconds, lacks: window.facetrack.webmLacksDuration(head) };
  });
  assert.equal(recorded.lacks, true, 'Chromium\'s MediaRecorder writes no Duration in slices');
  const run = await page.evaluate((u) => window.trackUrl(u, { name: 'recording.webm' }), recorded.url);
  assert.ok(run.ok, run.message);
  assert.ok(Math.abs(run.result.durationSeconds - recorded.seconds) < 0.25,
    `tracked ${run.result.durationSeconds} s of a ${recorded.seconds} s recording`);
  assert.equal(run.result.frames, Math.round(run.result.durationSeconds * 25));
  assert.equal(run.progress.at(-1), 1);
});

test('a file that is not a video rejects with a clear message', async () => {
  await trackFaces();
  const run = await page.evaluate((u) => window.trackUrl(u), `/media/${gallery[0]}`);
  assert.equal(run.ok, false);
  assert.match(run.message, /cannot be decoded|no frames/);
});

test('backend fallback: without the wasm binaries the tracker comes up on webgl (SwiftShader)', { timeout: 300_000 }, async () => {
  await trackFaces();
  const other = await browser.newPage();
  try {
    await other.goto(`${server.url}/test/`);
    await other.waitForFunction(() => window.ready === true, null, { timeout: 60_000 });
    const fallback = await other.evaluate(() => window.initTracker({ wasmPath: '/missing/' }));
    assert.equal(fallback.backend, 'webgl');
    assert.match(fallback.errors[0], /^wasm: /);
    const face = await other.evaluate((u) => window.detectImage(u), `/media/${gallery[0]}`);
    assert.ok(face, 'the webgl tracker finds the face too');
  } finally {
    await other.close();
  }
});
