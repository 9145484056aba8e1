// Unit tests of the pure part of wwwroot/js/facetrack/facetrack.js (no browser): landmarks ->
// face-params/1 channels, head-angle signs, smoothing, gap filling and the CSV.
// Run: node --test tests/facetrack/mapping.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as ft from '../../src/AvatarLab.Server/wwwroot/js/facetrack/facetrack.js';

const { LANDMARKS: L, MAPPING: K, CHANNELS } = ft;
const ch = (name) => CHANNELS.indexOf(name);

/**
 * A hand-made neutral face in "face units": the outer eye corners at x = -50 / +50 on y = 0
 * (W = 100), the nose base 53 below (V = 53, the median V/W of real faces), eyes 32 wide and
 * 9 open (aspect 0.28), brows 0.42 V above the eyes, a relaxed 60-wide mouth, irises centred.
 * Points the mapping does not read sit at (0, 30). Sides are the subject's: the right eye is
 * at negative x (the viewer's left in an unmirrored image).
 */
function neutralFace() {
  const m = Array.from({ length: 478 }, () => [0, 30, 0]);
  const set = (i, x, y) => { m[i] = [x, y, 0]; };
  const eye = (e, sign) => {
    set(e.outer, 50 * sign, 0);
    set(e.inner, 18 * sign, 0);
    const xs = [42, 34, 26];
    e.upper.forEach((i, k) => set(i, xs[k] * sign, -4.5));
    e.lower.forEach((i, k) => set(i, xs[k] * sign, 4.5));
  };
  eye(L.eyeRight, -1);
  eye(L.eyeLeft, 1);
  const browY = -K.browNeutral * 53;
  L.browRight.forEach((i, k) => set(i, -30 - 4 * k, browY));
  L.browLeft.forEach((i, k) => set(i, 30 + 4 * k, browY));
  set(L.noseBase, 0, 53);
  // corners K.smileLiftNeutral * V below the lip centre: a relaxed mouth reads smile 0
  const cornerY = 80 - K.smileLiftNeutral * 53;
  set(L.mouth.cornerRight, -30, cornerY);
  set(L.mouth.cornerLeft, 30, cornerY);
  set(L.mouth.upperInner, 0, 80);
  set(L.mouth.lowerInner, 0, 80);
  const irisY = -K.gazeYNeutral * 32; // the iris sits slightly above the corner line
  set(473, -34, irisY); // Human puts the subject's right iris at 473 ...
  set(468, 34, irisY); // ... and the left one at 468; the mapping picks the nearest anyway
  return m;
}

/** The same face as an image would show it: scaled, rotated (roll) and moved. */
function place(mesh, { scale = 2.4, angle = 0.35, dx = 320, dy = 210 } = {}) {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return mesh.map(([x, y, z]) => [dx + scale * (c * x - s * y), dy + scale * (s * x + c * y), z]);
}

const map = (mesh, angle = { yaw: 0, pitch: 0, roll: 0 }) => ft.mapFace({ mesh, angle });
const close = (a, b, eps, what) => assert.ok(Math.abs(a - b) <= eps, `${what}: ${a} is not within ${eps} of ${b}`);

test('a neutral face maps to (near) zero expression channels', () => {
  const row = map(neutralFace());
  assert.equal(row.length, 12);
  for (const name of ['jaw_open', 'mouth_smile', 'mouth_pucker', 'blink_left', 'blink_right', 'brow_left', 'brow_right', 'gaze_x', 'gaze_y']) {
    close(row[ch(name)], 0, 0.02, name);
  }
});

test('the mapping ignores position, scale and roll of the face in the image', () => {
  const a = map(neutralFace());
  const open = neutralFace();
  open[L.mouth.lowerInner][1] += 20;
  const b = map(place(open));
  const c = map(open);
  for (let i = 3; i < 12; i++) close(b[i], c[i], 1e-9, CHANNELS[i]);
  assert.ok(b[ch('jaw_open')] > a[ch('jaw_open')]);
});

