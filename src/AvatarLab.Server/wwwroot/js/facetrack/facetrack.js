// AvatarLab browser face tracking: video frames -> face-params/1 (12 channels, 25 fps).
//
// Uses @vladmandic/human (face detector + 468-point face mesh + iris model, tfjs bundled in),
// served by the app itself from /lib/human/ (copied there from node_modules by
// src/AvatarLab.Server/scripts/copy-face-assets.mjs; never a CDN). README.md beside this file
// documents the module, the sign conventions, the backend choice and the measured speed.
//
// The module has no top-level browser dependency: Human is imported lazily by createTracker(),
// so the pure mapping functions (landmarks -> channels), the smoother, the gap filling and the
// CSV writer can be imported and unit-tested in node (tests/facetrack/mapping.test.mjs).
//
// Landmark indices are MediaPipe face-mesh indices (the layout Human returns in face.mesh,
// [x, y, z] in pixels of the input image). "left"/"right" in channel names are the SUBJECT's:
// blink_left is the subject's left eye, which is on the viewer's right in an unmirrored video
// (mesh points 263/362 ...); the avatar's renderer uses the same sides (docs/renderer.md).

/** face-params/1 channel names, in order (docs/motion-tracks.md, Motion/FaceParams.cs). */
export const CHANNELS = Object.freeze([
  'head_yaw', 'head_pitch', 'head_roll', 'jaw_open', 'mouth_smile', 'mouth_pucker',
  'blink_left', 'blink_right', 'brow_left', 'brow_right', 'gaze_x', 'gaze_y',
]);

/** Nominal range of each channel, as FaceParams.Ranges; every output is clamped to it. */
export const RANGES = Object.freeze([
  [-0.6, 0.6], [-0.6, 0.6], [-0.6, 0.6], [0, 1], [-1, 1], [0, 1],
  [0, 1], [0, 1], [-1, 1], [-1, 1], [-1, 1], [-1, 1],
]);

/** Frame rate of face-params/1 tracks. */
export const DEFAULT_FPS = 25;

/** Gaps without a face up to this long hold the last tracked values; longer gaps are zeros. */
export const HOLD_SECONDS = 0.5;

/** Human's models the tracker uses (copy-face-assets.mjs copies exactly these). */
export const MODELS = Object.freeze(['blazeface', 'facemesh', 'iris']);

/**
 * Signs applied to Human's face.rotation.angle (radians) to get the face-params/1 head angles.
 * face-params/1 (docs/renderer.md, training/avatarlab_train/synth.py), seen in the unmirrored
 * image of the subject:
 *   head_yaw   > 0: the face turns toward the viewer's right (the subject's own left);
 *   head_pitch > 0: the chin lifts (looking up); a nod down is negative;
 *   head_roll  > 0: the head tilts counter-clockwise on screen (its top toward the viewer's
 *                   left, i.e. toward the subject's right shoulder).
 * Human 3.3.x derives its angles from the mesh (src/face/angles.ts: axes from forehead 10 ->
 * chin 152 and right cheek 234 -> left cheek 454, Euler angles negated); in image coordinates
 * (y down, mesh z growing away from the camera) each of its three angles has the opposite
 * sign, so all three are negated. Checked in tests/facetrack/browser.test.mjs: a video rotated
 * clockwise gives negative head_roll, and yaw/pitch agree in sign with the nose tip's offset
 * from the cheeks across real faces.
 */
export const HEAD_SIGN = Object.freeze({ yaw: -1, pitch: -1, roll: -1 });

/** MediaPipe face-mesh landmark indices used by the mapping. */
export const LANDMARKS = Object.freeze({
  noseBase: 2,
  /** subject's right eye (viewer's left): corners, upper-lid and lower-lid points (pairs) */
  eyeRight: { outer: 33, inner: 133, upper: [160, 159, 158], lower: [144, 145, 153] },
  /** subject's left eye (viewer's right) */
  eyeLeft: { outer: 263, inner: 362, upper: [387, 386, 385], lower: [373, 374, 380] },
  /** middle of each eyebrow, upper and lower edge */
  browRight: [105, 66, 52, 65],
  browLeft: [334, 296, 282, 295],
  mouth: { cornerRight: 61, cornerLeft: 291, upperInner: 13, lowerInner: 14 },
  /** iris centres of the 478-point mesh (Human appends the iris model's points after 468) */
  irisCentres: [468, 473],
});

/**
 * Constants of the landmark -> channel mapping. Ratios are of the face frame's scales (see
 * faceFrame): W, the distance between the outer eye corners, for horizontal lengths, and V,
 * the height of the nose base below the eye line, for vertical ones. The neutral values were
 * measured on 112 real faces from the pictures shipped in @vladmandic/human's assets/ (medians
 * quoted below; see README.md); the gains set what counts as a full expression.
 */
