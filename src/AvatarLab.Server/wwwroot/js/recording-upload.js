// The recordings page's upload: when a user video comes without a motion track, its track is
// made in the browser by the face tracker (the same module the live view uses) before upload.

/** @returns {{name: string, size: number} | null} */
function fileOf(input) {
  return input && input.files && input.files.length > 0 ? input.files[0] : null;
}

let tracking = null;

/**
 * Tracks the face in the chosen video and returns the face-params/1 CSV, reporting progress
 * through dotnet.OnTrackingProgress(fraction).
 */
export async function trackVideo(videoInput, dotnet) {
  const file = fileOf(videoInput);
  if (!file) return null;
  const module = await import('./facetrack/facetrack.js');
  tracking = new AbortController();
  const result = await module.trackVideoFile(file, {
    fps: 25,
    signal: tracking.signal,
    onProgress: (p) => dotnet.invokeMethodAsync('OnTrackingProgress', p),
  });
  tracking = null;
  return { csv: result.csv, frames: result.frames, missing: result.missing };
}

export function cancelTracking() {
  if (tracking) tracking.abort();
}

/** Names and sizes of the chosen files, by field. */
export function describeAll(inputs) {
  const out = {};
  for (const { field, input } of inputs) {
    const f = fileOf(input);
    if (f) out[field] = { name: f.name, size: f.size };
  }
  return out;
}

export function clearAll(inputs) {
  for (const { input } of inputs) if (input) input.value = '';
}
