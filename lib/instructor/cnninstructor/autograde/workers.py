"""Grading workers: private scratch copies of the course where nbgrader's own autograder runs in-process.

A worker folder holds the assignment's source, its own ``gradebook.db`` (parallel workers never
share an SQLite file), a kernel spec that starts every kernel through the sandbox launcher, and
the sandbox policy. Each worker is one process of the grading command's process pool; it grades
students one at a time with ``nbgrader.apps.NbGraderAPI`` (the same ``Autograde`` converter as
``nbgrader autograde``, configured by the course's ``nbgrader_config.py`` plus the worker's
settings given as a traitlets ``Config``, never as generated files), reads each result back from
its gradebook and from the report the executor left in the autograded notebook
(:mod:`cnninstructor.autograde.protocol`), and generates the student's feedback. Every student
gets fresh kernels, so results do not depend on which worker graded them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cnninstructor.autograde.protocol import SANDBOX_FAILED, read_report
from cnninstructor.autograde.sandbox import Policy

KERNEL_NAME = "cnn-autograde"
BASE_UID = 62000


@dataclass
class Settings:
    """What the instructor chose on the command line (see ``cli.py``)."""

    assignment: str
    course_root: Path
    source_dir: Path  # the assignment's source folder (solutions/<assignment>)
    course_config: Path | None
    sandbox: bool = True
    cpu_per_cell: float = 60.0
    cpu_per_notebook: float = 900.0
    wall_per_cell: float = 240.0
    wall_per_notebook: float = 3600.0
    memory_bytes: int = 4 << 30
    threads: int = 1
    hidden: list[str] = field(default_factory=list)


@dataclass
class Graded:
    """What one worker learnt about one student."""

    student: str
    ok: bool
    reason: str = ""
    grades: list[dict] = field(default_factory=list)  # one per grade cell
    comments: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    verdicts: dict[str, dict] = field(default_factory=dict)
    autograded_dir: Path | None = None
    feedback_dir: Path | None = None


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot start a kernel on this machine."""


class GradingMisconfigured(RuntimeError):
    """nbgrader did not run the course's grading pipeline (GradingExecute): nothing is trusted."""


def _python_paths() -> list[str]:
    """Folders the kernel needs to read: the environment, its base Python, cnnlib's package and the data."""
    import cnnlib

    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(Path(os.path.realpath(sys.executable)).parent.parent)}
    paths.add(str(Path(cnnlib.__file__).resolve().parent))  # cnnlib alone: never the instructor toolkit
    data = os.environ.get("CNN_COURSE_DATA")
    if data and Path(data).is_dir():
        paths.add(str(Path(data).resolve()))
    return sorted(paths)


def _hidden_paths(settings: Settings, scratch: Path) -> list[str]:
    import cnninstructor

    hidden = {str(settings.course_root), str(scratch), str(Path.home()), "/root"}
    hidden.add(str(Path(cnninstructor.__file__).resolve().parent.parent))
    repo = Path(cnninstructor.__file__).resolve().parents[3]
    if (repo / "nbgrader_config.py").exists() or (repo / ".git").exists():
        hidden.add(str(repo))
    hidden.update(settings.hidden)
    return sorted(hidden)


def sandboxed_python(worker: Path, *args: str) -> list[str]:
    """The command line that runs ``python -I *args`` under the worker's sandbox policy."""
    policy = str(worker / "policy.json")
    return [
        sys.executable,
        "-m",
        "cnninstructor.autograde.sandbox",
        "--policy",
        policy,
        "--",
        sys.executable,
        "-I",
        *args,
    ]


def write_worker(worker: Path, index: int, settings: Settings, scratch: Path) -> None:
    """Create worker folder ``worker``: the assignment's source, the sandbox policy and the kernel spec."""
    for sub in ("jupyter/kernels/" + KERNEL_NAME, "runtime", "ipc", "kernels", "jupyter-config"):
        (worker / sub).mkdir(parents=True, exist_ok=True)
    uid = BASE_UID + index
    # Kernels create their sockets here; root owns it and others may not list it (sticky, 1733), so one
    # student's kernel cannot lock the folder for the next one; it is emptied after every student.
    (worker / "ipc").chmod(0o1733)
    Policy(
        isolate=settings.sandbox,
        uid=uid,
        gid=uid,
        hidden=_hidden_paths(settings, scratch),
        read_only=_python_paths(),
        read_write=[str(worker / "ipc")],
        memory_bytes=settings.memory_bytes,
        cpu_seconds=int(max(600, settings.cpu_per_notebook + 60)),
        threads=settings.threads,
        cgroup_name=f"cnn-grader-{os.getpid()}-w{index}",
    ).save(worker / "policy.json")
    spec = {
        "argv": sandboxed_python(
            worker, "-m", "ipykernel_launcher", "-f", "{connection_file}", "--HistoryManager.hist_file=:memory:"
        ),
        "display_name": "Python 3 (autograde sandbox)",
        "language": "python",
        "interrupt_mode": "signal",
    }
    (worker / "jupyter/kernels" / KERNEL_NAME / "kernel.json").write_text(json.dumps(spec, indent=1))
    dest = worker / "source" / settings.assignment
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(settings.source_dir, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))