export const MAPPING = Object.freeze({
  /** inner-lip gap / V: at or below jawClosed -> 0 (closed lips read 0 +- 0.03), jawFull -> 1 */
  jawClosed: 0.05, jawFull: 0.7,
  /** mouth-corner distance / W of a relaxed mouth (0.59 on a neutral face; smiles 0.62-0.76) */
  mouthWidthNeutral: 0.6,
  /** pucker: narrowing (relative to the neutral width) ignored, and the narrowing of a full pucker */
  puckerDeadZone: 0.08, puckerFullShrink: 0.35,
  /** smile: corner lift above the lip centre / V of a relaxed mouth (smiles +0.05..+0.13), gains */
  smileLiftNeutral: -0.03, smileLiftGain: 5.0, smileWidthGain: 2.5,
  /** eye aspect ratio (mean lid gap / eye width, corrected for yaw and pitch): open (median of
   * the measured faces 0.31-0.33) and closed */
  earOpen: 0.25, earClosed: 0.1,
  /** brow height above the eye corners / V: neutral (median 0.38-0.42) and the change for +-1 */
  browNeutral: 0.42, browRange: 0.25,
  /** iris offset from the eye centre: x in half eye widths, y in eye widths (up positive; the
   * iris centre sits 0.06 eye widths above the corner line when looking ahead) */
  gazeXRange: 0.45, gazeYNeutral: 0.06, gazeYRange: 0.12,
  /** head turn (|head_yaw|, rad) from which the far eye and brow (foreshortened, partly hidden
   * by the nose; the mesh is unreliable there) give way to the near side, completely at Full */
  farSideYawStart: 0.2, farSideYawFull: 0.4,
});

const clamp = (x, lo, hi) => (x < lo ? lo : x > hi ? hi : x);
const sub = (a, b) => [a[0] - b[0], a[1] - b[1]];
const dot = (a, b) => a[0] * b[0] + a[1] * b[1];
const mid = (a, b) => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
const meanPoint = (mesh, indices) => {
  let x = 0;
  let y = 0;
  for (const i of indices) {
    x += mesh[i][0];
    y += mesh[i][1];
  }
  return [x / indices.length, y / indices.length];
};

/** Clamps a 12-value row to RANGES (NaN becomes 0); returns a new array. */
export function clampChannels(row) {
  return row.map((v, i) => (Number.isFinite(v) ? clamp(v, RANGES[i][0], RANGES[i][1]) : 0));
}

/**
 * The face's own 2D frame, which removes position, scale and roll: origin at the midpoint of
 * the outer eye corners, u along the eye line toward the subject's left eye (the viewer's right
 * for an upright face), v perpendicular to it, pointing down the face. W = outer eye corner
 * distance, V = distance of the nose base (mesh 2) below the eye line. Returns null for a
 * degenerate mesh.
 */
export function faceFrame(mesh) {
  if (!mesh || mesh.length < 468) return null;
  const r = mesh[LANDMARKS.eyeRight.outer];
  const l = mesh[LANDMARKS.eyeLeft.outer];
  const origin = mid(r, l);
  const d = sub(l, r);
  const W = Math.hypot(d[0], d[1]);
  if (!(W > 0)) return null;
  const u = [d[0] / W, d[1] / W];
  const v = [-u[1], u[0]]; // +90 degrees in image coordinates (y down): "down the face"
  const V = dot(sub(mesh[LANDMARKS.noseBase], origin), v);
  if (!(V > 0)) return null;
  const x = (p) => dot(sub(p, origin), u); // position along the eye line
  const y = (p) => dot(sub(p, origin), v); // position down the face
  return { origin, u, v, W, V, x, y };
}

/**
 * jaw_open (0..1): the inner-lip gap (upper 13 to lower 14, measured down the face) over V,
 * mapped linearly from jawClosed (0) to jawFull (1). V (eye line to nose base) does not move
 * with the jaw, unlike the face height, so it is the size that normalises the gap.
 */
export function jawOpen(mesh, frame = faceFrame(mesh), k = MAPPING) {
  if (!frame) return 0;
  const gap = Math.max(0, frame.y(mesh[LANDMARKS.mouth.lowerInner]) - frame.y(mesh[LANDMARKS.mouth.upperInner])) / frame.V;
  return clamp((gap - k.jawClosed) / (k.jawFull - k.jawClosed), 0, 1);
}

/** Mouth width: distance of the mouth corners (61, 291) over W. */
export function mouthWidth(mesh, frame = faceFrame(mesh)) {
  if (!frame) return 0;
  const a = mesh[LANDMARKS.mouth.cornerRight];
  const b = mesh[LANDMARKS.mouth.cornerLeft];
  return Math.hypot(a[0] - b[0], a[1] - b[1]) / frame.W;
}

