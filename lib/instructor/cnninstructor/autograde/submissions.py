"""Inspect a student's submission before nbgrader sees it, and repair what can be repaired safely.

nbgrader, as it comes, grades a notebook whose test cell was deleted without a word (the
points just vanish), gives 0 to a notebook whose nbgrader metadata was stripped, and records
a 0 for a missing or unreadable file. Here every such case gets a precise reason:

* missing, renamed, empty or malformed notebooks are *not graded* (reported as such, never
  as a zero);
* deleted nbgrader cells (a test cell, a solution cell) are put back from the released
  notebook and flagged; nbgrader then restores every test cell's source, hidden tests included;
* stripped nbgrader metadata is restored by matching cells against the released notebook
  (locked cells by their exact text, solution cells by their first line, usually the
  ``def`` line); when that is ambiguous the notebook is not graded;
* extra files a student put next to the notebook (for example a ``numpy.py`` that would
  shadow the real module in the kernel) are not copied to the grading folder.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat


@dataclass
class Prepared:
    """Outcome of inspecting one student's submission of one assignment."""

    student: str
    ok: bool = True
    reason: str = ""
    flags: list[str] = field(default_factory=list)  # things the instructor should look at
    notes: list[str] = field(default_factory=list)  # informational only
    notebooks: dict[str, dict] = field(default_factory=dict)  # notebook name -> notebook JSON to grade
    timestamp: str | None = None

    def fail(self, reason: str) -> Prepared:
        """Mark the submission as not gradable for ``reason``; return ``self``."""
        self.ok, self.reason = False, reason
        return self


def nbgrader_meta(cell: dict) -> dict:
    """The cell's nbgrader metadata (empty when it has none)."""
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def grade_id(cell: dict) -> str | None:
    """The cell's nbgrader ``grade_id``, or None."""
    return nbgrader_meta(cell).get("grade_id")


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            return line.strip()
    return ""


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _read(path: Path) -> tuple[dict | None, str]:
    raw = path.read_bytes()
    if not raw.strip():
        return None, "empty file"
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return None, "malformed notebook: not UTF-8 text"
    except json.JSONDecodeError as exc:
        return None, f"malformed notebook: not valid JSON (line {exc.lineno}, column {exc.colno})"
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        return None, "malformed notebook: JSON without a list of cells"
    try:
        nb = nbformat.reads(json.dumps(data), as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # noqa: BLE001 - any validation failure is reported, whatever its type
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return None, f"malformed notebook: {first[:160]}"
    return json.loads(nbformat.writes(nb)), ""


def _restore_metadata(sub: dict, released: dict) -> list[str] | None:
    """Give cells of ``sub`` back the nbgrader metadata of the matching released cells.

    Returns the grade_ids restored, or None when some graded cell cannot be matched
    unambiguously. Matching runs in notebook order: a locked cell matches a cell with exactly
    its text, a solution cell the first cell (after the previous match) with its first line.
    """
    cells = sub["cells"]
    position = 0
    restored = []
    for ref in released["cells"]:
        meta = nbgrader_meta(ref)
        if not meta:
            continue
        target = _source(ref)
        wanted_first = _first_line(target)
        found = None
        for i in range(position, len(cells)):
            if cells[i].get("cell_type") != ref.get("cell_type"):
                continue
            text = _source(cells[i])
            if meta.get("solution"):
                if ref["cell_type"] == "markdown" or (wanted_first and _first_line(text) == wanted_first):
                    found = i
                    break
            elif text.strip() == target.strip():
                found = i
                break
        if found is None:
            if meta.get("grade") or meta.get("solution"):
                return None
            continue
        cells[found].setdefault("metadata", {})["nbgrader"] = copy.deepcopy(meta)
        restored.append(meta.get("grade_id"))
        position = found + 1
    return restored


def _reinsert_missing(sub: dict, released: dict) -> list[str]:
    """Put back released nbgrader cells whose grade_id is absent from ``sub``; return their ids."""
    present = {grade_id(c) for c in sub["cells"] if grade_id(c)}
    missing = []
    for ref_index, ref in enumerate(released["cells"]):
        gid = grade_id(ref)
        if not gid or gid in present or not (nbgrader_meta(ref).get("grade") or nbgrader_meta(ref).get("solution")):
            continue
        # Insert after the submission cell matching the nearest earlier released nbgrader cell.
        insert_at = 0
        for earlier in reversed(released["cells"][:ref_index]):
            eid = grade_id(earlier)
            if eid and eid in present:
                insert_at = next(i for i, c in enumerate(sub["cells"]) if grade_id(c) == eid) + 1
                break
        sub["cells"].insert(insert_at, copy.deepcopy(ref))
        present.add(gid)
        missing.append(gid)
    return missing


def prepare(student: str, folder: Path, released: dict[str, dict]) -> Prepared:
    """Inspect ``folder`` (submitted/<student>/<assignment>) against the released notebooks."""
    result = Prepared(student)
    if not folder.is_dir():
        return result.fail("no submission folder")
    stamp = folder / "timestamp.txt"
    if stamp.is_file():
        result.timestamp = stamp.read_text(errors="replace").strip()[:64]
    present = sorted(p.name for p in folder.glob("*.ipynb"))
    expected = sorted(f"{name}.ipynb" for name in released)
    for name, ref in sorted(released.items()):
        path = folder / f"{name}.ipynb"
        if not path.is_file():
            others = [p for p in present if p not in expected]
            if others:
                return result.fail(f"{name}.ipynb is missing; found {', '.join(others)} instead (renamed?)")
            return result.fail(f"missing file {name}.ipynb")
        nb, problem = _read(path)
        if nb is None:
            return result.fail(f"{name}.ipynb: {problem}")
        if not any(nbgrader_meta(c) for c in nb["cells"]):
            restored = _restore_metadata(nb, ref)
            if restored is None:
                return result.fail(
                    f"{name}.ipynb: its nbgrader metadata was removed and the cells could not be matched "
                    "to the assignment (grade it by hand)"
                )
            result.flags.append(f"{name}.ipynb had its nbgrader metadata removed; restored by matching cells")
        missing = _reinsert_missing(nb, ref)
        if missing:
            result.flags.append(f"{name}.ipynb: deleted cell(s) {', '.join(missing)} restored from the assignment")
        result.notebooks[name] = nb
    extras = sorted(p.name for p in folder.iterdir() if p.name not in expected and p.name != "timestamp.txt")
    if extras:
        shown = ", ".join(extras[:5]) + (" ..." if len(extras) > 5 else "")
        result.notes.append(f"extra files not used for grading: {shown}")
    return result
