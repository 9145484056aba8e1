// Test videos, made with ffmpeg at test time (nothing binary is committed). The faces are real
// photographs shipped in @vladmandic/human's npm tarball (assets/screenshot-faceid.jpg, a
// webcam shot of the library's author, and assets/screenshot-facematch.jpg, a grid of face
// crops), installed in src/AvatarLab.Server/node_modules by run.sh.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ASSETS = path.resolve(here, '..', '..', 'src', 'AvatarLab.Server', 'node_modules', '@vladmandic', 'human', 'assets');

/** Frame ranges [first, last] of the face video's segments (25 fps, 480x360, 125 frames). */
export const SEGMENTS = Object.freeze({
  /** the webcam face, rotated clockwise on screen by ROLL_AMPLITUDE * sin(pi * t), t = f / 25 */
  rotating: [0, 49],
  /** black: a 7-frame (0.28 s) gap, held */
  shortGap: [50, 56],
  /** a smiling face with the mouth open (teeth showing) */
  smiling: [57, 68],
  /** a face turned toward the viewer's left (the subject's right) */
  turned: [69, 80],
  /** the same face mirrored: turned toward the viewer's right */
  turnedMirrored: [81, 92],
  /** black: a 20-frame (0.8 s) gap, dropped */
  longGap: [93, 112],
  /** the webcam face, upright and still (neutral mouth) */
  still: [113, 124],
});
export const FACE_VIDEO_FRAMES = 125;
export const ROLL_AMPLITUDE = 0.3;

const count = ([a, b]) => b - a + 1;

function ffmpeg(args) {
  try {
    execFileSync('nice', ['-n', '19', 'ffmpeg', '-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    throw new Error(`ffmpeg failed: ${err.stderr?.toString().trim() || err.message}`);
  }
}

/**
 * The face video (WebM, VP8). Every frame carries its index in binary along the bottom 16 rows
 * (8 blocks of 60 px, bit k in block k, white = 1), so the test can check that seeking drew
 * the right frame.
 */
export function makeFaceVideo(dir) {
  const out = path.join(dir, 'faces.webm');
  const s = SEGMENTS;
  const face = 'scale=260:260,pad=480:360:110:42:black,setsar=1';
  const black = (n, label) => `color=c=black:s=480x360:r=25,trim=end_frame=${n},setsar=1[${label}]`;
  const still = (input, pre, label, n) => `${input}${pre}${face},trim=end_frame=${n},setpts=PTS-STARTPTS[${label}]`;
  const strip = (ch) => `${ch}='if(gte(Y,344),255*mod(floor(N/pow(2,floor(X/60))),2),${ch}(X,Y))'`;
  const graph = [
    '[0:v]crop=136:136:16:146,split=2[man1][man2]',
    '[1:v]split=3[g1][g2][g3]',
    `[man1]${face},rotate=a='${ROLL_AMPLITUDE}*sin(PI*t)':c=black,trim=end_frame=${count(s.rotating)},setpts=PTS-STARTPTS[a]`,
    black(count(s.shortGap), 'b'),
    still('[g1]', 'crop=104:104:644:392,', 'c1', count(s.smiling)),
    still('[g2]', 'crop=104:104:1072:392,', 'c2', count(s.turned)),
    still('[g3]', 'crop=104:104:1072:392,hflip,', 'c3', count(s.turnedMirrored)),
    black(count(s.longGap), 'd'),
    still('[man2]', '', 'e', count(s.still)),
    `[a][b][c1][c2][c3][d][e]concat=n=7:v=1:a=0,format=rgb24,geq=${strip('r')}:${strip('g')}:${strip('b')},format=yuv420p[out]`,
  ].join(';');
  ffmpeg([
    '-loop', '1', '-framerate', '25', '-i', path.join(ASSETS, 'screenshot-faceid.jpg'),
    '-loop', '1', '-framerate', '25', '-i', path.join(ASSETS, 'screenshot-facematch.jpg'),
    '-filter_complex', graph, '-map', '[out]', '-frames:v', String(FACE_VIDEO_FRAMES), '-r', '25',
    '-c:v', 'libvpx', '-b:v', '2M', '-crf', '8', '-threads', '1', out,
  ]);
  return out;
}

/** A 2 s ffmpeg testsrc clip (no face), H.264 in MP4. */
export function makeTestsrcVideo(dir) {
  const out = path.join(dir, 'testsrc.mp4');
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=480x360:rate=25:duration=2', '-c:v', 'libx264', '-preset', 'veryfast',
    '-pix_fmt', 'yuv420p', '-threads', '1', '-movflags', '+faststart', out]);
  return out;
}

/**
 * A 2 s testsrc clip (no face) as WebM without duration or cues, like MediaRecorder writes
 * (Chromium reports its duration as Infinity until it is sought to the end).
 */
export function makeLiveWebm(dir) {
  const out = path.join(dir, 'testsrc-live.webm');
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=2', '-c:v', 'libvpx', '-b:v', '1M',
    '-threads', '1', '-f', 'webm', '-live', '1', out]);
  return out;
}

/**
 * Still pictures of GALLERY_SIZE different real faces (the first row of the facematch grid,
 * each 104 px crop scaled to 240 px on a 360 px black square); returns their file names.
 */
export const GALLERY_SIZE = 18;
export function makeGallery(dir) {
  const names = [];
  const chains = [];
  const maps = [];
  for (let i = 0; i < GALLERY_SIZE; i++) {
    const name = `gallery-${String(i).padStart(2, '0')}.png`;
    names.push(name);
    chains.push(`[s${i}]crop=104:104:${2 + 107 * i}:280,scale=240:240,pad=360:360:60:60:black[o${i}]`);
    maps.push('-map', `[o${i}]`, '-frames:v', '1', path.join(dir, name));
  }
  const split = `[0:v]split=${GALLERY_SIZE}${names.map((_, i) => `[s${i}]`).join('')}`;
  ffmpeg(['-i', path.join(ASSETS, 'screenshot-facematch.jpg'), '-filter_complex', [split, ...chains].join(';'), ...maps]);
  return names;
}

export function assetsPresent() {
  return ['screenshot-faceid.jpg', 'screenshot-facematch.jpg'].every((f) => fs.existsSync(path.join(ASSETS, f)));
}