/**
 * mouth_smile (-1..1): corners lifted above the lip centre (the midpoint of the inner lips, the
 * level where the corners sit in a relaxed mouth, open or closed) over V, times smileLiftGain,
 * plus the widening of the mouth beyond its neutral width (relative, times smileWidthGain; a
 * narrower mouth adds nothing, that is a pucker). Corners below the centre give a frown (< 0).
 */
export function mouthSmile(mesh, frame = faceFrame(mesh), k = MAPPING) {
  if (!frame) return 0;
  const m = LANDMARKS.mouth;
  const centre = (frame.y(mesh[m.upperInner]) + frame.y(mesh[m.lowerInner])) / 2;
  const corners = (frame.y(mesh[m.cornerRight]) + frame.y(mesh[m.cornerLeft])) / 2;
  const lift = (centre - corners) / frame.V; // > 0: corners above the centre (y grows downward)
  const widening = Math.max(0, mouthWidth(mesh, frame) / k.mouthWidthNeutral - 1);
  return clamp(k.smileLiftGain * (lift - k.smileLiftNeutral) + k.smileWidthGain * widening, -1, 1);
}

/**
 * mouth_pucker (0..1): how much narrower than its neutral width (mouthWidthNeutral, in W) the
 * mouth is, relative: up to puckerDeadZone (8 %, people's mouths differ that much) is 0,
 * puckerFullShrink (35 % narrower) is a full pucker, linear between.
 */
export function mouthPucker(mesh, frame = faceFrame(mesh), k = MAPPING) {
  if (!frame) return 0;
  const shrink = 1 - mouthWidth(mesh, frame) / k.mouthWidthNeutral;
  return clamp((shrink - k.puckerDeadZone) / (k.puckerFullShrink - k.puckerDeadZone), 0, 1);
}

/**
 * Eye aspect ratio of one eye: the mean of three upper-lid to lower-lid distances over the
 * corner-to-corner eye width. Open eyes are about 0.25-0.32, closed about 0.05-0.1.
 */
export function eyeAspectRatio(mesh, eye) {
  const w = Math.hypot(mesh[eye.outer][0] - mesh[eye.inner][0], mesh[eye.outer][1] - mesh[eye.inner][1]);
  if (!(w > 0)) return 0;
  let h = 0;
  for (let i = 0; i < eye.upper.length; i++) {
    const a = mesh[eye.upper[i]];
    const b = mesh[eye.lower[i]];
    h += Math.hypot(a[0] - b[0], a[1] - b[1]);
  }
  return h / eye.upper.length / w;
}

/**
 * blink (0 open..1 closed) from an eye aspect ratio: the ratio is first corrected for the head
 * turning (the eye width foreshortens by cos(yaw), the lid gap by cos(pitch)), then mapped
 * linearly from earOpen (0) to earClosed (1).
 */
export function blinkFromEar(ear, yaw = 0, pitch = 0, k = MAPPING) {
  const corrected = ear * Math.cos(yaw) / Math.max(0.5, Math.cos(pitch));
  return clamp((k.earOpen - corrected) / (k.earOpen - k.earClosed), 0, 1);
}

/**
 * brow (-1..1, raised positive): the height of the middle of the brow (mean of its upper and
 * lower edge points) above the eye's corner midpoint, over V, relative to browNeutral, with
 * browRange giving +-1. The eye corners do not move when the lids or brows do.
 */
export function browRaise(mesh, eye, browIndices, frame = faceFrame(mesh), k = MAPPING) {
  if (!frame) return 0;
  const eyeY = (frame.y(mesh[eye.outer]) + frame.y(mesh[eye.inner])) / 2;
  const browY = frame.y(meanPoint(mesh, browIndices));
  const height = (eyeY - browY) / frame.V;
  return clamp((height - k.browNeutral) / k.browRange, -1, 1);
}

/**
 * gaze_x, gaze_y (-1..1): the iris centre's offset from the eye's corner midpoint, in the face
 * frame, averaged over both eyes: x in half eye widths (> 0 toward the viewer's right, as
 * docs/renderer.md draws gaze_x > 0), y in eye widths (> 0 up; the lids make the eye height an
 * unreliable scale, as Human's own gaze notes), over gazeXRange / gazeYRange; weights [right,
 * left] weigh the eyes (mapFace lowers the far eye's for a turned head). Each eye takes the
 * iris centre (mesh 468 or 473) nearest to it, whatever order Human appended them in. Needs
 * the 478-point mesh (iris model on); returns [0, 0] without it.
 */
