"""Every lecture and every solution notebook runs top to bottom in fast mode (CNN_COURSE_FAST=1).

Run times show up in the test command's ``--durations`` report; the budget (under 60 s
per lecture on a 2-core laptop) is watched there, not asserted, so a loaded machine
cannot turn a correct notebook red.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cnnlib.notebooks import error_outputs, execute_notebook

pytestmark = pytest.mark.notebooks

ROOT = Path(__file__).resolve().parents[2]
LECTURES = sorted((ROOT / "lectures").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*/*.ipynb"))


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def test_course_has_notebooks():
    assert LECTURES and SOLUTIONS, "lectures/ and solutions/ must hold notebooks"


@pytest.mark.parametrize("path", LECTURES, ids=_ids(LECTURES))
def test_lecture_runs_and_shows_figures(path):
    notebook = execute_notebook(path, fast=True, timeout=300)
    assert not error_outputs(notebook)
    figures = sum(1 for c in notebook.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {}))
    assert figures >= 1, f"{path.name} ran but drew no figure"


@pytest.mark.parametrize("path", SOLUTIONS, ids=_ids(SOLUTIONS))
def test_solution_runs_with_every_check_passing(path):
    notebook = execute_notebook(path, fast=True, timeout=300)
    assert not error_outputs(notebook)
