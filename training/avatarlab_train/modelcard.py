"""Writes MODEL_CARD.md of a package from the run's reports (training, verification, evaluation).

python3 -m avatarlab_train.modelcard --run runs/full --package ../models/reference
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .evaluate import TARGETS

LOSS_NAMES = {"l1": "L1 (mean absolute error)", "l2": "L2 (mean squared error)",
              "hybrid": "per-channel (L2 on head pose, blinks, brows and gaze; L1 on jaw, smile and pucker)"}

MEASURES = [
    ("lip_sync", "Lip-sync proxy: PCC(jaw_open, avatar loudness) while the avatar speaks"),
    ("smile_mirror_pcc", "Smile mirroring: PCC(user smile, avatar smile) at the best lag in 0..1.5 s"),
    ("smile_mirror_lag_s", "Best smile lag (s): the reaction delay"),
    ("nod_ratio", "Nod energy (head_pitch 1-4 Hz) while the user speaks / while silent"),
    ("sid_pose", "SID pose (k = 9, centres fitted on the ground truth)"),
    ("sid_expression", "SID expression (k = 15)"),
    ("var_pose", "Var pose (rad^2)"),
    ("var_expression", "Var expression"),
    ("rpcc_pose", "rPCC pose vs ground truth (lower is better)"),
    ("rpcc_expression", "rPCC expression vs ground truth (lower is better)"),
    ("nan_count", "NaN values"),
    ("out_of_range_frac", "Fraction of values outside the face-params ranges (tolerance 0.05)"),
]


def fmt(value) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def render(run: Path, package: Path) -> str:
    training = json.loads((run / "train" / "training.json").read_text())
    verify = json.loads((run / "verify.json").read_text())
    evaluation = json.loads((run / "eval.json").read_text())
    data = json.loads((run / "data" / "manifest.json").read_text())
    manifest = json.loads((package / "avatarlab-model.json").read_text())
    cfg = training["config"]
    m = evaluation["measures"]
    last = training["history"][-1]
    lines = [
        f"# Model card: {manifest['name']} {manifest['version']}",
        "",
        "The reference model AvatarLab ships so that everything works with no download and no GPU.",
        "It is a small version of the Avatar Forcing architecture trained on synthetic dyadic",
        "conversations whose avatar follows simple, recognisable interaction rules; it is a",
        "test bench for the tooling, not a model of real people.",
        "",
        "Reproduce everything on this page (data, training, export, fixtures, verification,",
        "evaluation, this card) with one command from the repository root:",
        "",
        "    training/pipeline.sh",
        "",
        "## Package",
        "",
        f"- Contract `avatarlab-model/1`: `denoiser.onnx` (opset 17, {(package / 'denoiser.onnx').stat().st_size:,} bytes) and `avatarlab-model.json`;",
        "  `pytorch/model.pt` holds the weights it was exported from (for the reference sampler's golden outputs).",
        f"- Latent: face-params/1 ({manifest['latent']['dim']} channels), drawn by the built-in parametric renderer.",
        f"- Window: clip {manifest['window']['clipFrames']}, block {manifest['window']['blockFrames']}, context {manifest['window']['contextFrames']},"
        f" lookahead {manifest['window']['lookaheadFrames']}, self cache {manifest['window']['selfCacheFrames']}, cross cache {manifest['window']['crossCacheFrames']} frames at 25 fps.",
        "- Audio features: built-in causal log-mel (80 bins, 4 per video frame; docs/audio-features.md).",
        f"- Defaults: NFE {manifest['diffusion']['defaultNfe']}, guidance avatar audio {manifest['guidance']['avatarAudio']}, user {manifest['guidance']['user']}"
        + (", range clamp on (`diffusion.clampToLatentRange`: each step's x0 clamped to the face-params ranges;"
           " docs/model-package.md)." if manifest['diffusion'].get('clampToLatentRange') else "."),
        "",
        "## Architecture",
        "",
        f"- {training['parameters']:,} parameters: width {cfg['width']}, {cfg['layers']} layers, {cfg['heads']} heads of {cfg['width'] // cfg['heads']}, MLP ratio {cfg['mlp_ratio']}.",
        *ENCODER_LINES[cfg.get("encoder", "attention")],
        "- Transformer with per-frame timestep adaLN-Zero; RoPE from absolute positions computed in the graph",
        "  (angles in float64, no table: an hour of streaming is position 90,000); self-attention sees every",
        "  earlier frame and up to 2 frames ahead; cross-attention sees condition frames -2..+2.",
        "- Flow-matching velocity prediction; condition dropout for 3-way classifier-free guidance.",
        "",
        "## Data",
        "",
        f"- Generator `{data.get('generator_version', data.get('version', 'synth'))}`, seed {data.get('seed')}: "
        f"{data.get('counts', {}).get('train', '?')} train / {data.get('counts', {}).get('val', '?')} validation / "
        f"{data.get('counts', {}).get('test', '?')} test conversations of {data.get('seconds')} s at 25 fps and 16 kHz.",
        "- Both sides speak with espeak-ng voices (random voices, rates, pitches, sentences), with laughter,",
        "  pauses, overlaps, backchannels and light noise. The user's face follows their speech with nods,",
        "  smiles, laughs, blinks, sway and gaze shifts; the avatar's ground truth moves its lips with its own",
        *NOD_LINES.get(data.get("version"), NOD_LINES["synth/1"]),
        "",
        "## Training",
        "",
        f"- Diffusion forcing on CPU ({training['threads']} threads): {training['steps']} steps of {training['batch']} clips of 50 frames,",
        f"  AdamW lr 1e-3 with warm-up and cosine decay, EMA 0.999 (exported), {LOSS_NAMES[training.get('loss', 'l1')]} velocity loss.",
        "- Noise layouts per clip: independent timestep per 10-frame block (40%), clean 40-frame prefix with a",
        "  noisy last block (40%, what streaming sees), one timestep for the clip (20%, the first clip).",
        "- Conditions dropped per clip: none 10%, avatar audio only 25%, user only 25%, all kept 40%.",
        f"- Wall time {training['seconds'] / 60:.1f} min; final train loss {last['train_l1']:.4f}, validation loss (EMA) {last['val_l1']:.4f}"
        f" ({training.get('loss', 'l1').upper()}).",
        "",
        "## Verification",
        "",
        f"- ONNX Runtime (C#, `training/onnxcheck`) vs PyTorch on random inputs, with and without cache inputs, "
        f"first-clip and recomputed-window sizes, 6 stacked sessions and position 90,000: max abs difference "
        f"{fmt(verify['onnx']['max_abs_diff'])} (tolerance {verify['onnx']['tolerance']}).",
        f"- Reference sampler, cached vs recomputed streaming (random conditions, 6 blocks): max abs difference "
        f"{fmt(verify['sampler']['cached_vs_recomputed_max_abs'])} on outputs of magnitude up to {fmt(verify['sampler']['output_max_abs'])}.",
        "  With several layers the paths differ by design: cached keys of deeper layers were computed when",
        "  their frames saw further back than a recomputed window does.",
        f"- Causality: changing every input after a block's end moved earlier frames by "
        f"{fmt(verify['sampler']['causality_cached_before_cut_max_abs'])} (cached) and "
        f"{fmt(verify['sampler']['causality_recomputed_before_cut_max_abs'])} (recomputed), later frames by "
        f"{fmt(verify['sampler']['causality_cached_after_cut_max_abs'])}.",
    ]
    fixtures = sorted((run / "fixtures").glob("*.verify.json"))
    for f in fixtures:
        r = json.loads(f.read_text())
        lines.append(f"- Fixture `{f.name.split('.')[0]}`: ONNX max abs difference {fmt(r['onnx']['max_abs_diff'])}, "
                     f"cached vs recomputed {fmt(r['sampler']['cached_vs_recomputed_max_abs'])}, causal {r['sampler']['causal']}.")
    lines += [
        "",
        "## Evaluation",
        "",
        f"Held-out test split: {evaluation['conversations']} conversations of {evaluation['seconds_each']:.0f} s, cached streaming, "
        f"NFE {evaluation['guidance']['nfe']}, guidance avatar {evaluation['guidance']['avatarAudio']} / user {evaluation['guidance']['user']}, "
        f"range clamp {'on' if evaluation['guidance'].get('clampToLatentRange') else 'off'}, seed 0 (the package's defaults). "
        "Measures are defined in `training/avatarlab_train/metrics.py` (../shared/brief/metrics.md); means over conversations.",
        "",
        "| measure | generated | user conditions dropped | ground truth |",
        "|---|---|---|---|",
    ]
    for key, label in MEASURES:
        lines.append(f"| {label} | {fmt(m['full'].get(key))} | {fmt(m['drop_user'].get(key))} | {fmt(m['ground_truth'].get(key))} |")
    unclamped = run / "eval-noclamp.json"
    if evaluation["guidance"].get("clampToLatentRange") and unclamped.exists():
        raw = json.loads(unclamped.read_text())["measures"]["full"]
        lines += ["", "The same run with the range clamp off (the official loop), for comparison: "
                  + ", ".join(f"{label.split(':')[0].split(' (')[0].lower()} {fmt(raw.get(key))}" for key, label in MEASURES
                              if key in ("lip_sync", "smile_mirror_pcc", "nod_ratio", "var_pose", "var_expression", "out_of_range_frac"))
                  + "."]
    lines += [
        "",
        "Targets (issue #2):",
        "",
        "| target | value | met |",
        "|---|---|---|",
    ]
    names = {
        "lip_sync": f"lip sync >= {TARGETS['lip_sync_min']}",
        "smile_mirror_pcc": f"smile mirroring >= {TARGETS['smile_mirror_min']}",
        "smile_mirror_drop_gap": f"smile mirroring drop with user conditions dropped >= {TARGETS['smile_mirror_drop_gap_min']}",
        "nod_ratio": f"nod energy ratio >= {TARGETS['nod_ratio_min']}",
        "nan_count": "no NaN",
        "out_of_range_frac": "channels within their ranges",
    }
    for key, value in evaluation["targets"].items():
        label = names.get(key, f"{key.replace('_rel_to_gt', '')} within {TARGETS['sid_var_rel_tol']:.0%} of ground truth (relative difference)")
        lines.append(f"| {label} | {value['value']:.4g} | {'yes' if value['ok'] else 'NO'} |")
    lines += [
        "",
        f"Sampling time for the split: {m['full']['sampling_seconds']:.0f} s (PyTorch, all conversations in one batch).",
        "",
        "## Limits",
        "",
        "- Synthetic data only: the rules are simple and the voices are robotic; the model learns the rules,",
        "  not human behaviour. Use it to exercise the bench, not to draw conclusions about people.",
        "- No identity: `identity` is fed zeros; the parametric renderer draws one generic face.",
        "",
    ]
    # The hand-written analysis of how the recipe was chosen (experiments, the clamp's role, caveats).
    analysis = Path(__file__).resolve().parent.parent / "model-card-analysis.md"
    if analysis.exists():
        lines += [analysis.read_text().rstrip("\n"), ""]
    return "\n".join(lines)


ENCODER_LINES = {
    "attention": ["- Dual motion encoder, per frame: the user's motion token attends to the user's 4 audio tokens, then",
                  "  the avatar's 4 audio tokens attend to that fused user feature; one condition vector per frame."],
    "gated": ["- Dual motion encoder, per frame (gated, `model.GatedMotionEncoder`): an MLP fuses the user's audio",
              "  (4 log-mel frames) and motion; the fused user feature scales and shifts the avatar's projected audio",
              "  (FiLM); both make one condition vector per frame, at about 28% of the token-attention encoder's",
              "  multiply-adds (the denoiser recomputes the condition at every step)."],
    "film": ["- Dual motion encoder, per frame (FiLM, `model.FilmEncoder`): each audio stream's 4 log-mel frames are",
             "  averaged into one spectrum; a feature of the user's spectrum and motion scales and shifts (FiLM) the",
             "  avatar's spectrum feature, layer-normalised into one condition vector per frame, at about 6% of the",
             "  token-attention encoder's multiply-adds (the denoiser recomputes the condition at every step)."],
}


NOD_LINES = {
    "synth/1": ["  speech, nods and backchannels while the user talks (more at the user's pauses), mirrors the user's",
                "  smile after 200-500 ms, laughs when the user laughs, and sways, blinks and looks at the user."],
    "synth/2": ["  speech, nods and backchannels while the user talks (mostly on the user's stressed syllables, more",
                "  at the user's pauses), mirrors the user's smile after 200-500 ms, laughs when the user laughs, and",
                "  sways, blinks and looks at the user."],
}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--run", required=True)
    p.add_argument("--package", required=True)
    args = p.parse_args()
    card = render(Path(args.run), Path(args.package))
    (Path(args.package) / "MODEL_CARD.md").write_text(card)
    print(f"wrote {Path(args.package) / 'MODEL_CARD.md'}")


if __name__ == "__main__":
    main()
