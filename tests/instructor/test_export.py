"""Statuses, size parsing and escaping of what a submission controls (cnninstructor.autograde.export, cli)."""

from __future__ import annotations

import csv

import pytest
from cnninstructor.autograde import export
from cnninstructor.autograde.cli import _parse_size
from cnninstructor.autograde.submissions import Prepared
from cnninstructor.autograde.workers import Graded

pytestmark = pytest.mark.instructor


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("4G", 4 << 30),
        ("512M", 512 << 20),
        ("1.5g", 3 << 29),
        ("64KiB", 64 << 10),
        ("1000", 1000),
        ("none", -1),
        ("0", -1),
    ],
)
def test_parse_size(text, size):
    assert _parse_size(text) == size


def test_csv_cells_never_start_a_formula_and_terminal_text_has_no_control_characters(tmp_path):
    assert export.csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert export.csv_cell("alice") == "alice"
    assert export.printable("a\x1b[31mred\nline") == "a\\x1b[31mred\\nline"
    outcome = export.Outcome("+cmd", export.GRADED, 1.0, 2.0, 1.0, 2.0, reasons=["-1+2"])
    export.write_csv(tmp_path / "g.csv", "a1", [outcome])
    with (tmp_path / "g.csv").open() as fh:
        rows = list(csv.reader(fh))
    assert rows[1][0] == "'+cmd" and rows[1][-1] == "'-1+2"


MAX = {"nb/test_a": 2.0, "nb/test_b": 3.0}


def test_outcomes_distinguish_not_graded_from_zero():
    broken = export.outcome_for(Prepared("s").fail("empty file"), None, MAX)
    assert broken.status == export.NOT_GRADED and broken.score is None and broken.max_score == 5.0
    grades = [
        {"notebook": "nb", "cell": "test_a", "auto_score": 0.0, "max_score": 2.0, "needs_manual_grade": False},
        {"notebook": "nb", "cell": "test_b", "auto_score": 0.0, "max_score": 3.0, "needs_manual_grade": False},
    ]
    zero = export.outcome_for(Prepared("s"), Graded("s", True, grades=grades), MAX)
    assert zero.status == export.GRADED and zero.score == 0.0


def test_written_answers_and_flags_need_manual_grading():
    grades = [{"notebook": "nb", "cell": "q", "auto_score": None, "max_score": 1.0, "needs_manual_grade": True}]
    manual = export.outcome_for(Prepared("s"), Graded("s", True, grades=grades), MAX)
    assert manual.status == export.NEEDS_MANUAL and "q (1 pts)" in manual.reasons[-1]
    flagged = Prepared("s", flags=["deleted cell restored"])
    assert export.outcome_for(flagged, Graded("s", True), MAX).status == export.NEEDS_MANUAL