export function gaze(mesh, frame = faceFrame(mesh), k = MAPPING, weights = [1, 1]) {
  if (!frame || mesh.length < 478) return [0, 0];
  let gx = 0;
  let gy = 0;
  let total = 0;
  for (const [e, eye] of [LANDMARKS.eyeRight, LANDMARKS.eyeLeft].entries()) {
    const weight = weights[e];
    if (!(weight > 0)) continue;
    const centre = mid(mesh[eye.outer], mesh[eye.inner]);
    const [a, b] = LANDMARKS.irisCentres.map((i) => mesh[i]);
    const da = Math.hypot(a[0] - centre[0], a[1] - centre[1]);
    const db = Math.hypot(b[0] - centre[0], b[1] - centre[1]);
    const iris = da <= db ? a : b;
    const width = Math.abs(frame.x(mesh[eye.outer]) - frame.x(mesh[eye.inner]));
    if (!(width > 0)) continue;
    gx += weight * (frame.x(iris) - frame.x(centre)) / (width / 2);
    gy += weight * -(frame.y(iris) - frame.y(centre)) / width;
    total += weight;
  }
  if (!(total > 0)) return [0, 0];
  return [clamp(gx / total / k.gazeXRange, -1, 1), clamp((gy / total - k.gazeYNeutral) / k.gazeYRange, -1, 1)];
}

/** Head angles [yaw, pitch, roll] in face-params/1 signs from Human's face.rotation.angle. */
export function headAngles(angle) {
  if (!angle) return [0, 0, 0];
  return [HEAD_SIGN.yaw * (angle.yaw || 0), HEAD_SIGN.pitch * (angle.pitch || 0), HEAD_SIGN.roll * (angle.roll || 0)];
}

/**
 * One face -> a face-params/1 row (12 numbers, clamped, unsmoothed).
 * @param {{ mesh: number[][], angle?: { yaw: number, pitch: number, roll: number } }} face
 *   mesh: Human's face.mesh (468 or 478 [x, y, z] points, pixels); angle: face.rotation.angle.
 * @returns {number[] | null} null when the mesh is missing or degenerate.
 */
export function mapFace({ mesh, angle }, k = MAPPING) {
  const frame = faceFrame(mesh);
  if (!frame) return null;
  const [yaw, pitch, roll] = headAngles(angle);
  const far = farSide(yaw, k);
  const [gx, gy] = gaze(mesh, frame, k, [far.side === 'right' ? 1 - far.weight : 1, far.side === 'left' ? 1 - far.weight : 1]);
  const blinks = far.blend(
    blinkFromEar(eyeAspectRatio(mesh, LANDMARKS.eyeLeft), yaw, pitch, k),
    blinkFromEar(eyeAspectRatio(mesh, LANDMARKS.eyeRight), yaw, pitch, k));
  const brows = far.blend(
    browRaise(mesh, LANDMARKS.eyeLeft, LANDMARKS.browLeft, frame, k),
    browRaise(mesh, LANDMARKS.eyeRight, LANDMARKS.browRight, frame, k));
  return clampChannels([
    yaw, pitch, roll,
    jawOpen(mesh, frame, k),
    mouthSmile(mesh, frame, k),
    mouthPucker(mesh, frame, k),
    ...blinks,
    ...brows,
    gx, gy,
  ]);
}

/**
 * The far side of a turned head: head_yaw > 0 turns the face toward the viewer's right, so the
 * subject's left side turns away (and the right side for yaw < 0). weight (0..1) rises linearly
 * from |yaw| = farSideYawStart to farSideYawFull; blend(left, right) moves the far side's value
 * that far toward the near side's (people blink and raise their brows with both sides together
 * nearly always, and the near side is the one the mesh sees).
 */
export function farSide(yaw, k = MAPPING) {
  const weight = clamp((Math.abs(yaw) - k.farSideYawStart) / (k.farSideYawFull - k.farSideYawStart), 0, 1);
  const side = yaw > 0 ? 'left' : 'right';
  return {
    side,
    weight,
    blend(left, right) {
      if (side === 'left') return [left + (right - left) * weight, right];
      return [left, right + (left - right) * weight];
    },
  };
}

/**
 * Temporal smoothing: a one-euro filter per channel (Casiez et al., CHI 2012). Each channel is
 * a low-pass filter whose cutoff rises with the channel's speed: cutoff = minCutoff + beta *
 * |smoothed derivative| (Hz), so still values lose their landmark jitter while fast moves
 * (a blink is ~0.1 s) pass with little lag. Parameters per group (units per second for beta):
 * head angles smoother (slow, jitter-prone), blinks the fastest.
 */
