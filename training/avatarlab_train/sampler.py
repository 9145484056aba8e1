"""Reference Avatar Forcing sampler: the official streaming loop, with and without the KV cache.

This is the ground truth the C# engine is tested against (golden files), so it follows
../shared/brief/avatar-forcing.md to the letter:
- timesteps = linspace(T, 0, nfe - 1) (1000, 875, ..., 125, 0 for nfe = 10), through the
  manifest's scheduler shift when it is not 1 (see `shifted`): every entry is
  one 3-way guided pass; the pass at t = 0 changes nothing; with the cache one more pass
  at t = 0 over the clean frames refreshes it;
- flow-matching step in float64: x0 = x - s v, r = s_next / s,
  x_next = r x + ((1 - s_next) - r (1 - s)) x0; frames with t = t_next = 0 stay as they are;
- guidance batch (none, avatar audio only, user audio + user motion only):
  v = v_none + a (v_avatar - v_none) + u (v_user - v_none);
- first clip: all clip frames from noise, no cache; later blocks: `context` clean frames +
  `block` noise frames, the cache (cached path) or a clip-long window whose first frames are
  clean (recomputed path).

Everything carries a leading conversation axis K so that a whole test split streams as
one batch (all conversations of equal length); the model sees batch 3 K.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

# A denoiser call: dict of numpy inputs (contract names) -> dict of numpy outputs.
Denoiser = Callable[[dict], dict]


@dataclass
class Window:
    clip: int = 50
    block: int = 10
    context: int = 2
    lookahead: int = 2

    @property
    def self_cache(self) -> int:
        return self.clip - self.block - self.context

    @property
    def cross_cache(self) -> int:
        return self.lookahead

    def frames_for(self, total: int) -> int:
        """Frames a stream of `total` input frames produces: the first clip, then whole blocks."""
        if total < self.clip:
            return 0
        return self.clip + (total - self.clip) // self.block * self.block


@dataclass
class SamplerOptions:
    nfe: int = 10
    avatar_scale: float = 2.0
    user_scale: float = 1.0
    train_timesteps: int = 1000
    drop: frozenset = field(default_factory=frozenset)  # subset of {"avatar_audio", "user_audio", "user_motion"}
    shift: float = 1.0  # the manifest's diffusion.shift
    # The manifest's diffusion.clampToLatentRange (an AvatarLab extension, off in the official
    # loop): each step's guided x0 = x - s v is clamped to the face-params/1 ranges.
    clamp: bool = False

    def timesteps(self) -> np.ndarray:
        return shifted(np.linspace(self.train_timesteps, 0, self.nfe - 1), self.shift, self.train_timesteps)


def shifted(t: np.ndarray, shift: float, train_timesteps: int) -> np.ndarray:
    """Scheduler shift (SD3 convention) on s = t / T: s' = shift s / (1 + (shift - 1) s).

    shift 1 is the identity (the official code); shift < 1 spends more of the steps at low
    noise, shift > 1 at high noise. T and 0 stay where they are."""
    s = np.asarray(t, np.float64) / train_timesteps
    return train_timesteps * (shift * s / (1 + (shift - 1) * s))


def face_param_bounds() -> tuple[np.ndarray, np.ndarray]:
    """Per-channel nominal ranges of face-params/1 (model-package.md), the clamp's bounds."""
    from .metrics import CHANNEL_NAMES, FACE_PARAM_RANGES
    return (np.array([FACE_PARAM_RANGES[n][0] for n in CHANNEL_NAMES], np.float64),
            np.array([FACE_PARAM_RANGES[n][1] for n in CHANNEL_NAMES], np.float64))


