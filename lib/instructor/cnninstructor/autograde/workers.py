"""Grading workers: each is a private scratch copy of the course where nbgrader runs unchanged.

A worker folder holds the assignment's source, its own ``gradebook.db`` (so parallel workers
never share an SQLite file), a ``nbgrader_config.py`` that loads the course's own configuration
and then points nbgrader at the worker folder, swaps ``Execute`` for
:class:`~cnninstructor.autograde.execute.GuardedExecute`, and names the worker's sandboxed kernel spec.
Students are graded in small batches with the ordinary ``nbgrader autograde`` and
``nbgrader generate_feedback`` commands; results are read back from the worker's gradebook.
Every student gets a fresh kernel, so results do not depend on which worker or batch graded them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from cnninstructor.autograde.execute import REPORT_ENV
from cnninstructor.autograde.sandbox import SANDBOX_FAILED, Policy

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
    wall_per_cell: float = 240.0
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
    log_tail: str = ""
    autograded_dir: Path | None = None
    feedback_dir: Path | None = None


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot start a kernel on this machine."""


class GradingMisconfigured(RuntimeError):
    """nbgrader did not run the guarded pipeline (its configuration failed to load): nothing is trusted."""


def nbgrader_env(worker: Path) -> dict[str, str]:
    """The environment for nbgrader in a worker folder: this Python first on PATH, Jupyter paths inside ``worker``."""
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    env["JUPYTER_PATH"] = str(worker / "jupyter")
    env["JUPYTER_RUNTIME_DIR"] = str(worker / "runtime")
    env["JUPYTER_CONFIG_DIR"] = str(worker / "jupyter-config")
    env[REPORT_ENV] = str(worker / "reports")
    env.pop("JUPYTER_DATA_DIR", None)
    return env


def _python_paths() -> list[str]:
    """Folders the kernel needs to read: the environment, its base Python, and cnnlib's source."""
    import cnnlib

    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(Path(os.path.realpath(sys.executable)).parent.parent)}
    paths.add(str(Path(cnnlib.__file__).resolve().parent))  # cnnlib alone: never the instructor toolkit
    data = os.environ.get("CNN_COURSE_DATA")
    if data and Path(data).is_dir():
        paths.add(str(Path(data).resolve()))
    return sorted(paths)


def _hidden_paths(settings: Settings, scratch: Path) -> list[str]:
    import cnnlib

    hidden = {str(settings.course_root), str(scratch), str(Path.home()), "/root"}
    repo = Path(cnnlib.__file__).resolve().parent.parent.parent
    if (repo / "nbgrader_config.py").exists() or (repo / ".git").exists():
        hidden.add(str(repo))
    hidden.update(settings.hidden)
    return sorted(hidden)


def write_worker(worker: Path, index: int, settings: Settings, scratch: Path) -> None:
    """Create worker folder ``worker`` (config, kernel spec, sandbox policy, folders)."""
    for sub in ("jupyter/kernels/" + KERNEL_NAME, "runtime", "ipc", "reports", "jupyter-config"):
        (worker / sub).mkdir(parents=True, exist_ok=True)
    uid = BASE_UID + index
    if settings.sandbox:
        os.chown(worker / "ipc", uid, uid)
    policy = Policy(
        isolate=settings.sandbox,
        uid=uid,
        gid=uid,
        hidden=_hidden_paths(settings, scratch),
        read_only=_python_paths(),
        read_write=[str(worker / "ipc")],
        memory_bytes=settings.memory_bytes,
        cpu_seconds=int(max(600, settings.cpu_per_cell * 20)),
        threads=settings.threads,
    )
    policy.save(worker / "policy.json")
    spec = {
        "argv": sandboxed_python(
            worker, "-m", "ipykernel_launcher", "-f", "{connection_file}", "--HistoryManager.hist_file=:memory:"
        ),
        "display_name": "Python 3 (autograde sandbox)",
        "language": "python",
        "interrupt_mode": "signal",
    }
    (worker / "jupyter/kernels" / KERNEL_NAME / "kernel.json").write_text(json.dumps(spec, indent=1))
    course_config = f"load_subconfig({str(settings.course_config)!r})\n" if settings.course_config else ""
    gib = settings.memory_bytes / (1 << 30)
    memory_text = f" ({gib:g} GiB)" if settings.memory_bytes > 0 else ""
    (worker / "nbgrader_config.py").write_text(
        f"""# Written by python -m cnninstructor.autograde for one grading worker; not for editing.
from nbgrader.converters.autograde import Autograde
from nbgrader.preprocessors import Execute
from cnninstructor.autograde.execute import GuardedExecute

c = get_config()
{course_config}
c.CourseDirectory.root = {str(worker)!r}
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = {"sqlite:///" + str(worker / "gradebook.db")!r}
c.KernelManager.transport = "ipc"
c.KernelManager.ip = {str(worker / "ipc" / "kernel")!r}
c.Execute.kernel_name = {KERNEL_NAME!r}
c.Execute.timeout = {int(settings.wall_per_cell)}
c.Execute.interrupt_on_timeout = True
c.Autograde.autograde_preprocessors = [
    GuardedExecute if p is Execute else p for p in Autograde.class_traits()["autograde_preprocessors"].default()
]
# cnninstructor.feedback.HideTestTracebacks is a plain nbconvert Preprocessor (disabled unless enabled).
c.HideTestTracebacks.enabled = True
c.GuardedExecute.cpu_per_cell = {float(settings.cpu_per_cell)!r}
c.GuardedExecute.memory_limit_text = {memory_text!r}
"""
    )
    dest = worker / "source" / settings.assignment
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(settings.source_dir, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))


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


