"""The reference Avatar Forcing model: a small version of the paper's architecture.

Shapes follow the model-package contract (../shared/brief/model-package.md): one call of
`forward` is one call of denoiser.onnx. B = batch, N = frames in the call, P / Pc = cached
self / cross frames, L = layers, H = heads, hd = head width, D = latent dim.

- Condition encoder ("dual motion encoder"), per frame, one of two (ModelConfig.encoder):
  "attention", where the user's motion token attends to the user's audio tokens, then the
  avatar's audio tokens attend to that fused user feature (the reference model's); or "gated"
  (cheaper, tried in MODEL_CARD.md), where an MLP fuses the user's audio and motion and the
  fused user feature scales and shifts the avatar's audio feature. Either gives one condition vector per frame, strictly
  per frame so that a frame's condition never depends on which call it arrives in: cached and
  recomputed streaming then see identical condition keys (the temporal mixing happens in the
  windowed cross-attention).
- Transformer: per-frame timestep adaLN-Zero; self-attention with RoPE from absolute
  positions (computed from start_pos, no table), block-causal with lookahead: query frame q
  sees key frame k when k <= q + lookahead (every earlier frame, and up to `lookahead` ahead);
  cross-attention to condition frames q - lookahead .. q + lookahead.
- Output: flow-matching velocity v = e - x0.
- The adaLN modulations depend only on a frame's timestep (and its batch row's identity), and
  the frames of a call share very few timesteps (blockwise: the clean context and the block's
  current t), so they are computed once per distinct (row, timestep) pair, for every layer in
  one MatMul, and gathered per frame: the same numbers with about a quarter fewer FLOPs.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class ModelConfig:
    latent_dim: int = 12
    width: int = 128
    layers: int = 4
    heads: int = 4
    mlp_ratio: float = 2.0
    audio_dim: int = 320          # avatar audio features per frame
    user_audio_dim: int = 320     # user audio features per frame
    motion_dim: int = 12          # user motion features per frame
    audio_tokens: int = 4         # audio features split into this many tokens per frame (4 mel frames)
    lookahead: int = 2
    train_timesteps: int = 1000
    rope_base: float = 10000.0
    shift: float = 1.0            # scheduler shift, trained with and written to the manifest
    encoder: str = "attention"    # condition encoder: "attention" (token attention) or "gated" (per-frame MLP gates)

    @property
    def head_dim(self) -> int:
        return self.width // self.heads

    def to_dict(self) -> dict:
        return asdict(self)


NEG_INF = -1e9  # finite: a fully masked row can never occur (k = q is always allowed), but -inf would NaN if it did


def rope_angles(positions: torch.Tensor, head_dim: int, base: float) -> tuple[torch.Tensor, torch.Tensor]:
    """cos/sin [len, head_dim] for int64 absolute positions (each half-width angle repeated
    for both halves, as the rotate-half convention uses it).

    Angles are formed in float64: an hour of streaming reaches position 90,000, where a
    float32 product would already be off by ~5e-3 rad on the fastest frequency.
    """
    half = head_dim // 2
    inv_freq = base ** (-torch.arange(half, dtype=torch.float64) * 2.0 / head_dim)
    angles = positions.to(torch.float64)[:, None] * torch.cat([inv_freq, inv_freq])[None, :]
    return torch.cos(angles).to(torch.float32), torch.sin(angles).to(torch.float32)


def signed_sin(sin: torch.Tensor) -> torch.Tensor:
    """sin [.., hd] with its first half negated: rotate_half(x) * sin = swap_halves(x) * signed_sin(sin)
    for the rotate-half convention (rotate_half(x) = cat(-x2, x1) for x = cat(x1, x2))."""
    half = sin.shape[-1] // 2
    return torch.cat([-sin[..., :half], sin[..., half:]], dim=-1)


def apply_rope(x: torch.Tensor, cos: torch.Tensor, sin_signed: torch.Tensor, half: int) -> torch.Tensor:
    """x [..., hd] rotated by per-position angles (rotate-half convention):
    cat(x1 cos - x2 sin, x2 cos + x1 sin) = x cos + swap_halves(x) signed_sin(sin).

    The halves are swapped by two slices and a concat (exact, and cheaper in the export than the
    constant [hd, hd] signed-permutation MatMul it replaces, which cost hd multiply-adds a value);
    `half` is a Python int so the slices are constants."""
    return x * cos + torch.cat([x[..., half:], x[..., :half]], dim=-1) * sin_signed


def timestep_embedding(t: torch.Tensor, dim: int) -> torch.Tensor:
    """Sinusoidal embedding of per-frame timesteps t [B, N] in [0, 1000] -> [B, N, dim]."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = t[..., None] * freqs
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class TokenAttention(nn.Module):
    """Plain multi-head attention among a handful of tokens of one frame (condition encoder)."""

    def __init__(self, width: int, heads: int):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(width, width)
        self.kv = nn.Linear(width, 2 * width)
        self.out = nn.Linear(width, width)

    def forward(self, q_in: torch.Tensor, kv_in: torch.Tensor, nq: int, nkv: int) -> torch.Tensor:
        # Token counts are Python constants and the row count is -1, so every reshape target
        # is a constant in the exported graph.
        w = self.q.in_features
        hd = w // self.heads
        q = self.q(q_in).reshape(-1, nq, self.heads, hd).transpose(1, 2)
        k, v = self.kv(kv_in).reshape(-1, nkv, 2, self.heads, hd).permute(2, 0, 3, 1, 4)
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd), dim=-1)
        return self.out((att @ v).transpose(1, 2).reshape(-1, nq, w))


