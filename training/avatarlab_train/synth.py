"""Synthetic dyadic conversations: the training data of the small reference model.

A conversation is a user (the person talking to the avatar) and an avatar taking turns:
16 kHz audio of each (espeak-ng speech, synthetic laughter, background noise), both face
tracks in face-params/1 at 25 fps, and per-frame speaking and laughing labels.

The avatar's track follows fixed interaction rules -- lips from its own audio, nods and
backchannels while the user talks (most at the user's short pauses; with --generator synth/2
mostly on the user's stressed syllables), delayed smile
mirroring, laughing back when the user laughs, gaze at the user while listening and
away while speaking -- so that a model trained on it has something learnable, and the
reaction probes AvatarLab computes (nod ratio, smile mirroring, lip-sync proxy) have known
targets. `self_check` computes them.

face-params/1 leaves signs to the producer; here head_pitch > 0 is chin up (a nod is a
dip below the resting pitch), gaze_x > 0 is to the right and gaze_y > 0 is up.

    cd training && /usr/bin/python3 -m avatarlab_train.synth --out data/synth \
        --train 400 --val 40 --test 40 --seconds 30 --seed 1 --jobs 2
"""

from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
import shutil
import subprocess
import sys
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.signal import butter, resample_poly, sosfiltfilt

from .features import FPS, SAMPLE_RATE, SAMPLES_PER_FRAME

CHANNELS = ["head_yaw", "head_pitch", "head_roll", "jaw_open", "mouth_smile", "mouth_pucker",
            "blink_left", "blink_right", "brow_left", "brow_right", "gaze_x", "gaze_y"]
# Generator versions: synth/1 (the reference model's data) and synth/2, where the listening
# avatar's nods follow the user's stressed syllables (an experiment: MODEL_CARD.md).
GENERATORS = ("synth/1", "synth/2")
GENERATOR_VERSION = GENERATORS[0]  # the default
# Conversation seed = seed * SEED_STRIDE + split offset + index; offsets this far apart keep
# the three splits disjoint for any count the CLI accepts (MAX_PER_SPLIT).
SEED_STRIDE = 1_000_003
SPLIT_OFFSETS = {"train": 0, "val": 300_000, "test": 600_000}
MAX_PER_SPLIT = 300_000
MIN_SECONDS = 2.0  # room for a turn, and for the 1.5 s of lags the smile check scans

_YAW, _PITCH, _ROLL, _JAW, _SMILE, _PUCKER, _BLINK_L, _BLINK_R, _BROW_L, _BROW_R, _GAZE_X, _GAZE_Y = range(12)
_LOW = np.array([-0.6, -0.6, -0.6, 0, -1, 0, 0, 0, -1, -1, -1, -1], dtype=np.float64)
_HIGH = np.array([0.6, 0.6, 0.6, 1, 1, 1, 1, 1, 1, 1, 1, 1], dtype=np.float64)

