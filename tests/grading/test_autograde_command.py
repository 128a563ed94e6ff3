"""The instructor's grading command, ``python -m cnninstructor.autograde``, and its sandbox.

- parallel grading gives exactly the results of a sequential run (CSV and gradebook);
- A1 through the command: the solution earns every autograded point, the blank release none;
- the sandbox launcher hides the course, blocks the network, drops to an unprivileged user and
  limits memory, and fails closed (exit 97, a clear message) when it cannot isolate;
- the command refuses to run student code unsandboxed unless ``--no-sandbox`` is given.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import hostile_fixtures as hf
import pytest
from course import NOISY_PMF

# sandboxed grading runs stay on the hostile suite's worker, one at a time (--dist loadgroup)
pytestmark = [pytest.mark.grading, pytest.mark.hostile, pytest.mark.xdist_group("hostile")]

root_only = pytest.mark.skipif(os.geteuid() != 0, reason="the grading sandbox needs root (CI runs as root)")
A1 = "a1_convolution"
WRONG_SCALE = 'def scale(x, s):\n    """Scale."""\n    return np.asarray(x, dtype=float) + s'


def _sandboxed_python(folder: Path, code: str, policy: dict, as_user: int | None = None) -> subprocess.CompletedProcess:
    (folder / "policy.json").write_text(json.dumps(policy))
    work = folder / "work"
    work.mkdir(exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "cnninstructor.autograde.sandbox",
        "--policy",
        str(folder / "policy.json"),
        "--",
        sys.executable,
        "-I",
        "-c",
        code,
    ]
    if as_user is not None:
        cmd = ["setpriv", f"--reuid={as_user}", f"--regid={as_user}", "--clear-groups", *cmd]
    return subprocess.run(cmd, cwd=work, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def _policy(hidden: list[Path]) -> dict:
    import cnnlib

    lib = Path(cnnlib.__file__).resolve().parent
    keep = sorted({sys.prefix, sys.base_prefix, str(Path(os.path.realpath(sys.executable)).parents[1]), str(lib)})
    hidden = [*hidden, Path.home(), Path("/root")]
    return {"hidden": [str(h) for h in hidden], "read_only": keep, "read_write": [], "memory_bytes": 1 << 30}


@root_only
def test_sandbox_hides_the_course_blocks_network_and_limits_memory(tmp_path):
    secret = tmp_path / "course" / "solutions"
    secret.mkdir(parents=True)
    (secret / "answer.txt").write_text("42")
    code = (
        "import os, socket, resource\n"
        f"print('secret', os.path.exists({str(secret / 'answer.txt')!r}))\n"
        "print('uid', os.getuid())\n"
        "try:\n    socket.create_connection(('127.0.0.1', 22), timeout=2)\n    print('net', 'open')\n"
        "except OSError as exc:\n    print('net', 'blocked')\n"
        "print('as', resource.getrlimit(resource.RLIMIT_AS)[0])\n"
        "open('mine.txt', 'w').write('ok')\nprint('own', open('mine.txt').read())\n"
        "try:\n    open('/usr/planted', 'w')\n    print('usr', 'written')\nexcept OSError:\n    print('usr', 'denied')\n"
        "try:\n    bytearray(2 << 30)\n    print('memory', 'allocated')\nexcept MemoryError:\n    print('memory', 'limited')\n"
        "import cnnlib.grading\nprint('cnnlib', 'ok')\n"
    )
    done = _sandboxed_python(tmp_path, code, _policy([tmp_path / "course"]))
    assert done.returncode == 0, done.stderr
    out = dict(line.split(" ", 1) for line in done.stdout.splitlines())
    assert out == {
        "secret": "False",
        "uid": "62000",
        "net": "blocked",
        "as": str(1 << 30),
        "usr": "denied",
        "memory": "limited",
        "cnnlib": "ok",
        "own": "ok",  # its own working folder is writable ...
    }
    assert not (tmp_path / "work" / "mine.txt").exists()  # ... and nothing written there is kept


@root_only
def test_the_instructor_toolkit_is_invisible_to_a_sandboxed_kernel(tmp_path):
    from cnninstructor.autograde import workers

    settings = workers.Settings("toy", tmp_path / "course", tmp_path / "course" / "solutions", None)
    policy = _policy([])
    policy["hidden"] = workers._hidden_paths(settings, tmp_path / "scratch")  # what the grading command hides
    policy["read_only"] = workers._python_paths()
    code = "import cnnlib.grading\ntry:\n    import cnninstructor\n    print('toolkit', 'visible')\nexcept ImportError:\n    print('toolkit', 'hidden')"
    done = _sandboxed_python(tmp_path, code, policy)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "toolkit hidden"


@root_only
def test_libraries_under_a_private_0700_folder_are_reachable_and_nothing_else_is(tmp_path):
    """Issue 15: a course (and its environment) in a folder only its owner may enter, as home folders are."""
    private = tmp_path / "home" / "owner"
    package = private / "course" / "lib"
    package.mkdir(parents=True)
    (package / "course_module.py").write_text("VALUE = 'reached'\n")
    (private / "diary.txt").write_text("private")
    private.chmod(0o700)
    policy = _policy([])
    policy["read_only"] = [*policy["read_only"], str(package)]
    code = (
        f"import sys\nsys.path.insert(0, {str(package)!r})\nimport course_module\nprint('module', course_module.VALUE)\n"
        f"import os\nprint('diary', os.path.exists({str(private / 'diary.txt')!r}))"
    )
    done = _sandboxed_python(tmp_path, code, policy)
    assert done.returncode == 0, done.stderr
    assert dict(line.split(" ", 1) for line in done.stdout.splitlines()) == {"module": "reached", "diary": "False"}


@root_only
def test_memory_is_limited_across_the_whole_process_tree(tmp_path):
    """16 children of 120 MiB each stay under the 1 GiB per-process limit but not under the tree's cgroup."""
    from cnninstructor.autograde.sandbox import MemoryCgroup

    probe = MemoryCgroup.create(f"cnn-test-probe-{os.getpid()}", 1 << 30)
    if probe is None:
        pytest.skip("no memory cgroup can be created here (the README says the per-process limit then applies)")
    probe.remove()
    code = (
        "import os\nkids = []\nfor _ in range(16):\n    pid = os.fork()\n    if pid == 0:\n        try:\n"
        "            block = bytearray(120 << 20)\n            for i in range(0, len(block), 4096):\n"
        "                block[i] = 1\n            import time; time.sleep(5)\n        finally:\n"
        "            os._exit(0)\n    kids.append(pid)\n"
        "killed = sum(os.WIFSIGNALED(os.waitpid(p, 0)[1]) for p in kids)\nprint('killed', killed)"
    )
    policy = {**_policy([]), "cgroup_name": "cnn-test-tree"}
    done = _sandboxed_python(tmp_path, code, policy)
    assert "killed" in done.stdout or done.returncode == 98, (done.returncode, done.stdout, done.stderr)
    if "killed" in done.stdout:
        assert int(done.stdout.split()[-1]) > 0, "every child kept its 120 MiB: the tree was not limited"


