#!/usr/bin/env bash
# AvatarLab: what runs today. Installs what it needs, then streams the example conversation
# (training/example) through the shipped reference model with the reference sampler and
# prints the reactivity measures. The dashboard replaces this with issue #4.
set -euo pipefail
cd "$(dirname "$0")"
training/setup.sh
PYTHONPATH=training /usr/bin/python3 -m avatarlab_train.demo --package models/reference \
    --conversation training/example --out out/example "$@"