def flow_step(x: np.ndarray, v: np.ndarray, t: np.ndarray, t_next: np.ndarray, train_timesteps: int,
              bounds: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """One Euler step of the flow, per frame, in float64. x, v [..., N, D]; t, t_next [..., N].
    With bounds (lo, hi) [D], x0 is clamped to them first (static thresholding; the last step's
    output is that x0, so it is in range)."""
    x = x.astype(np.float64)
    v = v.astype(np.float64)
    s = (t / train_timesteps)[..., None]
    s_next = (t_next / train_timesteps)[..., None]
    x0 = x - s * v
    if bounds is not None:
        x0 = np.clip(x0, bounds[0], bounds[1])
    moving = s > 0
    r = np.where(moving, s_next / np.where(moving, s, 1.0), 0.0)
    stepped = r * x + ((1 - s_next) - r * (1 - s)) * x0
    return np.where(moving, stepped, x)


def guided_conditions(avatar_audio, user_audio, user_motion, drop) -> tuple[np.ndarray, ...]:
    """[K, N, F] streams -> [3K, N, F] for the batch (none, avatar only, user only), branch-major."""
    def zero_if(name, a):
        return np.zeros_like(a) if name in drop else a

    aa, ua, um = zero_if("avatar_audio", avatar_audio), zero_if("user_audio", user_audio), zero_if("user_motion", user_motion)
    z = np.zeros_like
    return (np.concatenate([z(aa), aa, z(aa)]).astype(np.float32),
            np.concatenate([z(ua), z(ua), ua]).astype(np.float32),
            np.concatenate([z(um), z(um), um]).astype(np.float32))


def combine(v: np.ndarray, k: int, opts: SamplerOptions) -> np.ndarray:
    v = v.astype(np.float64)
    v_none, v_avatar, v_user = v[:k], v[k:2 * k], v[2 * k:]
    return v_none + opts.avatar_scale * (v_avatar - v_none) + opts.user_scale * (v_user - v_none)


class StreamingSampler:
    """Generates motion for K conversations block by block; `cached` picks the path."""

    def __init__(self, denoiser: Denoiser, cfg: dict, window: Window, opts: SamplerOptions, cached: bool = True):
        self.denoiser = denoiser
        self.layers, self.heads, self.head_dim, self.latent_dim = cfg["layers"], cfg["heads"], cfg["head_dim"], cfg["latent_dim"]
        self.window = window
        self.opts = opts
        self.cached = cached

    def _empty(self, batch: int, frames: int = 0) -> np.ndarray:
        return np.zeros((self.layers, batch, self.heads, frames, self.head_dim), np.float32)

    def _call(self, x, t, conds, start, cache):
        k = x.shape[0]
        aa, ua, um = conds
        inputs = {
            "x": np.concatenate([x, x, x]).astype(np.float32),
            "t": np.concatenate([t, t, t]).astype(np.float32),
            "avatar_audio": aa, "user_audio": ua, "user_motion": um,
            "identity": np.zeros((3 * k, self.latent_dim), np.float32),
            "start_pos": np.array(start, dtype=np.int64),
        }
        names = ("past_key", "past_value", "past_cross_key", "past_cross_value")
        if cache is None:
            inputs.update({n: self._empty(3 * k) for n in names})
        else:
            inputs.update(dict(zip(names, cache)))
        return self.denoiser(inputs)

    def _denoise(self, x, t_noisy_mask, conds, start, cache):
        """Runs every timestep on x [K, N, D] where t_noisy_mask marks the frames being generated."""
        k = x.shape[0]
        steps = self.opts.timesteps()
        x = x.astype(np.float64)
        out = None
        for i, t_now in enumerate(steps):
            t_next = steps[i + 1] if i + 1 < len(steps) else 0.0
            t = np.where(t_noisy_mask, t_now, 0.0)
            tn = np.where(t_noisy_mask, t_next, 0.0)
            out = self._call(x, t, conds, start, cache)
            v = combine(out["velocity"], k, self.opts)
            x = flow_step(x, v, t, tn, self.opts.train_timesteps, face_param_bounds() if self.opts.clamp else None)
        return x, out

    def run(self, avatar_audio, user_audio, user_motion, noise_fn: Callable[[int, int], np.ndarray]) -> np.ndarray:
        """Streams K conversations; features [K, T, F]; noise_fn(block_index, frames) -> [K, frames, D].

        Returns the generated latents [K, frames_for(T), D] (float64).
        """
        w = self.window
        k, total = avatar_audio.shape[0], avatar_audio.shape[1]
        produced = w.frames_for(total)
        if produced == 0:
            raise ValueError(f"need at least {w.clip} frames of input, got {total}")
        conds_all = guided_conditions(avatar_audio, user_audio, user_motion, self.opts.drop)
        out = np.zeros((k, produced, self.latent_dim))

        # First clip: every frame from noise, no cache.
        x = noise_fn(0, w.clip)
        conds = tuple(c[:, :w.clip] for c in conds_all)
        x, _ = self._denoise(x, np.ones((k, w.clip), bool), conds, 0, None)
        out[:, :w.clip] = x
        cache = None
        if self.cached:
            refresh = self._call(x, np.zeros((k, w.clip)), conds, 0, None)
            keep_from = w.clip - w.context - w.self_cache
            cache = self._slice_cache(refresh, keep_from, w.clip - w.context, w.clip - w.context - w.cross_cache)

        for b, start in enumerate(range(w.clip, produced, w.block), start=1):
            noise = noise_fn(b, w.block)
            if self.cached:
                lo = start - w.context
                x = np.concatenate([out[:, lo:start], noise], axis=1)
                mask = np.zeros((k, w.context + w.block), bool)
                mask[:, w.context:] = True
                conds = tuple(c[:, lo:start + w.block] for c in conds_all)
                x, _ = self._denoise(x, mask, conds, lo, cache)
                refresh = self._call(x, np.zeros(mask.shape), conds, lo, cache)
                cache = self._shift_cache(cache, refresh)
            else:
                lo = start + w.block - w.clip
                x = np.concatenate([out[:, lo:start], noise], axis=1)
                mask = np.zeros((k, w.clip), bool)
                mask[:, w.clip - w.block:] = True
                conds = tuple(c[:, lo:start + w.block] for c in conds_all)
                x, _ = self._denoise(x, mask, conds, lo, None)
            out[:, start:start + w.block] = x[:, -w.block:]
        return out

    @staticmethod
    def _slice_cache(outputs, self_lo, self_hi, cross_lo):
        cross_hi = self_hi
        return (outputs["present_key"][:, :, :, self_lo:self_hi], outputs["present_value"][:, :, :, self_lo:self_hi],
                outputs["present_cross_key"][:, :, :, cross_lo:cross_hi], outputs["present_cross_value"][:, :, :, cross_lo:cross_hi])

    def _shift_cache(self, cache, refresh):
        """Appends this call's frames up to the next call's context and keeps the newest ones."""
        w = self.window
        # Present frames 0..block-1 of this call are the positions just before the next call's context.
        names = ("present_key", "present_value", "present_cross_key", "present_cross_value")
        sizes = (w.self_cache, w.self_cache, w.cross_cache, w.cross_cache)
        return tuple(np.concatenate([c, refresh[n][:, :, :, :w.block]], axis=3)[:, :, :, -size:] if size else c[:, :, :, :0]
                     for c, n, size in zip(cache, names, sizes))


def torch_denoiser(model) -> Denoiser:
    """Wraps a PyTorch AvatarForcingModel as a numpy Denoiser."""
    import torch

    from .export import INPUT_NAMES, OUTPUT_NAMES

    def call(inputs: dict) -> dict:
        with torch.no_grad():
            outs = model(*(torch.from_numpy(np.ascontiguousarray(inputs[n])) for n in INPUT_NAMES))
        return {n: o.numpy() for n, o in zip(OUTPUT_NAMES, outs)}

    return call
