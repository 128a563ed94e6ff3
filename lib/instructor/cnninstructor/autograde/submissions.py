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
  shadow the real module in the kernel) are not copied to the grading folder;
* a submission is data: only regular files are read (opened without following links, never
  blocking on a FIFO or device, at most ``MAX_NOTEBOOK_BYTES``); a link, a FIFO, a device or an
  oversized file is refused with a clear status, and nothing is ever written through a path a
  student made.
"""

from __future__ import annotations

import copy
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

MAX_NOTEBOOK_BYTES = 20 << 20


class NotRegular(ValueError):
    """A path in a submission that is not a plain file (or folder) of a sane size."""


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes; raise NotRegular otherwise."""
    limit = MAX_NOTEBOOK_BYTES if limit is None else limit
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        kind = "a link" if path.is_symlink() else "unreadable"
        raise NotRegular(f"{path.name} is {kind} ({exc.strerror}), not a regular file") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(f"{path.name} is not a regular file (a FIFO, device or socket)")
        if info.st_nlink > 1:
            raise NotRegular(f"{path.name} is a hard link to another file, not a file of its own")
        if info.st_size > limit:
            raise NotRegular(f"{path.name} is {info.st_size} bytes, more than the {limit} allowed")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise NotRegular(f"{path.name} is more than the {limit} bytes allowed")
        return data
    finally:
        os.close(fd)


def _real_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


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
    secret: str | None = None  # nbgrader's exchange writes submission_secret.txt; feedback release needs it back

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
    try:
        raw = read_regular(path)
    except NotRegular as exc:
        return None, str(exc)
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
    """Inspect ``folder`` (submitted/<student>/<assignment>) against the released notebooks.

    Whatever the submission holds, this returns (a notebook too deeply nested to parse, or with
    nbgrader metadata of the wrong types, is "could not be graded"): one student never stops the run.
    """
    try:
        return _prepare(student, folder, released)
    except (RecursionError, MemoryError, ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
        return Prepared(student).fail(f"malformed notebook ({type(exc).__name__})")


def _valid_timestamp(text: str) -> bool:
    from nbgrader.utils import parse_utc

    try:
        parse_utc(text)
    except Exception:  # noqa: BLE001 - any unparsable timestamp is simply ignored
        return False
    return True


def _prepare(student: str, folder: Path, released: dict[str, dict]) -> Prepared:
    result = Prepared(student)
    if not (_real_folder(folder.parent) and _real_folder(folder)):
        return result.fail("no submission folder (or it is a link, not a folder)")
    stamp = folder / "timestamp.txt"
    if stamp.exists() or stamp.is_symlink():
        try:
            text = read_regular(stamp, 256).decode("utf-8", "replace").strip()[:64]
        except NotRegular as exc:
            result.notes.append(f"timestamp ignored: {exc}")
        else:
            if _valid_timestamp(text):
                result.timestamp = text
            else:
                result.notes.append("timestamp ignored: not a date")
    secret = folder / "submission_secret.txt"
    if secret.exists() or secret.is_symlink():
        try:
            text = read_regular(secret, 4096).decode("ascii").strip()
        except (NotRegular, UnicodeDecodeError):
            result.notes.append("submission_secret.txt ignored: not a small text file")
        else:
            result.secret = text if text.isalnum() else None
    present = sorted(p.name for p in folder.iterdir() if p.name.endswith(".ipynb"))
    expected = sorted(f"{name}.ipynb" for name in released)
    for name, ref in sorted(released.items()):
        path = folder / f"{name}.ipynb"
        if not (path.exists() or path.is_symlink()):
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
    extras = sorted(
        p.name
        for p in folder.iterdir()
        if p.name not in expected and p.name not in ("timestamp.txt", "submission_secret.txt")
    )
    if extras:
        shown = ", ".join(extras[:5]) + (" ..." if len(extras) > 5 else "")
        result.notes.append(f"extra files not used for grading: {shown}")
    return result
