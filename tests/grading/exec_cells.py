"""Run variants of a notebook in a plain IPython shell and judge each test cell as the grader does.

Used by the mutation and fairness suites: one process runs many variants of the same notebook
(the solution, and the solution with one solution cell replaced by a mutant or by a correct
alternative), each in a fresh namespace, far faster than starting a kernel per variant. The
cells run in the grader's order (every visible part in place, every hidden part after the last
cell), every check records its answer (``cnnlib.answers``), and the verdict on each test cell
comes from the grader's own ``cnninstructor.autograde.verdict.decide``, with the first job (the
solution) as the reference. Cells tagged "training" are skipped unless a variant replaces one.

Input (JSON on stdin): {"notebook": path, "jobs": [{"name": str, "replace": {grade_id: source}, "run_training": bool}],
"reference": optional path}. The reference is that notebook run whole (the solution), else the first job.
Output (JSON on stdout): {job name: {test grade_id: null if passed, else the grader's message}}
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys

os.environ["NBGRADER_EXECUTION"] = "autograde"  # checks record their answers only while autograding

from cnninstructor.autograde.cells import is_test_cell, nbgrader_meta, split_test_source  # noqa: E402
from cnninstructor.autograde.verdict import decide  # noqa: E402
from cnnlib import answers  # noqa: E402


def _tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _run(shell, source: str) -> str | None:
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        result = shell.run_cell(source, store_history=False, silent=False)
    error = result.error_in_exec or result.error_before_exec
    return None if error is None else f"{type(error).__name__}: {error}"[:2000]


def run_job(shell, cells: list[dict], replace: dict[str, str], run_training: bool = False) -> dict:
    """{test grade_id: {"visible": records, "hidden": records}} of one variant, plus its code cells' sources."""
    run_training = run_training or any(
        "training" in _tags(c) for c in cells if nbgrader_meta(c).get("grade_id") in replace
    )
    shell.reset(new_session=True)
    answers.take()
    records: dict[str, dict] = {}
    hidden_parts: list[tuple[str, str]] = []
    sources: list[str] = []
    for cell in cells:
        if cell["cell_type"] != "code" or ("training" in _tags(cell) and not run_training):
            continue
        grade_id = nbgrader_meta(cell).get("grade_id")
        source = replace.get(grade_id, "".join(cell["source"]))
        if not is_test_cell(cell):
            if nbgrader_meta(cell).get("solution"):
                sources.append(source)
            _run(shell, source)
            continue
        visible, hidden = split_test_source(source)
        _run(shell, visible)
        records[grade_id] = {"visible": answers.decode(answers.take())}
        if hidden.strip():
            hidden_parts.append((grade_id, hidden))
    for grade_id, hidden in hidden_parts:
        _run(shell, hidden)
        records[grade_id]["hidden"] = answers.decode(answers.take())
    return {"records": records, "sources": sources}


def _cells(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)["cells"]


def main() -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
    job = json.load(sys.stdin)
    cells = _cells(job["notebook"])
    os.chdir(os.path.dirname(os.path.abspath(job["notebook"])))
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.showtraceback = lambda *args, **kwargs: None  # errors are collected, not printed
    runs = {
        item["name"]: run_job(shell, cells, item.get("replace", {}), item.get("run_training", False))
        for item in job["jobs"]
    }
    if job.get("reference"):
        reference = run_job(shell, _cells(job["reference"]), {}, run_training=True)["records"]
    else:
        reference = runs[job["jobs"][0]["name"]]["records"]
    out = {}
    for name, run in runs.items():
        out[name] = {}
        for grade_id, mine in run["records"].items():
            verdict = decide(reference.get(grade_id, {}), mine, student_sources=run["sources"])
            out[name][grade_id] = None if verdict.passed else verdict.message()
    sys.__stdout__.write(json.dumps(out))


if __name__ == "__main__":
    main()
