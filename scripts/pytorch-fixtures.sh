#!/bin/sh
# Regenerates every PyTorch fixture (tests/fixtures/{diagnose,network,torch}/*.json) from real PyTorch:
# installs Debian's python3-torch (1.13) when it is missing, then runs the reader's script on a few
# models. npm test does not need PyTorch: it reads the committed fixtures.
set -eu
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
if ! "$PY" -c 'import torch' 2>/dev/null; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get install -y python3-torch
fi
"$PY" -c 'import torch; print("PyTorch", torch.__version__)'
"$PY" scripts/pytorch-fixtures.py
"$PY" scripts/fixtures/conv.py
"$PY" scripts/fixtures/mlp.py
"$PY" scripts/fixtures/transformer.py
"$PY" scripts/fixtures/recurrent.py
"$PY" scripts/fixtures/torch-modules.py
"$PY" scripts/fixtures/torch-network.py
"$PY" scripts/fixtures/torch-normal.py
"$PY" scripts/fixtures/torch-rng.py
# Two of them are the chapter's examples, which readers can download.
cp tests/fixtures/diagnose/good-relu-kaiming.json tests/fixtures/diagnose/bad-relu-torch-default.json \
  tests/fixtures/diagnose/bad-tanh-std001.json public/diagnose/examples/
# The "Copy as PyTorch" scripts' printouts, figures' and code cells' twins (each test writes its own
# fixture in this mode).
UPDATE_PYTORCH_FIXTURES=1 npx vitest run tests/unit/pytorch-stack-script.test.ts
UPDATE_PYTORCH_FIXTURES=1 npx vitest run tests/unit/figure-training-pytorch.test.ts
UPDATE_PYTORCH_FIXTURES=1 npx vitest run tests/unit/figure-activation-lab-pytorch.test.ts
UPDATE_PYTORCH_FIXTURES=1 npx vitest run tests/unit/cell-twins.test.ts
