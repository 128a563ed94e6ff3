"""``python -m cnninstructor.autograde <assignment>``: the instructor's grading command.

Autogrades every submission of an assignment with nbgrader, several students at once, each
kernel in a sandbox; prints one status line per student; records the grades in the course
gradebook; writes ``grades-<assignment>.csv`` (``could not be graded`` is a status with an empty
score, never a zero) and generates feedback without hidden tests.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from cnninstructor.autograde import export, submissions, workers

EPILOG = """\
exit status: 0 when every submission was graded (possibly needing manual grading),
1 when some could not be graded, 2 on a usage or set-up error (for example the sandbox
cannot start: fix it, or pass --no-sandbox if you accept running student code unsandboxed).
"""


def _parse_size(text: str) -> int:
    """'4G', '512M', '1000000' -> bytes; 'none' or '0' -> -1 (no limit, e.g. for CUDA kernels)."""
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    text = text.strip().lower()
    if text in ("none", "unlimited", "0"):
        return -1
    text = text.removesuffix("ib").removesuffix("b")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser of ``python -m cnninstructor.autograde``."""
    p = argparse.ArgumentParser(
        prog="python -m cnninstructor.autograde",
        description="Autograde every submission of ASSIGNMENT with nbgrader, in sandboxed kernels.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("assignment", help="assignment name, e.g. a1_convolution")
    p.add_argument("--course-dir", default=".", help="course root holding nbgrader_config.py (default: .)")
    p.add_argument("--workers", type=int, default=1, help="students graded at once (default 1)")
    p.add_argument("--student", action="append", default=[], help="grade only this student (repeatable)")
    p.add_argument(
        "--shard",
        default=None,
        metavar="K/N",
        help="grade only the K-th of N equal shares of the students (sorted by id), for splitting a class "
        "across machines that share one gradebook (a PostgreSQL db_url)",
    )
    p.add_argument("--cpu-per-cell", type=float, default=60.0, help="CPU seconds per cell before it is interrupted")
    p.add_argument(
        "--cpu-per-notebook", type=float, default=900.0, help="CPU seconds per notebook; later cells are not run"
    )
    p.add_argument(
        "--wall-per-cell", type=float, default=None, help="wall-clock seconds per cell (default: 4x the CPU budget)"
    )
    p.add_argument(
        "--wall-per-notebook",
        type=float,
        default=None,
        help="wall-clock seconds per notebook, replays included (default: 4x the notebook's CPU budget)",
    )
    p.add_argument(
        "--memory",
        default="4G",
        help="address-space limit of each kernel (default 4G; 'none' for GPU kernels, CUDA maps huge address ranges)",
    )
    p.add_argument("--threads", type=int, default=1, help="BLAS/torch threads per kernel (default 1)")
    p.add_argument("--export", default=None, help="CSV path (default: <course>/grades-<assignment>.csv)")
    p.add_argument("--json", default=None, help="also write every status and event to this JSON file")
    p.add_argument("--no-feedback-copy", action="store_true", help=argparse.SUPPRESS)
    p.add_argument(
        "--no-sandbox",
        action="store_true",
        help="run kernels without namespaces or a separate user (resource limits still apply); "
        "student code can then read solutions/ and the gradebook: only for trusted submissions",
    )
    p.add_argument("--scratch", default=None, help=argparse.SUPPRESS)
    p.add_argument("--quiet", action="store_true", help="print only the summary")
    return p


def _course(course_dir: Path):
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config_file = course_dir / "nbgrader_config.py"
    config = PyFileConfigLoader(config_file.name, str(course_dir)).load_config() if config_file.exists() else None
    coursedir = CourseDirectory(config=config) if config is not None else CourseDirectory()
    if not config_file.exists() or "root" not in (config.CourseDirectory if config else {}):
        coursedir.root = str(course_dir)
    return coursedir, (config_file if config_file.exists() else None)


def _released(coursedir, assignment: str, scratch: Path) -> dict[str, dict]:
    """The student version of each notebook of ``assignment`` (from the release folder, else generated)."""
    release = Path(coursedir.format_path(coursedir.release_directory, ".", assignment))
    found = {p.stem: json.loads(p.read_text()) for p in sorted(release.glob("*.ipynb"))}
    if found:
        return found
    generated = scratch / "template" / "release" / assignment
    return {p.stem: json.loads(p.read_text()) for p in sorted(generated.glob("*.ipynb"))}


def _ensure_assignment_in_gradebook(coursedir, assignment: str, template: Path) -> None:
    # nbgrader runs `alembic` from PATH when it creates a gradebook (a first run, a new PostgreSQL database),
    # and sudo's PATH lacks this environment's bin folder.
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    # Shards sharing one PostgreSQL gradebook may all get here at once: the lock lets one at a time look and add.
    with export.gradebook_lock(coursedir.db_url):
        _add_assignment_if_missing(coursedir, assignment, template)


def _add_assignment_if_missing(coursedir, assignment: str, template: Path) -> None:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        try:
            gb.find_assignment(assignment)
            return
        except MissingEntry:
            pass
    # Copy the assignment's cells from the worker template's gradebook (filled by generate_assignment).
    with (
        Gradebook("sqlite:///" + str(template / "gradebook.db")) as src,
        Gradebook(coursedir.db_url, coursedir.course_id) as dst,
    ):
        a = src.find_assignment(assignment)
        dst.update_or_create_assignment(assignment, duedate=a.duedate)
        for nb in a.notebooks:
            dst.update_or_create_notebook(nb.name, assignment)
            for cell in nb.grade_cells:
                dst.update_or_create_grade_cell(
                    cell.name, nb.name, assignment, max_score=cell.max_score, cell_type=cell.cell_type
                )
            for cell in nb.solution_cells:
                dst.update_or_create_solution_cell(cell.name, nb.name, assignment)
            for cell in nb.task_cells:
                dst.update_or_create_task_cell(
                    cell.name, nb.name, assignment, max_score=cell.max_score, cell_type=cell.cell_type
                )
            for cell in nb.source_cells:
                dst.update_or_create_source_cell(
                    cell.name,
                    nb.name,
                    assignment,
                    source=cell.source,
                    checksum=cell.checksum,
                    locked=cell.locked,
                    cell_type=cell.cell_type,
                )


def _max_by_cell(template: Path, assignment: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook("sqlite:///" + str(template / "gradebook.db")) as gb:
        a = gb.find_assignment(assignment)
        return {f"{nb.name}/{c.name}": c.max_score for nb in a.notebooks for c in nb.grade_cells}


def _students(coursedir, assignment: str, only: list[str]) -> list[str]:
    submitted = Path(coursedir.format_path(coursedir.submitted_directory, ".", ".")).resolve()
    names = sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir()) if submitted.is_dir() else []
    return [n for n in names if not only or n in only]


def run(args: argparse.Namespace) -> int:
    """Grade the assignment as ``args`` asks; return the exit status (0, 1 or 2, see the epilog)."""
    if not args.no_sandbox and os.geteuid() != 0:
        print(
            "error: the grading sandbox needs root (it enters Linux namespaces and runs each kernel as an "
            "unprivileged user). Run as root, or pass --no-sandbox to run student code unsandboxed.",
            file=sys.stderr,
        )
        return 2
    course_dir = Path(args.course_dir).resolve()
    coursedir, config_file = _course(course_dir)
    assignment = args.assignment
    source = Path(coursedir.format_path(coursedir.source_directory, ".", assignment)).resolve()
    if not source.is_dir():
        print(f"error: no source folder {source} for assignment {assignment!r}", file=sys.stderr)
        return 2
    scratch = Path(args.scratch or tempfile.mkdtemp(prefix=f"cnn-autograde-{assignment}-")).resolve()
    scratch.mkdir(parents=True, exist_ok=True)
    settings = workers.Settings(
        assignment=assignment,
        course_root=Path(coursedir.root).resolve(),
        source_dir=source,
        course_config=config_file,
        sandbox=not args.no_sandbox,
        cpu_per_cell=args.cpu_per_cell,
        cpu_per_notebook=args.cpu_per_notebook,
        wall_per_cell=args.wall_per_cell or max(60.0, 4 * args.cpu_per_cell),
        wall_per_notebook=args.wall_per_notebook or max(600.0, 4 * args.cpu_per_notebook),
        memory_bytes=_parse_size(args.memory),
        threads=args.threads,
    )
    if coursedir.db_url.startswith("sqlite:///"):
        settings.hidden.append(str(Path(coursedir.db_url[len("sqlite:///") :]).resolve()))
    try:
        return _grade_all(args, coursedir, settings, scratch)
    except workers.GradingMisconfigured as exc:
        print(f"error: {exc}. Nothing was recorded.", file=sys.stderr)
        return 2
    except workers.SandboxUnavailable as exc:
        print(
            f"error: the grading sandbox cannot start a kernel on this machine: {exc}\n"
            "Nothing was graded. Fix the sandbox (root, Linux namespaces), or pass --no-sandbox to run "
            "student code without isolation (resource limits still apply).",
            file=sys.stderr,
        )
        return 2
    finally:
        if not args.scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def _pool(n_workers: int) -> ProcessPoolExecutor:
    # "spawn": every worker process starts clean (no threads or open kernels inherited from this one)
    return ProcessPoolExecutor(max_workers=n_workers, mp_context=multiprocessing.get_context("spawn"))


def _grade_all(args, coursedir, settings: workers.Settings, scratch: Path) -> int:
    assignment = settings.assignment
    started = time.monotonic()
    n_workers = max(1, args.workers)
    template = scratch / "template"
    workers.write_worker(template, 0, settings, scratch)
    worker_dirs = []
    references = scratch / "references.json"
    with _pool(n_workers) as pool:
        pool.submit(workers.generate_template, template, settings).result()
        _ensure_assignment_in_gradebook(coursedir, assignment, template)
        released = _released(coursedir, assignment, scratch)
        max_by_cell = _max_by_cell(template, assignment)
        for index in range(n_workers):
            folder = scratch / f"worker{index}"
            shutil.copytree(template, folder, ignore=shutil.ignore_patterns("release", "ipc", "runtime", "kernels"))
            workers.write_worker(folder, index, settings, scratch)
            worker_dirs.append(folder)
        workers.preflight(worker_dirs[0])
        pool.submit(workers.compute_references, worker_dirs[0], settings, references).result()

        students = _students(coursedir, assignment, args.student)
        if args.shard:
            k, n = (int(x) for x in args.shard.split("/"))
            students = students[k - 1 :: n]
        if not students:
            print(f"no submissions of {assignment} in {coursedir.submitted_directory}/")
            return 0
        prepared = {
            s: submissions.prepare(
                s, Path(coursedir.format_path(coursedir.submitted_directory, s, assignment)), released
            )
            for s in students
        }
        with multiprocessing.get_context("spawn").Manager() as manager:
            jobs = manager.Queue()
            for s in students:
                if prepared[s].ok:
                    jobs.put(prepared[s])
            futures = [
                pool.submit(
                    workers.run_worker, i, folder, settings, jobs, references, scratch / "results" / folder.name
                )
                for i, folder in enumerate(worker_dirs)
            ]
            results: dict[str, workers.Graded] = {g.student: g for f in futures for g in f.result()}

    width = max(len(export.printable(s)) for s in students)
    outcomes = []
    for s in students:
        graded = results.get(s)
        export.merge_into_course(coursedir, coursedir.db_url, assignment, prepared[s], graded)
        outcome = export.outcome_for(prepared[s], graded, max_by_cell)
        outcomes.append(outcome)
        if not args.quiet:
            print(outcome.line(width), flush=True)
    csv_path = Path(args.export) if args.export else Path(coursedir.root) / f"grades-{assignment}.csv"
    export.write_csv(csv_path, assignment, outcomes)
    if args.json:
        Path(args.json).write_text(json.dumps([o.__dict__ for o in outcomes], indent=1))
    elapsed = time.monotonic() - started
    counts = {
        status: sum(o.status == status for o in outcomes)
        for status in (export.GRADED, export.NEEDS_MANUAL, export.NOT_GRADED)
    }
    print(
        f"{len(outcomes)} submissions of {assignment} in {elapsed:.1f} s with {n_workers} worker(s): "
        + ", ".join(f"{n} {status}" for status, n in counts.items())
        + f". Grades: {csv_path}"
        + ("" if settings.sandbox else "  [WARNING: graded WITHOUT the sandbox]")
    )
    return 1 if counts[export.NOT_GRADED] else 0


def main(argv: list[str] | None = None) -> int:
    """Parse and check ``argv`` (default ``sys.argv[1:]``), then grade; return the exit status."""
    args = build_parser().parse_args(argv)
    if args.workers < 1:
        build_parser().error("--workers must be at least 1")
    if args.shard:
        try:
            k, n = (int(x) for x in args.shard.split("/"))
        except ValueError:
            k, n = 0, 0
        if not 1 <= k <= n:
            build_parser().error("--shard must look like K/N with 1 <= K <= N, e.g. 2/3")
    return run(args)
