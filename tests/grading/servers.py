"""Real servers for the multi-machine grading tests: a PostgreSQL gradebook and a one-node Slurm cluster.

Both come from Debian packages (``postgresql``; ``slurm-wlm``, which brings ``munge``) and are started
and stopped by the test that needs them, with every file (data, sockets, configuration, logs) in a
temporary folder of their own: nothing under /etc or /var is used, and no system service is touched.

- :class:`Postgres` runs ``initdb`` and ``pg_ctl`` from ``/usr/lib/postgresql/<version>/bin`` as an
  unprivileged user (PostgreSQL refuses to run as root; the package's ``postgres`` user when the tests
  run as root), listening only on a Unix socket in its folder, with trust authentication.
- :class:`Slurm` runs ``munged``, ``slurmctld`` and ``slurmd`` in the foreground (so they are stopped by
  the process id this module started), with a ``slurm.conf`` naming this machine as the only node.

:func:`require` skips a test whose binaries are missing, unless ``CNN_COURSE_REQUIRE_SERVERS`` is set
(CI sets it), in which case a missing binary fails the test instead of silently skipping it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

REQUIRE_ENV = "CNN_COURSE_REQUIRE_SERVERS"
SLURM_DEPLOY = Path(__file__).resolve().parents[2] / "lib" / "instructor" / "deploy" / "slurm"
CI_PACKAGES = "postgresql slurm-wlm"


def require(missing: list[str], what: str) -> None:
    """Skip (or, with ``CNN_COURSE_REQUIRE_SERVERS`` set, fail) when any of ``missing`` is absent."""
    if not missing:
        return
    reason = f"{what} needs {', '.join(missing)} (Debian: apt-get install -y {CI_PACKAGES})"
    if os.environ.get(REQUIRE_ENV):
        pytest.fail(f"{reason}; {REQUIRE_ENV} is set, so this is a failure, not a skip")
    pytest.skip(reason)


def postgres_bindir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` holding ``initdb``, else the folder of ``initdb`` on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def missing_postgres() -> list[str]:
    return [] if postgres_bindir() else ["PostgreSQL's initdb and pg_ctl"]


SLURM_PROGRAMS = ("munged", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo", "scontrol")


def _which(program: str) -> str | None:
    return shutil.which(program) or shutil.which(program, path="/usr/sbin:/sbin")


def missing_slurm() -> list[str]:
    return [p for p in SLURM_PROGRAMS if not _which(p)]


def _unprivileged() -> tuple[int, int]:
    """Who runs PostgreSQL: ourselves when not root, else the ``postgres`` user (or ``nobody``)."""
    if os.geteuid() != 0:
        return os.getuid(), os.getgid()
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            entry = pwd.getpwnam(name)
            return entry.pw_uid, entry.pw_gid
    raise RuntimeError("running as root, but there is neither a postgres nor a nobody user to run PostgreSQL as")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """A throw-away PostgreSQL server on a Unix socket; use as a context manager."""

    def __init__(self, user: str = "grader") -> None:
        self.user = user
        self.bindir = postgres_bindir()
        # A short folder of its own under /tmp: a Unix socket path must stay under 108 bytes.
        self.base = Path(tempfile.mkdtemp(prefix="cnn-pg-"))
        self.data = self.base / "data"
        self.port = 5432  # only names the socket file: the server listens on no TCP port
        self.uid, self.gid = _unprivileged()

    def _run(self, *cmd: str, timeout: float = 120) -> subprocess.CompletedProcess:
        as_user = {"user": self.uid, "group": self.gid, "extra_groups": []} if os.geteuid() == 0 else {}
        done = subprocess.run(
            [str(self.bindir / cmd[0]), *cmd[1:]],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.base,
            stdin=subprocess.DEVNULL,
            **as_user,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done

    def start(self) -> Postgres:
        os.chmod(self.base, 0o755)
        os.chown(self.base, self.uid, self.gid)
        self._run("initdb", "-D", str(self.data), "-U", self.user, "--auth=trust", "-E", "UTF8", "--no-sync")
        options = (
            f"-c listen_addresses='' -c unix_socket_directories={self.base} -c port={self.port} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.base / "server.log"), "-w", "-o", options, "start")
        return self

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", timeout=60)
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> Postgres:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of ``database`` (psycopg 3, SQLAlchemy 2.1's default PostgreSQL driver)."""
        return f"postgresql+psycopg://{self.user}@/{database}?host={self.base}&port={self.port}"

    def sql(self, statement: str, database: str = "postgres") -> str:
        """Run one statement with ``psql``; return its unaligned output."""
        return self._run(
            "psql", "-h", str(self.base), "-p", str(self.port), "-U", self.user, "-d", database,
            "-v", "ON_ERROR_STOP=1", "-At", "-c", statement,
        ).stdout  # fmt: skip

    def create_database(self, name: str) -> str:
        """Create an empty database ``name``; return its URL."""
        self.sql(f'CREATE DATABASE "{name}"')
        return self.url(name)


