"""What the grader needs to know about a notebook's cells: test cells, and their visible and hidden parts.

A test cell's source is ``visible code``, then optionally ``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN
TESTS``. The grader runs every visible part where it stands in the notebook, and every hidden part only
after the last cell has run, so no output the notebook shows was produced after hidden code entered the
kernel.
"""

from __future__ import annotations

from typing import Any

BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"


def nbgrader_meta(cell: Any) -> dict:
    """The cell's nbgrader metadata (empty when it has none)."""
    return (cell.get("metadata", {}) or {}).get("nbgrader", {}) or {}


def source_of(cell: Any) -> str:
    """The cell's source as one string."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def is_test_cell(cell: Any) -> bool:
    """An autograded test cell: a graded code cell that is not a solution cell."""
    meta = nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def split_test_source(source: str) -> tuple[str, str]:
    """(visible part, hidden part) of a test cell's source; the hidden part is empty when there is none."""
    lines = source.splitlines(keepends=True)
    visible, hidden, inside = [], [], False
    for line in lines:
        marker = line.strip()
        if marker == BEGIN_HIDDEN:
            inside = True
        elif marker == END_HIDDEN:
            inside = False
        elif inside:
            hidden.append(line)
        else:
            visible.append(line)
    return "".join(visible), "".join(hidden)