def run_nbgrader(worker: Path, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess:
    """Run ``nbgrader *args`` in ``worker`` with ``nbgrader_env``, capturing its output as text."""
    cmd = [sys.executable, "-m", "nbgrader", *args]
    return subprocess.run(
        cmd,
        cwd=worker,
        env=nbgrader_env(worker),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def generate_template(worker: Path, assignment: str) -> None:
    """Release the assignment inside a worker folder (fills its gradebook with the assignment's cells)."""
    done = run_nbgrader(worker, "generate_assignment", assignment, "--force")
    if done.returncode != 0:
        raise RuntimeError(f"nbgrader generate_assignment failed in {worker}:\n{done.stdout}\n{done.stderr}")


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


def _clear_students(worker: Path, assignment: str, everything: bool = False) -> None:
    for sub in ("submitted", "autograded", "feedback") if everything else ("submitted",):
        folder = worker / sub
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
    for report in (worker / "reports").glob("*.json"):
        report.unlink()


def _write_submission(worker: Path, assignment: str, prepared) -> None:
    folder = worker / "submitted" / prepared.student / assignment
    folder.mkdir(parents=True)
    for name, nb in prepared.notebooks.items():
        (folder / f"{name}.ipynb").write_text(json.dumps(nb))
    if prepared.timestamp:
        (folder / "timestamp.txt").write_text(prepared.timestamp)


def _read_results(worker: Path, assignment: str, student: str, notebooks: list[str]) -> tuple[list, list]:
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


def _log_tail(done: subprocess.CompletedProcess, student: str | None = None, lines: int = 12) -> str:
    text = (done.stdout or "") + (done.stderr or "")
    rows = [r for r in text.splitlines() if "ERROR" in r or "Error" in r or "error" in r]
    if student:
        rows = [r for r in rows if student in r] or rows
    return "\n".join(rows[-lines:])


def grade_batch(worker: Path, settings: Settings, batch: list, results_dir: Path) -> list[Graded]:
    """Autograde ``batch`` (prepared submissions) in ``worker``; copy outputs under ``results_dir``."""
    assignment = settings.assignment
    _clear_students(worker, assignment)
    for prepared in batch:
        _write_submission(worker, assignment, prepared)
    done = run_nbgrader(worker, "autograde", assignment, "--force")
    text = (done.stdout or "") + (done.stderr or "")
    logs = worker / "logs"
    logs.mkdir(exist_ok=True)
    (logs / f"autograde-{batch[0].student}.log").write_text(text)
    if "cannot start the sandboxed kernel" in text:
        raise SandboxUnavailable(_log_tail(done) or "the sandboxed kernel did not start")
    if "Exception while loading config file" in text:
        raise GradingMisconfigured(f"nbgrader could not load the worker configuration; see {logs}")
    if done.returncode != 0 and len(batch) > 1:
        # Isolate whoever broke the batch so each student gets their own log and nobody else is affected.
        out = []
        for prepared in batch:
            out.extend(grade_batch(worker, settings, [prepared], results_dir))
        return out
    results = []
    for prepared in batch:
        student = prepared.student
        names = sorted(prepared.notebooks)
        graded_dir = worker / "autograded" / student / assignment
        if not all((graded_dir / f"{n}.ipynb").exists() for n in names):
            results.append(Graded(student, False, "nbgrader could not autograde it", log_tail=_log_tail(done, student)))
            continue
        grades, comments = _read_results(worker, assignment, student, names)
        events = []
        for name in names:
            report = worker / "reports" / f"{student}__{name}.json"
            if not report.exists():
                raise GradingMisconfigured(f"{student}/{name} was executed without the guarded executor")
            events.extend(json.loads(report.read_text())["events"])
        keep = results_dir / student
        if keep.exists():
            shutil.rmtree(keep)
        shutil.copytree(graded_dir, keep / "autograded")
        results.append(
            Graded(student, True, grades=grades, comments=comments, events=events, autograded_dir=keep / "autograded")
        )
    return results


def generate_feedback(worker: Path, assignment: str, graded: list[Graded], results_dir: Path) -> None:
    """Generate feedback for every student this worker graded (one nbgrader call) and keep it."""
    if not graded:
        return
    done = run_nbgrader(worker, "generate_feedback", assignment, "--force")
    (worker / "logs" / "generate_feedback.log").write_text((done.stdout or "") + (done.stderr or ""))
    for g in graded:
        folder = worker / "feedback" / g.student / assignment
        if folder.exists():
            keep = results_dir / g.student / "feedback"
            if keep.exists():
                shutil.rmtree(keep)
            shutil.copytree(folder, keep)
            g.feedback_dir = keep
        elif g.ok:
            g.log_tail = "no feedback was generated: " + _log_tail(done, g.student)