export const SMOOTHING = Object.freeze({
  head: { minCutoff: 1.2, beta: 0.8, dCutoff: 1.0 }, // channels 0-2
  face: { minCutoff: 2.0, beta: 1.0, dCutoff: 1.0 }, // jaw, mouth, brows, gaze
  blink: { minCutoff: 4.0, beta: 4.0, dCutoff: 1.0 }, // channels 6-7
});

const smoothingGroup = (i) => (i <= 2 ? 'head' : i === 6 || i === 7 ? 'blink' : 'face');
const alpha = (cutoff, dt) => 1 / (1 + 1 / (2 * Math.PI * cutoff * dt));

/** A one-euro smoother for 12-channel rows; smooth(row, tSeconds) -> new row; reset(). */
export function createSmoother(params = SMOOTHING) {
  let prev = null; // { t, x: [], dx: [] }
  return {
    reset() { prev = null; },
    smooth(row, t) {
      if (!prev || !(t > prev.t)) {
        prev = { t, x: row.slice(), dx: row.map(() => 0) };
        return row.slice();
      }
      const dt = t - prev.t;
      const x = new Array(row.length);
      const dx = new Array(row.length);
      for (let i = 0; i < row.length; i++) {
        const p = params[smoothingGroup(i)];
        const rawDx = (row[i] - prev.x[i]) / dt;
        const ad = alpha(p.dCutoff, dt);
        dx[i] = ad * rawDx + (1 - ad) * prev.dx[i];
        const a = alpha(p.minCutoff + p.beta * Math.abs(dx[i]), dt);
        x[i] = a * row[i] + (1 - a) * prev.x[i];
      }
      prev = { t, x, dx };
      return clampChannels(x);
    },
  };
}

/**
 * Fills the frames without a face. rows: one entry per frame, a 12-number row or null. A run
 * of missing frames that follows a tracked frame and lasts at most HOLD_SECONDS
 * (floor(0.5 * fps) frames, 12 at 25 fps) holds the last tracked values ('held'); longer runs,
 * and missing frames before the first face, are zeros, the dropped condition ('dropped').
 * @returns {{ rows: number[][], states: ('tracked'|'held'|'dropped')[], missing: number }}
 */
export function fillGaps(rows, fps = DEFAULT_FPS, holdSeconds = HOLD_SECONDS) {
  const maxHold = Math.floor(holdSeconds * fps + 1e-9); // frames: a gap of n frames lasts n / fps
  const out = new Array(rows.length);
  const states = new Array(rows.length);
  let missing = 0;
  let last = null;
  for (let f = 0; f < rows.length;) {
    if (rows[f]) {
      out[f] = rows[f].slice();
      states[f] = 'tracked';
      last = rows[f];
      f++;
      continue;
    }
    let end = f;
    while (end < rows.length && !rows[end]) end++;
    const hold = last !== null && end - f <= maxHold;
    for (let g = f; g < end; g++) {
      out[g] = hold ? last.slice() : new Array(CHANNELS.length).fill(0);
      states[g] = hold ? 'held' : 'dropped';
    }
    missing += end - f;
    f = end;
  }
  return { rows: out, states, missing };
}

/** Decimals that write every frame time f / fps exactly (2 at 25 fps), at most 6. */
export function timeDecimals(fps) {
  for (let d = 0; d <= 6; d++) {
    const step = 10 ** d / fps;
    if (Math.abs(step - Math.round(step)) < 1e-9) return d;
  }
  return 6;
}

const num = (v) => {
  const s = v.toFixed(5);
  return s === '-0.00000' ? '0.00000' : s;
};

/**
 * The CSV docs/motion-tracks.md describes, as MotionTrackWriter writes it: header
 * `frame,time,<12 channels>`, then one row per frame with time = frame / fps. With states, a
 * last column `face` says tracked / held / dropped for each frame (the server's reader ignores
 * columns that are not channels).
 */
export function toCsv(rows, fps = DEFAULT_FPS, states = null) {
  const d = timeDecimals(fps);
  const lines = [['frame', 'time', ...CHANNELS, ...(states ? ['face'] : [])].join(',')];
  rows.forEach((row, f) => {
    const cells = [String(f), (f / fps).toFixed(d), ...row.map(num)];
    if (states) cells.push(states[f]);
    lines.push(cells.join(','));
  });
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Browser part: Human, the tracker, video files.

/** Human configuration: only the face detector, the mesh and the iris model; all else off. */
export function humanConfig({ backend, modelBasePath, wasmPath, cacheSensitivity = 0, debug = false }) {
  return {
    backend,
    modelBasePath,
    wasmPath,
    debug,
    warmup: 'none',
    // 0: every frame is fully processed (no reuse of the previous result for a similar frame,
    // the face detector runs on every frame): deterministic offline tracking.
    cacheSensitivity,
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      detector: { enabled: true, modelPath: 'blazeface.json', rotation: true, maxDetected: 1, minConfidence: 0.3, return: false },
      mesh: { enabled: true, modelPath: 'facemesh.json' },
      iris: { enabled: true, modelPath: 'iris.json' },
      attention: { enabled: false },
      emotion: { enabled: false },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      gear: { enabled: false },
      ssrnet: { enabled: false },
      mobilefacenet: { enabled: false },
      insightface: { enabled: false },
    },
  };
}

