"""Grading past one machine, on a real PostgreSQL server: shards sharing one gradebook.

- shards that open an empty PostgreSQL gradebook at the same moment (creating its tables, the course
  and the assignment) all succeed, and the assignment is there once;
- a small A1 class graded on one machine, then as two shards running at the same time (separate
  processes standing in for machines, each with its own copy of the course and its own scratch folder)
  gives the same scores, statuses and gradebook rows, and the same CSV once the parts are merged, with
  no student lost or counted twice.

The server is Debian's PostgreSQL, started by the test in a temporary folder (tests/grading/servers.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import hostile_fixtures as hf
import pytest
import servers

# sandboxed grading runs stay on the hostile suite's worker, one at a time (--dist loadgroup)
pytestmark = [pytest.mark.grading, pytest.mark.postgres, pytest.mark.xdist_group("hostile")]

root_only = pytest.mark.skipif(os.geteuid() != 0, reason="the grading sandbox needs root (CI runs as root)")
A1 = "a1_convolution"
MERGE = servers.SLURM_DEPLOY / "merge_grades.py"
COURSE_ID = "cnn-course"


@pytest.fixture(scope="module")
def postgres():
    servers.require(servers.missing_postgres(), "the shared-gradebook tests")
    with servers.Postgres() as server:
        yield server


def grading_command(root: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "cnninstructor.autograde", A1, "--course-dir", str(root), "--quiet", *extra]


def merge(parts: list[Path], out: Path, root: Path) -> None:
    cmd = [sys.executable, str(MERGE), "--out", str(out), "--submitted", str(root / "submitted"), "--assignment", A1]
    done = subprocess.run([*cmd, *map(str, parts)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


CONCURRENT_SETUP = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from nbgrader.coursedir import CourseDirectory
    from cnninstructor.autograde import cli

    url, template, ready, go = sys.argv[1:5]
    coursedir = CourseDirectory(db_url=url, course_id={course_id!r})
    Path(ready).touch()
    while not Path(go).exists():  # start together
        time.sleep(0.005)
    getattr(cli, {function!r})(coursedir, "toy", Path(template))
    """
)


def set_up_at_once(url: str, template: Path, folder: Path, function: str = "_ensure_assignment_in_gradebook"):
    """Run the command's gradebook set-up in four processes released at the same moment; return them."""
    code = CONCURRENT_SETUP.format(course_id=COURSE_ID, function=function)
    go, ready = folder / "go", [folder / f"ready{i}" for i in range(4)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, url, str(template), str(r), str(go)],
            env=hf.nbgrader_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for r in ready
    ]
    deadline = time.monotonic() + 300
    while not all(r.exists() for r in ready) and time.monotonic() < deadline:
        time.sleep(0.05)  # until every process has imported nbgrader and waits
    go.touch()
    return procs, [p.communicate(timeout=300)[0] for p in procs]


def test_shards_opening_an_empty_gradebook_at_once_all_succeed(postgres, tmp_path):
    # A scratch course's gradebook.db after generate_assignment is what the command copies the assignment from.
    template = hf.make_course(tmp_path / "toy")
    url = postgres.create_database("setup_race")
    procs, outputs = set_up_at_once(url, template, tmp_path)
    assert [p.returncode for p in procs] == [0, 0, 0, 0], "\n---\n".join(outputs)
    tables = postgres.sql("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", "setup_race")
    assert int(tables) > 10
    assert postgres.sql("SELECT count(*) FROM assignment", "setup_race").strip() == "1"
    assert postgres.sql("SELECT count(*) FROM alembic_version", "setup_race").strip() == "1"
    assert postgres.sql("SELECT id FROM course", "setup_race").split() == [COURSE_ID]


@root_only
@pytest.mark.a1
@pytest.mark.timeout(1200)
def test_two_shards_at_once_match_one_machine(postgres, tmp_path):
    base = tmp_path / "class"
    kinds = servers.small_a1_class(base)

    # One machine grades the whole class into gradebook "one".
    one = tmp_path / "one"
    shutil.copytree(base, one)
    one_url = postgres.create_database("one")
    servers.point_course_at(one, one_url)
    started = time.monotonic()
    done = subprocess.run(
        grading_command(one, "--workers", "2", "--scratch", str(tmp_path / "scratch-one")),
        env=hf.nbgrader_env(),
        capture_output=True,
        text=True,
        timeout=900,
        stdin=subprocess.DEVNULL,
    )
    one_seconds = time.monotonic() - started
    assert done.returncode == 1, done.stdout + done.stderr  # 1: the malformed notebook could not be graded

    # Two "machines", each with its own copy of the course, grade half the class each at the same time
    # into the empty gradebook "shards".
    shard_url = postgres.create_database("shards")
    # PATH as sudo sets it (no .venv/bin): nbgrader must still find alembic to create the new gradebook.
    sudo_env = {**hf.nbgrader_env(), "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
    procs, parts = [], []
    for k in (1, 2):
        machine = tmp_path / f"machine{k}"
        shutil.copytree(base, machine)
        servers.point_course_at(machine, shard_url)
        parts.append(machine / f"grades-{A1}-shard-{k}-of-2.csv")
        cmd = grading_command(machine, "--workers", "1", "--shard", f"{k}/2", "--export", str(parts[-1]))
        cmd += ["--scratch", str(tmp_path / f"scratch-{k}")]
        procs.append(subprocess.Popen(cmd, env=sudo_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    started = time.monotonic()
    outputs = [p.communicate(timeout=900)[0] for p in procs]
    shard_seconds = time.monotonic() - started
    # s06_malformed falls in shard 2 (students sorted by id, every second one): only that shard exits 1.
    assert [p.returncode for p in procs] == [0, 1], "\n---\n".join(outputs)
    print(f"one machine, 2 workers: {one_seconds:.1f} s; two shards of 1 worker at once: {shard_seconds:.1f} s")

    merged = tmp_path / "merged.csv"
    merge(parts, merged, base)
    assert merged.read_bytes() == (one / f"grades-{A1}.csv").read_bytes()

    grades = hf.read_grades(one, A1)
    servers.check_a1_grades(grades, kinds)

    snapshot_one = servers.gradebook_snapshot(one_url, COURSE_ID, A1)
    snapshot_shards = servers.gradebook_snapshot(shard_url, COURSE_ID, A1)
    assert snapshot_shards == snapshot_one
    graded = sorted(s for s, kind in kinds.items() if kind != "malformed")
    assert sorted(snapshot_one["students"]) == graded == snapshot_one["student_ids"]
    assert snapshot_one["rows"]["submitted_assignment"] == len(graded)
    assert snapshot_one["rows"]["assignment"] == 1 and snapshot_one["rows"]["course"] == 1

    # Each machine wrote its own students' autograded notebooks and feedback, and nobody else's.
    for k, machine in enumerate((tmp_path / "machine1", tmp_path / "machine2"), start=1):
        mine = [s for s in sorted(kinds)[k - 1 :: 2] if s in graded]
        assert sorted(p.name for p in (machine / "autograded").iterdir()) == mine
        assert sorted(p.name for p in (machine / "feedback").iterdir()) == mine
