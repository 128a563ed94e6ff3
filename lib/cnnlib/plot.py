"""Figures used across the course, drawn one way everywhere.

Conventions (see NOTATION): images in grayscale (``cmap="gray"``); kernels, gradients
and other signed arrays in a diverging colormap centred on zero; every axis and colour
bar labelled. Each function returns the matplotlib ``Figure`` so a notebook can save or
adjust it, and accepts NumPy arrays or tensors.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from cnnlib.validate import shape_of

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DIVERGING = "RdBu_r"


def _numpy(value: Any) -> np.ndarray:
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    return np.asarray(value)


def _as_image_stack(images: Any, name: str) -> np.ndarray:
    """(N, H, W), (N, 1, H, W) or (N, 3, H, W) -> (N, H, W) or (N, H, W, 3) for imshow."""
    arr = _numpy(images)
    if arr.ndim == 2:
        arr = arr[None]
    if arr.ndim == 4:
        if arr.shape[1] == 1:
            arr = arr[:, 0]
        elif arr.shape[1] == 3:
            arr = arr.transpose(0, 2, 3, 1)
        else:
            raise ValueError(f"{name} must have 1 or 3 channels in axis 1, got {shape_of(arr)}")
    if arr.ndim not in (3, 4):
        raise ValueError(f"{name} must be (N, H, W) or (N, C, H, W), got {shape_of(arr)}")
    return arr


def _grid(n: int, ncols: int, cell: float = 1.3):
    import matplotlib.pyplot as plt

    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(cell * ncols, cell * nrows + 0.4), squeeze=False)
    for ax in axes.flat:
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in axes.flat[n:]:
        ax.axis("off")
    return fig, axes


def show_images(
    images: Any,
    labels: Sequence[Any] | None = None,
    ncols: int = 8,
    title: str | None = None,
    cmap: str = "gray",
) -> Figure:
    """A grid of images, each titled with its label when ``labels`` is given."""
    stack = _as_image_stack(images, "images")
    fig, axes = _grid(len(stack), ncols)
    for i, (ax, image) in enumerate(zip(axes.flat, stack, strict=False)):
        ax.imshow(image, cmap=cmap if image.ndim == 2 else None)
        if labels is not None:
            ax.set_title(str(labels[i]), fontsize=9)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_kernels(kernels: Any, title: str = "kernels", ncols: int = 8, channel: int = 0) -> Figure:
    """Kernels ``(F, C, kh, kw)`` (channel ``channel`` shown) or ``(F, kh, kw)`` in a diverging colormap.

    One symmetric colour scale for all kernels, so their weights can be compared.
    """
    arr = _numpy(kernels).astype(float)
    if arr.ndim == 4:
        arr = arr[:, channel]
    if arr.ndim == 2:
        arr = arr[None]
    if arr.ndim != 3:
        raise ValueError(f"kernels must be (F, C, kh, kw), (F, kh, kw) or (kh, kw), got {shape_of(_numpy(kernels))}")
    limit = float(np.abs(arr).max()) or 1.0
    fig, axes = _grid(len(arr), ncols)
    image = None
    for i, (ax, kernel) in enumerate(zip(axes.flat, arr, strict=False)):
        image = ax.imshow(kernel, cmap=DIVERGING, vmin=-limit, vmax=limit)
        ax.set_title(f"kernel {i}", fontsize=8)
    fig.suptitle(title)
    fig.colorbar(image, ax=axes.ravel().tolist(), shrink=0.8, label="weight")
    return fig


def show_feature_maps(maps: Any, title: str = "feature maps", ncols: int = 8, signed: bool = True) -> Figure:
    """The channels of one example's feature maps ``(C, H, W)`` (or ``(1, C, H, W)``).

    Signed maps (before a ReLU) use the diverging colormap centred on zero; ``signed=False``
    shows non-negative maps (after a ReLU) in grayscale.
    """
    arr = _numpy(maps).astype(float)
    if arr.ndim == 4 and arr.shape[0] == 1:
        arr = arr[0]
    if arr.ndim != 3:
        raise ValueError(f"maps must be (C, H, W) or (1, C, H, W), got {shape_of(_numpy(maps))}")
    fig, axes = _grid(len(arr), ncols)
    limit = float(np.abs(arr).max()) or 1.0
    image = None
    for i, (ax, fmap) in enumerate(zip(axes.flat, arr, strict=False)):
        if signed:
            image = ax.imshow(fmap, cmap=DIVERGING, vmin=-limit, vmax=limit)
        else:
            image = ax.imshow(fmap, cmap="gray", vmin=0, vmax=limit)
        ax.set_title(f"channel {i}", fontsize=8)
    fig.suptitle(title)
    fig.colorbar(image, ax=axes.ravel().tolist(), shrink=0.8, label="activation")
    return fig


def show_matrix(matrix: Any, title: str = "", ax: Any = None, fmt: str = "{:g}", signed: bool = False) -> Figure:
    """A small 2-D array drawn as a grid with each value written in its cell (worked examples)."""
    import matplotlib.pyplot as plt

    arr = _numpy(matrix)
    if arr.ndim != 2:
        raise ValueError(f"matrix must be 2-D, got {shape_of(arr)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.6 * arr.shape[1] + 0.8, 0.6 * arr.shape[0] + 0.8))
    if signed:
        limit = float(np.abs(arr).max()) or 1.0
        ax.imshow(arr, cmap=DIVERGING, vmin=-limit, vmax=limit)
    else:
        ax.imshow(arr, cmap="Blues")
    for (i, j), value in np.ndenumerate(arr):
        ax.text(j, i, fmt.format(value), ha="center", va="center", fontsize=10)
    ax.set_xticks(range(arr.shape[1]))
    ax.set_yticks(range(arr.shape[0]))
    ax.set_xlabel("column j")
    ax.set_ylabel("row i")
    ax.set_title(title)
    return ax.figure


def plot_pmf(
    p: Any, label: str | None = None, ax: Any = None, offset: int = 0, width: float = 0.8, **kwargs: Any
) -> Figure:
    """Bar chart of a PMF ``p`` with ``p[k] = P(X = offset + k)``."""
    import matplotlib.pyplot as plt

    arr = _numpy(p).astype(float)
    if arr.ndim != 1:
        raise ValueError(f"p must be a 1-D array of probabilities, got {shape_of(arr)}")
    if ax is None:
        _, ax = plt.subplots()
    ax.bar(np.arange(offset, offset + len(arr)), arr, width=width, label=label, **kwargs)
    ax.set_xlabel("value k")
    ax.set_ylabel("P(X = k)")
    if label:
        ax.legend()
    return ax.figure


def plot_learning_curves(
    history: Mapping[str, Sequence[float]], xlabel: str = "epoch", title: str = "learning curves"
) -> Figure:
    """Curves from a history dict, e.g. ``{"train loss": [...], "test accuracy": [...]}``.

    Keys containing "loss" go on the left panel, the others (accuracies) on the right.
    """
    import matplotlib.pyplot as plt

    losses = {k: v for k, v in history.items() if "loss" in k.lower()}
    others = {k: v for k, v in history.items() if "loss" not in k.lower()}
    panels = [group for group in (losses, others) if group]
    if not panels:
        raise ValueError("history is empty: nothing to plot")
    fig, axes = plt.subplots(1, len(panels), figsize=(5.5 * len(panels), 3.6), squeeze=False)
    for ax, group in zip(axes.flat, panels, strict=True):
        for name, values in group.items():
            values = [float(v) for v in values]
            ax.plot(range(1, len(values) + 1), values, marker="o" if len(values) < 30 else None, label=name)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("loss" if group is losses else "value")
        ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_confusion_matrix(
    confusion: Any, classes: Sequence[str] | None = None, title: str = "confusion matrix"
) -> Figure:
    """A confusion matrix (rows: true class, columns: predicted) with counts in the cells."""
    import matplotlib.pyplot as plt

    cm = _numpy(confusion)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"confusion must be a square 2-D array, got {shape_of(cm)}")
    classes = list(classes) if classes is not None else [str(i) for i in range(len(cm))]
    fig, ax = plt.subplots(figsize=(0.55 * len(cm) + 2.2, 0.55 * len(cm) + 1.6))
    image = ax.imshow(cm, cmap="Blues")
    threshold = cm.max() / 2 if cm.size else 0
    for (i, j), value in np.ndenumerate(cm):
        ax.text(
            j, i, str(int(value)), ha="center", va="center", fontsize=8, color="white" if value > threshold else "black"
        )
    ax.set_xticks(range(len(cm)), classes, rotation=45, ha="right")
    ax.set_yticks(range(len(cm)), classes)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title)
    fig.colorbar(image, ax=ax, label="count")
    fig.tight_layout()
    return fig


def confusion_matrix(y_true: Any, y_pred: Any, num_classes: int) -> np.ndarray:
    """Counts ``C[i, j]`` of examples of true class ``i`` predicted as ``j``; shape (K, K)."""
    t, p = _numpy(y_true).astype(int).ravel(), _numpy(y_pred).astype(int).ravel()
    if t.shape != p.shape:
        raise ValueError(f"y_true {shape_of(t)} and y_pred {shape_of(p)} must have the same length")
    cm = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(cm, (t, p), 1)
    return cm
