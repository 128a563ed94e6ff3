"""Run a notebook's code cells in a plain IPython shell and report which graded test cells pass.

Used by the mutation suite: one process runs many variants of the same notebook (the
solution, and the solution with one solution cell replaced by a mutant), each in a fresh
namespace, which is far faster than starting a kernel per variant. Cells tagged
"training" are skipped unless a variant replaces one of them.

Input (JSON on stdin): {"notebook": path, "jobs": [{"name": str, "replace": {grade_id: source}, "run_training": bool}]}
Output (JSON on stdout): {job name: {test grade_id: null if passed, else the error message}}
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys


def _nbgrader(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _is_test(cell: dict) -> bool:
    meta = _nbgrader(cell)
    return cell["cell_type"] == "code" and bool(meta.get("grade")) and not meta.get("solution")


def _tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def run_job(shell, cells: list[dict], replace: dict[str, str], run_training: bool = False) -> dict[str, str | None]:
    run_training = run_training or any("training" in _tags(c) for c in cells if _nbgrader(c).get("grade_id") in replace)
    shell.reset(new_session=True)
    results: dict[str, str | None] = {}
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        if "training" in _tags(cell) and not run_training:
            continue
        grade_id = _nbgrader(cell).get("grade_id")
        source = replace.get(grade_id, "".join(cell["source"]))
        sink = io.StringIO()
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            result = shell.run_cell(source, store_history=False, silent=False)
        if _is_test(cell):
            error = result.error_in_exec or result.error_before_exec
            results[grade_id] = None if error is None else f"{type(error).__name__}: {error}"[:2000]
    return results


def main() -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
    job = json.load(sys.stdin)
    with open(job["notebook"], encoding="utf-8") as handle:
        cells = json.load(handle)["cells"]
    os.chdir(os.path.dirname(os.path.abspath(job["notebook"])))
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.showtraceback = lambda *args, **kwargs: None  # errors are collected, not printed
    out = {
        item["name"]: run_job(shell, cells, item.get("replace", {}), item.get("run_training", False))
        for item in job["jobs"]
    }
    sys.__stdout__.write(json.dumps(out))


if __name__ == "__main__":
    main()