class FusionStep(nn.Module):
    """Pre-norm cross-attention plus MLP: queries attend to a token set."""

    def __init__(self, width: int, heads: int):
        super().__init__()
        self.norm_q = nn.LayerNorm(width)
        self.norm_kv = nn.LayerNorm(width)
        self.attn = TokenAttention(width, heads)
        self.norm_mlp = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 2 * width), nn.GELU(), nn.Linear(2 * width, width))

    def forward(self, q: torch.Tensor, kv: torch.Tensor, nq: int, nkv: int) -> torch.Tensor:
        q = q + self.attn(self.norm_q(q), self.norm_kv(kv), nq, nkv)
        return q + self.mlp(self.norm_mlp(q))


class DualMotionEncoder(nn.Module):
    """Fuses user audio, user motion and avatar audio into one condition vector per frame."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        w, n = cfg.width, cfg.audio_tokens
        self.tokens = n
        self.motion_dim = cfg.motion_dim
        self.user_audio_in = nn.Linear(cfg.user_audio_dim // n, w)
        self.avatar_audio_in = nn.Linear(cfg.audio_dim // n, w)
        self.user_motion_in = nn.Sequential(nn.Linear(cfg.motion_dim, w), nn.GELU(), nn.Linear(w, w))
        self.token_pos = nn.Parameter(torch.randn(n, w) * 0.02)
        self.user_fusion = FusionStep(w, cfg.heads)
        self.avatar_fusion = FusionStep(w, cfg.heads)
        self.out = nn.Sequential(nn.LayerNorm(2 * w), nn.Linear(2 * w, w))

    def forward(self, avatar_audio, user_audio, user_motion, b, n_frames) -> torch.Tensor:
        ua = self.user_audio_in(user_audio.reshape(-1, self.tokens, self.user_audio_in.in_features)) + self.token_pos
        aa = self.avatar_audio_in(avatar_audio.reshape(-1, self.tokens, self.avatar_audio_in.in_features)) + self.token_pos
        um = self.user_motion_in(user_motion.reshape(-1, 1, self.motion_dim))
        # User motion attends to user audio (and itself): the fused user feature.
        user_tokens = torch.cat([um, ua], dim=1)
        fused_user = self.user_fusion(um, user_tokens, 1, 1 + self.tokens)
        # The avatar's audio attends to the fused user feature.
        avatar = self.avatar_fusion(aa, torch.cat([fused_user, ua], dim=1), self.tokens, 1 + self.tokens)
        cond = self.out(torch.cat([avatar.mean(dim=1), fused_user[:, 0]], dim=-1))
        return cond.reshape(b, n_frames, -1)


class GatedMotionEncoder(nn.Module):
    """The dual motion encoder without token attention (an experiment: MODEL_CARD.md): each stream is
    projected once per frame (all audio sub-frames together); the user's audio and motion are
    fused by an MLP; the fused user feature scales and shifts the avatar's audio feature (FiLM),
    and both make the condition. Strictly per frame, like the attention encoder, with about 28%
    of its multiply-adds (150k against 551k per frame at width 96): the denoiser recomputes the
    condition at every step, so this is a large share of a call."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        w = cfg.width
        self.user_in = nn.Linear(cfg.user_audio_dim + cfg.motion_dim, 2 * w)
        self.user_fuse = nn.Linear(2 * w, w)
        self.avatar_in = nn.Linear(cfg.audio_dim, w)
        self.film = nn.Linear(w, 2 * w)
        self.out_norm = nn.LayerNorm(2 * w)
        self.out = nn.Linear(2 * w, w)

    def forward(self, avatar_audio, user_audio, user_motion, b, n_frames) -> torch.Tensor:
        rows = lambda a: a.reshape(-1, a.shape[-1])  # noqa: E731 (2-D rows: MatMul + bias export as one Gemm)
        user = self.user_fuse(F.gelu(self.user_in(torch.cat([rows(user_audio), rows(user_motion)], dim=-1))))
        scale, shift = torch.split(self.film(F.gelu(user)), [user.shape[-1]] * 2, dim=-1)
        avatar = F.gelu(self.avatar_in(rows(avatar_audio))) * (1 + scale) + shift
        return self.out(self.out_norm(torch.cat([avatar, user], dim=-1))).reshape(b, n_frames, -1)


