"""Every solution notebook runs top to bottom in fast mode (CNN_COURSE_FAST=1) with every check passing.

The lectures are executed once, by the site build test
(tests/site/test_site.py::test_every_lecture_page_has_its_figures_and_no_errors, also marked
``notebooks``): it runs each lecture with the same ``execute_notebook`` and fails on any error
output or a lecture without a figure, so running them here as well would double the work.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cnninstructor.notebooks import error_outputs, execute_notebook

pytestmark = pytest.mark.notebooks

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = sorted((ROOT / "solutions").glob("*/*.ipynb"))


def test_course_has_notebooks():
    assert sorted((ROOT / "lectures").glob("*.ipynb")) and SOLUTIONS, "lectures/ and solutions/ must hold notebooks"


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_solution_runs_with_every_check_passing(path):
    notebook = execute_notebook(path, fast=True, timeout=300)
    assert not error_outputs(notebook)
