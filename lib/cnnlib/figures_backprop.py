"""Figures for the backpropagation lectures (04-06): computational graphs, gates, grids of cells, kernels.

Drawing only: every number drawn here is computed, and checked, in the lecture that draws it.
Conventions as in ``cnnlib.plot``: forward values in green and gradients in red on graphs; signed arrays
(kernels, gradients) in a diverging colormap centred on zero; labelled axes and colour bars.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from cnnlib.plot import DIVERGING
from cnnlib.validate import shape_of

if TYPE_CHECKING:
    from matplotlib.figure import Figure

VALUE_COLOUR = "green"
GRADIENT_COLOUR = "red"

# Roles of the cells of a grid drawn by draw_cells: a value that takes part in the computation, a zero
# inserted between values (a strided backward pass), a zero of the padding border, a position never read.
VALUE, INSERTED, PADDING, UNREAD = 0, 1, 2, 3
ROLE_STYLE = {
    INSERTED: ("0.82", "zero inserted between entries"),
    PADDING: ("white", "zero padding"),
    UNREAD: ("khaki", "never read by the forward pass"),
}


def draw_graph(
    ax: Any,
    positions: Mapping[str, tuple[float, float]],
    edges: Sequence[tuple[str, str]],
    values: Mapping[str, float],
    grads: Mapping[str, float],
    gates: Mapping[str, str] | None = None,
    title: str = "",
) -> None:
    """A computational graph: one circle per node, one arrow per edge, each edge labelled twice.

    positions: node name -> (x, y). edges: (source, target) pairs. Each edge carries its source's forward
    value (green, above) and the gradient of the final output with respect to that source (red, below).
    gates: node name -> symbol drawn in the node (e.g. "×", "+", "σ"); nodes not listed are leaves, drawn
    with their name. The node that no edge leaves is the output; its value and gradient are written beside it.
    """
    gates = dict(gates or {})
    unknown = {name for edge in edges for name in edge} - set(positions)
    if unknown:
        raise ValueError(f"edges name nodes without a position: {sorted(unknown)}")
    missing = {a for a, _ in edges} - set(values) | {a for a, _ in edges} - set(grads)
    if missing:
        raise ValueError(f"every edge's source needs a value and a gradient; missing for {sorted(missing)}")
    sources = {a for a, _ in edges}
    for a, b in edges:
        (xa, ya), (xb, yb) = positions[a], positions[b]
        ax.annotate("", xy=(xb - 0.25, yb), xytext=(xa + 0.25, ya), arrowprops={"arrowstyle": "->", "color": "0.4"})
        t = 0.45 if a in gates else 0.32  # a leaf's label sits near the leaf, a gate's halfway along
        xm, ym = xa + t * (xb - xa), ya + t * (yb - ya)
        ax.text(xm, ym + 0.17, f"{values[a]:.2f}", color=VALUE_COLOUR, ha="center", fontsize=10)
        ax.text(xm, ym - 0.3, f"{grads[a]:.2f}", color=GRADIENT_COLOUR, ha="center", fontsize=10)
    for name, (x, y) in positions.items():
        face = "lightyellow" if name in gates else "white"
        ax.text(
            x, y, gates.get(name, name), ha="center", va="center", fontsize=12, bbox={"boxstyle": "circle", "fc": face}
        )
    for name in set(positions) - sources:
        if name in values and name in grads:
            x, y = positions[name]
            ax.text(x + 0.5, y, f"{name} = {values[name]:.2f}\ngradient {grads[name]:.2f}", va="center", fontsize=10)
    xs, ys = zip(*positions.values(), strict=True)
    ax.set_xlim(min(xs) - 0.6, max(xs) + 1.6)
    ax.set_ylim(min(ys) - 0.6, max(ys) + 0.6)
    ax.axis("off")
    ax.set_title(title)


def draw_gate(
    ax: Any,
    symbol: str,
    inputs: Sequence[float],
    output: float,
    input_grads: Sequence[float],
    output_grad: float,
    title: str = "",
) -> None:
    """One gate: its inputs on the left, its output on the right; values above each wire, gradients below.

    inputs, input_grads: one number per input (scalars), the forward values and the gradients the gate's
    backward pass returned. output, output_grad: the gate's output and the upstream gradient it received.
    """
    if len(inputs) != len(input_grads):
        raise ValueError(f"{len(inputs)} inputs but {len(input_grads)} input gradients")
    ys = np.linspace(0.8, 0.2, len(inputs)) if len(inputs) > 1 else np.array([0.5])
    for y, value, grad in zip(ys, inputs, input_grads, strict=True):
        ax.annotate("", xy=(0.45, 0.5), xytext=(0.05, y), arrowprops={"arrowstyle": "->", "color": "0.4"})
        ax.text(0.12, y + 0.05, f"{value:g}", color=VALUE_COLOUR, fontsize=11)
        ax.text(0.12, y - 0.12, f"{grad:.3g}", color=GRADIENT_COLOUR, fontsize=11)
    ax.annotate("", xy=(0.95, 0.5), xytext=(0.55, 0.5), arrowprops={"arrowstyle": "->", "color": "0.4"})
    ax.text(0.7, 0.55, f"{output:.3g}", color=VALUE_COLOUR, fontsize=11)
    ax.text(0.7, 0.37, f"{output_grad:g}", color=GRADIENT_COLOUR, fontsize=11)
    bbox = {"boxstyle": "circle", "fc": "lightyellow", "ec": "0.3"}
    ax.text(0.5, 0.5, symbol, ha="center", va="center", fontsize=14, bbox=bbox)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    ax.set_title(title)


def draw_cells(
    ax: Any,
    values: Any,
    roles: Any = None,
    title: str = "",
    fmt: str = "{:g}",
    window: tuple[int, int, int, int] | None = None,
    limit: float | None = None,
) -> Any:
    """A small 2-D array as a grid of cells, each value written in its cell, each cell coloured by its role.

    values: (rows, cols) array. roles: an integer array of the same shape (default: all ``VALUE``). ``VALUE``
    cells are coloured by their value (diverging colormap centred on zero, half-range ``limit``, default the
    largest |value| among them); ``INSERTED``, ``PADDING`` and ``UNREAD`` cells get the fixed colours of
    ``ROLE_STYLE``. window: (row, col, height, width) of a rectangle to outline, e.g. where a kernel sits.
    Returns the ``ScalarMappable`` of the value colours, for a colour bar.
    """
    import matplotlib as mpl
    from matplotlib.patches import Rectangle

    arr = np.asarray(values, dtype=float)
    if arr.ndim != 2:
        raise ValueError(f"values must be 2-D, got {shape_of(arr)}")
    kind = np.full(arr.shape, VALUE) if roles is None else np.asarray(roles)
    if kind.shape != arr.shape:
        raise ValueError(f"roles {shape_of(kind)} must have the shape of values {shape_of(arr)}")
    if not np.isin(kind, [VALUE, *ROLE_STYLE]).all():
        raise ValueError(f"roles must be among {[VALUE, *ROLE_STYLE]}, got {sorted(set(kind.ravel().tolist()))}")
    shown = arr[kind == VALUE]
    limit = float(limit or (np.abs(shown).max() if shown.size else 0) or 1.0)
    mappable = mpl.cm.ScalarMappable(norm=mpl.colors.Normalize(-limit, limit), cmap=DIVERGING)
    for (i, j), value in np.ndenumerate(arr):
        is_value = kind[i, j] == VALUE
        face = mappable.to_rgba(value) if is_value else ROLE_STYLE[int(kind[i, j])][0]
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=face, edgecolor="0.55", lw=0.8))
        dark = is_value and abs(value) > 0.6 * limit  # white text on the deep ends of the colormap
        ax.text(j, i, _number(fmt, value), ha="center", va="center", fontsize=9, color="white" if dark else "black")
    if window is not None:
        row, col, height, width = window
        outline = Rectangle((col - 0.5, row - 0.5), width, height, fill=False, edgecolor="black", lw=2.5)
        ax.add_patch(outline)
    ax.set_xlim(-0.5, arr.shape[1] - 0.5)
    ax.set_ylim(arr.shape[0] - 0.5, -0.5)
    ax.set_aspect("equal")
    ax.set_xticks(range(arr.shape[1]))
    ax.set_yticks(range(arr.shape[0]))
    ax.set_xlabel("column")
    ax.set_ylabel("row")
    ax.set_title(title, fontsize=10)
    return mappable


def _number(fmt: str, value: float) -> str:
    """``fmt.format(value)`` without the sign of a value that rounds to zero ("-0.00" becomes "0.00")."""
    text = fmt.format(value)
    try:
        return text.lstrip("-") if float(text) == 0 else text
    except ValueError:
        return text


def role_legend(fig: Any, roles: Sequence[int] = (INSERTED, PADDING, UNREAD), **kwargs: Any) -> None:
    """A figure legend naming the fixed colours ``draw_cells`` gives to the listed roles (ints of ROLE_STYLE)."""
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=ROLE_STYLE[r][0], edgecolor="0.55", label=ROLE_STYLE[r][1]) for r in roles]
    fig.legend(handles=handles, **({"loc": "lower center", "ncol": len(handles), "frameon": False} | kwargs))


def show_kernel_snapshots(kernels: Any, titles: Sequence[str], suptitle: str = "", fmt: str = "{:.2f}") -> Figure:
    """Several kernels side by side on one diverging colour scale, each weight written in its cell.

    kernels: (T, kh, kw) array, e.g. one kernel at T moments of training followed by the kernel it should
    become. titles: one per kernel. Returns the figure, with a colour bar labelled "weight".
    """
    import matplotlib.pyplot as plt

    arr = np.asarray(kernels, dtype=float)
    if arr.ndim != 3:
        raise ValueError(f"kernels must be (T, kh, kw), got {shape_of(arr)}")
    if len(titles) != len(arr):
        raise ValueError(f"{len(arr)} kernels but {len(titles)} titles")
    limit = float(np.abs(arr).max()) or 1.0
    fig, axes = plt.subplots(1, len(arr), figsize=(2.1 * len(arr) + 0.8, 2.6), squeeze=False)
    mappable = None
    for index, (ax, kernel, title) in enumerate(zip(axes[0], arr, titles, strict=True)):
        mappable = draw_cells(ax, kernel, title=title, fmt=fmt, limit=limit)
        ax.set_xlabel("v")
        if index == 0:
            ax.set_ylabel("u")
        else:  # the panels share rows: label them once, so no tick overlaps the panel to its left
            ax.set_ylabel("")
            ax.set_yticklabels([])
    fig.suptitle(suptitle)
    fig.colorbar(mappable, ax=axes.ravel().tolist(), shrink=0.8, label="weight")
    return fig
