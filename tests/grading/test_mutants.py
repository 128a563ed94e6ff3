"""Grader quality both ways: wrong answers lose their points, correct answers written differently keep them.

Each mutant is the solution notebook with one solution cell replaced by a mistake
students really make. It must fail exactly the test cells it lists (so it loses those
cells' points and no others); the blank release must fail every test cell and the
solution none. Variants run in one process with a fresh namespace each (exec_cells.py);
real nbgrader autograding of a subset is in test_pipeline.py. Correct alternatives (a student's
loops instead of vectorised code, float32, lists, their own helpers, other optimisers) live in
alternatives/ and must keep every point.
"""

from __future__ import annotations

from collections import Counter

import nbformat
import pytest
from course import (
    assignments,
    graded_test_cells,
    is_solution_cell,
    load_alternatives,
    load_mutants,
    nbgrader_meta,
    release_path,
    run_cells,
    solution_path,
    variant_job,
)

pytestmark = pytest.mark.grading

ASSIGNMENTS = assignments()
MIN_MUTANTS = 5
MIN_ALTERNATIVES = 4


def _graded_functions(name: str) -> list[str]:
    """grade_ids of the code solution cells students write (the training exercise aside)."""
    nb = nbformat.read(solution_path(name), as_version=4)
    return [
        nbgrader_meta(c)["grade_id"]
        for c in nb.cells
        if c.cell_type == "code" and is_solution_cell(c) and "training" not in c.metadata.get("tags", [])
    ]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_graded_function_has_five_mutants(name):
    mutants = load_mutants(name)
    names = [m["name"] for m in mutants]
    assert len(names) == len(set(names)), (
        f"duplicate mutant names in {name}: {[n for n, k in Counter(names).items() if k > 1]}"
    )
    per_cell = Counter(m["cell"] for m in mutants)
    short = {cell: per_cell[cell] for cell in _graded_functions(name) if per_cell[cell] < MIN_MUTANTS}
    assert not short, f"{name}: these graded cells have fewer than {MIN_MUTANTS} mutants: {short}"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_mutants_lose_exactly_the_points_they_should(name):
    mutants = load_mutants(name)
    tests = set(graded_test_cells(nbformat.read(solution_path(name), as_version=4)))
    jobs = [{"name": "__solution__", "replace": {}, "run_training": True}] + [variant_job(m) for m in mutants]
    results = run_cells(solution_path(name), jobs)

    failing = {cell: error for cell, error in results["__solution__"].items() if error is not None}
    assert not failing, f"the solution of {name} fails its own tests: {failing}"

    problems = []
    for mutant in mutants:
        got = results[mutant["name"]]  # only the test cells this variant ran (training ones run when replaced)
        failed = {cell for cell, error in got.items() if error is not None}
        expected = set(mutant["fails"])
        unknown = expected - tests
        if unknown:
            problems.append(f"{mutant['name']}: lists unknown test cells {sorted(unknown)}")
        elif not expected & set(got):
            problems.append(f"{mutant['name']}: none of the cells it lists ran, so it would lose no points here")
        elif failed != expected & set(got):
            problems.append(f"{mutant['name']}: should fail {sorted(expected & set(got))}, failed {sorted(failed)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_blank_release_fails_every_test_cell(name):
    results = run_cells(release_path(name), [{"name": "blank", "replace": {}}], reference=solution_path(name))["blank"]
    tests = set(graded_test_cells(nbformat.read(solution_path(name), as_version=4)))
    nb = nbformat.read(solution_path(name), as_version=4)
    training = {nbgrader_meta(c).get("grade_id") for c in nb.cells if "training" in c.metadata.get("tags", [])}
    passing = sorted(cell for cell in tests - training if results.get(cell, "not run") is None)
    assert not passing, (
        f"the blank release of {name} passes test cells {passing}: they check nothing the student writes"
    )


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_graded_function_has_four_correct_alternatives(name):
    alternatives = load_alternatives(name)
    names = [a["name"] for a in alternatives]
    assert len(names) == len(set(names)), f"duplicate alternative names in {name}"
    per_cell = Counter(a["cell"] for a in alternatives)
    short = {cell: per_cell[cell] for cell in _graded_functions(name) if per_cell[cell] < MIN_ALTERNATIVES}
    assert not short, f"{name}: these graded cells have fewer than {MIN_ALTERNATIVES} correct alternatives: {short}"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_correct_alternatives_keep_every_point(name):
    """Fair to every correct answer: each alternative scores exactly what the solution scores."""
    alternatives = load_alternatives(name)
    results = run_cells(solution_path(name), [variant_job(a) for a in alternatives], reference=solution_path(name))
    problems = [
        f"{a['name']} (a correct answer) failed {cell}: {message}"
        for a in alternatives
        for cell, message in results[a["name"]].items()
        if message is not None
    ]
    assert not problems, "\n".join(problems)