test('an open mouth gives jaw_open > 0.5, a closed one 0', () => {
  const m = neutralFace();
  m[L.mouth.upperInner][1] = 76;
  m[L.mouth.lowerInner][1] = 76 + 0.55 * 53; // inner lips 0.55 V apart
  m[L.mouth.cornerRight][1] = m[L.mouth.cornerLeft][1] = 76 + 0.275 * 53 - K.smileLiftNeutral * 53;
  const row = map(place(m));
  assert.ok(row[ch('jaw_open')] > 0.5, `jaw_open ${row[ch('jaw_open')]}`);
  close(row[ch('mouth_smile')], 0, 0.02, 'an open relaxed mouth is no smile');
  assert.equal(map(neutralFace())[ch('jaw_open')], 0);
  const wide = neutralFace();
  wide[L.mouth.lowerInner][1] = 80 + 2 * 53; // beyond the range: clamped
  assert.equal(map(wide)[ch('jaw_open')], 1);
});

test('closed eyes give blinks near 1, one closed eye only on its side', () => {
  const closed = neutralFace();
  for (const e of [L.eyeRight, L.eyeLeft]) {
    e.upper.forEach((i) => { closed[i][1] = -0.8; });
    e.lower.forEach((i) => { closed[i][1] = 0.8; });
  }
  const row = map(place(closed));
  assert.ok(row[ch('blink_left')] > 0.95 && row[ch('blink_right')] > 0.95, `blinks ${row.slice(6, 8)}`);

  const wink = neutralFace(); // the subject's left eye: mesh 263 side, the viewer's right
  L.eyeLeft.upper.forEach((i) => { wink[i][1] = -1; });
  L.eyeLeft.lower.forEach((i) => { wink[i][1] = 1; });
  const w = map(wink);
  assert.ok(w[ch('blink_left')] > 0.9, `blink_left ${w[ch('blink_left')]}`);
  close(w[ch('blink_right')], 0, 1e-9, 'blink_right');

  const half = neutralFace();
  for (const e of [L.eyeRight, L.eyeLeft]) {
    e.upper.forEach((i) => { half[i][1] = -2.7; });
    e.lower.forEach((i) => { half[i][1] = 2.7; });
  }
  const h = map(half)[ch('blink_left')];
  assert.ok(h > 0.3 && h < 0.8, `half-closed ${h}`);
});

test('eye aspect ratio: lid gap over eye width', () => {
  close(ft.eyeAspectRatio(neutralFace(), L.eyeRight), 9 / 32, 1e-12, 'EAR');
  close(ft.blinkFromEar(K.earOpen), 0, 1e-12, 'open');
  close(ft.blinkFromEar(K.earClosed), 1, 1e-12, 'closed');
  // a turned head foreshortens the eye width: the same measured ratio is a more closed eye
  assert.ok(ft.blinkFromEar(0.2, 0.5) > ft.blinkFromEar(0.2, 0));
});

test('mouth corners up and wide is a smile, down is a frown', () => {
  const smile = neutralFace();
  smile[L.mouth.cornerRight] = [-36, 74, 0];
  smile[L.mouth.cornerLeft] = [36, 74, 0];
  const s = map(place(smile))[ch('mouth_smile')];
  assert.ok(s > 0.5, `smile ${s}`);
  const frown = neutralFace();
  frown[L.mouth.cornerRight][1] = 86;
  frown[L.mouth.cornerLeft][1] = 86;
  const f = map(place(frown))[ch('mouth_smile')];
  assert.ok(f < -0.3, `frown ${f}`);
  const big = neutralFace();
  big[L.mouth.cornerRight] = [-45, 60, 0];
  big[L.mouth.cornerLeft] = [45, 60, 0];
  assert.equal(map(big)[ch('mouth_smile')], 1, 'clamped to 1');
});

test('a narrowed mouth is a pucker, a neutral or wide one is not', () => {
  const pucker = neutralFace();
  pucker[L.mouth.cornerRight][0] = -19;
  pucker[L.mouth.cornerLeft][0] = 19; // 37 % narrower than the neutral 60
  const p = map(place(pucker));
  assert.ok(p[ch('mouth_pucker')] > 0.9, `pucker ${p[ch('mouth_pucker')]}`);
  assert.ok(p[ch('mouth_smile')] < 0.05, 'a pucker is no smile');
  const slight = neutralFace();
  slight[L.mouth.cornerRight][0] = -28;
  slight[L.mouth.cornerLeft][0] = 28; // 7 % narrower: inside the dead zone
  assert.equal(map(slight)[ch('mouth_pucker')], 0);
  const wide = neutralFace();
  wide[L.mouth.cornerRight][0] = -40;
  wide[L.mouth.cornerLeft][0] = 40;
  assert.equal(map(wide)[ch('mouth_pucker')], 0);
});

