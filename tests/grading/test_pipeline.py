"""The nbgrader pipeline, assignment by assignment.

- the committed release is exactly what ``nbgrader generate_assignment`` makes;
- the release holds no solution line and no hidden test;
- autograding in a scratch course: the solution earns full marks, the blank release 0 on
  every autograded cell, and each plausible wrong answer loses the points of the cells it
  breaks and only those;
- feedback shows no hidden test source and no traceback line from a hidden test.
"""

from __future__ import annotations

import html
import json
import re

import nbformat
import pytest
from cnninstructor.feedback import NOTE
from course import (
    HIDDEN_MARKERS,
    NOISY_PMF,
    SOLUTION_MARKERS,
    assignments,
    cell_scores,
    graded_test_cells,
    load_mutants,
    nbgrader,
    release_path,
    scratch_course,
    solution_path,
    split_regions,
    submission,
    submit,
)

pytestmark = pytest.mark.grading

ASSIGNMENTS = assignments()


def _secret_lines(name: str, markers: tuple[str, str]) -> set[str]:
    """Lines inside the marker regions of the source that do not also appear outside them.

    Trivial lines (blank, a lone bracket, ``pass``) are left out: they prove nothing.
    """
    source = nbformat.read(solution_path(name), as_version=4)
    inside, outside = set(), set()
    for cell in source.cells:
        lines_in, lines_out = split_regions(cell.source, markers)
        inside |= {line.strip() for line in lines_in}
        outside |= {line.strip() for line in lines_out}
    return {line for line in inside - outside if len(line) > 12 and not line.startswith("#")}


def test_there_are_assignments():
    assert ASSIGNMENTS, "solutions/ holds no assignment notebook (solutions/<name>/<name>.ipynb)"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_is_what_nbgrader_generates(name, tmp_path):
    course = scratch_course(tmp_path, [name])
    fresh = json.loads((course / "assignments" / name / f"{name}.ipynb").read_text())
    committed = json.loads(release_path(name).read_text())
    assert committed == fresh, (
        f"assignments/{name} differs from what `nbgrader generate_assignment {name}` makes from solutions/{name}: "
        "regenerate it (see the README's instructor workflow) and commit the result"
    )


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_has_no_solution_or_hidden_test(name):
    text = release_path(name).read_text()
    for marker in SOLUTION_MARKERS + HIDDEN_MARKERS:
        assert marker not in text, f"assignments/{name} contains the marker {marker!r}"
    released = {
        line.strip()
        for cell in nbformat.read(release_path(name), as_version=4).cells
        for line in cell.source.splitlines()
    }
    for kind, markers in (("solution", SOLUTION_MARKERS), ("hidden test", HIDDEN_MARKERS)):
        leaked = _secret_lines(name, markers) & released
        assert not leaked, f"assignments/{name} contains {kind} lines: {sorted(leaked)[:5]}"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_autograde_solution_blank_and_wrong_answers(name, tmp_path):
    course = scratch_course(tmp_path, [name])
    maximum = graded_test_cells(nbformat.read(solution_path(name), as_version=4))
    wrong = [m for m in load_mutants(name) if m.get("autograde")]
    assert len(wrong) >= 3, (
        f"tests/grading/mutants/{name}.py flags {len(wrong)} mutants for autograding; at least 3 are needed"
    )

    submit(course, name, "solution", submission(name))
    submit(course, name, "blank", submission(name, blank=True))
    for mutant in wrong:
        submit(course, name, mutant["name"], submission(name, {mutant["cell"]: mutant["source"]}))
    nbgrader(course, "autograde", name, "--force")

    solution = cell_scores(course, name, "solution")
    assert set(solution) == set(maximum), f"graded cells {sorted(solution)} differ from the source's {sorted(maximum)}"
    lost = {cell: s for cell, s in solution.items() if s[0] != s[1]}
    assert not lost, f"the solution loses points in {lost}"

    earned = {cell: s for cell, s in cell_scores(course, name, "blank").items() if s[0] != 0}
    assert not earned, f"the blank release earns points in {earned}"

    for mutant in wrong:
        scores = cell_scores(course, name, mutant["name"])
        failed = {cell for cell, (score, top) in scores.items() if score < top}
        assert failed == set(mutant["fails"]), (
            f"mutant {mutant['name']} should lose exactly {sorted(mutant['fails'])} but lost {sorted(failed)}"
        )


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_feedback_hides_hidden_tests(name, tmp_path):
    course = scratch_course(tmp_path, [name])
    submit(course, name, "blank", submission(name, blank=True))
    nbgrader(course, "autograde", name, "--force")
    nbgrader(course, "generate_feedback", name, "--force")
    raw = (course / "feedback" / "blank" / name / f"{name}.html").read_text()
    page = html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<style.*?</style>", "", raw, flags=re.S)))
    shown = {line.strip() for line in page.splitlines()}
    leaked = sorted(_secret_lines(name, HIDDEN_MARKERS) & shown)
    assert not leaked, f"feedback for {name} shows hidden test lines: {leaked[:5]}"
    # Errors in test cells are reduced to "ename: evalue" plus this note; tracebacks from the
    # student's own cells stay, since they show only code the student can see.
    assert NOTE in page, "feedback was made without cnninstructor.feedback.HideTestTracebacks"
    assert "NotImplementedError" in page, "feedback should still say why each test failed"


def test_warnings_progress_bars_and_stderr_cost_no_points(tmp_path):
    """Issue 16: a correct answer that writes to stderr keeps its points in autograde, and validate agrees."""
    name = "a1_convolution"
    course = scratch_course(tmp_path, [name])
    noisy = submission(name, {"pmf_of_sum": NOISY_PMF})
    submit(course, name, "noisy", noisy)
    nbgrader(course, "autograde", name, "--force")
    scores = cell_scores(course, name, "noisy")
    assert scores["test_pmf_of_sum"][0] == scores["test_pmf_of_sum"][1], scores
    graded = json.loads((course / "autograded" / "noisy" / name / f"{name}.ipynb").read_text())
    cell = next(c for c in graded["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "test_pmf_of_sum")
    shown = "".join("".join(o.get("text", "")) for o in cell["outputs"] if o["output_type"] == "stream")
    assert "harmless warning" in shown, "the warning should stay visible to the student, as ordinary output"
    path = tmp_path / "noisy.ipynb"
    nbformat.write(noisy, path)
    done = nbgrader(course, "validate", str(path))
    assert "Success! Your notebook passes all the tests." in done.stdout, done.stdout[-3000:]
