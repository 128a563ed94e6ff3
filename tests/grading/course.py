"""Helpers the grading tests share: the course's assignments, scratch course copies, nbgrader runs.

Every test that grades works in a scratch copy of the course under pytest's tmp_path,
so the repository's own folders and gradebook are never touched.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions"
RELEASE = ROOT / "assignments"
MUTANTS = Path(__file__).resolve().parent / "mutants"
ALTERNATIVES = Path(__file__).resolve().parent / "alternatives"
EXEC_CELLS = Path(__file__).resolve().parent / "exec_cells.py"

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN_MARKERS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


# A correct A1 pmf_of_sum that warns, logs, prints to stderr and shows a progress bar (issue 16).
NOISY_PMF = '''import logging
import sys
import warnings

from tqdm.auto import tqdm


def pmf_of_sum(p, q):
    """PMF of X + Y, with a progress bar, a warning and a log line on stderr (all harmless)."""
    warnings.warn("a harmless warning from a correct answer", UserWarning, stacklevel=2)
    logging.getLogger("student").warning("a log line on stderr")
    print("a line on stderr", file=sys.stderr)
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    r = np.zeros(len(p) + len(q) - 1)
    for u in tqdm(range(len(p)), desc="pmf"):
        r[u : u + len(q)] += p[u] * q
    return r'''


def assignments() -> list[str]:
    """Assignment names: every folder of solutions/ that holds its notebook."""
    return sorted(p.name for p in SOLUTIONS.iterdir() if (p / f"{p.name}.ipynb").exists()) if SOLUTIONS.exists() else []


def solution_path(name: str) -> Path:
    return SOLUTIONS / name / f"{name}.ipynb"


def release_path(name: str) -> Path:
    return RELEASE / name / f"{name}.ipynb"


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_test_cell(cell) -> bool:
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_solution_cell(cell) -> bool:
    return bool(nbgrader_meta(cell).get("solution"))


def graded_test_cells(nb) -> dict[str, float]:
    """grade_id -> points of every autograded test cell."""
    return {nbgrader_meta(c)["grade_id"]: float(nbgrader_meta(c).get("points", 0)) for c in nb.cells if is_test_cell(c)}


def split_regions(source: str, markers: tuple[str, str]) -> tuple[list[str], list[str]]:
    """(lines strictly inside BEGIN/END marker pairs, lines outside them); marker lines in neither."""
    inside, lines_in, lines_out = False, [], []
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith(markers[0]):
            inside = True
        elif stripped.startswith(markers[1]):
            inside = False
        else:
            (lines_in if inside else lines_out).append(line)
    return lines_in, lines_out


def strip_markers(source: str) -> str:
    """A solution cell as a student would have typed it: the marker lines removed."""
    drop = SOLUTION_MARKERS + HIDDEN_MARKERS
    return "\n".join(line for line in source.splitlines() if not line.strip().startswith(drop))


def nbgrader_env() -> dict[str, str]:
    """nbgrader shells out to `alembic`, so the interpreter's bin folder must be on PATH."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.setdefault("CNN_COURSE_FAST", "1")
    env["MPLBACKEND"] = "Agg"
    return env


