"""Built-in audio features of the reference model: causal log-mel, defined to the last constant.

The C# engine (src/AvatarLab.Inference) recomputes exactly these numbers from raw audio,
so every choice below is part of a contract and is restated in docs/audio-features.md.
Change nothing here without changing both and the parity test.

Definition, for 16 kHz mono audio and 25 fps video (640 samples per video frame):
- hop 160 samples (10 ms), so 4 analysis frames per video frame (manifest
  features.audio.framesPerVideoFrame = 4);
- analysis frame h covers samples [(h + 1) * 160 - 400, (h + 1) * 160): a 400-sample
  (25 ms) window that *ends* at the end of its hop, so video frame f depends only on
  samples before (f + 1) * 640 (causal; samples before 0 are zeros);
- periodic Hann window of 400 samples, w[n] = 0.5 - 0.5 cos(2 pi n / 400), zero-padded
  on the right to n_fft = 512; power spectrum |X[k]|^2 for k = 0..256;
- 80 triangular mel filters (melBins of the manifest; other packages may declare another count), HTK mel scale m(f) = 2595 log10(1 + f / 700), band edges
  equally spaced in mel from 0 Hz to 8000 Hz (82 edge points), weights evaluated at the
  FFT bin frequencies k * 16000 / 512, peak height 1 (no area normalisation);
- log: ln(max(mel_power, 1e-10)); normalisation: (log - LOG_OFFSET) / LOG_SCALE with
  fixed constants (no per-utterance statistics, so streaming gives the same numbers);
- layout per video frame: feature[f, j * 80 + m] for analysis frame j = 0..3 of the video
  frame and mel bin m, i.e. 320 values per frame (4 * melBins in general).
Computed in float64, returned as float32.
"""

from __future__ import annotations

import functools

import numpy as np

SAMPLE_RATE = 16000
FPS = 25
SAMPLES_PER_FRAME = SAMPLE_RATE // FPS  # 640
HOP = 160
WINDOW = 400
N_FFT = 512
MEL_BINS = 80
FRAMES_PER_VIDEO_FRAME = SAMPLES_PER_FRAME // HOP  # 4
FEATURE_DIM = MEL_BINS * FRAMES_PER_VIDEO_FRAME  # 320
F_MIN = 0.0
F_MAX = 8000.0
LOG_FLOOR = 1e-10
# Chosen so that speech at conversational level lands around [-1, 3] and the floor of
# silence around -6.5: keeps the network's inputs O(1) without data-dependent statistics.
LOG_OFFSET = -4.0
LOG_SCALE = 4.0


def hz_to_mel(f):
    return 2595.0 * np.log10(1.0 + np.asarray(f, dtype=np.float64) / 700.0)


def mel_to_hz(m):
    return 700.0 * (10.0 ** (np.asarray(m, dtype=np.float64) / 2595.0) - 1.0)


@functools.lru_cache(maxsize=4)
def mel_filterbank(mel_bins: int = MEL_BINS) -> np.ndarray:
    """[mel_bins, N_FFT // 2 + 1] triangular filters (float64)."""
    edges_hz = mel_to_hz(np.linspace(hz_to_mel(F_MIN), hz_to_mel(F_MAX), mel_bins + 2))
    bin_hz = np.arange(N_FFT // 2 + 1, dtype=np.float64) * SAMPLE_RATE / N_FFT
    fb = np.zeros((mel_bins, N_FFT // 2 + 1), dtype=np.float64)
    for m in range(mel_bins):
        lo, centre, hi = edges_hz[m], edges_hz[m + 1], edges_hz[m + 2]
        rising = (bin_hz - lo) / (centre - lo)
        falling = (hi - bin_hz) / (hi - centre)
        fb[m] = np.maximum(0.0, np.minimum(rising, falling))
    return fb


def hann_window() -> np.ndarray:
    n = np.arange(WINDOW, dtype=np.float64)
    return 0.5 - 0.5 * np.cos(2.0 * np.pi * n / WINDOW)


_WINDOW = hann_window()


def logmel(audio: np.ndarray, mel_bins: int = MEL_BINS) -> np.ndarray:
    """Features [T, 4 * mel_bins] float32 for mono audio of T * 640 samples (a trailing partial frame is dropped).

    mel_bins is the manifest's features.audio.melBins (80 for the reference model).
    """
    audio = np.asarray(audio, dtype=np.float64)
    frames = len(audio) // SAMPLES_PER_FRAME
    hops = frames * FRAMES_PER_VIDEO_FRAME
    padded = np.concatenate([np.zeros(WINDOW - HOP), audio[: frames * SAMPLES_PER_FRAME]])
    # Analysis frame h starts at h * HOP in the padded signal (= (h + 1) * HOP - WINDOW in the original).
    idx = np.arange(hops)[:, None] * HOP + np.arange(WINDOW)[None, :]
    segments = padded[idx] * _WINDOW[None, :]
    spectrum = np.fft.rfft(segments, n=N_FFT, axis=1)
    power = spectrum.real ** 2 + spectrum.imag ** 2
    mel = power @ mel_filterbank(mel_bins).T
    log = (np.log(np.maximum(mel, LOG_FLOOR)) - LOG_OFFSET) / LOG_SCALE
    return log.reshape(frames, FRAMES_PER_VIDEO_FRAME * mel_bins).astype(np.float32)