ESPEAK_RATE = 22050  # espeak-ng's fixed output rate; 16000 / 22050 = 320 / 441
# Variants shipped with espeak-ng (espeak-ng-data/voices/!v); the mbrola voices listed by
# `espeak-ng --voices` need separate packages and are left out.
_ESPEAK_BASES = ["en-us", "en", "en-gb-x-rp", "en-gb-scotland", "en-029", "en-us-nyc", "en-gb-x-gbclan"]
_ESPEAK_VARIANTS = ["", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5"]

# A frame (or 10 ms hop) counts as voiced when its RMS is within 30 dB of the speaker's peak
# level: below every vowel and most consonants of espeak speech, above the gaps between
# words and the background noise.
_VOICED_DB = -30.0

USER, AVATAR = 0, 1
_PREFIX = ("user", "avatar")

# --- text ------------------------------------------------------------------------------

_OPENERS = ["well", "so", "you know", "actually", "honestly", "I mean", "oh", "okay so", "and", "anyway"]
_SUBJECTS = ["I", "we", "my sister", "the team", "our neighbour", "my friend", "everyone", "the kids",
             "my boss", "you", "my brother", "they", "nobody", "the teacher"]
# Past tense throughout, so any subject agrees with any verb.
_VERBS = ["talked about", "remembered", "really liked", "never understood", "wanted to try", "heard about",
          "used to visit", "kept forgetting", "finally finished", "told me about", "found", "complained about",
          "laughed at", "painted", "planned", "missed"]
_OBJECTS = ["the new project", "that little cafe", "the long weekend", "a trip to the coast", "the garden",
            "the old car", "this recipe", "the concert last week", "the meeting", "a book about birds",
            "the train schedule", "the rainy season", "the football match", "a movie about robots",
            "the birthday party", "our old apartment", "the mountain trail", "the video call"]
_TAILS = ["yesterday", "last summer", "every morning", "after work", "with my parents", "for some reason",
          "to be honest", "again and again", "on the weekend", "for hours", "in the end"]
_LINKS = ["because", "and then", "but", "so", "although"]
_QUESTIONS = ["what do you think", "have you ever tried that", "does that make sense", "you know what I mean",
              "right", "can you believe it"]
# "[[...]]" is espeak phoneme input: spelled as text, "mm-hmm" comes out as "em em hum".
_BACKCHANNELS = ["yeah", "right", "[[@m'h@m]]", "uh huh", "okay", "I see", "sure", "[[mhm]]"]


def _sentence(rng: np.random.Generator) -> str:
    def pick(words: list[str]) -> str:
        return words[rng.integers(len(words))]

    parts = []
    if rng.random() < 0.4:
        parts.append(pick(_OPENERS) + ",")
    parts += [pick(_SUBJECTS), pick(_VERBS), pick(_OBJECTS)]
    if rng.random() < 0.5:
        parts.append(pick(_TAILS))
    if rng.random() < 0.35:
        parts[-1] += ","
        parts += [pick(_LINKS), pick(_SUBJECTS), pick(_VERBS), pick(_OBJECTS)]
    text = " ".join(parts)
    text = text[0].upper() + text[1:]
    return text + (", " + pick(_QUESTIONS) + "?" if rng.random() < 0.2 else ".")


def _turn_ssml(rng: np.random.Generator) -> str:
    """1-3 sentences; SSML breaks between them make the short pauses (<1 s) inside a turn."""
    n = rng.choice([1, 2, 3], p=[0.35, 0.4, 0.25])
    text = _sentence(rng)
    for _ in range(n - 1):
        if rng.random() < 0.8:
            text += f' <break time="{int(rng.integers(150, 600))}ms"/>'
        text += " " + _sentence(rng)
    return f"<speak>{text}</speak>"


# --- audio -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Voice:
    name: str      # espeak voice, e.g. "en-gb-x-rp+f3"
    rate: int      # words per minute
    pitch: int     # espeak pitch 0..99
    peak: float    # linear peak level of this speaker's speech: the per-speaker gain
    laugh_f0: float


def _draw_voices(rng: np.random.Generator) -> tuple[_Voice, _Voice]:
    variants = rng.choice(len(_ESPEAK_VARIANTS), size=2, replace=False)  # two audibly different voices
    voices = []
    for v in variants:
        variant = _ESPEAK_VARIANTS[v]
        base = _ESPEAK_BASES[rng.integers(len(_ESPEAK_BASES))]
        pitch = int(rng.integers(30, 71))
        # Laughter is synthesized here, not by espeak: give it a pitch that fits the voice.
        f0 = (210.0 if variant.startswith("f") else 125.0) * 2 ** ((pitch - 50) / 100) * rng.uniform(0.9, 1.15)
        voices.append(_Voice(name=base + ("+" + variant if variant else ""), rate=int(rng.integers(130, 191)),
                             pitch=pitch, peak=float(rng.uniform(0.25, 0.8)), laugh_f0=f0))
    return voices[0], voices[1]


@functools.lru_cache(maxsize=128)  # backchannels repeat within a conversation
def _espeak(text: str, voice: str, rate: int, pitch: int) -> np.ndarray:
    """espeak-ng speech at 16 kHz, peak-normalized, silence trimmed (read-only array)."""
    # SSML mode only when needed: it breaks phoneme input ("[[...]]").
    cmd = ["espeak-ng", *(["-m"] if text.startswith("<speak>") else []),
           "-v", voice, "-s", str(rate), "-p", str(pitch), "--stdout", text]
    out = subprocess.run(cmd, capture_output=True, check=True).stdout
    # Streaming to stdout leaves the RIFF sizes unset, so read to the end of the data chunk.
    rate_hz = int.from_bytes(out[24:28], "little")
    if out[:4] != b"RIFF" or rate_hz != ESPEAK_RATE:
        raise RuntimeError(f"unexpected espeak-ng output for voice {voice} ({rate_hz} Hz)")
    start = out.index(b"data") + 8
    pcm = np.frombuffer(out[start:start + (len(out) - start) // 2 * 2], dtype="<i2") / 32768.0
    x = resample_poly(pcm, 320, 441)
    loud = np.flatnonzero(np.abs(x) > 0.01 * np.abs(x).max())
    x = x[loud[0]:loud[-1] + 1] / np.abs(x).max()
    x.setflags(write=False)
    return x


def _laugh(rng: np.random.Generator, f0: float, peak: float) -> np.ndarray:
    """A burst of 3-6 voiced "ha" pulses at about 5 Hz, 0.5-1.5 s in all."""
    n = int(rng.integers(3, 7))
    period = 1.0 / rng.uniform(4.2, 5.8)
    length = int((n * period + 0.25) * SAMPLE_RATE)
    voiced = np.zeros(length)
    breath = np.zeros(length)
    for i in range(n):
        onset = i * period + rng.uniform(0.0, 0.02)
        dur = period * rng.uniform(0.55, 0.75)
        t = np.arange(int(dur * SAMPLE_RATE)) / SAMPLE_RATE
        f = f0 * (1.25 - 0.3 * i / n)  # pitch falls over the burst, like real laughter
        harmonics = np.arange(1, int(3500 / f) + 1)
        phases = rng.uniform(0, 2 * np.pi, len(harmonics))
        tone = (np.sin(2 * np.pi * f * np.outer(t, harmonics) + phases) / harmonics).sum(axis=1)
        env = (1 - np.exp(-t / 0.015)) * np.exp(-t / (0.45 * dur)) * (1.0 - 0.4 * i / n)
        h = np.exp(-t / 0.03)  # the "h": breath noise leading each pulse
        s = int(onset * SAMPLE_RATE)
        voiced[s:s + len(t)] += tone * env
        breath[s:s + len(t)] += rng.standard_normal(len(t)) * (0.6 * h + 0.15 * env)
    # Formant-ish shaping: two resonances near the F1 / F2 of an open "a" (about 800 / 1250 Hz),
    # applied to voice and breath alike as a vocal tract would.
    out = np.zeros(length)
    for fc, bw in ((rng.uniform(700, 900), 160.0), (rng.uniform(1100, 1400), 220.0)):
        sos = butter(2, [fc - bw / 2, fc + bw / 2], btype="bandpass", fs=SAMPLE_RATE, output="sos")
        out += sosfiltfilt(sos, voiced + 0.5 * breath)
    out += 0.05 * voiced
    return out * (peak * rng.uniform(0.6, 0.9) / np.abs(out).max())


def _background_noise(rng: np.random.Generator, n: int) -> np.ndarray:
    """Noise between white and pink at -50..-35 dBFS RMS."""
    alpha = rng.uniform(0.0, 1.0)  # spectral slope: 0 white, 1 pink
    spec = rng.standard_normal(n // 2 + 1) + 1j * rng.standard_normal(n // 2 + 1)
    spec /= np.maximum(np.arange(n // 2 + 1), 1) ** (alpha / 2)
    x = np.fft.irfft(spec, n)
    return x * (10 ** (rng.uniform(-50, -35) / 20) / np.sqrt(np.mean(x ** 2)))


def _frame_rms(x: np.ndarray, hop: int = SAMPLES_PER_FRAME) -> np.ndarray:
    n = len(x) // hop
    return np.sqrt(np.mean(x[:n * hop].reshape(n, hop) ** 2, axis=1))


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of True."""
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1)))


def _bridge(mask: np.ndarray, longest: int) -> np.ndarray:
    """mask with its inner gaps of at most `longest` frames filled."""
    out = mask.copy()
    for a, b in _runs(~mask):
        if 0 < a and b < len(mask) and b - a <= longest:
            out[a:b] = True
    return out


def _inner_pauses(voiced: np.ndarray, step_s: float, shortest: float, longest: float) -> list[tuple[float, float]]:
    """Unvoiced runs strictly inside a voiced stretch with length in [shortest, longest] s, in s."""
    gaps = []
    for a, b in _runs(~voiced):
        if a > 0 and b < len(voiced) and shortest <= (b - a) * step_s <= longest:
            gaps.append((a * step_s, b * step_s))
    return gaps


# --- conversation plan -------------------------------------------------------------------

@dataclass
class _Plan:
    """Everything per speaker (index USER / AVATAR); times in seconds."""
    speech: list[np.ndarray]  # speech incl. backchannels, placed
    laugh: list[np.ndarray]   # laughter, placed
    turns: list[list[tuple[float, float]]] = field(default_factory=lambda: [[], []])  # floor held: start, end
    backchannels: list[list[float]] = field(default_factory=lambda: [[], []])         # onsets
    laughs: list[list[tuple[float, float]]] = field(default_factory=lambda: [[], []])  # start, end


def _place(track: np.ndarray, signal: np.ndarray, start_s: float) -> float:
    """Adds signal at start_s (cut at the track's end); returns its end time in s."""
    s = int(round(start_s * SAMPLE_RATE))
    n = max(0, min(len(signal), len(track) - s))
    track[s:s + n] += signal[:n]
    return (s + len(signal)) / SAMPLE_RATE


def _plan_conversation(rng: np.random.Generator, seconds: float, samples: int, voices: tuple[_Voice, _Voice]) -> _Plan:
    plan = _Plan(speech=[np.zeros(samples), np.zeros(samples)], laugh=[np.zeros(samples), np.zeros(samples)])
    hop = 160  # 10 ms: fine enough to time backchannels into a pause
    # The avatar backchannels more readily than the user: it is the rule the model must learn.
    backchannel_p = (0.3, 0.55)

    def laugh_at(who: int, start: float) -> float:
        end = _place(plan.laugh[who], _laugh(rng, voices[who].laugh_f0, voices[who].peak), start)
        plan.laughs[who].append((start, end))
        return end

    t = rng.uniform(0.2, 1.0)
    speaker = int(rng.integers(2))
    while t < seconds - 0.8:
        listener = 1 - speaker
        v = voices[speaker]
        audio = np.array(_espeak(_turn_ssml(rng), v.name, v.rate, v.pitch)) * v.peak * rng.uniform(0.85, 1.0)
        dur = len(audio) / SAMPLE_RATE
        interrupted = dur > 2.5 and rng.random() < 0.12
        if interrupted:
            cut_in = t + rng.uniform(0.5, 0.85) * dur
            stop = int((cut_in + rng.uniform(0.25, 0.7) - t) * SAMPLE_RATE)
            audio = audio[:stop]
            fade = min(len(audio), 800)  # 50 ms: the interrupted speaker trails off, no click
            audio[-fade:] *= np.linspace(1, 0, fade)
        end = _place(plan.speech[speaker], audio, t)
        plan.turns[speaker].append((t, min(end, seconds)))

        voiced = 20 * np.log10(_frame_rms(audio, hop) / v.peak + 1e-9) > _VOICED_DB
        floor_end = cut_in if interrupted else end
        for gap_start, _ in _inner_pauses(voiced, hop / SAMPLE_RATE, 0.25, 1.0):
            at = t + gap_start + rng.uniform(0.05, 0.25)
            if at < floor_end - 0.3 and rng.random() < backchannel_p[listener]:
                lv = voices[listener]
                word = _BACKCHANNELS[rng.integers(len(_BACKCHANNELS))]
                bc = np.array(_espeak(word, lv.name, lv.rate, lv.pitch)) * lv.peak * rng.uniform(0.5, 0.8)
                _place(plan.speech[listener], bc, at)
                plan.backchannels[listener].append(at)

        if interrupted:
            t = cut_in
        else:
            t = end + rng.uniform(0.3, 1.5)
            if rng.random() < 0.3:
                # Laughter after a turn: mostly the user's, and the avatar laughs back (the rule);
                # the user laughs back at the avatar less reliably.
                first = USER if rng.random() < 0.7 else AVATAR
                start = end + rng.uniform(0.0, 0.3)
                last_end = laugh_at(first, start)
                if first == USER and rng.random() < 0.85:
                    last_end = max(last_end, laugh_at(AVATAR, start + rng.uniform(0.2, 0.4)))
                elif first == AVATAR and rng.random() < 0.3:
                    last_end = max(last_end, laugh_at(USER, start + rng.uniform(0.2, 0.6)))
                t = max(t, last_end + rng.uniform(0.3, 0.8))
        speaker = listener
    return plan


# --- motion ------------------------------------------------------------------------------

def _times(frames: int) -> np.ndarray:
    return np.arange(frames) / FPS


def _event(frames: int, start: float, rise: float, hold: float, decay: float) -> np.ndarray:
    """0..1 curve: raised-cosine rise from start, hold, raised-cosine decay."""
    t = _times(frames) - start
    up = 0.5 - 0.5 * np.cos(np.pi * np.clip(t / rise, 0, 1))
    down = 0.5 + 0.5 * np.cos(np.pi * np.clip((t - rise - hold) / decay, 0, 1))
    return np.where(t < rise + hold, up, down)


def _noise(rng: np.random.Generator, frames: int, band: tuple[float, float] | float, std: float) -> np.ndarray:
    """Band-limited noise of the given std; a float band is a low-pass cutoff in Hz."""
    pad = 2 * FPS
    x = rng.standard_normal(frames + 2 * pad)
    if isinstance(band, tuple):
        sos = butter(2, band, btype="bandpass", fs=FPS, output="sos")
    else:
        sos = butter(2, band, fs=FPS, output="sos")
    y = sosfiltfilt(sos, x)[pad:-pad]
    return y * (std / y.std())


def _add_nod(pitch: np.ndarray, start: float, freq: float, cycles: int, amp: float) -> float:
    """Head dips of amp rad at freq Hz from start; returns the end time (s)."""
    t = _times(len(pitch)) - start
    active = (t >= 0) & (t < cycles / freq)
    pitch[active] -= amp * 0.5 * (1 - np.cos(2 * np.pi * freq * t[active]))
    return start + cycles / freq


def _nods(rng: np.random.Generator, pitch: np.ndarray, candidates: list[float], amp: tuple[float, float],
          allowed: np.ndarray | None = None) -> None:
    """Nod bursts at the candidate times, skipping any that would start inside the previous one.
    With `allowed`, a burst is shortened to fit inside the allowed frames, or dropped."""
    busy_until = -1.0
    for at in sorted(candidates):
        if at < busy_until:
            continue
        freq = rng.uniform(1.2, 3.5)
        cycles = min(int(rng.integers(1, 4)), max(1, int(1.5 * freq)))  # a burst lasts at most 1.5 s
        a = int(at * FPS)
        if allowed is not None:
            while cycles > 0 and not allowed[a:int(np.ceil((at + cycles / freq) * FPS))].all():
                cycles -= 1
        if cycles > 0:
            busy_until = _add_nod(pitch, at, freq, cycles, rng.uniform(*amp)) + 0.2


STRESS_DB = -12.0     # a stressed syllable: a loudness peak at least this loud (dB re the speaker's peak)
STRESS_GAP_S = 0.8    # stresses a listener nods to are at least this far apart
STRESS_NOD_P = 0.85   # chance of a nod on each


def _stresses(loud_db: np.ndarray, allowed: np.ndarray) -> list[float]:
    """Times (s) of a speaker's stressed syllables inside `allowed`: local loudness maxima at
    least STRESS_DB re the speaker's peak, taken in time order at least STRESS_GAP_S apart."""
    peak = (loud_db[1:-1] >= loud_db[:-2]) & (loud_db[1:-1] > loud_db[2:]) & (loud_db[1:-1] >= STRESS_DB)
    times, last = [], -np.inf
    for f in np.flatnonzero(peak) + 1:
        if allowed[f] and f / FPS - last >= STRESS_GAP_S:
            times.append(f / FPS)
            last = f / FPS
    return times


def _poisson_times(rng: np.random.Generator, rate_per_frame: np.ndarray) -> list[float]:
    """Event times of an inhomogeneous Poisson process given a per-frame rate (events/s)."""
    frames = np.flatnonzero(rng.random(len(rate_per_frame)) < rate_per_frame / FPS)
    return list((frames + rng.random(len(frames))) / FPS)


def _blinks(rng: np.random.Generator, frames: int) -> np.ndarray:
    """Blinks of both eyes, Poisson at 15-20 per minute, 100-200 ms closures."""
    rate = rng.uniform(15, 20) / 60
    curve = np.zeros(frames)
    t = rng.uniform(0, 2)
    while t < frames / FPS:
        half = rng.uniform(0.1, 0.2) / 2
        d = np.abs(_times(frames) - t)
        curve = np.maximum(curve, np.where(d < half, 0.5 + 0.5 * np.cos(np.pi * d / half), 0))
        t += max(0.3, rng.exponential(1 / rate))
    return curve


def _mask(frames: int, spans: list[tuple[float, float]], before: float = 0.0) -> np.ndarray:
    m = np.zeros(frames, dtype=bool)
    for a, b in spans:
        m[max(0, int(round((a - before) * FPS))):max(0, int(round(b * FPS)))] = True
    return m


def _gaze(rng: np.random.Generator, frames: int, away: np.ndarray, p_away: tuple[float, float]) -> np.ndarray:
    """[frames, 2] gaze: fixations of 0.4-2 s, looking away with p_away[away state] else at the
    other person (near 0, 0); saccades smoothed over about 120 ms."""
    g = np.zeros((frames, 2))
    f = 0
    while f < frames:
        n = int(rng.uniform(0.4, 2.0) * FPS)
        if rng.random() < p_away[int(away[f])]:
            target = [rng.choice([-1, 1]) * rng.uniform(0.25, 0.7), rng.uniform(-0.3, 0.4)]
        else:
            target = rng.normal(0, 0.05, 2)
        g[f:f + n] = target
        f += n
    kernel = np.ones(3) / 3
    g = np.stack([np.convolve(np.pad(g[:, i], 1, mode="edge"), kernel, "valid") for i in range(2)], axis=1)
    return g + rng.normal(0, 0.015, g.shape)


def _emphasis_times(loud_db: np.ndarray, speaking: np.ndarray, rng: np.random.Generator, p: float) -> list[float]:
    """Stressed moments: loudness maxima of the own voice in its loudest quarter, at least 1.2 s
    apart, each kept with probability p."""
    if not speaking.any():
        return []
    smooth = np.convolve(loud_db, np.ones(5) / 5, "same")
    threshold = np.percentile(smooth[speaking], 75)
    peaks: list[float] = []
    for f in np.argsort(-smooth):  # loudest first, so each kept peak dominates its 1.2 s
        if smooth[f] < threshold:
            break
        if speaking[f] and all(abs(f / FPS - x) > 1.2 for x in peaks):
            peaks.append(f / FPS)
    return sorted(x for x in peaks if rng.random() < p)


@dataclass
class _Own:
    """What a person's face follows in their own voice."""
    loud_db: np.ndarray     # per-frame loudness of speech + laughter, dB re the speaker's peak
    jaw: np.ndarray
    pucker: np.ndarray
    speaking: np.ndarray    # bool labels
    laughing: np.ndarray    # bool labels


def _own_voice(rng: np.random.Generator, plan: _Plan, who: int, voice: _Voice, frames: int) -> _Own:
    speech_db = 20 * np.log10(_frame_rms(plan.speech[who]) / voice.peak + 1e-9)
    # A lone quiet frame between voiced ones is a stop closure inside a word, not a pause.
    speaking = _bridge(speech_db > _VOICED_DB, 1)
    laughing = np.zeros(frames, dtype=bool)
    for a, b in plan.laughs[who]:
        laughing[int(a * FPS):max(int(a * FPS) + 1, int(round(b * FPS)))] = True

    vocal = plan.speech[who] + plan.laugh[who]
    loud_db = 20 * np.log10(_frame_rms(vocal) / voice.peak + 1e-9)
    # Jaw: loudness mapped linearly in dB (-34 dB re peak closed, -6 dB fully open for this
    # person), modulated by syllable-rate (3-6 Hz) jitter so it is not a pure function of loudness.
    jaw = np.clip((loud_db + 34) / 28, 0, 1) * (1 + _noise(rng, frames, (3.0, 6.0), 0.1))
    jaw = np.convolve(np.pad(jaw, 1, mode="edge"), [0.25, 0.5, 0.25], "valid")
    jaw = jaw * rng.uniform(0.65, 0.95) * np.where(laughing, 1.25, 1.0)

    # Pucker on rounded sounds ("oo", "w", "m"): their energy sits low, so a spectral centroid
    # well below this speaker's median (the lowest 15-20% of voiced frames) rounds the lips.
    x = vocal[:frames * SAMPLES_PER_FRAME].reshape(frames, SAMPLES_PER_FRAME) * np.hanning(SAMPLES_PER_FRAME)
    power = np.abs(np.fft.rfft(x, axis=1)) ** 2
    hz = np.fft.rfftfreq(SAMPLES_PER_FRAME, 1 / SAMPLE_RATE)
    band = (hz > 80) & (hz < 4000)
    centroid = (power[:, band] * hz[band]).sum(axis=1) / (power[:, band].sum(axis=1) + 1e-12)
    median = np.median(centroid[speaking]) if speaking.any() else 1.0
    pucker = np.clip((0.6 * median - centroid) / (0.3 * median), 0, 1) * speaking * rng.uniform(0.5, 0.8)
    pucker = np.convolve(np.pad(pucker, 1, mode="edge"), [0.25, 0.5, 0.25], "valid")
    return _Own(loud_db=loud_db, jaw=jaw, pucker=pucker, speaking=speaking, laughing=laughing)


def _raise_brows(rng: np.random.Generator, m: np.ndarray, times: list[float], amp: tuple[float, float]) -> None:
    for at in times:
        up = rng.uniform(*amp) * _event(len(m), at - 0.1, rng.uniform(0.12, 0.2), rng.uniform(0.2, 0.6),
                                        rng.uniform(0.3, 0.6))
        m[:, _BROW_L] += up
        m[:, _BROW_R] += up * rng.uniform(0.85, 1.0)


def _speech_gestures(rng: np.random.Generator, m: np.ndarray, own: _Own, own_turns: np.ndarray) -> list[float]:
    """Stress in the own speech: a head beat (small quick dip) on some stressed moments; returns
    the stressed moments, where the brows rise."""
    emphasis = _emphasis_times(own.loud_db, own.speaking & own_turns, rng, 0.4)
    for at in emphasis:
        if rng.random() < 0.6:
            _add_nod(m[:, _PITCH], at, rng.uniform(2.0, 3.0), 1, rng.uniform(0.02, 0.04))
    return emphasis


def _base_motion(rng: np.random.Generator, frames: int, own: _Own, laughs: list[tuple[float, float]]) -> np.ndarray:
    """What both faces share: sway, blinks, jaw and pucker from the own voice, laughing posture."""
    m = np.zeros((frames, 12))
    sway = rng.uniform(0.6, 1.4)
    m[:, _YAW] = rng.uniform(-0.05, 0.05) + _noise(rng, frames, 0.25, 0.06 * sway)
    m[:, _PITCH] = rng.uniform(-0.04, 0.04) + _noise(rng, frames, 0.25, 0.03 * sway)
    m[:, _ROLL] = rng.uniform(-0.03, 0.03) + _noise(rng, frames, 0.25, 0.02 * sway)
    m[:, _JAW] = own.jaw
    m[:, _PUCKER] = own.pucker
    blink = _blinks(rng, frames)
    m[:, _BLINK_L] = blink
    m[:, _BLINK_R] = blink * rng.uniform(0.9, 1.0)  # eyes close together, not always equally far
    brow = rng.uniform(-0.05, 0.1) + _noise(rng, frames, 0.3, 0.04)
    m[:, _BROW_L] = brow
    m[:, _BROW_R] = brow + _noise(rng, frames, 0.3, 0.02)
    for a, b in laughs:
        # Laughing throws the head back (chin up) and tilts it a little.
        # Slow rise and decay keep this posture change out of the 1-4 Hz band the nods live in.
        rise = max(0.5, 0.8 * (b - a))
        shape = _event(frames, a - 0.1, rise, max(0.0, b - a - rise), rng.uniform(1.0, 1.5))
        m[:, _PITCH] += rng.uniform(0.06, 0.12) * shape
        m[:, _ROLL] += rng.choice([-1, 1]) * rng.uniform(0.02, 0.06) * shape
    return m


def _smile_episodes(rng: np.random.Generator, frames: int, rate_per_min: float, amp: tuple[float, float]) -> np.ndarray:
    """Smiles at random (Poisson) times: rise, hold, decay."""
    smile = np.zeros(frames)
    t = rng.exponential(60 / rate_per_min)
    while t < frames / FPS:
        ep = rng.uniform(*amp) * _event(frames, t, rng.uniform(0.3, 0.8), rng.uniform(0.5, 3.0), rng.uniform(0.5, 1.5))
        smile = np.maximum(smile, ep)
        t += rng.exponential(60 / rate_per_min)
    return smile


def _with_laugh_smiles(rng: np.random.Generator, smile: np.ndarray, laughs: list[tuple[float, float]]) -> np.ndarray:
    """smile, taken over by a broad smile that starts just before each laugh and outlasts it."""
    frames = len(smile)
    for a, b in laughs:
        weight = _event(frames, a - 0.3, 0.3, b - a + rng.uniform(0.5, 1.5), rng.uniform(0.6, 1.2))
        smile = (1 - weight) * smile + weight * rng.uniform(0.6, 0.9)
    return smile


def _user_motion(rng: np.random.Generator, plan: _Plan, own: _Own, other_turns: np.ndarray, frames: int
                 ) -> tuple[np.ndarray, list[float]]:
    """The user's track and their brow-raise times (the avatar reacts to those)."""
    m = _base_motion(rng, frames, own, plan.laughs[USER])
    smile = rng.uniform(-0.05, 0.1) + _noise(rng, frames, 0.2, 0.04) + _smile_episodes(rng, frames, 10.0, (0.2, 0.7))
    m[:, _SMILE] = _with_laugh_smiles(rng, smile, plan.laughs[USER])

    # Listeners nod now and then, more while the avatar holds the floor.
    rate = np.where(other_turns, 0.12, 0.04)
    _nods(rng, m[:, _PITCH], _poisson_times(rng, rate), (0.04, 0.12))

    own_turns = _mask(frames, plan.turns[USER])
    thinking = _mask(frames, plan.turns[USER], before=0.6)  # the look away before speaking
    gaze = _gaze(rng, frames, thinking, p_away=(0.15, 0.5))
    m[:, _GAZE_X], m[:, _GAZE_Y] = gaze[:, 0], gaze[:, 1]
    m[:, _YAW] += 0.2 * _head_follow(gaze[:, 0])  # the head follows large gaze shifts a little

    brow_times = _speech_gestures(rng, m, own, own_turns)
    brow_times += list(rng.uniform(0, frames / FPS, rng.poisson(frames / FPS / 30)))  # surprise, interest
    _raise_brows(rng, m, brow_times, (0.3, 0.7))
    return m, sorted(brow_times)


def _head_follow(x: np.ndarray) -> np.ndarray:
    """A slow (about 0.7 Hz) follower of x: how the head trails the eyes."""
    sos = butter(1, 0.7, fs=FPS, output="sos")
    return sosfiltfilt(sos, x)


def _avatar_motion(rng: np.random.Generator, plan: _Plan, own: _Own, user: _Own, user_motion: np.ndarray,
                   user_brows: list[float], frames: int, generator: str = GENERATOR_VERSION) -> np.ndarray:
    """The avatar's ground truth: the interaction rules of the module doc, read off the user's
    labels and track and the avatar's own voice."""
    m = _base_motion(rng, frames, own, plan.laughs[AVATAR])
    own_turns = _mask(frames, plan.turns[AVATAR])
    user_turns = _mask(frames, plan.turns[USER])
    listening = user_turns & ~own_turns

    # Nods: the listener's signal. Fairly often while the user speaks (synth/2: mostly on the
    # user's stressed syllables, as a listener nods to the speaker's beat, so that the timing
    # follows the user's voice; a few at random), most at the user's short pauses and with its
    # own backchannels, almost never otherwise.
    hearing = listening & user.speaking & ~own.speaking
    if generator == "synth/2":
        candidates = [at + rng.uniform(0.08, 0.16)
                      for at in _stresses(user.loud_db, hearing) if rng.random() < STRESS_NOD_P]
        candidates += _poisson_times(rng, np.where(hearing, 0.15, 0.005))
    else:
        candidates = _poisson_times(rng, np.where(hearing, 0.5, 0.005))
    for a, _ in _inner_pauses(user.speaking | ~user_turns, 1 / FPS, 0.16, 1.0):
        if listening[int(round(a * FPS))] and rng.random() < 0.6:
            candidates.append(a + rng.uniform(0.1, 0.3))
    candidates += [at + rng.uniform(-0.1, 0.1) for at in plan.backchannels[AVATAR] if rng.random() < 0.7]
    # Nods stay inside the user's turn (pauses under 1 s included): a listener who nods into
    # the silence after a turn would blur the one signal this rule is meant to carry.
    in_turn = _bridge(user.speaking, FPS - 1)
    _nods(rng, m[:, _PITCH], candidates, (0.05, 0.15), allowed=in_turn & listening)

    # Smile mirroring: the user's smile after a per-conversation delay and gain, plus smiling
    # of its own, sized relative to the mirrored part (0.5-1x its std) so that PCC(user smile,
    # avatar smile) lands around 0.7-0.9 however much this user smiles.
    delay = int(round(rng.uniform(0.2, 0.5) * FPS))
    mirrored = rng.uniform(0.6, 1.0) * np.concatenate([np.full(delay, user_motion[0, _SMILE]),
                                                        user_motion[:frames - delay, _SMILE]])
    own_smile = _smile_episodes(rng, frames, 4.0, (0.3, 1.0)) + _noise(rng, frames, 0.2, 0.15)
    own_smile -= own_smile.mean()
    own_smile *= rng.uniform(0.5, 1.0) * max(mirrored.std(), 0.03) / max(own_smile.std(), 1e-6)
    m[:, _SMILE] = _with_laugh_smiles(rng, mirrored + own_smile, plan.laughs[AVATAR])

    # Gaze: at the user while listening or idle, shifting away while it speaks.
    gaze = _gaze(rng, frames, own_turns, p_away=(0.03, 0.55))
    m[:, _GAZE_X], m[:, _GAZE_Y] = gaze[:, 0], gaze[:, 1]
    m[:, _YAW] += 0.2 * _head_follow(gaze[:, 0])

    # Brows: with its own stress, and echoing the user's raises after 0.3-0.6 s.
    brow_times = _speech_gestures(rng, m, own, own_turns)
    brow_times += [at + rng.uniform(0.3, 0.6) for at in user_brows if rng.random() < 0.6]
    _raise_brows(rng, m, brow_times, (0.2, 0.5))
    return m


# --- public API ----------------------------------------------------------------------------

def generate_conversation(seed: int, seconds: float, generator: str = GENERATOR_VERSION) -> dict[str, np.ndarray]:
    """One conversation, fully determined by (seed, seconds, generator). See the module doc for contents."""
    if seconds < MIN_SECONDS:
        raise ValueError(f"seconds must be at least {MIN_SECONDS}")
    if generator not in GENERATORS:
        raise ValueError(f"unknown generator {generator!r} (known: {', '.join(GENERATORS)})")
    rng = np.random.default_rng(seed)
    frames = int(round(seconds * FPS))
    samples = frames * SAMPLES_PER_FRAME
    voices = _draw_voices(rng)
    plan = _plan_conversation(rng, seconds, samples, voices)
    user = _own_voice(rng, plan, USER, voices[USER], frames)
    avatar = _own_voice(rng, plan, AVATAR, voices[AVATAR], frames)
    user_motion, user_brows = _user_motion(rng, plan, user, _mask(frames, plan.turns[AVATAR]), frames)
    avatar_motion = _avatar_motion(rng, plan, avatar, user, user_motion, user_brows, frames, generator)
    conv = {}
    for who, own, motion in ((USER, user, user_motion), (AVATAR, avatar, avatar_motion)):
        audio = plan.speech[who] + plan.laugh[who] + _background_noise(rng, samples)
        conv[f"{_PREFIX[who]}_audio"] = np.clip(audio, -1, 1).astype(np.float32)
        conv[f"{_PREFIX[who]}_motion"] = np.clip(motion, _LOW, _HIGH).astype(np.float32)
        conv[f"{_PREFIX[who]}_speaking"] = own.speaking
        conv[f"{_PREFIX[who]}_laugh"] = own.laughing
    return conv


def _pcc(a: np.ndarray, b: np.ndarray) -> float:
    if len(a) < 2:
        return float("nan")
    a, b = a - a.mean(), b - b.mean()
    d = np.sqrt((a * a).sum() * (b * b).sum())
    return float((a * b).sum() / d) if d > 0 else float("nan")


def _energy_ratio(energy: np.ndarray, num: np.ndarray, den: np.ndarray) -> float:
    if not num.any() or not den.any():
        return float("nan")
    return float(energy[num].mean() / max(energy[den].mean(), 1e-12))


def self_check(conv: dict[str, np.ndarray]) -> dict[str, float]:
    """The reaction probes of the metrics brief on one conversation, from its arrays alone:
    nod_ratio: avatar head_pitch energy in 1-4 Hz while the user speaks and the avatar does not /
      while nobody speaks or laughs, with the user's pauses under 1 s counted as user speech
      (target well above 2);
    nod_ratio_frames: the same on the raw frame labels, pauses counted as silence; the avatar
      nods most at exactly those pauses, so this one stays near 2-3;
    smile_pcc, smile_lag_s: PCC(user smile, avatar smile) at the best lag in 0..1.5 s (0.6-0.9);
    jaw_pcc: PCC(avatar jaw_open, avatar audio loudness in dB) over avatar-speaking frames (> 0.7)."""
    user, avatar = conv["user_motion"].astype(np.float64), conv["avatar_motion"].astype(np.float64)
    sos = butter(4, [1.0, 4.0], btype="bandpass", fs=FPS, output="sos")
    nod_energy = sosfiltfilt(sos, avatar[:, _PITCH]) ** 2
    us, av = conv["user_speaking"], conv["avatar_speaking"]
    silent = ~us & ~av & ~conv["user_laugh"] & ~conv["avatar_laugh"]
    turn = _bridge(us, FPS - 1)
    nod_ratio = _energy_ratio(nod_energy, turn & ~av, silent & ~turn)
    nod_ratio_frames = _energy_ratio(nod_energy, us & ~av, silent)

    lags = range(int(1.5 * FPS) + 1)
    pccs = [_pcc(user[:len(user) - k, _SMILE], avatar[k:, _SMILE]) for k in lags]
    best = int(np.nanargmax(pccs))

    loud_db = 20 * np.log10(_frame_rms(conv["avatar_audio"].astype(np.float64)) + 1e-9)
    return {"nod_ratio": nod_ratio, "nod_ratio_frames": nod_ratio_frames,
            "smile_pcc": pccs[best], "smile_lag_s": best / FPS, "jaw_pcc": _pcc(avatar[av, _JAW], loud_db[av])}


# --- files -------------------------------------------------------------------------------

def _write_wav(path: Path, audio: np.ndarray) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes((np.clip(audio, -1, 1) * 32767).round().astype("<i2").tobytes())


def _write_csv(path: Path, header: list[str], rows: np.ndarray, fmt: str) -> None:
    if fmt.endswith("f"):
        rows = np.round(rows.astype(np.float64), int(fmt[1:-1])) + 0.0  # no "-0.00000"
    with open(path, "w") as f:
        f.write(",".join(["frame", "time", *header]) + "\n")
        for i, row in enumerate(rows):
            f.write(f"{i},{i / FPS:.2f}," + ",".join(format(v, fmt) for v in row) + "\n")


def write_example(out: Path, seconds: float, seed: int, command: str,
                  generator: str = GENERATOR_VERSION) -> dict[str, float]:
    """The small example set (wav + csv) the dashboard's first run and the tests read."""
    conv = generate_conversation(seed, seconds, generator)
    out.mkdir(parents=True, exist_ok=True)
    _write_wav(out / "user.wav", conv["user_audio"])
    _write_wav(out / "avatar.wav", conv["avatar_audio"])
    _write_csv(out / "user_motion.csv", CHANNELS, conv["user_motion"], ".5f")
    _write_csv(out / "avatar_motion_gt.csv", CHANNELS, conv["avatar_motion"], ".5f")
    labels = ["user_speaking", "avatar_speaking", "user_laugh", "avatar_laugh"]
    _write_csv(out / "labels.csv", labels, np.stack([conv[k] for k in labels], axis=1).astype(int), "d")
    (out / "README.md").write_text(
        "# Example conversation (synthetic)\n\n"
        f"One {seconds:g} s synthetic user/avatar conversation from `avatarlab_train.synth` "
        f"({generator}), seed {seed}.\n\n"
        "- `user.wav`, `avatar.wav`: 16 kHz mono 16-bit PCM, espeak-ng speech, synthetic laughter, noise.\n"
        "- `user_motion.csv`: the user's face track; `avatar_motion_gt.csv`: the avatar's ground-truth "
        "track, both face-params/1 at 25 fps (frame, time in s, 12 channels).\n"
        "- `labels.csv`: per-frame speaking and laughing labels (0/1).\n\n"
        f"Regenerate (needs espeak-ng 1.51, numpy, scipy):\n\n    {command}\n")
    return self_check(conv)


def _generate_file(task: tuple[int, float, str, str]) -> dict[str, float]:
    seed, seconds, path, generator = task
    conv = generate_conversation(seed, seconds, generator)
    np.savez(path, **conv)
    return self_check(conv)


def write_splits(out: Path, counts: dict[str, int], seconds: float, seed: int, jobs: int,
                 generator: str = GENERATOR_VERSION) -> dict[str, float]:
    tasks = []
    for split, n in counts.items():
        (out / split).mkdir(parents=True, exist_ok=True)
        tasks += [(seed * SEED_STRIDE + SPLIT_OFFSETS[split] + i, seconds, str(out / split / f"conv_{i:05d}.npz"),
                   generator) for i in range(n)]
    checks = []
    started = time.monotonic()
    every = max(1, len(tasks) // 10)
    with multiprocessing.Pool(jobs) as pool:
        for done, check in enumerate(pool.imap_unordered(_generate_file, tasks, chunksize=2), 1):
            checks.append(check)
            if done % every == 0 or done == len(tasks):
                print(f"  {done}/{len(tasks)} conversations, {time.monotonic() - started:.0f} s", flush=True)
    summary = {k: round(float(np.nanmedian([c[k] for c in checks])), 4) for k in checks[0]} if checks else {}
    manifest = {
        "generator": "avatarlab_train.synth", "version": generator,
        "counts": counts, "seconds": seconds, "seed": seed,
        "conversationSeed": f"seed * {SEED_STRIDE} + splitOffsets[split] + index",
        "splitOffsets": SPLIT_OFFSETS,
        "fps": FPS, "sampleRate": SAMPLE_RATE, "samplesPerFrame": SAMPLES_PER_FRAME,
        "latentSpace": "face-params/1", "channels": CHANNELS,
        "arrays": ["user_audio", "avatar_audio", "user_motion", "avatar_motion",
                   "user_speaking", "avatar_speaking", "user_laugh", "avatar_laugh"],
        "selfCheckMedian": summary,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return summary


def _format_check(check: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in check.items())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m avatarlab_train.synth", description=__doc__.split("\n")[0])
    p.add_argument("--out", type=Path, help="dataset folder: train/ val/ test/ *.npz + manifest.json")
    p.add_argument("--train", type=int, default=0)
    p.add_argument("--val", type=int, default=0)
    p.add_argument("--test", type=int, default=0)
    p.add_argument("--seconds", type=float, default=30.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--generator", default=GENERATOR_VERSION, choices=GENERATORS,
                   help="rule set of the avatar's ground truth, for the splits and the example "
                        "(default %(default)s: the reference model's data)")
    p.add_argument("--example", type=Path, help="also (or only) write the example set (wav + csv) here")
    p.add_argument("--example-seconds", type=float, default=20.0)
    p.add_argument("--example-seed", type=int, default=7)
    args = p.parse_args(argv)
    counts = {"train": args.train, "val": args.val, "test": args.test}
    if args.out is None and args.example is None:
        p.error("give --out (with --train/--val/--test) and/or --example")
    if (any(not 0 <= n <= MAX_PER_SPLIT for n in counts.values()) or args.jobs < 1 or args.seed < 0
            or args.example_seed < 0 or min(args.seconds, args.example_seconds) < MIN_SECONDS):
        p.error(f"counts must be 0..{MAX_PER_SPLIT}, --jobs >= 1, seeds >= 0, seconds >= {MIN_SECONDS:g}")
    if shutil.which("espeak-ng") is None:
        p.error("espeak-ng not found (apt-get install espeak-ng)")

    if args.example is not None:
        command = (f"cd training && /usr/bin/python3 -m avatarlab_train.synth --example {args.example} "
                   f"--example-seconds {args.example_seconds:g} --example-seed {args.example_seed}"
                   + ("" if args.generator == GENERATOR_VERSION else f" --generator {args.generator}"))
        started = time.monotonic()
        check = write_example(args.example, args.example_seconds, args.example_seed, command, args.generator)
        print(f"example -> {args.example} in {time.monotonic() - started:.1f} s; self-check: {_format_check(check)}")
    if args.out is not None:
        started = time.monotonic()
        print(f"generating {sum(counts.values())} conversations of {args.seconds:g} s into {args.out} "
              f"with {args.jobs} processes", flush=True)
        summary = write_splits(args.out, counts, args.seconds, args.seed, args.jobs, args.generator)
        print(f"done in {time.monotonic() - started:.1f} s; self-check medians: {_format_check(summary)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