def nbgrader(course: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    """Run an nbgrader command in ``course``; fail with its output if it reports an error."""
    proc = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0 or "[ERROR]" in proc.stderr.replace("| ERROR]", "[ERROR]"):
        raise AssertionError(f"nbgrader {' '.join(args)} failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    return proc


def scratch_course(tmp: Path, names: list[str]) -> Path:
    """A copy of the course's config and the named assignments' sources, released afresh."""
    course = tmp / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    for name in names:
        shutil.copytree(SOLUTIONS / name, course / "solutions" / name)
        nbgrader(course, "generate_assignment", name, "--force")
    return course


def submission(name: str, replace: dict[str, str] | None = None, blank: bool = False):
    """A student's notebook: the release with each solution cell filled in from the solution.

    ``replace`` maps a solution cell's grade_id to the source a (wrong) student wrote;
    ``blank`` returns the release untouched.
    """
    released = nbformat.read(release_path(name), as_version=4)
    if blank:
        return released
    solved = {nbgrader_meta(c).get("grade_id"): c for c in nbformat.read(solution_path(name), as_version=4).cells}
    filled = copy.deepcopy(released)
    for cell in filled.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if is_solution_cell(cell) and grade_id in solved:
            cell.source = (replace or {}).get(grade_id, strip_markers(solved[grade_id].source))
    return filled


def submit(course: Path, name: str, student: str, nb) -> None:
    folder = course / "submitted" / student / name
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")


def cell_scores(course: Path, name: str, student: str) -> dict[str, tuple[float, float]]:
    """grade_id -> (score, max score) of every autograded test cell, from the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        result = gradebook.find_submission_notebook(name, name, student)
        return {
            grade.name: (float(grade.score), float(grade.max_score))
            for grade in result.grades
            if grade.cell.cell_type == "code" and grade.auto_score is not None
        }


def solution_sources(name: str) -> dict[str, str]:
    """grade_id -> source of every code solution cell, marker lines removed (what a student types)."""
    nb = nbformat.read(solution_path(name), as_version=4)
    return {
        nbgrader_meta(c)["grade_id"]: strip_markers(c.source)
        for c in nb.cells
        if c.cell_type == "code" and is_solution_cell(c)
    }


def apply_patch(name: str, mutant: dict, sources: dict[str, str]) -> str:
    """The mutant's cell source: its ``source``, or the solution cell with each ``[old, new]`` edit applied.

    Each ``old`` must occur exactly once, so a mutant cannot silently stop applying
    when the solution is edited.
    """
    if "source" in mutant:
        return mutant["source"]
    source = sources[mutant["cell"]]
    for old, new in mutant["patch"]:
        count = source.count(old)
        if count != 1:
            raise ValueError(
                f"{name} mutant {mutant['name']}: {old!r} occurs {count} times in cell {mutant['cell']!r}, expected once"
            )
        source = source.replace(old, new)
    return source


def _load_variants(folder: Path, name: str, lists: tuple[str, ...]) -> list[dict]:
    path = folder / f"{name}.py"
    if not path.exists():
        return []
    spec = importlib.util.spec_from_file_location(f"{folder.name}_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sources = solution_sources(name)
    variants = [v for attr in lists for v in getattr(module, attr, [])]
    return [{**v, "source": apply_patch(name, v, sources)} for v in variants]


def load_mutants(name: str) -> list[dict]:
    """The assignment's mutants (``MUTANTS`` and ``TRAINING_MUTANTS``), each with its ``source`` resolved."""
    return _load_variants(MUTANTS, name, ("MUTANTS", "TRAINING_MUTANTS"))


def load_alternatives(name: str) -> list[dict]:
    """The assignment's correct alternative answers (``ALTERNATIVES``), each with its ``source`` resolved.

    An alternative replaces one solution cell (``cell`` with ``source`` or ``patch``); ``also`` maps
    further solution cells to the sources it replaces at the same time (a student's own helpers).
    """
    return _load_variants(ALTERNATIVES, name, ("ALTERNATIVES",))


def variant_job(variant: dict) -> dict:
    """The exec_cells job of a mutant or alternative: every cell it replaces."""
    return {"name": variant["name"], "replace": {variant["cell"]: variant["source"], **variant.get("also", {})}}


def run_cells(
    notebook: Path, jobs: list[dict], reference: Path | None = None, timeout: int = 900
) -> dict[str, dict[str, str | None]]:
    """Judge each job's test cells as the grader does; returns {job: {test cell: failure message or None}}.

    The reference answers come from ``reference`` run whole (the solution), else from the first job.
    """
    payload = json.dumps({"notebook": str(notebook), "jobs": jobs, "reference": str(reference) if reference else None})
    proc = subprocess.run(
        [sys.executable, str(EXEC_CELLS)],
        input=payload,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=nbgrader_env(),
    )
    if proc.returncode != 0:
        raise AssertionError(f"exec_cells failed on {notebook.name} (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])