@contextlib.contextmanager
def _reachable_by_other_users():
    """Let other users pass through the folders above this environment for the ``with`` block.

    The two tests below run the tools as an unprivileged user to see them refuse; from a checkout in a
    0700 folder (issue 15) that user could not even start Python, which is not what they test.
    """
    import cnninstructor
    import cnnlib

    changed = []
    for place in {Path(sys.prefix), Path(cnnlib.__file__).parent, Path(cnninstructor.__file__).parent}:
        for folder in [place, *place.parents]:
            mode = folder.stat().st_mode
            if not mode & 0o001:
                folder.chmod(mode | 0o001)
                changed.append((folder, mode))
    try:
        yield
    finally:
        for folder, mode in reversed(changed):
            folder.chmod(mode)


@root_only
def test_sandbox_fails_closed_when_it_cannot_isolate():
    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o755)  # readable by the unprivileged user the launcher is started as
        with _reachable_by_other_users():
            done = _sandboxed_python(Path(folder), "print('ran')", _policy([]), as_user=65534)
    assert done.returncode == 97
    assert "ran" not in done.stdout
    assert "cannot start the sandboxed kernel" in done.stderr


def test_command_refuses_unsandboxed_runs_without_the_escape_hatch(tmp_path):
    cmd = [sys.executable, "-m", "cnninstructor.autograde", "toy", "--course-dir", str(tmp_path)]
    if os.geteuid() == 0:
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
    with _reachable_by_other_users():
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL, cwd="/")
    assert done.returncode == 2
    assert "--no-sandbox" in done.stderr and "needs root" in done.stderr