const abortError = (signal) => signal.reason ?? new DOMException('face tracking was aborted', 'AbortError');

/**
 * Loads Human and returns a tracker.
 * @param {object} [options]
 * @param {string} [options.baseUrl='/lib/human/'] where copy-face-assets.mjs put human.esm.js,
 *   models/ and wasm/ (the other URLs default to it)
 * @param {string} [options.modelBasePath] default baseUrl + 'models/'
 * @param {string} [options.humanUrl] default baseUrl + 'human.esm.js'
 * @param {string} [options.wasmPath] default baseUrl + 'wasm/' (tfjs-backend-wasm binaries)
 * @param {string|string[]} [options.backend=['wasm', 'webgl', 'cpu']] tfjs backends to try in
 *   order; the first that initialises and runs is kept. 'wasm' (SIMD) is the default: it needs
 *   no GPU (headless Chromium's WebGL is SwiftShader, ~30x slower). Pass 'webgl' first on
 *   machines with a real GPU for live use.
 * @param {number} [options.minScore=0.5] faces below this Human face score count as no face
 * @param {boolean|object} [options.smoothing=true] one-euro smoothing (SMOOTHING) or false
 * @param {number} [options.cacheSensitivity=0] Human's frame cache (0 = off, deterministic)
 * @param {boolean} [options.debug=false] Human's debug log
 */
export async function createTracker(options = {}) {
  const baseUrl = new URL(options.baseUrl ?? '/lib/human/', globalThis.location?.href).href;
  const modelBasePath = options.modelBasePath ?? new URL('models/', baseUrl).href;
  const wasmPath = options.wasmPath ?? new URL('wasm/', baseUrl).href;
  const humanUrl = options.humanUrl ?? new URL('human.esm.js', baseUrl).href;
  const backends = [].concat(options.backend ?? ['wasm', 'webgl', 'cpu']);
  const minScore = options.minScore ?? 0.5;
  const { Human } = await import(humanUrl);

  let human = null;
  const errors = [];
  for (const backend of backends) {
    const candidate = new Human(humanConfig({ backend, modelBasePath, wasmPath, cacheSensitivity: options.cacheSensitivity ?? 0, debug: options.debug }));
    try {
      await candidate.load();
      const active = candidate.tf.getBackend();
      if (active !== backend && !(backend === 'humangl' && active === 'webgl')) {
        throw new Error(`tfjs backend '${active}' came up instead`);
      }
      // One inference on a blank frame compiles the kernels and proves the backend runs.
      const probe = document.createElement('canvas');
      probe.width = 64;
      probe.height = 64;
      const result = await candidate.detect(probe);
      if (result.error) throw new Error(result.error);
      human = candidate;
      break;
    } catch (err) {
      errors.push(`${backend}: ${err?.message ?? err}`);
    }
  }
  if (!human) throw new Error(`face tracking could not start any tfjs backend (${errors.join('; ')})`);

  const smoother = options.smoothing === false ? null : createSmoother(options.smoothing === true || options.smoothing === undefined ? SMOOTHING : options.smoothing);
  let lastTime = null;

  /** Runs Human on one frame; returns the best face (or null) and the raw result. */
  async function detect(source) {
    const result = await human.detect(source);
    if (result.error) throw new Error(`face tracking: ${result.error}`);
    const face = result.face
      .filter((f) => f.score >= minScore && f.mesh?.length >= 468)
      .sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])[0] ?? null;
    return { face, result };
  }

  return {
    human,
    backend: human.tf.getBackend(),
    errors,
    detect,
    /** Clears the smoother (a new video, or a cut). */
    reset() {
      smoother?.reset();
      lastTime = null;
    },
    /**
     * Tracks one frame (a <video>, <canvas>, ImageBitmap or ImageData).
     * @param {number} [timeSeconds] the frame's time, for smoothing; default performance.now().
     *   When more than HOLD_SECONDS pass between two frames with a face, the smoother restarts.
     * @returns {Promise<number[]|null>} the face-params/1 row, or null when no face is found.
     */
    async trackFrame(source, timeSeconds) {
      const t = timeSeconds ?? performance.now() / 1000;
      const { face } = await detect(source);
      const row = face ? mapFace({ mesh: face.mesh, angle: face.rotation?.angle }) : null;
      if (!row) return null;
      if (lastTime !== null && t - lastTime > HOLD_SECONDS + 1e-9) smoother?.reset();
      lastTime = t;
      return smoother ? smoother.smooth(row, t) : row;
    },
    /** Human's tensors and models stay loaded for the page; this only drops the state. */
    dispose() {
      smoother?.reset();
    },
  };
}

