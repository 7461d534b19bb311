"""Writes tests/fixtures/diagnose/*.json with the reader's script (public/diagnose/initbook_stats.py)
on a few small models, with fixed seeds. Run through scripts/pytorch-fixtures.sh."""
import os
import sys

import torch
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "public", "diagnose"))
from initbook_stats import layer_stats  # noqa: E402

OUT = os.path.join(ROOT, "tests", "fixtures", "diagnose")
WIDTH, DEPTH, BATCH, CLASSES = 256, 10, 256, 10


def mlp(activation, init):
    layers = []
    for i in range(DEPTH - 1):
        layers += [nn.Linear(WIDTH, WIDTH), activation()]
    layers.append(nn.Linear(WIDTH, CLASSES))
    model = nn.Sequential(*layers)
    for m in model:
        if isinstance(m, nn.Linear) and init is not None:
            init(m.weight)
            nn.init.zeros_(m.bias)
    return model


CASES = {
    "good-relu-kaiming": (nn.ReLU, lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu")),
    "bad-tanh-std001": (nn.Tanh, lambda w: nn.init.normal_(w, std=0.01)),
    "bad-relu-unscaled": (nn.ReLU, lambda w: nn.init.normal_(w, std=1.0)),
    "bad-relu-torch-default": (nn.ReLU, None),
}

for name, (activation, init) in CASES.items():
    torch.manual_seed(1)
    model = mlp(activation, init)
    x = torch.randn(BATCH, WIDTH)
    y = torch.randint(0, CLASSES, (BATCH,))
    stats = layer_stats(model, x, y, nn.functional.cross_entropy,
                        path=os.path.join(OUT, name + ".json"), name=name)
    print(f"{name}: loss {stats['loss']:.4f} (ln K = {stats['ln_classes']:.4f})")

# PyTorch's own gains, for the test of the gains the tool proposes.
import json  # noqa: E402

gains = {name: nn.init.calculate_gain(name) for name in ("linear", "sigmoid", "tanh", "relu", "selu")}
gains["leaky_relu(0.2)"] = nn.init.calculate_gain("leaky_relu", 0.2)
with open(os.path.join(OUT, "torch-gains.json"), "w", encoding="utf-8") as f:
    json.dump({"torch": torch.__version__, "gains": gains}, f, indent=1)
print("calculate_gain:", gains)
