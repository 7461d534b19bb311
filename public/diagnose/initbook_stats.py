"""Per-layer statistics of a PyTorch model at initialization, for Initbook's diagnosis tool.

Usage, with your own model and one batch of real inputs and labels:

    from initbook_stats import layer_stats
    layer_stats(model, x, y, loss_fn=torch.nn.functional.cross_entropy, path="stats.json")

Hooks on every nn.Linear and nn.Conv* record the second moment E[y^2] of the layer's output (the
pre-activation y), of its input, and of the gradient dL/dy; hooks on activation modules record the
share of saturated units (|tanh| > 0.97, sigmoid outside [0.03, 0.97]) and of dead ReLU units (zero
for every example of the batch). An activation is attributed to the weight layer that ran just
before it; activations called as functions (F.relu) are not seen, so use modules (nn.ReLU).
Nothing is sent anywhere: the script writes one JSON file, which the page reads in your browser.
"""
import json
import math

import torch
from torch import nn

FORMAT, VERSION = "initbook-layer-stats", 1
WEIGHTED = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)
ACTIVATIONS = {nn.ReLU: "relu", nn.LeakyReLU: "leaky_relu", nn.Tanh: "tanh",
               nn.Sigmoid: "sigmoid", nn.SELU: "selu", nn.ELU: "elu", nn.GELU: "gelu",
               nn.SiLU: "silu", nn.Softplus: "softplus", nn.Identity: "linear"}


def second_moment(t):
    return float(t.detach().double().pow(2).mean())


def fans(weight):
    # PyTorch's own rule: fan_in = in_channels x kernel size, fan_out = out_channels x kernel size.
    receptive = weight[0][0].numel() if weight.dim() > 2 else 1
    return weight.shape[1] * receptive, weight.shape[0] * receptive


def saturated(kind, h):
    if kind == "tanh":
        return float((h.abs() > 0.97).double().mean())
    if kind == "sigmoid":
        return float(((h < 0.03) | (h > 0.97)).double().mean())
    return None


def dead(kind, h):
    if kind not in ("relu", "leaky_relu"):
        return None
    units = h.detach().transpose(0, 1).reshape(h.shape[1], -1)  # one row per unit (channel)
    return float((units <= 0).all(dim=1).double().mean())


def layer_stats(model, x, y, loss_fn, path="stats.json", name=None):
    layers, handles, last = [], [], [None]

    def on_forward(module, inputs, output):
        fan_in, fan_out = fans(module.weight)
        bias = module.bias
        entry = {"name": module._initbook_name, "kind": type(module).__name__.lower(),
                 "fan_in": fan_in, "fan_out": fan_out,
                 "weight_var": float(module.weight.detach().double().var(unbiased=False)),
                 "bias_var": 0.0 if bias is None else float(bias.detach().double().var(unbiased=False)),
                 "activation": "linear", "input_second_moment": second_moment(inputs[0]),
                 "forward_second_moment": second_moment(output), "grad_second_moment": None,
                 "saturated_fraction": None, "dead_fraction": None}
        layers.append(entry)
        last[0] = entry
        if output.requires_grad:  # a frozen layer with no trainable input has no gradient
            output.register_hook(lambda g: entry.update(grad_second_moment=second_moment(g)))

    def on_activation(module, inputs, output):
        entry = last[0]
        if entry is None or entry["activation"] != "linear":
            return  # no weight layer before it, or one already has its activation
        kind = ACTIVATIONS[type(module)]
        entry.update(activation=kind, saturated_fraction=saturated(kind, output),
                     dead_fraction=dead(kind, output))
        if kind == "leaky_relu":
            entry["activation_param"] = module.negative_slope

    for module_name, module in model.named_modules():
        module._initbook_name = module_name or "model"
        if isinstance(module, WEIGHTED):
            handles.append(module.register_forward_hook(on_forward))
        elif type(module) in ACTIVATIONS:
            handles.append(module.register_forward_hook(on_activation))
    try:
        model.zero_grad(set_to_none=True)
        output = model(x)
        loss = loss_fn(output, y)
        loss.backward()
    finally:
        for handle in handles:
            handle.remove()
    classes = output.shape[-1] if output.dim() > 1 else None
    stats = {"format": FORMAT, "version": VERSION, "model": name or type(model).__name__,
             "batch_size": int(x.shape[0]), "loss": float(loss),
             "classes": classes, "ln_classes": math.log(classes) if classes else None,
             "layers": layers}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(stats, f, indent=1)
    return stats