let sharedTracker = null;

/** The page's tracker, created once (options of the first call win). */
export function getSharedTracker(options) {
  sharedTracker ??= createTracker(options).catch((err) => {
    sharedTracker = null;
    throw err;
  });
  return sharedTracker;
}

const once = (target, ok, signal) => new Promise((resolve, reject) => {
  const cleanup = () => {
    target.removeEventListener(ok, onOk);
    target.removeEventListener('error', onError);
    signal?.removeEventListener('abort', onAbort);
  };
  const onOk = () => { cleanup(); resolve(); };
  const onError = () => { cleanup(); reject(new Error(`the video cannot be decoded (${target.error?.message || `media error ${target.error?.code ?? '?'}`})`)); };
  const onAbort = () => { cleanup(); reject(abortError(signal)); };
  target.addEventListener(ok, onOk);
  target.addEventListener('error', onError);
  signal?.addEventListener('abort', onAbort);
});

/**
 * Whether the start of a file (its first bytes) is a Matroska / WebM file whose segment
 * declares no duration, as MediaRecorder writes it: true when the segment's Info element has no
 * Duration child, false when it has one, null when the bytes are not EBML or a whole Info is not
 * found before the first Cluster (or the end of the bytes).
 * @param {Uint8Array} bytes
 */
export function webmLacksDuration(bytes) {
  let pos = 0;
  // EBML variable-length integer: the count of leading zero bits of the first byte gives its length.
  const vint = (keepMarker) => {
    if (pos >= bytes.length) return null;
    const first = bytes[pos];
    let length = 1;
    while (length <= 8 && !(first & (0x80 >> (length - 1)))) length++;
    if (length > 8 || pos + length > bytes.length) return null;
    let value = keepMarker ? first : first & (0xff >> length);
    let allOnes = value === (0xff >> length);
    for (let i = 1; i < length; i++) {
      value = value * 256 + bytes[pos + i];
      allOnes &&= bytes[pos + i] === 0xff;
    }
    pos += length;
    return { value, unknown: !keepMarker && allOnes };
  };
  const element = () => {
    const id = vint(true);
    const size = id && vint(false);
    return size ? { id: id.value, size: size.value, unknown: size.unknown, start: pos } : null;
  };
  const EBML = 0x1a45dfa3, SEGMENT = 0x18538067, INFO = 0x1549a966, DURATION = 0x4489, CLUSTER = 0x1f43b675;
  const header = element();
  if (!header || header.id !== EBML || header.unknown) return null;
  pos = header.start + header.size;
  const segment = element();
  if (!segment || segment.id !== SEGMENT) return null;
  for (let child = element(); child && child.id !== CLUSTER; child = element()) {
    if (child.unknown) return null;
    if (child.id === INFO) {
      const infoEnd = child.start + child.size;
      if (infoEnd > bytes.length) return null;
      for (let e = element(); e && e.start <= infoEnd; e = element()) {
        if (e.id === DURATION) return false;
        pos = e.start + e.size;
        if (pos >= infoEnd) break;
      }
      return true;
    }
    pos = child.start + child.size;
  }
  return null;
}

/**
 * The duration of a loaded <video> made from `file`. WebM written by MediaRecorder (no duration,
 * no cues) has Infinity as its duration until Chromium has read it to the end (sometimes already
 * by 'loadeddata', when the file is read quickly; else after a seek to the end); it then reports
 * the start of its last frame, so one frame (1 / fps) is added for that frame's own length.
 * Whether the file declares a duration is read from its header (webmLacksDuration), not from
 * when Chromium first reports one. A declared duration is the container's and is taken as it is.
 */
async function videoDuration(video, file, signal, fps) {
  const lacks = webmLacksDuration(new Uint8Array(await file.slice(0, 64 * 1024).arrayBuffer()));
  if (lacks === false || (lacks === null && Number.isFinite(video.duration))) return video.duration;
  if (!Number.isFinite(video.duration)) {
    const changed = once(video, 'durationchange', signal);
    const reached = once(video, 'seeked', signal);
    video.currentTime = 1e101;
    await Promise.all([changed, reached]);
    const back = once(video, 'seeked', signal);
    video.currentTime = 0;
    await back;
  }
  return Number.isFinite(video.duration) ? video.duration + 1 / fps : NaN;
}

