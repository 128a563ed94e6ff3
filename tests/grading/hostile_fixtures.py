"""Scratch courses and hostile submissions for the grading-command tests and the benchmark.

A *scratch course* is a copy of the course's nbgrader_config.py plus one assignment's source
(in ``solutions/``) and its release (in ``assignments/``) in a temporary folder; submissions are
written to ``submitted/<student>/<assignment>/``. The tiny ``toy`` assignment (two graded
functions and one written question) keeps the hostile suite fast; A1 is used when it exists.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

REPO = Path(__file__).resolve().parents[2]
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
TOY = "toy"


def _meta(**fields) -> dict:
    return {"nbgrader": {"schema_version": 3, "task": False, **fields}}


def toy_source() -> nbformat.NotebookNode:
    """A two-function assignment with visible and hidden tests and one written answer."""
    cells = [
        new_markdown_cell(
            "# Toy assignment\nWrite `add` and `scale`.",
            metadata=_meta(grade=False, solution=False, locked=True, grade_id="intro"),
        ),
        new_code_cell(
            "import numpy as np\nfrom cnnlib.grading import REFERENCE, check_close, check_equal, check_written_here",
            metadata=_meta(grade=False, solution=False, locked=True, grade_id="setup"),
        ),
        new_code_cell(
            'def add(a, b):\n    """Elementwise sum of two arrays of the same shape."""\n'
            "    ### BEGIN SOLUTION\n    return np.asarray(a) + np.asarray(b)\n    ### END SOLUTION",
            metadata=_meta(grade=False, solution=True, locked=False, grade_id="add"),
        ),
        new_code_cell(
            'check_written_here("add", add)\n'
            'check_close("add([1, 2], [3, 4])", add([1, 2], [3, 4]), np.array([4, 6]), hint="sum elementwise")\n'
            "### BEGIN HIDDEN TESTS\n"
            "_rng = np.random.default_rng(1234)  # HIDDEN_SOURCE_ADD\n"
            "_a, _b = _rng.normal(size=(3, 5)), _rng.normal(size=(3, 5))\n"
            'check_close("add on random (3, 5) arrays", add(_a, _b), REFERENCE)\n'
            "### END HIDDEN TESTS",
            metadata=_meta(grade=True, solution=False, locked=True, points=2, grade_id="test_add"),
        ),
        new_code_cell(
            'def scale(x, s):\n    """Multiply array x by the number s."""\n'
            "    ### BEGIN SOLUTION\n    return np.asarray(x, dtype=float) * s\n    ### END SOLUTION",
            metadata=_meta(grade=False, solution=True, locked=False, grade_id="scale"),
        ),
        new_code_cell(
            'check_written_here("scale", scale)\n'
            'check_close("scale([1, 2], 3)", scale([1, 2], 3), np.array([3.0, 6.0]), hint="multiply every element")\n'
            "### BEGIN HIDDEN TESTS\n"
            "_negative = -2.5  # HIDDEN_SOURCE_SCALE\n"
            'check_close("scale by a negative number", scale(np.arange(4), _negative), REFERENCE)\n'
            "### END HIDDEN TESTS",
            metadata=_meta(grade=True, solution=False, locked=True, points=3, grade_id="test_scale"),
        ),
        new_markdown_cell(
            "Why does `add` need arrays of the same shape?",
            metadata=_meta(grade=False, solution=False, locked=True, grade_id="q_shape_prompt"),
        ),
        new_markdown_cell(
            "Because elementwise addition pairs elements by position.",
            metadata=_meta(grade=True, solution=True, locked=False, points=1, grade_id="q_shape"),
        ),
    ]
    nb = new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    return nb


def nbgrader_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def make_course(root: Path, assignment: str = TOY) -> Path:
    """Create a scratch course in ``root`` holding ``assignment`` (toy, or one of the repo's) released."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    src = root / "solutions" / assignment
    if assignment == TOY:
        src.mkdir(parents=True, exist_ok=True)
        nbformat.write(toy_source(), src / f"{assignment}.ipynb")
    else:
        shutil.copytree(REPO / "solutions" / assignment, src, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force"],
        cwd=root,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return root


def released(root: Path, assignment: str = TOY) -> dict:
    return json.loads((root / "assignments" / assignment / f"{assignment}.ipynb").read_text())


def source_notebook(root: Path, assignment: str = TOY) -> dict:
    return json.loads((root / "solutions" / assignment / f"{assignment}.ipynb").read_text())


def submit(
    root: Path, student: str, nb: dict | str | bytes | None, assignment: str = TOY, name: str | None = None
) -> Path:
    """Write a submission; ``nb`` may be a notebook dict, raw text/bytes, or None for an empty folder."""
    folder = root / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    if nb is None:
        return folder
    path = folder / (name or f"{assignment}.ipynb")
    if isinstance(nb, bytes):
        path.write_bytes(nb)
    elif isinstance(nb, str):
        path.write_text(nb)
    else:
        path.write_text(json.dumps(nb))
    return folder


def solved(root: Path, assignment: str = TOY) -> dict:
    """The released notebook with every solution cell replaced by the source's (a full-marks submission)."""
    nb = released(root, assignment)
    source = {
        c["metadata"]["nbgrader"]["grade_id"]: c
        for c in source_notebook(root, assignment)["cells"]
        if "nbgrader" in c.get("metadata", {})
    }
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid and cell["metadata"]["nbgrader"].get("solution"):
            text = "".join(source[gid]["source"])
            cell["source"] = "\n".join(
                line
                for line in text.splitlines()
                if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line
            )
    return nb


def with_cell(nb: dict, grade_id: str, source: str) -> dict:
    """Copy of ``nb`` with the cell ``grade_id``'s source replaced."""
    nb = json.loads(json.dumps(nb))
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            cell["source"] = source
            return nb
    raise KeyError(grade_id)


def with_inserted(nb: dict, after_grade_id: str | None, source: str) -> dict:
    """Copy of ``nb`` with a new (student-added) code cell after ``after_grade_id`` (None: at the top)."""
    nb = json.loads(json.dumps(nb))
    at = 0
    if after_grade_id is not None:
        at = (
            next(
                i
                for i, c in enumerate(nb["cells"])
                if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == after_grade_id
            )
            + 1
        )
    nb["cells"].insert(
        at, {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}
    )
    return nb


def without_cell(nb: dict, grade_id: str) -> dict:
    nb = json.loads(json.dumps(nb))
    nb["cells"] = [c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") != grade_id]
    return nb


def stripped(nb: dict) -> dict:
    nb = json.loads(json.dumps(nb))
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("nbgrader", None)
    return nb


def run_autograde(root: Path, assignment: str = TOY, *extra: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run the grading command on a scratch course; return the finished process."""
    cmd = [sys.executable, "-m", "cnninstructor.autograde", assignment, "--course-dir", str(root), *extra]
    return subprocess.run(
        cmd, env=nbgrader_env(), capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )


def read_grades(root: Path, assignment: str = TOY) -> dict[str, dict]:
    import csv

    with (root / f"grades-{assignment}.csv").open() as fh:
        return {row["student_id"]: row for row in csv.DictReader(fh)}