test('raised brows are positive, lowered negative, per side', () => {
  const raised = neutralFace();
  [...L.browRight, ...L.browLeft].forEach((i) => { raised[i][1] -= 0.2 * 53; });
  const r = map(place(raised));
  assert.ok(r[ch('brow_left')] > 0.7 && r[ch('brow_right')] > 0.7, `raised ${r.slice(8, 10)}`);
  const lowered = neutralFace();
  L.browRight.forEach((i) => { lowered[i][1] += 0.15 * 53; });
  const l = map(lowered);
  assert.ok(l[ch('brow_right')] < -0.5, `lowered ${l[ch('brow_right')]}`);
  close(l[ch('brow_left')], 0, 0.02, 'the other brow');
});

test('irises toward the viewer\'s right give gaze_x > 0, up gives gaze_y > 0', () => {
  const right = neutralFace();
  right[473][0] += 6;
  right[468][0] += 6;
  const g = map(place(right));
  assert.ok(g[ch('gaze_x')] > 0.5, `gaze_x ${g[ch('gaze_x')]}`);
  close(g[ch('gaze_y')], 0, 0.02, 'gaze_y');
  const up = neutralFace();
  up[473][1] -= 3;
  up[468][1] -= 3;
  const u = map(up);
  assert.ok(u[ch('gaze_y')] > 0.5, `gaze_y ${u[ch('gaze_y')]}`);
  const noIris = neutralFace().slice(0, 468); // mesh without the iris model
  assert.deepEqual(ft.gaze(noIris), [0, 0]);
});

test('head angles: Human\'s yaw, pitch and roll are negated into face-params/1 signs, clamped', () => {
  assert.deepEqual(ft.HEAD_SIGN, { yaw: -1, pitch: -1, roll: -1 });
  const row = map(neutralFace(), { yaw: 0.2, pitch: 0.1, roll: -0.3 });
  close(row[ch('head_yaw')], -0.2, 1e-12, 'yaw');
  close(row[ch('head_pitch')], -0.1, 1e-12, 'pitch');
  close(row[ch('head_roll')], 0.3, 1e-12, 'roll');
  const big = map(neutralFace(), { yaw: -1.2, pitch: 0.9, roll: 0 });
  assert.equal(big[ch('head_yaw')], 0.6);
  assert.equal(big[ch('head_pitch')], -0.6);
  assert.deepEqual(ft.headAngles(undefined), [0, 0, 0]);
});

test('a turned head: the far eye gives way to the near one', () => {
  const m = neutralFace();
  L.eyeLeft.upper.forEach((i) => { m[i][1] = -1; });
  L.eyeLeft.lower.forEach((i) => { m[i][1] = 1; }); // left eye closed
  // yaw > 0 (face-params): the face turns toward the viewer's right, the left eye turns away
  const away = map(m, { yaw: -0.5, pitch: 0, roll: 0 }); // Human's yaw -0.5 -> head_yaw +0.5
  close(away[ch('blink_left')], away[ch('blink_right')], 1e-9, 'far left eye follows the right');
  const near = map(m, { yaw: 0.5, pitch: 0, roll: 0 }); // head_yaw -0.5: the left eye is near
  assert.ok(near[ch('blink_left')] > 0.9);
  assert.ok(near[ch('blink_right')] > 0.9, 'the far right eye follows the near left one');
  const small = map(m, { yaw: -0.1, pitch: 0, roll: 0 });
  assert.ok(small[ch('blink_left')] > 0.9 && small[ch('blink_right')] < 0.05, 'a small turn changes nothing');
});

test('every channel is clamped to its range; NaN becomes 0', () => {
  const row = ft.clampChannels([9, -9, NaN, 2, -3, 5, -1, 4, 7, -7, 3, -3]);
  assert.deepEqual(row, [0.6, -0.6, 0, 1, -1, 1, 0, 1, 1, -1, 1, -1]);
  assert.equal(ft.mapFace({ mesh: [] }), null);
  assert.equal(ft.mapFace({ mesh: neutralFace().map(() => [1, 1, 0]) }), null, 'degenerate mesh');
});