def worker_config(worker: Path, settings: Settings, references: Path | None = None):
    """The traitlets Config of nbgrader in ``worker``: the course's configuration, then the worker's settings."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    if settings.course_config is not None:
        path = settings.course_config
        config.merge(PyFileConfigLoader(path.name, str(path.parent)).load_config())
    gib = settings.memory_bytes / (1 << 30)
    overrides = {
        "CourseDirectory": {
            "root": str(worker),
            "source_directory": "source",
            "release_directory": "release",
            "submitted_directory": "submitted",
            "autograded_directory": "autograded",
            "feedback_directory": "feedback",
            "db_url": "sqlite:///" + str(worker / "gradebook.db"),
        },
        "KernelManager": {"transport": "ipc", "ip": str(worker / "ipc" / "kernel")},
        "Execute": {"kernel_name": KERNEL_NAME, "timeout": int(settings.wall_per_cell), "interrupt_on_timeout": True},
        "GradingExecute": {
            "cpu_per_cell": float(settings.cpu_per_cell),
            "cpu_per_notebook": float(settings.cpu_per_notebook),
            "wall_per_notebook": float(settings.wall_per_notebook),
            "memory_limit_text": f" ({gib:g} GiB)" if settings.memory_bytes > 0 else "",
            "reference_file": str(references) if references else "",
            "work_root": str(worker / "kernels"),
        },
        "NbGraderAPI": {"log_level": "WARN"},
    }
    config.merge(Config(overrides))
    return config


def _enter(worker: Path) -> None:
    """Point this process's Jupyter paths at ``worker`` (each pool process serves one worker at a time).

    nbgrader's own warnings (SQLAlchemy session notes, nbformat's missing cell ids) say nothing about a
    submission; the grading command reports what matters per student, so they are not printed.
    """
    import warnings

    warnings.filterwarnings("ignore", module="nbgrader")
    warnings.filterwarnings("ignore", module="nbformat")
    warnings.filterwarnings("ignore", message=".*not in session.*")
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    os.environ["JUPYTER_PATH"] = str(worker / "jupyter")
    os.environ["JUPYTER_RUNTIME_DIR"] = str(worker / "runtime")
    os.environ["JUPYTER_CONFIG_DIR"] = str(worker / "jupyter-config")
    os.environ.pop("JUPYTER_DATA_DIR", None)


def _api(worker: Path, settings: Settings, references: Path | None = None):
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = worker_config(worker, settings, references)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def generate_template(worker: Path, settings: Settings) -> None:
    """Release the assignment inside a worker folder (fills its gradebook with the assignment's cells)."""
    _enter(worker)
    done = _api(worker, settings).generate_assignment(settings.assignment, force=True)
    if not done["success"]:
        raise RuntimeError(f"nbgrader could not release {settings.assignment}: {done.get('error', '')[-2000:]}")


def compute_references(worker: Path, settings: Settings, target: Path) -> None:
    """Run the instructor's notebooks once in a (sandboxed) kernel; write their answers to ``target``."""
    from cnninstructor.autograde.execute import GradingExecute, reference_answers
    from cnninstructor.autograde.protocol import save_references

    _enter(worker)
    config = worker_config(worker, settings)
    parent = GradingExecute(config=config)
    references: dict = {}
    for source in sorted((worker / "source" / settings.assignment).glob("*.ipynb")):
        try:
            references.update({f"{source.stem}/{gid}": r for gid, r in reference_answers(source, parent).items()})
        except Exception as exc:
            if "cannot start the sandboxed kernel" in str(exc) or getattr(exc, "sandbox_failed", False):
                raise SandboxUnavailable(str(exc)) from exc
            raise
    save_references(references, target)


def preflight(worker: Path, python_check: str = "import cnnlib.grading, numpy") -> None:
    """Start one sandboxed Python the way kernels are started; raise SandboxUnavailable if it fails."""
    probe_dir = worker / "preflight"
    probe_dir.mkdir(exist_ok=True)
    cmd = sandboxed_python(worker, "-c", python_check + "; import urllib.request")
    done = subprocess.run(cmd, cwd=probe_dir, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    shutil.rmtree(probe_dir, ignore_errors=True)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        message = detail[-1] if detail else f"exit status {done.returncode}"
        if done.returncode != SANDBOX_FAILED:
            message = f"a sandboxed Python could not import cnnlib and numpy: {message}"
        raise SandboxUnavailable(message)


def _empty(folder: Path) -> None:
    """Remove everything in ``folder`` (links removed, never followed)."""
    for entry in os.scandir(folder):
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _fresh(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def _read_grades(worker: Path, assignment: str, student: str, notebooks: list[str]) -> tuple[list, list]:
    from nbgrader.api import Gradebook, MissingEntry

    grades, comments = [], []
    with Gradebook("sqlite:///" + str(worker / "gradebook.db")) as gb:
        for name in notebooks:
            try:
                nb = gb.find_submission_notebook(name, assignment, student)
            except MissingEntry:
                return [], []
            for g in nb.grades:
                grades.append(
                    {
                        "notebook": name,
                        "cell": g.name,
                        "auto_score": g.auto_score,
                        "max_score": g.max_score,
                        "needs_manual_grade": bool(g.needs_manual_grade),
                        "cell_type": g.cell.cell_type,
                    }
                )
            for cm in nb.comments:
                comments.append({"notebook": name, "cell": cm.name, "auto_comment": cm.auto_comment})
    return grades, comments


def _keep_files(source: Path, target: Path, names: list[str]) -> Path:
    """Copy the named regular files (the grader's own outputs) from ``source`` to ``target``; nothing else."""
    _fresh(target)
    for name in names:
        path = source / name
        if path.is_file() and not path.is_symlink():
            shutil.copyfile(path, target / name, follow_symlinks=False)
    return target


def grade_one(worker: Path, settings: Settings, prepared: Any, references: Path, results_dir: Path) -> Graded:
    """Autograde one prepared submission in ``worker`` and generate its feedback; keep the results."""
    from cnninstructor.autograde import execute

    assignment, student = settings.assignment, prepared.student
    for sub in ("submitted", "autograded", "feedback"):
        _fresh(worker / sub / student)
    folder = worker / "submitted" / student / assignment
    folder.mkdir(parents=True)
    for name, nb in prepared.notebooks.items():
        (folder / f"{name}.ipynb").write_text(json.dumps(nb))
    if prepared.timestamp:
        (folder / "timestamp.txt").write_text(prepared.timestamp)
    if prepared.secret:
        (folder / "submission_secret.txt").write_text(prepared.secret)
    api = _api(worker, settings, references)
    execute.sandbox_failure = ""
    done = api.autograde(assignment, student, force=True, create=True)
    if execute.sandbox_failure:
        raise SandboxUnavailable(execute.sandbox_failure)
    names = sorted(prepared.notebooks)
    graded_dir = worker / "autograded" / student / assignment
    if not done["success"] or not all((graded_dir / f"{n}.ipynb").is_file() for n in names):
        error = (done.get("error") or "").strip().splitlines()
        return Graded(student, False, "nbgrader could not autograde it" + (f": {error[-1][:300]}" if error else ""))
    grades, comments = _read_grades(worker, assignment, student, names)
    events, verdicts = [], {}
    for name in names:
        report = read_report(json.loads((graded_dir / f"{name}.ipynb").read_text()))
        if report.get("missing"):
            raise GradingMisconfigured(f"{student}/{name} was executed without GradingExecute")
        events.extend(report["events"])
        verdicts.update({f"{name}/{gid}": v for gid, v in report["verdicts"].items()})
    keep = results_dir / student
    graded = Graded(student, True, grades=grades, comments=comments, events=events, verdicts=verdicts)
    exchange = ["timestamp.txt", "submission_secret.txt"]  # written by the grader itself, from checked text
    graded.autograded_dir = _keep_files(graded_dir, keep / "autograded", [f"{n}.ipynb" for n in names] + exchange)
    feedback = api.generate_feedback(assignment, student, force=True)
    feedback_dir = worker / "feedback" / student / assignment
    if feedback["success"] and feedback_dir.is_dir():
        graded.feedback_dir = _keep_files(feedback_dir, keep / "feedback", [f"{n}.html" for n in names] + exchange)
        for page in graded.feedback_dir.glob("*.html"):
            page.write_text(no_scripts(page.read_text(encoding="utf-8")), encoding="utf-8")
    for sub in ("submitted", "autograded", "feedback"):
        shutil.rmtree(worker / sub / student, ignore_errors=True)
    _empty(worker / "ipc")
    return graded


CSP = "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'; object-src 'none'; base-uri 'none'\">"


def no_scripts(page: str) -> str:
    """A feedback page that no browser will run a script from: a Content-Security-Policy first in <head>."""
    at = page.find("<head>")
    return page[: at + 6] + CSP + page[at + 6 :] if at >= 0 else CSP + page


def run_worker(index: int, worker: Path, settings: Settings, jobs, references: Path, results_dir: Path) -> list:
    """A pool process's work: take prepared submissions from the shared queue ``jobs`` until it is empty."""
    import queue

    _enter(worker)
    out = []
    while True:
        try:
            prepared = jobs.get_nowait()
        except queue.Empty:
            return out
        out.append(grade_one(worker, settings, prepared, references, results_dir))
