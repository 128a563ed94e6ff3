"""Execute a course notebook top to bottom, the one code path shared by the tests and the site build.

``execute_notebook`` runs a notebook in a fresh kernel whose environment says whether
the course runs in fast mode, and turns any failure into ``NotebookExecutionError``
naming the notebook, the failing cell (its index and first line) and the error, so a
red test says where to look without opening the notebook.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import nbformat
from cnnlib.runtime import FAST_ENV
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from traitlets.config import Config

KERNEL_NAME = "python3"


class NotebookExecutionError(RuntimeError):
    """A notebook failed to run: which notebook, which cell, and what went wrong."""

    def __init__(self, notebook: Path, cell_index: int | None, cell_source: str, reason: str) -> None:
        self.notebook = Path(notebook)
        self.cell_index = cell_index
        self.cell_source = cell_source
        self.reason = reason
        where = "while starting the kernel" if cell_index is None else f"in cell {cell_index}"
        first_line = cell_source.strip().splitlines()[0] if cell_source.strip() else ""
        shown = f" ({first_line[:80]!r})" if first_line else ""
        super().__init__(f"{self.notebook} failed {where}{shown}:\n{reason}")

    def __reduce__(self):
        # Rebuilt from its four fields, so it survives the trip back from a worker process.
        return type(self), (self.notebook, self.cell_index, self.cell_source, self.reason)


def kernel_environment(fast: bool) -> dict[str, str]:
    """The environment a notebook's kernel runs with: this process's, with fast mode set or cleared.

    ``CNN_COURSE_DATA`` and every other variable pass through unchanged.
    """
    env = dict(os.environ)
    if fast:
        env[FAST_ENV] = "1"
    else:
        env.pop(FAST_ENV, None)
    env.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    return env


def execute_notebook(path: Path, fast: bool = True, timeout: int = 300, cwd: Path | None = None) -> NotebookNode:
    """Run the notebook at ``path`` in a fresh kernel and return it with its outputs.

    Parameters
    ----------
    path : the ``.ipynb`` file; it is read, never written.
    fast : run in fast mode (``CNN_COURSE_FAST=1``) when True, at full size when False.
    timeout : seconds any single cell may run before the run fails.
    cwd : the kernel's working folder; defaults to the notebook's own folder, so relative
        paths in the notebook resolve as they do in JupyterLab.

    Raises
    ------
    FileNotFoundError : ``path`` does not exist.
    NotebookExecutionError : a cell raised, timed out or the kernel died; the message names
        the notebook, the cell index and its first line, and the error.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"notebook not found: {path}")
    if timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout}")
    notebook = nbformat.read(path, as_version=4)
    working_dir = Path(cwd) if cwd is not None else path.resolve().parent
    # IPC sockets in a private folder instead of TCP ports: kernels started at the same
    # moment by parallel test workers would otherwise race for the same free ports.
    socket_dir = Path(tempfile.mkdtemp(prefix="cnn-nb-"))
    kernel_config = Config({"KernelManager": {"transport": "ipc", "ip": str(socket_dir / "kernel")}})
    client = NotebookClient(
        notebook,
        config=kernel_config,
        timeout=timeout,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(working_dir)}},
        allow_errors=False,
        record_timing=True,
    )
    try:
        client.execute(env=kernel_environment(fast))
    except CellExecutionError as error:
        index, source = _failing_cell(notebook)
        raise NotebookExecutionError(path, index, source, _error_summary(error)) from error
    except CellTimeoutError as error:
        index, source = _running_cell(notebook)
        raise NotebookExecutionError(path, index, source, f"cell ran past the {timeout} s limit") from error
    except DeadKernelError as error:
        index, source = _running_cell(notebook)
        raise NotebookExecutionError(path, index, source, f"the kernel died: {error}") from error
    finally:
        shutil.rmtree(socket_dir, ignore_errors=True)
    return notebook


def error_outputs(notebook: NotebookNode) -> list[tuple[int, str]]:
    """Every error output in an executed notebook as ``(cell index, "ename: evalue")``."""
    found = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append((index, f"{output.get('ename')}: {output.get('evalue')}"))
    return found


def _failing_cell(notebook: NotebookNode) -> tuple[int | None, str]:
    """The first code cell with an error output (the one nbclient stopped at)."""
    for index, _ in error_outputs(notebook):
        return index, notebook.cells[index].source
    return _running_cell(notebook)


def _running_cell(notebook: NotebookNode) -> tuple[int | None, str]:
    """The code cell nbclient started last (its execution metadata has a start but no end)."""
    last = None
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        timing = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in timing or "shell.execute_reply.started" in timing:
            last = index
    if last is None:
        return None, ""
    return last, notebook.cells[last].source


def _error_summary(error: CellExecutionError) -> str:
    """``ename: evalue`` of the failing cell plus the end of its traceback, without colour codes."""
    ename = getattr(error, "ename", "") or ""
    evalue = getattr(error, "evalue", "") or ""
    tail = _strip_ansi(str(error)).strip().splitlines()[-15:]
    head = f"{ename}: {evalue}" if ename else "cell raised an error"
    return head + "\n" + "\n".join(tail)


def _strip_ansi(text: str) -> str:
    """Remove terminal colour escape sequences from a traceback."""
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)