test('one-euro smoothing: constant stays, jitter shrinks, a blink still passes', () => {
  const s = ft.createSmoother();
  const base = [0.1, -0.1, 0, 0.2, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let f = 0; f < 10; f++) s.smooth(base, f / 25).forEach((v, i) => close(v, base[i], 1e-12, CHANNELS[i]));
  // alternating jitter of +-0.05 on the head yaw: the output moves much less
  s.reset();
  let out = [];
  for (let f = 0; f < 50; f++) out.push(s.smooth(base.map((v, i) => (i === 0 ? v + (f % 2 ? 0.05 : -0.05) : v)), f / 25)[0]);
  const spread = Math.max(...out.slice(25)) - Math.min(...out.slice(25));
  assert.ok(spread < 0.05, `smoothed jitter ${spread} (raw 0.1)`);
  // a 3-frame blink (0.12 s) reaches more than 0.6
  s.reset();
  out = [];
  const blink = [0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0];
  blink.forEach((b, f) => out.push(s.smooth(base.map((v, i) => (i === 6 ? b : v)), f / 25)[6]));
  assert.ok(Math.max(...out) > 0.6, `blink peak ${Math.max(...out)}`);
  // a step settles: within 2 % after 0.5 s
  s.reset();
  for (let f = 0; f < 40; f++) out = s.smooth(base.map((v, i) => (f >= 10 && i === 3 ? 0.8 : v)), f / 25);
  close(out[3], 0.8, 0.016, 'jaw step');
});

test('gaps: up to 0.5 s held (marked), longer and leading gaps are zeros', () => {
  const a = Array(12).fill(0.25);
  const b = Array(12).fill(-0.5);
  const rows = [null, null, a, a, ...Array(12).fill(null), b, ...Array(13).fill(null), b, null];
  const { rows: out, states, missing } = ft.fillGaps(rows, 25);
  assert.equal(out.length, rows.length);
  assert.deepEqual(states.slice(0, 4), ['dropped', 'dropped', 'tracked', 'tracked']);
  assert.deepEqual(out[0], Array(12).fill(0));
  assert.ok(states.slice(4, 16).every((s) => s === 'held'), '12 frames (0.48 s) are held');
  assert.deepEqual(out[15], a);
  assert.equal(states[16], 'tracked');
  assert.ok(states.slice(17, 30).every((s) => s === 'dropped'), '13 frames (0.52 s) are dropped');
  assert.deepEqual(out[29], Array(12).fill(0));
  assert.equal(states[31], 'held', 'a short gap at the end is held');
  assert.deepEqual(out[31], b);
  assert.equal(missing, 2 + 12 + 13 + 1);
  out[4][0] = 99;
  assert.equal(a[0], 0.25, 'held rows are copies');
});

test('CSV: frame,time,<12 channels>[,face] with 0.04 s steps at 25 fps, as MotionTrackWriter', () => {
  const rows = [Array(12).fill(0), Array(12).fill(-0.000001), [0.123456, ...Array(11).fill(1)]];
  const csv = ft.toCsv(rows, 25, ['dropped', 'held', 'tracked']);
  const lines = csv.trimEnd().split('\n');
  assert.equal(lines[0], 'frame,time,head_yaw,head_pitch,head_roll,jaw_open,mouth_smile,mouth_pucker,blink_left,blink_right,brow_left,brow_right,gaze_x,gaze_y,face');
  assert.equal(lines.length, 4);
  assert.ok(lines[1].startsWith('0,0.00,0.00000,'));
  assert.ok(lines[2].startsWith('1,0.04,0.00000,'), '-0 is written as 0');
  assert.ok(lines[3].startsWith('2,0.08,0.12346,1.00000,'));
  assert.ok(lines.slice(1).every((l) => l.split(',').length === 15), 'every row has as many cells as the header');
  assert.equal(ft.toCsv(rows, 25).split('\n')[0].split(',').length, 14, 'without states: no face column');
  assert.equal(ft.timeDecimals(25), 2);
  assert.equal(ft.timeDecimals(50), 2);
  assert.equal(ft.timeDecimals(30), 6);
  // the server's reader takes fps = (rows - 1) / (last time - first time)
  const long = ft.toCsv(Array(101).fill(Array(12).fill(0)), 25).trimEnd().split('\n');
  const times = long.slice(1).map((l) => Number(l.split(',')[1]));
  assert.equal((times.length - 1) / (times.at(-1) - times[0]), 25);
});

