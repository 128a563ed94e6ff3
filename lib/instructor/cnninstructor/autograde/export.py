"""Statuses, the class grade export, and merging worker results into the course gradebook."""

from __future__ import annotations

import contextlib
import csv
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nbgrader.coursedir import CourseDirectory

    from cnninstructor.autograde.submissions import Prepared
    from cnninstructor.autograde.workers import Graded

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

GRADED = "graded"
NEEDS_MANUAL = "needs manual grading"
NOT_GRADED = "could not be graded"

CSV_COLUMNS = [
    "student_id",
    "assignment",
    "status",
    "score",
    "max_score",
    "auto_score",
    "auto_max",
    "needs_manual",
    "details",
]


def printable(text: str, limit: int = 200) -> str:
    """``text`` from a submission made safe for a terminal: control characters shown as escapes, length capped."""
    text = str(text)
    safe = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
    return safe if len(safe) <= limit else safe[:limit] + "..."


def csv_cell(text: str) -> str:
    """``text`` made inert for spreadsheets: a leading =, +, -, @, tab or CR would start a formula."""
    text = printable(text, limit=10_000)
    return "'" + text if text.startswith(_FORMULA_START) else text


@dataclass
class Outcome:
    """Everything the instructor is told about one student."""

    student: str
    status: str
    score: float | None = None
    max_score: float = 0.0
    auto_score: float | None = None
    auto_max: float = 0.0
    manual_cells: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)

    def line(self, width: int) -> str:
        """One status line for the instructor, the student column padded to ``width``."""
        if self.score is None:
            score = "-"
        else:
            score = f"{self.score:g}/{self.max_score:g}"
        why = printable("; ".join(self.reasons), limit=2000)
        return f"{printable(self.student):<{width}}  {self.status:<20}  {score:>9}" + (f"  {why}" if why else "")


def _event_reason(event: dict) -> str:
    where = event.get("where") or (f"cell {event['cell']}" if event.get("cell") else "start")
    kind = event["kind"]
    if kind == "kernel_died":
        return f"kernel died at {where} ({event['detail']}); that cell scored 0, the rest was graded"
    if kind == "timeout":
        return f"timed out at {where} ({event['detail']}); the rest was graded"
    if kind == "memory":
        return f"memory limit at {where} ({event['detail']})"
    if kind == "notebook_budget":
        return f"notebook budget: {event['detail']}; the cells after it scored 0"
    if kind == "output_truncated":
        return f"output flood at {where}: output truncated"
    return f"{kind} at {where}: {event.get('detail', '')}"


def outcome_for(prepared: Prepared, graded: Graded | None, max_by_cell: dict[str, float]) -> Outcome:
    """Combine the inspection (``prepared``) and the grading (``graded``) of one student."""
    total_max = sum(max_by_cell.values())
    if not prepared.ok:
        return Outcome(prepared.student, NOT_GRADED, max_score=total_max, reasons=[prepared.reason])
    if graded is None or not graded.ok:
        reason = graded.reason if graded else "not graded"
        return Outcome(prepared.student, NOT_GRADED, max_score=total_max, reasons=[reason.strip()])
    auto = [g for g in graded.grades if not g["needs_manual_grade"]]
    manual = [g for g in graded.grades if g["needs_manual_grade"]]
    auto_score = sum(g["auto_score"] or 0.0 for g in auto)
    auto_max = sum(g["max_score"] for g in auto)
    reasons = list(prepared.flags)
    reasons += [_event_reason(e) for e in graded.events if e["kind"] != "output_truncated"]
    reasons += [_event_reason(e) for e in graded.events if e["kind"] == "output_truncated"][:1]
    if manual:
        reasons.append(
            "written answers to grade: " + ", ".join(f"{g['cell']} ({g['max_score']:g} pts)" for g in manual)
        )
    status = NEEDS_MANUAL if (manual or prepared.flags) else GRADED
    reasons += prepared.notes
    return Outcome(
        prepared.student,
        status,
        score=auto_score,
        max_score=total_max,
        auto_score=auto_score,
        auto_max=auto_max,
        manual_cells=[g["cell"] for g in manual],
        reasons=reasons,
        events=graded.events,
    )


def write_csv(path: Path, assignment: str, outcomes: list[Outcome]) -> None:
    """Write the class grade export: one row per outcome, columns ``CSV_COLUMNS``."""
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        for o in outcomes:
            blank = o.status == NOT_GRADED
            writer.writerow(
                [
                    csv_cell(o.student),
                    csv_cell(assignment),
                    o.status,
                    "" if blank else f"{o.score:g}",
                    f"{o.max_score:g}",
                    "" if blank else f"{o.auto_score:g}",
                    "" if blank else f"{o.auto_max:g}",
                    csv_cell(" ".join(o.manual_cells)),
                    csv_cell("; ".join(o.reasons)),
                ]
            )


# Any fixed 64-bit number: every process grading into one PostgreSQL gradebook takes this advisory lock.
GRADEBOOK_LOCK_KEY = 0x636E6E6772616465  # "cnngrade"


@contextlib.contextmanager
def gradebook_lock(db_url: str):
    """Hold the gradebook's lock for the ``with`` block when ``db_url`` is PostgreSQL; a no-op otherwise.

    Machines grading shards of a class share one PostgreSQL gradebook. nbgrader creates its tables,
    the course, the assignment and each student by looking first and inserting after, so two shards
    doing so at once fail on a unique key. A session-level advisory lock, taken before nbgrader opens
    the gradebook, makes those steps run one shard at a time. SQLite needs none: one process writes it.
    """
    if not db_url.startswith("postgresql"):
        yield
        return
    from sqlalchemy import create_engine, pool, text

    engine = create_engine(db_url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": GRADEBOOK_LOCK_KEY})
            conn.commit()  # the lock belongs to the session and outlives the transaction
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": GRADEBOOK_LOCK_KEY})
                conn.commit()
    finally:
        engine.dispose()


def merge_into_course(
    coursedir: CourseDirectory, db_url: str, assignment: str, prepared: Prepared, graded: Graded | None
) -> None:
    """Record one student's worker results in the course's gradebook and folders (one process at a time)."""
    from nbgrader.api import Gradebook, MissingEntry

    student = prepared.student
    autograded = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
    feedback = Path(coursedir.format_path(coursedir.feedback_directory, student, assignment))
    for folder in (autograded, feedback):
        if folder.exists():
            shutil.rmtree(folder)
    with gradebook_lock(db_url), Gradebook(db_url, coursedir.course_id) as gb:
        if graded is None or not graded.ok or not prepared.ok:
            with contextlib.suppress(MissingEntry):
                gb.remove_submission(assignment, student)
            return
        gb.update_or_create_student(student)
        extra = {"timestamp": prepared.timestamp} if prepared.timestamp else {}
        gb.update_or_create_submission(assignment, student, **extra)
        for g in graded.grades:
            grade = gb.find_grade(g["cell"], g["notebook"], assignment, student)
            grade.auto_score = g["auto_score"]
            grade.needs_manual_grade = g["needs_manual_grade"]
        for cm in graded.comments:
            comment = gb.find_comment(cm["cell"], cm["notebook"], assignment, student)
            comment.auto_comment = cm["auto_comment"]
        if prepared.flags:
            for name in prepared.notebooks:
                gb.find_submission_notebook(name, assignment, student).flagged = True
        gb.db.commit()
    shutil.copytree(graded.autograded_dir, autograded)
    if graded.feedback_dir is not None:
        shutil.copytree(graded.feedback_dir, feedback)