def test_help_documents_the_escape_hatch():
    done = subprocess.run(
        [sys.executable, "-m", "cnninstructor.autograde", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    assert "--no-sandbox" in done.stdout and "--workers" in done.stdout


@root_only
def test_parallel_grading_matches_sequential(tmp_path):
    root = hf.make_course(tmp_path / "course")
    good = hf.solved(root)
    submissions = {
        "s_good": good,
        "s_blank": hf.released(root),
        "s_half": hf.with_cell(good, "scale", WRONG_SCALE),
        "s_dies": hf.with_inserted(good, "test_add", "import os\nos._exit(2)"),
        "s_broken": "{not json",
    }
    for student, nb in submissions.items():
        hf.submit(root, student, nb)
    results = {}
    for workers in (1, 2):
        done = hf.run_autograde(root, hf.TOY, "--workers", str(workers))
        assert done.returncode == 1, done.stdout + done.stderr  # 1: s_broken could not be graded
        results[workers] = hf.read_grades(root)
    assert results[1] == results[2]
    grades = results[2]
    assert {s: grades[s]["auto_score"] for s in submissions} == {
        "s_good": "5",
        "s_blank": "0",
        "s_half": "2",
        "s_dies": "5",
        "s_broken": "",
    }
    assert grades["s_broken"]["status"] == "could not be graded"


@root_only
def test_no_sandbox_escape_hatch_still_grades_and_warns(tmp_path):
    root = hf.make_course(tmp_path / "course")
    hf.submit(root, "alice", hf.solved(root))
    done = hf.run_autograde(root, hf.TOY, "--no-sandbox")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WITHOUT the sandbox" in done.stdout
    assert hf.read_grades(root)["alice"]["auto_score"] == "5"


@root_only
@pytest.mark.a1
@pytest.mark.skipif(not (hf.REPO / "solutions" / A1 / f"{A1}.ipynb").exists(), reason="assignment A1 not written yet")
def test_a1_through_the_command_solution_full_blank_zero(tmp_path):
    root = hf.make_course(tmp_path / "course", A1)
    hf.submit(root, "solution", hf.solved(root, A1), A1)
    hf.submit(root, "blank", hf.released(root, A1), A1)
    hf.submit(root, "noisy", hf.with_cell(hf.solved(root, A1), "pmf_of_sum", NOISY_PMF), A1)  # issue 16
    done = hf.run_autograde(root, A1, "--workers", "2")
    assert done.returncode == 0, done.stdout + done.stderr
    grades = hf.read_grades(root, A1)
    assert grades["solution"]["auto_score"] == grades["solution"]["auto_max"] != "0"
    assert grades["noisy"]["auto_score"] == grades["solution"]["auto_score"], grades["noisy"]
    assert grades["blank"]["auto_score"] == "0"
    for student in ("solution", "blank"):
        page = (root / "feedback" / student / A1 / f"{A1}.html").read_text()
        assert "BEGIN HIDDEN TESTS" not in page and "Traceback (most recent call last)" not in page
