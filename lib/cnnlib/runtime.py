"""Fast mode, progress bars and the set-up cell every notebook starts with.

Fast mode (``CNN_COURSE_FAST=1``) is how the tests and a laptop run every notebook
top to bottom in seconds: small subsets, few epochs. The same code runs at full size
when the variable is unset. Notebooks ask ``fast_or_full(fast, full)`` instead of
reading the variable themselves, so the rule lives in one place.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from cnnlib.device import get_device, set_seed

if TYPE_CHECKING:
    from tqdm.auto import tqdm

FAST_ENV = "CNN_COURSE_FAST"
T = TypeVar("T")


def is_fast() -> bool:
    """True when ``CNN_COURSE_FAST`` is set to 1/true/yes (tests and quick laptop runs)."""
    return os.environ.get(FAST_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def fast_or_full(fast: T, full: T) -> T:
    """Return ``fast`` in fast mode and ``full`` otherwise, e.g. ``n_train = fast_or_full(2_000, 60_000)``."""
    return fast if is_fast() else full


def progress(iterable: Iterable[T], desc: str | None = None, total: int | None = None, **kwargs: Any) -> tqdm[T]:
    """Wrap ``iterable`` in a progress bar (a widget in Jupyter, text elsewhere).

    Bars print at most a few times a second, so they never flood a notebook's output.
    """
    from tqdm.auto import tqdm

    kwargs.setdefault("mininterval", 0.5)
    kwargs.setdefault("leave", True)
    return tqdm(iterable, desc=desc, total=total, **kwargs)


@dataclass(frozen=True)
class NotebookSetup:
    """What the set-up cell decided, printed once at the top of every notebook."""

    fast: bool
    seed: int
    device: Any
    data_dir: Path

    def __str__(self) -> str:
        mode = "FAST (CNN_COURSE_FAST=1: small subsets, few epochs)" if self.fast else "FULL"
        return f"mode: {mode} | seed: {self.seed} | device: {self.device} | data folder: {self.data_dir}"


def setup_notebook(seed: int = 0, device: str | None = None, quiet: bool = False) -> NotebookSetup:
    """Seed everything, choose the device once and report the mode and data folder.

    Call it in the first code cell: ``setup = cnnlib.setup_notebook(seed=0)``; then use
    ``setup.device`` everywhere so the same notebook runs on a CPU or a GPU.
    """
    from cnnlib.data import data_dir

    set_seed(seed)
    try:
        chosen = get_device(device)
    except ImportError:
        chosen = "cpu (PyTorch not installed)"
    info = NotebookSetup(fast=is_fast(), seed=seed, device=chosen, data_dir=data_dir())
    _configure_matplotlib()
    _keep_stderr_from_costing_points()
    if not quiet:
        print(info)
    return info


GRADING_MODES = ("autograde", "validate")  # NBGRADER_EXECUTION while nbgrader grades or validates


def _keep_stderr_from_costing_points() -> None:
    """While nbgrader grades or validates, send what goes to stderr to stdout instead.

    nbgrader scores a test cell 0 when anything appears on its stderr, so a warning (``float`` of a
    tensor that requires grad) or a tqdm progress bar from a correct answer would cost the cell. The
    text stays visible in the cell, as ordinary output. In a student's own session nothing changes.
    """
    import os
    import sys

    if os.environ.get("NBGRADER_EXECUTION") in GRADING_MODES and sys.stderr is not sys.stdout:
        sys.stderr = sys.stdout


def _configure_matplotlib() -> None:
    """Crisp, consistently sized figures in every notebook (no deprecated IPython calls)."""
    try:
        import matplotlib as mpl
    except ImportError:
        return
    mpl.rcParams.update(
        {
            "figure.figsize": (6.4, 4.0),
            "figure.dpi": 100,
            "axes.grid": False,
            "image.cmap": "gray",
            "axes.titlesize": "medium",
        }
    )