def point_course_at(course: Path, db_url: str) -> None:
    """Make a scratch course's nbgrader_config.py use ``db_url`` as its gradebook (what an instructor writes)."""
    with (course / "nbgrader_config.py").open("a") as fh:
        fh.write(f"\n# the shared gradebook of every grading machine\nc.CourseDirectory.db_url = {db_url!r}\n")


A1 = "a1_convolution"
SMALL_CLASS = ("correct", "correct", "mutant", "mutant", "blank", "malformed")


def small_a1_class(root: Path, kinds: tuple[str, ...] = SMALL_CLASS) -> dict[str, str]:
    """An A1 scratch course in ``root`` with one submission per entry of ``kinds``; return student -> kind.

    Students are named ``s01_<kind>``, ``s02_<kind>``, ... so their order (and so their shard) is fixed;
    the n-th mutant is A1's n-th mutant from tests/grading/mutants.
    """
    import course
    import hostile_fixtures as hf

    hf.make_course(root, A1)
    good = hf.solved(root, A1)
    mutants = iter(course.load_mutants(A1))
    students = {}
    for i, kind in enumerate(kinds, start=1):
        if kind == "correct":
            nb = good
        elif kind == "mutant":
            mutant = next(mutants)
            nb = hf.with_cell(good, mutant["cell"], mutant["source"])
        elif kind == "blank":
            nb = hf.released(root, A1)
        elif kind == "malformed":
            nb = '{"cells": ['
        else:
            raise ValueError(kind)
        student = f"s{i:02d}_{kind}"
        hf.submit(root, student, nb, A1)
        students[student] = kind
    return students


def check_a1_grades(grades: dict[str, dict], kinds: dict[str, str]) -> None:
    """Assert each student's CSV row fits their kind: full marks, partial, zero, or could not be graded."""
    assert sorted(grades) == sorted(kinds)
    for student, kind in kinds.items():
        row = grades[student]
        if kind == "malformed":
            assert row["status"] == "could not be graded" and row["auto_score"] == "", row
        elif kind == "correct":
            assert row["auto_score"] == row["auto_max"] != "0", row
        elif kind == "mutant":
            assert 0 < float(row["auto_score"]) < float(row["auto_max"]), row
        else:
            assert row["auto_score"] == "0", row


def gradebook_snapshot(db_url: str, course_id: str, assignment: str) -> dict:
    """Everything the grading put in a gradebook, free of row ids and times, to compare two gradebooks.

    ``rows`` counts each table's rows (a lost or duplicated row changes it); ``students`` maps each
    submission to its notebooks' flag and every grade and comment.
    """
    from nbgrader.api import Base, Gradebook
    from sqlalchemy import func, select

    with Gradebook(db_url, course_id) as gb:
        rows = {name: gb.db.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in sorted(Base.metadata.tables.items())}  # fmt: skip
        students = {}
        for sub in gb.assignment_submissions(assignment):
            students[sub.student.id] = {
                nb.name: {
                    "flagged": bool(nb.flagged),
                    "grades": sorted(
                        (g.name, g.auto_score, g.manual_score, bool(g.needs_manual_grade), g.max_score)
                        for g in nb.grades
                    ),
                    "comments": sorted((c.name, c.auto_comment or "") for c in nb.comments),
                }
                for nb in sub.notebooks
            }
        return {"rows": rows, "students": students, "student_ids": sorted(s.id for s in gb.students)}