class FilmEncoder(nn.Module):
    """The cheapest condition encoder (MODEL_CARD.md): per frame, each audio stream's 4 analysis
    frames are averaged into one mel spectrum (the 40 ms of a video frame; the mouth and the
    listener follow loudness and pitch at that rate, not within it); the user's spectrum and
    motion make one feature that scales and shifts (FiLM) the avatar's spectrum feature:

        u = gelu(W_u [mean_j(user_audio_j), user_motion])
        s, h = W_f u
        cond = LayerNorm(gelu(W_a mean_j(avatar_audio_j)) * (1 + s) + h)

    About 35k multiply-adds per frame at width 96 (the gated encoder 150k, the attention one
    551k): the denoiser recomputes the condition of every frame at every step, 36 frames a call
    for one session's guidance batch. Strictly per frame, like the others."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        w, n = cfg.width, cfg.audio_tokens
        self.tokens = n
        self.user_in = nn.Linear(cfg.user_audio_dim // n + cfg.motion_dim, w)
        self.film = nn.Linear(w, 2 * w)
        self.avatar_in = nn.Linear(cfg.audio_dim // n, w)
        self.out_norm = nn.LayerNorm(w)

    def _pooled(self, audio: torch.Tensor) -> torch.Tensor:
        return audio.reshape(-1, self.tokens, audio.shape[-1] // self.tokens).mean(dim=1)

    def forward(self, avatar_audio, user_audio, user_motion, b, n_frames) -> torch.Tensor:
        user = F.gelu(self.user_in(torch.cat([self._pooled(user_audio), user_motion.reshape(-1, user_motion.shape[-1])], dim=-1)))
        scale, shift = torch.split(self.film(user), [user.shape[-1]] * 2, dim=-1)
        avatar = F.gelu(self.avatar_in(self._pooled(avatar_audio)))
        return self.out_norm(avatar * (1 + scale) + shift).reshape(b, n_frames, -1)


ENCODERS = {"attention": DualMotionEncoder, "gated": GatedMotionEncoder, "film": FilmEncoder}


class Block(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        w = cfg.width
        self.cfg = cfg
        self.norm1 = nn.LayerNorm(w)
        self.qkv = nn.Linear(w, 3 * w)
        self.self_out = nn.Linear(w, w)
        self.norm2 = nn.LayerNorm(w)
        self.cross_q = nn.Linear(w, w)
        self.cross_kv = nn.Linear(w, 2 * w)
        self.cross_out = nn.Linear(w, w)
        self.norm3 = nn.LayerNorm(w)
        hidden = int(w * cfg.mlp_ratio)
        self.mlp = nn.Sequential(nn.Linear(w, hidden), nn.GELU(), nn.Linear(hidden, w))
        # adaLN-Zero: shift/scale/gate for the three sub-layers, zero-initialised so each
        # block starts as the identity.
        self.ada = nn.Linear(w, 9 * w)
        nn.init.zeros_(self.ada.weight)
        nn.init.zeros_(self.ada.bias)

    def forward(self, h, mod, ck, cv, past_k, past_v, past_ck, past_cv, rope3, rope1, self_mask, cross_mask, b, n):
        """One layer on the rows h [B*N, w] (every Linear a Gemm in the export).

        mod: this layer's nine modulations per row, with each scale already 1 + scale (the +1
        is folded into the ada bias by AvatarForcingModel.modulations). Attention runs on 5-D
        tensors [1, B, H, N, hd] ("one layer" leading axis): the caches arrive split along the
        layer axis and the presents and attention maps leave concatenated along it, with no
        squeeze or unsqueeze per layer. ck, cv: this layer's cross keys/values of the call's
        condition frames, projected and rotated for all layers at once by the model.
        """
        w, heads, hd = self.cfg.width, self.cfg.heads, self.cfg.head_dim
        sh1, sc1, g1, sh2, sc2, g2, sh3, sc3, g3 = mod
        scale = 1.0 / math.sqrt(hd)

        # q, k, v in one projection, reshaped, rotated (v with cos 1, sin 0) and split once.
        qkv = self.qkv(self.norm1(h) * sc1 + sh1).reshape(b, n, 3, heads, hd)
        q, k, v = torch.split(apply_rope(qkv, *rope3, hd // 2).permute(2, 0, 3, 1, 4), 1, dim=0)
        keys = torch.cat([past_k, k], dim=3)
        values = torch.cat([past_v, v], dim=3)
        self_att = torch.softmax(((q @ keys.transpose(-1, -2)) * scale).masked_fill(~self_mask, NEG_INF), dim=-1)
        h = h + g1 * self.self_out((self_att @ values).permute(0, 1, 3, 2, 4).reshape(-1, w))

        cq = self.cross_q(self.norm2(h) * sc2 + sh2).reshape(b, n, 1, heads, hd)
        cq = apply_rope(cq, *rope1, hd // 2).permute(2, 0, 3, 1, 4)
        ckeys = torch.cat([past_ck, ck], dim=3)
        cvalues = torch.cat([past_cv, cv], dim=3)
        cross_att = torch.softmax(((cq @ ckeys.transpose(-1, -2)) * scale).masked_fill(~cross_mask, NEG_INF), dim=-1)
        h = h + g2 * self.cross_out((cross_att @ cvalues).permute(0, 1, 3, 2, 4).reshape(-1, w))

        h = h + g3 * self.mlp(self.norm3(h) * sc3 + sh3)
        return h, k, v, self_att, cross_att


class AvatarForcingModel(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        w = cfg.width
        self.x_in = nn.Linear(cfg.latent_dim, w)
        self.t_embed = nn.Sequential(nn.Linear(256, w), nn.SiLU(), nn.Linear(w, w))
        self.identity_in = nn.Linear(cfg.latent_dim, w)
        self.cond_encoder = ENCODERS[cfg.encoder](cfg)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.layers))
        self.final_norm = nn.LayerNorm(w)
        self.final_ada = nn.Linear(w, 2 * w)
        self.final_out = nn.Linear(w, cfg.latent_dim)
        for layer in (self.final_ada, self.final_out):
            nn.init.zeros_(layer.weight)
            nn.init.zeros_(layer.bias)
        # 1 at the scale entries of the stacked modulations (per layer: shift, scale, gate for
        # self-attention, cross-attention and MLP; then the final layer's shift, scale).
        offset = torch.zeros(9 * cfg.layers + 2, cfg.width)
        offset[[9 * i + j for i in range(cfg.layers) for j in (1, 4, 7)] + [9 * cfg.layers + 1]] = 1.0
        self.register_buffer("scale_offset", offset.reshape(-1), persistent=False)

    def empty_cache(self, batch: int) -> tuple[torch.Tensor, ...]:
        shape = (self.cfg.layers, batch, self.cfg.heads, 0, self.cfg.head_dim)
        return tuple(torch.zeros(shape) for _ in range(4))

    def modulations(self, t: torch.Tensor, identity: torch.Tensor, b, n) -> torch.Tensor:
        """Every layer's ada(silu(c)) and the final layer's, per frame row: [B * N, (9 L + 2) w],
        with c = t_embed(timestep_embedding(t)) + identity_in(identity), and 1 added to every
        scale (modulate(x, shift, scale) = x * (1 + scale) + shift becomes x * scale' + shift:
        one node less per use in the export, the same numbers up to float32 rounding).

        c depends only on the frame's timestep and its batch row, so it is computed once per
        distinct (row, timestep) pair (key = row * 2^31 + int(t * 2^20): timesteps closer than
        1e-6 share a row, a difference far below float32 noise in the result) and the stacked
        ada weights of all layers are applied in one MatMul, then gathered back per frame.
        """
        rows = (torch.arange(b * n) // n).reshape(b, n)
        key = (rows * 2 ** 31 + (t * 2 ** 20).to(torch.int64)).reshape(-1)
        _, inverse = torch.unique(key, sorted=True, return_inverse=True)
        u = torch.max(inverse) + 1
        t_u = torch.zeros(u, dtype=t.dtype).scatter(0, inverse, t.reshape(-1))
        row_u = torch.zeros(u, dtype=torch.int64).scatter(0, inverse, rows.reshape(-1))
        c = self.t_embed(timestep_embedding(t_u, 256)) + self.identity_in(identity)[row_u]
        layers = [blk.ada for blk in self.blocks] + [self.final_ada]
        weight = torch.cat([layer.weight for layer in layers], dim=0)
        bias = torch.cat([layer.bias for layer in layers], dim=0) + self.scale_offset
        return F.linear(F.silu(c), weight, bias)[inverse]

    def forward(self, x, t, avatar_audio, user_audio, user_motion, identity, start_pos,
                past_key, past_value, past_cross_key, past_cross_value):
        cfg = self.cfg
        b, n = x.shape[0], x.shape[1]
        p = past_key.shape[3]
        pc = past_cross_key.shape[3]
        layers, heads, hd, w = cfg.layers, cfg.heads, cfg.head_dim, cfg.width

        q_pos = start_pos + torch.arange(n)
        k_pos = start_pos - p + torch.arange(p + n)
        c_pos = start_pos - pc + torch.arange(pc + n)
        self_mask = k_pos[None, :] <= q_pos[:, None] + cfg.lookahead
        cross_mask = (c_pos[None, :] - q_pos[:, None]).abs() <= cfg.lookahead
        cos, sin = rope_angles(q_pos, hd, cfg.rope_base)  # [N, hd]
        sin = signed_sin(sin)
        ones, zeros = torch.ones_like(cos), torch.zeros_like(sin)
        rope3 = (torch.stack([cos, cos, ones], dim=1)[:, :, None, :], torch.stack([sin, sin, zeros], dim=1)[:, :, None, :])
        rope1 = (cos[:, None, None, :], sin[:, None, None, :])

        mods = torch.split(self.modulations(t, identity, b, n), [w] * (9 * layers + 2), dim=-1)
        cond = self.cond_encoder(avatar_audio, user_audio, user_motion, b, n).reshape(-1, w)

        # Every layer's cross keys and values of the condition frames in one projection, rotated
        # together (values with cos 1, sin 0) and split along a leading (layer, k/v) axis.
        ckv = F.linear(cond, torch.cat([blk.cross_kv.weight for blk in self.blocks], dim=0),
                       torch.cat([blk.cross_kv.bias for blk in self.blocks], dim=0)).reshape(b, n, 2 * layers, heads, hd)
        kv_rope = (torch.stack([cos, ones] * layers, dim=1)[:, :, None, :], torch.stack([sin, zeros] * layers, dim=1)[:, :, None, :])
        cross_kv = torch.split(apply_rope(ckv, *kv_rope, hd // 2).permute(2, 0, 3, 1, 4), 1, dim=0)

        caches = [torch.split(c, 1, dim=0) for c in (past_key, past_value, past_cross_key, past_cross_value)]
        h = self.x_in(x.reshape(-1, cfg.latent_dim))
        present_k, present_v, self_atts, cross_atts = [], [], [], []
        for i, block in enumerate(self.blocks):
            h, k, v, sa, ca = block(
                h, mods[9 * i:9 * i + 9], cross_kv[2 * i], cross_kv[2 * i + 1],
                caches[0][i], caches[1][i], caches[2][i], caches[3][i], rope3, rope1, self_mask, cross_mask, b, n)
            present_k.append(k)
            present_v.append(v)
            self_atts.append(sa)
            cross_atts.append(ca)

        shift, scale = mods[9 * layers], mods[9 * layers + 1]
        velocity = self.final_out(self.final_norm(h) * scale + shift).reshape(b, n, cfg.latent_dim)
        cat = lambda parts: torch.cat(parts, dim=0)  # noqa: E731 (along the leading layer axis)
        return (velocity, cat(present_k), cat(present_v), cat(cross_kv[0::2]), cat(cross_kv[1::2]),
                cat(self_atts), cat(cross_atts))


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