test('Human config: only the face detector, mesh and iris models are enabled', () => {
  const c = ft.humanConfig({ backend: 'wasm', modelBasePath: '/lib/human/models/', wasmPath: '/lib/human/wasm/' });
  assert.equal(c.cacheSensitivity, 0);
  assert.equal(c.warmup, 'none');
  for (const k of ['body', 'hand', 'object', 'gesture', 'segmentation', 'filter']) assert.equal(c[k].enabled, false, k);
  const enabled = Object.entries(c.face).filter(([k, v]) => k !== 'enabled' && v.enabled).map(([k, v]) => v.modelPath ?? k);
  assert.deepEqual(enabled.map((p) => p.replace('.json', '')), [...ft.MODELS]);
});

test('copy-face-assets.mjs copies exactly the models the tracker enables', () => {
  const script = fs.readFileSync(new URL('../../src/AvatarLab.Server/scripts/copy-face-assets.mjs', import.meta.url), 'utf8');
  const models = /export const MODELS = \[([^\]]*)\]/.exec(script)?.[1].split(',').map((m) => m.trim().replace(/'/g, ''));
  assert.deepEqual(models, [...ft.MODELS]);
});

/** EBML element bytes: id (with its length marker), a one-byte size (or 0xff: unknown), body. */
const ebml = (id, body, unknown = false) => [...id, unknown ? 0xff : 0x80 | body.length, ...body];
const HEADER = ebml([0x1a, 0x45, 0xdf, 0xa3], ebml([0x42, 0x82], [...Buffer.from('webm')]));
const SEEK_HEAD = ebml([0x11, 0x4d, 0x9b, 0x74], ebml([0x4d, 0xbb], [0x53, 0xab, 0x81, 0x01]));
const TIMECODE_SCALE = ebml([0x2a, 0xd7, 0xb1], [0x0f, 0x42, 0x40]);
const DURATION = ebml([0x44, 0x89], [0x44, 0xfa, 0x00, 0x00]);
const CLUSTER = ebml([0x1f, 0x43, 0xb6, 0x75], [], true);
const webm = (...children) => Uint8Array.from([...HEADER, ...ebml([0x18, 0x53, 0x80, 0x67], [], true).slice(0, 5), ...children.flat()]);

test('WebM header probe: a segment whose Info has no Duration (MediaRecorder) lacks one', () => {
  assert.equal(ft.webmLacksDuration(webm(ebml([0x15, 0x49, 0xa9, 0x66], TIMECODE_SCALE), CLUSTER)), true);
  assert.equal(ft.webmLacksDuration(webm(SEEK_HEAD, ebml([0x15, 0x49, 0xa9, 0x66], TIMECODE_SCALE), CLUSTER)), true,
    'elements before Info are skipped');
  assert.equal(ft.webmLacksDuration(webm(ebml([0x15, 0x49, 0xa9, 0x66], [...TIMECODE_SCALE, ...DURATION]), CLUSTER)), false);
  assert.equal(ft.webmLacksDuration(webm(SEEK_HEAD, ebml([0x15, 0x49, 0xa9, 0x66], [...DURATION, ...TIMECODE_SCALE]))), false);
});

test('WebM header probe: other files, a Cluster before Info, and cut bytes are not judged (null)', () => {
  const mp4 = Uint8Array.from([0, 0, 0, 0x18, ...Buffer.from('ftypisom'), 0, 0, 2, 0, ...Buffer.from('isomiso2')]);
  assert.equal(ft.webmLacksDuration(mp4), null);
  assert.equal(ft.webmLacksDuration(new Uint8Array(0)), null);
  assert.equal(ft.webmLacksDuration(webm(CLUSTER, ebml([0x15, 0x49, 0xa9, 0x66], TIMECODE_SCALE))), null);
  const full = webm(SEEK_HEAD, ebml([0x15, 0x49, 0xa9, 0x66], TIMECODE_SCALE));
  assert.equal(ft.webmLacksDuration(full.subarray(0, HEADER.length + 3)), null);
  assert.equal(ft.webmLacksDuration(full.subarray(0, full.length - 1)), null, 'Info cut short');
  assert.equal(ft.webmLacksDuration(Uint8Array.from([0x1a, 0x45, 0xdf, 0xa3, 0x00])), null, 'an invalid size byte');
});