class Slurm:
    """A one-node Slurm cluster (munged, slurmctld, slurmd, all as root) for the duration of a ``with`` block.

    Its jobs run as root, since the grading sandbox needs root. ``env`` is the environment in which to run
    ``sbatch``, ``squeue`` and ``scontrol`` against it.
    """

    def __init__(self, cpus: int | None = None) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="cnn-slurm-"))
        self.cpus = cpus or os.cpu_count() or 1
        self.node = socket.gethostname().split(".")[0]
        self.conf = self.base / "slurm.conf"
        self.munge_socket = self.base / "munge" / "munge.socket"
        self.procs: list[subprocess.Popen] = []
        self.env = {**os.environ, "SLURM_CONF": str(self.conf)}

    def _write_config(self) -> None:
        key_dir, sock_dir = self.base / "munge-key", self.base / "munge"
        key_dir.mkdir(mode=0o700)
        sock_dir.mkdir(mode=0o755)
        key = key_dir / "munge.key"
        key.write_bytes(secrets.token_bytes(1024))
        key.chmod(0o400)
        for sub in ("state", "spool"):
            (self.base / sub).mkdir()
        self.conf.write_text(
            f"""# A one-node cluster for the grading tests (tests/grading/servers.py); everything lives in {self.base}
ClusterName=cnntest
SlurmctldHost={self.node}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort={_free_port()}
SlurmdPort={_free_port()}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={self.munge_socket}
StateSaveLocation={self.base / "state"}
SlurmdSpoolDir={self.base / "spool"}
SlurmctldPidFile={self.base / "slurmctld.pid"}
SlurmdPidFile={self.base / "slurmd.pid"}
SlurmctldLogFile={self.base / "slurmctld.log"}
SlurmdLogFile={self.base / "slurmd.log"}
SlurmdParameters=config_overrides
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
MinJobAge=3600
NodeName={self.node} NodeAddr=127.0.0.1 CPUs={self.cpus} State=UNKNOWN
PartitionName=grading Nodes=ALL Default=YES MaxTime=INFINITE State=UP
"""
        )

    def _daemon(self, *cmd: str, log: str) -> None:
        out = (self.base / log).open("w")
        self.procs.append(
            subprocess.Popen([_which(cmd[0]), *cmd[1:]], stdout=out, stderr=subprocess.STDOUT, env=self.env)
        )

    def command(self, *cmd: str, timeout: float = 60) -> str:
        """Run a Slurm client command against this cluster; return its output (fail on a non-zero exit)."""
        done = subprocess.run([_which(cmd[0]), *cmd[1:]], capture_output=True, text=True, timeout=timeout, env=self.env)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def start(self, timeout: float = 60) -> Slurm:
        os.chmod(self.base, 0o755)
        self._write_config()
        self._daemon(
            "munged", "--foreground", "--force", f"--key-file={self.base / 'munge-key' / 'munge.key'}",
            f"--socket={self.munge_socket}", f"--pid-file={self.base / 'munged.pid'}",
            f"--seed-file={self.base / 'munged.seed'}", f"--log-file={self.base / 'munged.log'}",
            log="munged.out",
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while not self.munge_socket.exists():
            self._check_alive(deadline)
        self._daemon("slurmctld", "-D", "-i", "-f", str(self.conf), log="slurmctld.out")
        self._daemon("slurmd", "-D", "-f", str(self.conf), log="slurmd.out")
        while True:  # until the node reports for work
            self._check_alive(deadline)
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                state = self.command("sinfo", "-h", "-N", "-o", "%T", timeout=10).split()
                if state and state[0] in ("idle", "mixed", "allocated"):
                    return self

    def _check_alive(self, deadline: float) -> None:
        time.sleep(0.3)
        dead = [p for p in self.procs if p.poll() is not None]
        if dead or time.monotonic() > deadline:
            raise RuntimeError(f"the test Slurm cluster did not start:\n{self.logs()}")

    def logs(self) -> str:
        parts = []
        for log in sorted(self.base.glob("*.log")) + sorted(self.base.glob("*.out")):
            parts.append(f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-30:]))
        return "\n".join(parts)

    def wait_idle(self, timeout: float) -> None:
        """Wait until no job is pending or running."""
        deadline = time.monotonic() + timeout
        while self.command("squeue", "-h", "-o", "%i").strip():
            if time.monotonic() > deadline:
                raise TimeoutError(f"Slurm jobs still queued after {timeout:.0f} s:\n{self.command('squeue')}")
            time.sleep(2)

    def job_states(self) -> dict[str, tuple[str, str]]:
        """Job id (``<array>_<task>`` for array tasks) -> (state, exit code), for every job the cluster remembers."""
        states = {}
        for block in self.command("scontrol", "show", "job", "-o").splitlines():
            fields = dict(f.split("=", 1) for f in block.split() if "=" in f)
            job = fields["JobId"]
            if "ArrayJobId" in fields:
                job = f"{fields['ArrayJobId']}_{fields['ArrayTaskId']}"
            states[job] = (fields["JobState"], fields["ExitCode"])
        return states

    def stop(self) -> None:
        for proc in reversed(self.procs):  # slurmd, slurmctld, then munged: only the processes started here
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> Slurm:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()
