#!/usr/bin/env bash
# The whole reference-model pipeline, one command:
#   training/pipeline.sh          full run: data, training (~40 min on 2 cores), export to
#                                 models/reference, fixtures, verification, evaluation, model card
#   training/pipeline.sh --smoke  a few conversations, a few steps, export, verification (~2 min)
# The defaults are the shipped model's recipe (below). Experiments set GENERATOR, ENCODER, WIDTH,
# LAYERS, HEADS, STEPS, SHIFT, LOSS, the manifest's guidance AVATAR_SCALE / USER_SCALE and CLAMP
# (1: diffusion.clampToLatentRange); they too write models/reference, the fixtures' golden outputs
# and runs/full (move runs/full aside first).
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh

PY=/usr/bin/python3
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
MODE=full
# The shipped model's recipe (MODEL_CARD.md); each can be overridden from the environment.
GENERATOR=${GENERATOR:-synth/1} ENCODER=${ENCODER:-film} WIDTH=${WIDTH:-96} LAYERS=${LAYERS:-3} HEADS=${HEADS:-2}
STEPS=${STEPS:-3500} SHIFT=${SHIFT:-0.3} LOSS=${LOSS:-hybrid} AVATAR_SCALE=${AVATAR_SCALE:-1.0} USER_SCALE=${USER_SCALE:-1.5}
CHANNEL_WEIGHTS=${CHANNEL_WEIGHTS:-head_pitch=4} CLAMP=${CLAMP:-1}
CLAMP_FLAG=""
[ "$CLAMP" = 1 ] && CLAMP_FLAG=--clamp
[ "${1:-}" = "--smoke" ] && MODE=smoke
RUN=runs/$MODE
mkdir -p "$RUN"
stamp() { echo "== $(date +%T) $*"; }

# Build the ONNX Runtime checker once, so its first use is not timed as part of a step.
stamp "building training/onnxcheck"
dotnet build onnxcheck -c Release -v q -nologo >/dev/null

stamp "unit tests (metrics, features, sampler)"
$PY -m unittest discover -s tests -q

if [ "$MODE" = smoke ]; then
  stamp "synthetic conversations"
  $PY -m avatarlab_train.synth --out "$RUN/data" --train 6 --val 2 --test 2 --seconds 12 --seed 1
  stamp "training (smoke)"
  $PY -m avatarlab_train.train --data "$RUN/data" --out "$RUN/train" --steps 30 --batch 8 --log-every 10 \
      --encoder film --layers 3 --heads 2 --shift 0.3 --loss hybrid --channel-weights head_pitch=4
  stamp "export"
  $PY -m avatarlab_train.package --checkpoint "$RUN/train/model.pt" --out "$RUN/package" --name smoke --clamp
  stamp "verify ONNX vs PyTorch, sampler cache and causality"
  $PY -m avatarlab_train.verify --checkpoint "$RUN/train/model.pt" --package "$RUN/package" --work "$RUN/verify" \
      --report "$RUN/verify.json" >/dev/null
  stamp "evaluation (smoke: measures computed, targets not expected)"
  $PY -m avatarlab_train.evaluate --checkpoint "$RUN/train/model.pt" --data "$RUN/data" --out "$RUN/eval.json" --clamp >/dev/null
  stamp "smoke pipeline passed"
  exit 0
fi

stamp "synthetic conversations"
$PY -m avatarlab_train.synth --out "$RUN/data" --train 320 --val 16 --test 24 --seconds 30 --seed 0 --generator "$GENERATOR"
stamp "training"
$PY -m avatarlab_train.train --data "$RUN/data" --out "$RUN/train" --steps "$STEPS" --batch 32 --width "$WIDTH" --layers "$LAYERS" \
    --heads "$HEADS" --encoder "$ENCODER" --shift "$SHIFT" --loss "$LOSS" --channel-weights "$CHANNEL_WEIGHTS" | tee "$RUN/train.log"
stamp "export to models/reference"
$PY -m avatarlab_train.package --checkpoint "$RUN/train/model.pt" --out ../models/reference --name reference-tiny \
    --avatar-scale "$AVATAR_SCALE" --user-scale "$USER_SCALE" $CLAMP_FLAG
stamp "verify"
$PY -m avatarlab_train.verify --checkpoint "$RUN/train/model.pt" --package ../models/reference --work "$RUN/verify" \
    --report "$RUN/verify.json"
stamp "fixture packages"
$PY -m avatarlab_train.fixtures --out ../tests/fixtures --work "$RUN/fixtures"
stamp "golden sampler outputs for the engine's parity tests"
$PY -m avatarlab_train.golden --out ../tests/fixtures/golden/sampler --package ../models/reference --conversation example \
    --fixture ../tests/fixtures/tiny-1layer="$RUN/fixtures/tiny-1layer.pt" \
    --fixture ../tests/fixtures/tiny-3layer="$RUN/fixtures/tiny-3layer.pt"
stamp "evaluation on the test split"
$PY -m avatarlab_train.evaluate --checkpoint "$RUN/train/model.pt" --data "$RUN/data" --out "$RUN/eval.json" \
    --avatar-scale "$AVATAR_SCALE" --user-scale "$USER_SCALE" $CLAMP_FLAG
if [ -n "$CLAMP_FLAG" ]; then
  stamp "evaluation on the test split with the range clamp off (for the card)"
  $PY -m avatarlab_train.evaluate --checkpoint "$RUN/train/model.pt" --data "$RUN/data" --out "$RUN/eval-noclamp.json" \
      --avatar-scale "$AVATAR_SCALE" --user-scale "$USER_SCALE" >/dev/null
fi
stamp "model card"
$PY -m avatarlab_train.modelcard --run "$RUN" --package ../models/reference
stamp "done"
