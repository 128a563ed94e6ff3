"""Architecture figures for lectures 07-09: feature-map stages, an Inception module, a residual block.

Drawing only: every shape and channel count drawn here is computed, and checked against a
PyTorch model, in the lecture that draws it. Each function returns the matplotlib ``Figure``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from cnnlib.validate import require_int

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Layer types that do not change a shape worth drawing (activations, reshapes, regularisers).
PASS_THROUGH = ("ReLU", "Tanh", "Sigmoid", "Flatten", "Dropout", "Identity", "LocalResponseNorm", "BatchNorm2d")

#: The six channel counts of one Inception module (Szegedy et al., 2015, Table 1 column names).
INCEPTION_KEYS = ("1x1", "3x3 reduce", "3x3", "5x5 reduce", "5x5", "pool proj")

#: Inception (3a) of GoogLeNet, on a 192-channel input (Szegedy et al., 2015, Table 1).
INCEPTION_3A = {"1x1": 64, "3x3 reduce": 96, "3x3": 128, "5x5 reduce": 16, "5x5": 32, "pool proj": 32}

#: Colour of the 1x1 convolutions that set a module's channel count.
ONE_BY_ONE = "#cfe3f5"

_SHEET_OFFSET = 0.06
_GAP = 0.55


def stages_from_layer_table(
    rows: Sequence[Mapping[str, Any]], input_shape: Sequence[int], skip: Sequence[str] = PASS_THROUGH
) -> list[tuple[str, tuple[int, ...]]]:
    """(name, output shape) of the input and of every row of ``cnnlib.models.layer_table`` whose type is not in ``skip``.

    rows: the dicts ``layer_table`` returns (keys "name", "type", "output shape"); input_shape: (C, H, W).
    """
    stages = [("input", tuple(input_shape))]
    stages += [(str(r["name"]), tuple(r["output shape"])) for r in rows if r["type"] not in skip]
    return stages


def _check_stages(stages: Sequence[tuple[str, Sequence[int]]]) -> list[tuple[str, tuple[int, ...]]]:
    if not stages:
        raise ValueError("stages is empty: give at least one (name, shape) pair")
    checked = []
    for index, stage in enumerate(stages):
        if len(stage) != 2:
            raise ValueError(f"stage {index} must be a (name, shape) pair, got {stage!r}")
        name, shape = stage
        shape = tuple(shape)
        if len(shape) not in (1, 3):
            raise ValueError(f"stage {index} ({name}) must have shape (C, H, W) or (D,), got {shape}")
        for size in shape:
            require_int(f"stage {index} ({name}) size", size, 1)
        checked.append((str(name), shape))
    return checked


def draw_feature_map_stages(
    stages: Sequence[tuple[str, Sequence[int]]],
    title: str = "",
    scale: str = "linear",
    max_sheets: int = 8,
    max_side: float = 2.2,
) -> Figure:
    """One box per stage, left to right: a (C, H, W) output as a stack of sheets, a (D,) output as a bar.

    A sheet's side is proportional to H (``scale="linear"``) or to its square root (``"sqrt"``, for
    networks such as AlexNet whose maps shrink from 224 to 6), relative to the largest H; at most
    ``max_sheets`` sheets stand for the C channels. A bar's height grows with D. Each box is labelled
    with the stage's name and its shape, "C@HxW" or "D".
    """
    import matplotlib.pyplot as plt

    stages = _check_stages(stages)
    if scale not in ("linear", "sqrt"):
        raise ValueError(f"scale must be 'linear' or 'sqrt', got {scale!r}")
    max_sheets = require_int("max_sheets", max_sheets, 1)
    heights = [shape[1] for _, shape in stages if len(shape) == 3] or [1]
    widths = [shape[0] for _, shape in stages if len(shape) == 1] or [1]
    reference, widest = max(heights), max(widths)

    def side(height: int) -> float:
        ratio = height / reference
        return max_side * (ratio if scale == "linear" else ratio**0.5)

    fig, ax = plt.subplots(figsize=(max(6.0, 1.15 * len(stages) + 2), 3.4))
    x = 0.0
    for name, shape in stages:
        if len(shape) == 3:
            channels, height, width = shape
            label, edge, sheets = f"{name}\n{channels}@{height}x{width}", side(height), min(channels, max_sheets)
            extent = edge + _SHEET_OFFSET * sheets
        else:
            label, extent = f"{name}\n{shape[0]}", 0.25
        # A stage takes the wider of its drawing and its label (about 0.09 data units per character).
        footprint = max(extent, 0.09 * max(len(line) for line in label.splitlines()))
        left = x + (footprint - extent) / 2
        if len(shape) == 3:
            for k in range(sheets):
                corner = (left + _SHEET_OFFSET * k, _SHEET_OFFSET * k - edge / 2)
                ax.add_patch(plt.Rectangle(corner, edge, edge, facecolor="0.85", edgecolor="0.3", linewidth=0.8))
        else:
            bar = 0.25 + max_side * shape[0] / widest
            ax.add_patch(plt.Rectangle((left, -bar / 2), 0.25, bar, facecolor="0.7", edgecolor="0.3"))
        ax.text(x + footprint / 2, -max_side / 2 - 0.45, label, ha="center", va="top", fontsize=9)
        x += footprint + _GAP
    ax.set_xlim(-0.3, x)
    ax.set_ylim(-max_side / 2 - 1.1, max_side / 2 + 0.6)
    ax.axis("off")
    ax.set_title(title)
    return fig


def _box(ax: Any, center: tuple[float, float], text: str, width: float = 1.7, color: str = "0.92") -> None:
    from matplotlib.patches import FancyBboxPatch

    x, y = center
    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - 0.22),
            width,
            0.44,
            boxstyle="round,pad=0.04",
            facecolor=color,
            edgecolor="0.25",
            linewidth=1,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=8.5)


def _arrow(ax: Any, start: tuple[float, float], end: tuple[float, float], **style: Any) -> None:
    props = {"arrowstyle": "-|>", "color": "0.25", "lw": 1.1, "shrinkA": 0, "shrinkB": 0} | style
    ax.annotate("", xy=end, xytext=start, arrowprops=props)


def _canvas(width: float, height: float, title: str):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height))
    ax.axis("off")
    ax.set_title(title)
    return fig, ax


def draw_inception_module(
    channels: Mapping[str, int] = INCEPTION_3A, in_channels: int = 192, title: str = ""
) -> Figure:
    """Block diagram of an Inception module: four parallel branches from the input to a channel concatenation.

    channels: the six counts named in ``INCEPTION_KEYS`` (default: GoogLeNet's inception (3a)). Branches,
    left to right: 1x1 conv; 1x1 reduction then 3x3 conv; 1x1 reduction then 5x5 conv; 3x3 max-pool
    (stride 1) then 1x1 projection. Every convolution pads to keep H x W, so the outputs can be stacked;
    the concatenation box shows the sum of the four branches' channels.
    """
    missing = [key for key in INCEPTION_KEYS if key not in channels]
    if missing:
        raise ValueError(f"channels is missing {missing}; it needs all of {INCEPTION_KEYS}")
    n = {key: require_int(f"channels[{key!r}]", channels[key], 1) for key in INCEPTION_KEYS}
    in_channels = require_int("in_channels", in_channels, 1)
    branches = [
        [f"1x1 conv, {n['1x1']}"],
        [f"1x1 conv, {n['3x3 reduce']}", f"3x3 conv, {n['3x3']}"],
        [f"1x1 conv, {n['5x5 reduce']}", f"5x5 conv, {n['5x5']}"],
        ["3x3 max pool, stride 1", f"1x1 conv, {n['pool proj']}"],
    ]
    total = n["1x1"] + n["3x3"] + n["5x5"] + n["pool proj"]
    fig, ax = _canvas(9.0, 4.6, title)
    xs, bottom, top = [-3.0, -1.0, 1.0, 3.0], 0.0, 3.0
    _box(ax, (0, bottom), f"input: {in_channels} channels, H x W", width=3.0, color="0.8")
    _box(ax, (0, top), f"filter concatenation: {total} channels, H x W", width=4.2, color="0.8")
    for x, boxes in zip(xs, branches, strict=True):
        levels = [1.0, 2.0] if len(boxes) == 2 else [1.5]
        colors = [ONE_BY_ONE if text.startswith("1x1") else "0.92" for text in boxes]
        _arrow(ax, (0, bottom + 0.25), (x, levels[0] - 0.27))
        for level, text, color in zip(levels, boxes, colors, strict=True):
            _box(ax, (x, level), text, color=color)
        for lower, upper in zip(levels, levels[1:], strict=False):
            _arrow(ax, (x, lower + 0.25), (x, upper - 0.27))
        _arrow(ax, (x, levels[-1] + 0.25), (0, top - 0.27))
    ax.text(
        0,
        -0.55,
        "blue: 1x1 convolutions that set the channel count (reductions and projection)",
        ha="center",
        fontsize=8,
    )
    ax.set_xlim(-4.2, 4.2)
    ax.set_ylim(-0.8, 3.4)
    return fig


def draw_residual_block(
    kind: str = "bottleneck", in_channels: int = 256, width: int = 64, stride: int = 1, title: str = ""
) -> Figure:
    """Block diagram of a residual block y = ReLU(F(x) + shortcut(x)), F drawn bottom to top.

    kind="bottleneck": F = 1x1 conv (width) - BN - ReLU - 3x3 conv (width, stride) - BN - ReLU - 1x1 conv
    (4 width) - BN, as in ResNet-50/101/152. kind="basic": F = 3x3 conv (width, stride) - BN - ReLU - 3x3 conv
    (width) - BN, as in ResNet-18/34. The shortcut is the identity when the output has the input's shape;
    otherwise a projection, 1x1 conv with the block's stride followed by BN.
    """
    from matplotlib.patches import Circle

    if kind not in ("bottleneck", "basic"):
        raise ValueError(f"kind must be 'bottleneck' or 'basic', got {kind!r}")
    in_channels = require_int("in_channels", in_channels, 1)
    width = require_int("width", width, 1)
    stride = require_int("stride", stride, 1)
    step = f", stride {stride}" if stride > 1 else ""
    if kind == "bottleneck":
        out_channels = 4 * width
        layers = [f"1x1 conv, {width}  BN  ReLU", f"3x3 conv, {width}{step}  BN  ReLU", f"1x1 conv, {out_channels}  BN"]
    else:
        out_channels = width
        layers = [f"3x3 conv, {width}{step}  BN  ReLU", f"3x3 conv, {width}  BN"]
    identity = stride == 1 and in_channels == out_channels
    shortcut = "identity: x" if identity else f"projection:\n1x1 conv, {out_channels}{step}  BN"
    fig, ax = _canvas(7.0, 1.3 * len(layers) + 3.0, title)
    _box(ax, (0, 0), f"x: {in_channels} channels", width=2.6, color="0.8")
    levels = [1.0 + k for k in range(len(layers))]
    _arrow(ax, (0, 0.25), (0, levels[0] - 0.27))
    for level, text in zip(levels, layers, strict=True):
        _box(ax, (0, level), text, width=3.2)
    for lower, upper in zip(levels, levels[1:], strict=False):
        _arrow(ax, (0, lower + 0.25), (0, upper - 0.27))
    plus = levels[-1] + 1.0
    ax.add_patch(Circle((0, plus), 0.2, facecolor="white", edgecolor="0.25"))
    ax.text(0, plus, "+", ha="center", va="center", fontsize=13)
    _arrow(ax, (0, levels[-1] + 0.25), (0, plus - 0.2))
    ax.text(0.2, (levels[-1] + plus) / 2, r"$\mathcal{F}(x)$", fontsize=9, va="center")
    side = 2.4
    ax.plot([1.3, side, side], [0, 0, plus], color="0.25", lw=1.1)
    _arrow(ax, (side, plus), (0.2, plus))
    ax.text(side + 0.12, plus / 2, shortcut, fontsize=8.5, va="center")
    _box(ax, (0, plus + 0.8), f"ReLU: y, {out_channels} channels", width=2.8, color="0.8")
    _arrow(ax, (0, plus + 0.2), (0, plus + 0.53))
    ax.set_xlim(-2.2, 4.6)
    ax.set_ylim(-0.5, plus + 1.2)
    return fig
