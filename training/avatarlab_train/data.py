"""Loads a generated split (synth.py output) and turns it into model inputs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import features


@dataclass
class Conversation:
    name: str
    avatar_audio: np.ndarray      # [S] raw samples (for the lip-sync measure)
    avatar_features: np.ndarray   # [T, 320] log-mel of the avatar's audio
    user_features: np.ndarray     # [T, 320] log-mel of the user's audio
    user_motion: np.ndarray       # [T, 12]
    avatar_motion: np.ndarray     # [T, 12] ground truth
    user_speaking: np.ndarray     # [T] bool
    avatar_speaking: np.ndarray   # [T] bool

    @property
    def frames(self) -> int:
        return len(self.avatar_motion)


def load_split(directory: Path, limit: int | None = None) -> list[Conversation]:
    files = sorted(Path(directory).glob("conv_*.npz"))[:limit]
    if not files:
        raise FileNotFoundError(f"no conv_*.npz files in {directory}: run avatarlab_train.synth first")
    out = []
    for f in files:
        d = np.load(f)
        out.append(Conversation(
            name=f.stem,
            avatar_audio=d["avatar_audio"],
            avatar_features=features.logmel(d["avatar_audio"]),
            user_features=features.logmel(d["user_audio"]),
            user_motion=d["user_motion"].astype(np.float32),
            avatar_motion=d["avatar_motion"].astype(np.float32),
            user_speaking=d["user_speaking"].astype(bool),
            avatar_speaking=d["avatar_speaking"].astype(bool),
        ))
    return out


def stack(convs: list[Conversation], frames: int | None = None) -> dict[str, np.ndarray]:
    """[K, T, F] arrays of the conversations, cut to the shortest (or `frames`)."""
    t = min(c.frames for c in convs) if frames is None else frames
    return {
        "avatar_audio": np.stack([c.avatar_features[:t] for c in convs]),
        "user_audio": np.stack([c.user_features[:t] for c in convs]),
        "user_motion": np.stack([c.user_motion[:t] for c in convs]),
        "avatar_motion": np.stack([c.avatar_motion[:t] for c in convs]),
    }


class ClipSampler:
    """Random training clips: features and ground-truth motion of `clip` consecutive frames."""

    def __init__(self, convs: list[Conversation], clip: int, rng: np.random.Generator):
        self.convs = [c for c in convs if c.frames >= clip]
        self.clip = clip
        self.rng = rng

    def batch(self, size: int) -> dict[str, np.ndarray]:
        idx = self.rng.integers(0, len(self.convs), size)
        parts = {k: [] for k in ("avatar_audio", "user_audio", "user_motion", "avatar_motion")}
        for i in idx:
            c = self.convs[i]
            s = int(self.rng.integers(0, c.frames - self.clip + 1))
            e = s + self.clip
            parts["avatar_audio"].append(c.avatar_features[s:e])
            parts["user_audio"].append(c.user_features[s:e])
            parts["user_motion"].append(c.user_motion[s:e])
            parts["avatar_motion"].append(c.avatar_motion[s:e])
        return {k: np.stack(v) for k, v in parts.items()}
