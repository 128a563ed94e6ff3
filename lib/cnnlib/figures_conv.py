"""Connection diagrams for lectures 02-03: which inputs each unit of a sliding-window layer reads.

Drawing only: every array drawn here is computed, and checked, in the lecture that draws it.
Conventions as in ``cnnlib.plot``: signed values (weights) in a diverging colormap centred on zero,
labelled axes. Each function draws into a given matplotlib ``Axes``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from cnnlib.plot import DIVERGING
from cnnlib.validate import require_ndim, shape_of

HIGHLIGHT = "crimson"


def _units(ax: Any, xs: np.ndarray, y: float, filled: np.ndarray) -> None:
    face = np.where(filled, HIGHLIGHT, "white")
    ax.scatter(xs, np.full(len(xs), y), s=90, c=list(face), edgecolors="dimgray", linewidths=1, zorder=3)


def draw_connections(
    ax: Any, weights: Any, title: str = "", highlight: int | None = None, limit: float | None = None
) -> Any:
    """A layer ``y = A x`` as a two-row graph: inputs below, outputs above, one line per non-zero ``A[o, i]``.

    weights: (n_out, n_in) array A. Each line is coloured by its weight (diverging colormap centred on zero),
    so weights shared between positions share a colour. Outputs are centred over the inputs they can reach
    (output o sits at o + (n_in - n_out) / 2). highlight: an output whose lines are drawn thick and whose
    inputs are filled in. limit: the colour scale's half-range (default: the largest |weight|), so several
    panels can share one scale. Returns the ``ScalarMappable`` for a colour bar.
    """
    import matplotlib as mpl

    A = np.asarray(weights, dtype=float)
    require_ndim("weights", A, 2)
    n_out, n_in = A.shape
    if highlight is not None and not 0 <= highlight < n_out:
        raise ValueError(f"highlight must be an output index in 0..{n_out - 1}, got {highlight}")
    limit = float(limit or np.abs(A).max() or 1.0)
    mappable = mpl.cm.ScalarMappable(norm=mpl.colors.Normalize(-limit, limit), cmap=DIVERGING)
    x_in = np.arange(n_in, dtype=float)
    x_out = np.arange(n_out) + (n_in - n_out) / 2
    for o, i in zip(*np.nonzero(A), strict=True):  # a grey underlay keeps near-zero weights visible
        ax.plot([x_in[i], x_out[o]], [0, 1], color="0.85", lw=0.6, zorder=0)
    for o, i in zip(*np.nonzero(A), strict=True):
        thick = o == highlight
        ax.plot(
            [x_in[i], x_out[o]],
            [0, 1],
            color=mappable.to_rgba(A[o, i]),
            lw=3 if thick else 1.2,
            alpha=1 if thick or highlight is None else 0.45,
            zorder=2 if thick else 1,
        )
    reads = A[highlight] != 0 if highlight is not None else np.zeros(n_in, bool)
    _units(ax, x_in, 0, reads)
    _units(ax, x_out, 1, np.arange(n_out) == (highlight if highlight is not None else -1))
    ax.set_yticks([0, 1], ["input x", "output y"])
    ax.set_xticks(range(n_in))
    ax.set_xlabel("input position i")
    ax.set_ylim(-0.25, 1.25)
    ax.set_title(title, fontsize=9)
    return mappable


def draw_layer_stack(
    ax: Any,
    connections: Sequence[Any],
    cone: Sequence[Any] | None = None,
    title: str = "",
    row_labels: Sequence[str] | None = None,
) -> None:
    """Units of a stack of layers in rows, the input at the bottom, with the cone of one top unit in colour.

    connections: one boolean (n_l, n_{l-1}) array per layer, first layer first; entry [o, i] is True when
    unit o of layer l reads unit i of layer l - 1. cone: one collection of unit indices per row (input row
    first, top row last), the units to fill in; lines whose two ends are both in the cone are drawn thick.
    A unit sits at the mean position of the units it reads, so strided layers spread out.
    """
    matrices = [np.asarray(c, dtype=bool) for c in connections]
    if not matrices:
        raise ValueError("connections is empty: give at least one layer")
    for index, (lower, upper) in enumerate(zip(matrices, matrices[1:], strict=False)):
        if upper.ndim != 2 or upper.shape[1] != lower.shape[0]:
            raise ValueError(f"layer {index + 1} reads {shape_of(upper)}, but layer {index} has {lower.shape[0]} units")
    if matrices[0].ndim != 2:
        raise ValueError(f"each connection matrix must be 2-D, got {shape_of(matrices[0])}")
    rows = len(matrices) + 1
    members = [set(np.asarray(c).tolist()) for c in cone] if cone is not None else [set()] * rows
    if len(members) != rows:
        raise ValueError(f"cone needs one index collection per row ({rows}), got {len(members)}")
    positions = [np.arange(matrices[0].shape[1], dtype=float)]
    for A in matrices:
        counts = np.maximum(A.sum(axis=1), 1)
        positions.append((A @ positions[-1]) / counts)
    for level, A in enumerate(matrices, start=1):
        for o, i in zip(*np.nonzero(A), strict=True):
            inside = o in members[level] and i in members[level - 1]
            ax.plot(
                [positions[level - 1][i], positions[level][o]],
                [level - 1, level],
                color=HIGHLIGHT if inside else "lightgray",
                lw=2.2 if inside else 0.8,
                zorder=2 if inside else 1,
            )
    for level, xs in enumerate(positions):
        _units(ax, xs, level, np.isin(np.arange(len(xs)), list(members[level])))
    labels = list(row_labels) if row_labels is not None else ["input"] + [f"layer {n}" for n in range(1, rows)]
    ax.set_yticks(range(rows), labels)
    ax.set_xlabel("input position")
    ax.set_ylim(-0.5, rows - 0.5)
    ax.set_title(title, fontsize=9)