/**
 * Seeks a paused <video> and waits until the frame at that time can be drawn. 'seeked' alone
 * is not enough in Chromium: drawImage right after it sometimes still draws the previous frame
 * (2-3 frames in 125 under load here). requestVideoFrameCallback, registered before the
 * seek, fires once the new frame is presented (also when the seek lands on the same source
 * frame, for sources below 25 fps). It is tied to rendering, so in a hidden tab (or a browser
 * without it) only 'seeked' is awaited, and a callback that does not come within
 * FRAME_WAIT_MS is not waited for.
 */
const FRAME_WAIT_MS = 500;
async function seekTo(video, time, signal) {
  const presented = typeof video.requestVideoFrameCallback === 'function' && !document.hidden
    ? new Promise((resolve) => {
      const timer = setTimeout(resolve, FRAME_WAIT_MS);
      video.requestVideoFrameCallback(() => { clearTimeout(timer); resolve(); });
    })
    : null;
  const seeked = once(video, 'seeked', signal);
  video.currentTime = time;
  await seeked;
  if (presented) await presented;
}

/**
 * Tracks a video File (or Blob) frame by frame: decodes it in an offscreen <video>, seeks to the
 * middle of each output frame's interval ((f + 0.5) / fps, so the frame shown at time f / fps
 * is drawn whatever the source frame rate; seeking is deterministic, unlike playback; see
 * seekTo for how the drawn frame is made sure to be the new one), draws
 * the frame to a canvas (long side at most maxSize px) and tracks it. Frames without a face are
 * filled by fillGaps (held up to HOLD_SECONDS, else zeros) and marked in `states`. Calls that
 * share a tracker run one after another.
 * @param {Blob} file
 * @param {object} [opts]
 * @param {number} [opts.fps=25] output frame rate
 * @param {(progress: number) => void} [opts.onProgress] 0..1, after every frame (1 at the end)
 * @param {AbortSignal} [opts.signal] aborts with signal.reason (an AbortError by default)
 * @param {object} [opts.tracker] a tracker from createTracker (default: the shared one)
 * @param {object} [opts.trackerOptions] options for the shared tracker when it is created
 * @param {number} [opts.maxSize=720] downscale frames whose long side is larger
 * @param {(canvas: HTMLCanvasElement, frame: number, row: number[]|null) => void} [opts.onFrame]
 * @returns {Promise<{frames: number, fps: number, rows: number[][], missing: number, csv: string,
 *   durationSeconds: number, states: string[], backend: string, trackingFps: number}>}
 */
export async function trackVideoFile(file, options = {}) {
  const { signal, tracker, trackerOptions } = options;
  if (signal?.aborted) throw abortError(signal);
  const t = tracker ?? await getSharedTracker(trackerOptions);
  // One video at a time per tracker (its smoother is per stream): later calls wait their turn.
  const previous = queues.get(t) ?? Promise.resolve();
  const run = previous.then(() => trackWith(t, file, options));
  queues.set(t, run.catch(() => {}));
  return run;
}

const queues = new WeakMap();

async function trackWith(t, file, { fps = DEFAULT_FPS, onProgress, signal, maxSize = 720, onFrame } = {}) {
  if (signal?.aborted) throw abortError(signal);
  const url = URL.createObjectURL(file);
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.preload = 'auto';
  try {
    const loaded = once(video, 'loadeddata', signal);
    video.src = url;
    await loaded;
    const durationSeconds = await videoDuration(video, file, signal, fps);
    if (!(durationSeconds > 0) || !video.videoWidth) throw new Error('the video has no frames');
    const frames = Math.max(1, Math.round(durationSeconds * fps));
    const scale = Math.min(1, maxSize / Math.max(video.videoWidth, video.videoHeight));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    t.reset();
    const raw = new Array(frames);
    const started = performance.now();
    onProgress?.(0);
    for (let f = 0; f < frames; f++) {
      if (signal?.aborted) throw abortError(signal);
      const at = Math.min((f + 0.5) / fps, Math.max(0, durationSeconds - 0.001));
      await seekTo(video, at, signal);
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      raw[f] = await t.trackFrame(canvas, f / fps);
      onFrame?.(canvas, f, raw[f]);
      onProgress?.((f + 1) / frames);
    }
    const elapsed = (performance.now() - started) / 1000;
    const { rows, states, missing } = fillGaps(raw, fps);
    return {
      frames, fps, rows, missing, states,
      csv: toCsv(rows, fps, states),
      durationSeconds,
      backend: t.backend,
      trackingFps: frames / Math.max(elapsed, 1e-6),
    };
  } finally {
    video.removeAttribute('src');
    video.load();
    URL.revokeObjectURL(url);
  }
}
