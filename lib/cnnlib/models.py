"""The CNNs of the course's PyTorch part (LeNet-5, AlexNet) and tools to inspect them.

Lectures 07-09 derive these models layer by layer before using them; assignment A4 has
students write their own. ``layer_table`` prints the layer-by-layer output shapes and
parameter counts that the lectures work out by hand.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import torch
from torch import nn

from cnnlib.validate import require_int

LENET5_VARIANTS = ("modern", "classic")

#: Parameters of torchvision's single-GPU AlexNet at 1000 classes and 3 input channels.
ALEXNET_IMAGENET_PARAMETERS = 61_100_840


def lenet5(variant: str = "modern", num_classes: int = 10, in_channels: int = 1) -> nn.Sequential:
    """LeNet-5 (LeCun et al., 1998) for 28x28 images, as an ``nn.Sequential``.

    Input (N, in_channels, 28, 28); conv1's padding of 2 makes it the paper's 32x32.
    Output: logits (N, num_classes).

    ===== ========= ======================== ===================
    name  layer     output per example        parameters (1 ch.)
    ===== ========= ======================== ===================
    C1    5x5 conv  (6, 28, 28)               6*25 + 6 = 156
    S2    2x2 pool  (6, 14, 14)               0
    C3    5x5 conv  (16, 10, 10)              16*6*25 + 16 = 2,416
    S4    2x2 pool  (16, 5, 5)                0
    C5    400->120  (120,)                    400*120 + 120 = 48,120
    F6    120->84   (84,)                     120*84 + 84 = 10,164
    out   84->K     (K,)                      84*K + K (850 for K = 10)
    ===== ========= ======================== ===================

    Total for 1 channel and 10 classes: 61,706. C5 is written as a linear layer on the
    flattened (16, 5, 5) maps, which is exactly a 5x5 convolution over a 5x5 input.

    ``variant="classic"``: tanh activations and 2x2 average pooling (the paper's
    subsampling, here without its trainable scale and bias; its fixed 1.7159 tanh(2a/3)
    is plain tanh). ``variant="modern"``: ReLU and 2x2 max-pooling. Both have the same
    sizes and the same layer names, so ``model.C1`` or ``model[0]`` is the first convolution.
    The paper's C3 connects each map to a subset of S2's maps and its output is an RBF
    layer; here every connection is present and the output is linear.
    """
    if variant not in LENET5_VARIANTS:
        raise ValueError(f"variant must be one of {LENET5_VARIANTS}, got {variant!r}")
    num_classes = require_int("num_classes", num_classes, minimum=1)
    in_channels = require_int("in_channels", in_channels, minimum=1)

    def activation() -> nn.Module:
        return nn.Tanh() if variant == "classic" else nn.ReLU()

    def pool() -> nn.Module:
        return nn.AvgPool2d(kernel_size=2, stride=2) if variant == "classic" else nn.MaxPool2d(kernel_size=2, stride=2)

    layers = OrderedDict(
        [
            ("C1", nn.Conv2d(in_channels, 6, kernel_size=5, padding=2)),
            ("act1", activation()),
            ("S2", pool()),
            ("C3", nn.Conv2d(6, 16, kernel_size=5)),
            ("act3", activation()),
            ("S4", pool()),
            ("flatten", nn.Flatten()),
            ("C5", nn.Linear(16 * 5 * 5, 120)),
            ("act5", activation()),
            ("F6", nn.Linear(120, 84)),
            ("act6", activation()),
            ("output", nn.Linear(84, num_classes)),
        ]
    )
    return nn.Sequential(layers)


class AlexNet(nn.Module):
    """AlexNet in torchvision's single-GPU layout; build it with :func:`alexnet`."""

    def __init__(self, num_classes: int = 1000, in_channels: int = 3, dropout: float = 0.5) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 64, kernel_size=11, stride=4, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(64, 192, kernel_size=5, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(192, 384, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
        )
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout),
            nn.Linear(256 * 6 * 6, 4096),
            nn.ReLU(inplace=True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, 4096),
            nn.ReLU(inplace=True),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (N, C, H, W) -> logits (N, num_classes)."""
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


def alexnet(num_classes: int = 1000, in_channels: int = 3, dropout: float = 0.5) -> AlexNet:
    """AlexNet (Krizhevsky, Sutskever and Hinton, 2012) in torchvision's single-GPU layout.

    Input (N, in_channels, H, W), meant for H = W = 224 (anything from 63x63 up runs,
    thanks to the adaptive pooling); output logits (N, num_classes).

    features: conv 11x11/4 (64) - maxpool 3/2 - conv 5x5 (192) - maxpool 3/2 - conv 3x3 (384)
    - conv 3x3 (256) - conv 3x3 (256) - maxpool 3/2, each conv followed by ReLU; at 224x224
    this gives (256, 6, 6). Then adaptive average pooling to 6x6, and the classifier
    dropout - 9216->4096 - ReLU - dropout - 4096->4096 - ReLU - 4096->num_classes.
    At 1000 classes and 3 channels it has 61,100,840 parameters. The 2012 paper split
    its 96-256-384-384-256 channels over two GPUs; this is the one-GPU variant.
    The returned module has ``.features``, ``.avgpool`` and ``.classifier``.
    """
    num_classes = require_int("num_classes", num_classes, minimum=1)
    in_channels = require_int("in_channels", in_channels, minimum=1)
    if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be a probability in [0, 1), got {dropout!r}")
    return AlexNet(num_classes, in_channels, float(dropout))


def _require_module(model: Any) -> None:
    if not isinstance(model, nn.Module):
        raise ValueError(f"model must be a torch.nn.Module, got a {type(model).__name__}")


def count_parameters(model: Any, trainable_only: bool = True) -> int:
    """Number of scalar parameters of ``model`` (only those with ``requires_grad`` by default).

    Shared parameters are counted once.
    """
    _require_module(model)
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)


def _dummy_shape(input_shape: Sequence[int]) -> tuple[tuple[int, ...], bool]:
    """Validate ``input_shape`` and return the (N, C, H, W)-style shape to run plus whether N was given."""
    shape = tuple(input_shape) if isinstance(input_shape, (tuple, list)) else None
    if shape is None or len(shape) < 1:
        raise ValueError(f"input_shape must be a tuple such as (C, H, W) or (N, C, H, W), got {input_shape!r}")
    for i, size in enumerate(shape):
        require_int(f"input_shape[{i}]", size, minimum=1)
    with_batch = len(shape) == 4
    return (shape if with_batch else (1, *shape)), with_batch


def layer_table(model: Any, input_shape: Sequence[int]) -> list[dict[str, Any]]:
    """Output shape and parameter count of every leaf layer, in the order they run.

    input_shape: one example's shape (C, H, W) -- output shapes are then per example,
    without the batch axis -- or a batch's (N, C, H, W), and then they keep the N.
    Returns a list of dicts with keys ``"name"`` (e.g. ``"C1"`` or ``"features.0"``),
    ``"type"`` (e.g. ``"Conv2d"``), ``"output shape"`` (a tuple) and ``"parameters"``
    (an int). Computed with forward hooks on a dummy zero input, on the CPU, in eval
    mode and without gradients; ``model`` is left as it was (device and train/eval mode).
    """
    _require_module(model)
    shape, with_batch = _dummy_shape(input_shape)
    on_cpu = all(p.device.type == "cpu" for p in model.parameters())
    probe = model if on_cpu else copy.deepcopy(model).cpu()
    rows: list[dict[str, Any]] = []

    def record(name: str):
        def hook(module, inputs, output) -> None:
            out_shape = tuple(output.shape) if isinstance(output, torch.Tensor) else ()
            rows.append(
                {
                    "name": name,
                    "type": type(module).__name__,
                    "output shape": out_shape if with_batch else out_shape[1:],
                    "parameters": sum(p.numel() for p in module.parameters(recurse=False)),
                }
            )

        return hook

    leaves = [(name, m) for name, m in probe.named_modules() if name and not any(True for _ in m.children())]
    if not leaves:
        leaves = [(type(probe).__name__, probe)]
    handles = [m.register_forward_hook(record(name)) for name, m in leaves]
    was_training = probe.training
    dtype = next((p.dtype for p in probe.parameters() if p.is_floating_point()), torch.float32)
    try:
        probe.eval()
        with torch.no_grad():
            probe(torch.zeros(shape, dtype=dtype))
    except RuntimeError as exc:
        raise ValueError(f"the model cannot run on an input of shape {tuple(input_shape)}: {exc}") from exc
    finally:
        for handle in handles:
            handle.remove()
        probe.train(was_training)
    return rows


def print_layer_table(model: Any, input_shape: Sequence[int]) -> list[dict[str, Any]]:
    """Print :func:`layer_table` as aligned text with a total, and return the rows."""
    rows = layer_table(model, input_shape)
    header = ("layer", "type", "output shape", "parameters")
    cells = [(r["name"], r["type"], str(r["output shape"]), f"{r['parameters']:,}") for r in rows]
    total = count_parameters(model, trainable_only=False)
    footer = ("total", "", "", f"{total:,}")
    widths = [max(len(row[i]) for row in [header, *cells, footer]) for i in range(4)]

    def line(row: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(width) if i == 3 else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )

    rule = "-" * len(line(header))
    print(f"input: {tuple(input_shape)}")
    print(line(header))
    print(rule)
    for row in cells:
        print(line(row))
    print(rule)
    print(line(footer))
    return rows
