#!/usr/bin/env python3
"""Set up (and take down) one class of the CNN course on one JupyterHub. Run as root.

    setup_hub.py install                 # the proxy: npm ci here (configurable-http-proxy, package-lock.json)
    setup_hub.py create [--course-source DIR] [--share-python]
    setup_hub.py grade ASSIGNMENT [GRADING OPTIONS...]
    setup_hub.py remove --yes

`create` makes the class's system users (the instructor and the students, each with a private home),
the class's folder CNN_HUB_STATE with the hub's private folder and nbgrader's shared exchange, and
copies the course into the instructor's home (only if it is not there yet). It then checks, as each
user, that the course's Python environment runs for them, because every user's JupyterLab and kernel
run in it. Where that Python was built under a private folder (pyenv under /root, as on the course's
CI machine), --share-python makes the folders on the way to it traversable (chmod o+x, no listing);
`remove` restores them. A real server keeps the environment where everyone can run it (/opt) instead.

`grade` runs the course's grading command on the instructor's course, as root (its sandbox needs
root), then gives the files it wrote back to the instructor, so the formgrader can go on using them.

`remove` stops whatever the class's users still run, deletes them with their homes, and deletes
CNN_HUB_STATE. It is for test and demonstration classes: it deletes students' work.

Who and where come from the environment, as for jupyterhub_config.py (see hub_settings.py).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pwd
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hub_settings import HERE, HubSettings  # noqa: E402

# What is not copied into the instructor's course: environments, caches, build products, students' work.
NOT_COURSE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "node_modules",
    "_site",
    "test-artifacts",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    ".ipynb_checkpoints",
    "*.egg-info",
    "gradebook.db",
    "submitted",
    "autograded",
    "feedback",
    "exchange",
    "grades*.csv",
    "data",
)
# What each user's Python must find: the hub's single-user server, JupyterLab, nbgrader, the course library.
IMPORT_CHECK = (
    "import importlib.util, cnnlib\n"
    "missing = [m for m in ('jupyterhub', 'jupyterlab', 'nbgrader') if importlib.util.find_spec(m) is None]\n"
    "assert not missing, f'cannot import {missing}'"
)
# What the grading command writes in the course folder (given back to the instructor afterwards).
GRADED = ("gradebook.db", "autograded", "feedback")
SHARED_RECORD = "shared-python-paths.json"
# nbgrader's exchange finds a student's feedback by the hash of the secret that `submit` wrote next to the
# notebook (submission_secret.txt), and release_feedback reads both that file and timestamp.txt beside
# each feedback page. Plain nbgrader copies them from submitted/ to autograded/ to feedback/; the
# course's grading command keeps only the notebooks and pages, so `grade` copies the two small files
# where they are missing. Run as the instructor (never root) in the instructor's own course folder.
CARRY_EXCHANGE_FILES = r"""
import os, sys
from pathlib import Path
course, assignment = Path(sys.argv[1]), sys.argv[2]
copied = 0
for submitted in sorted((course / "submitted").glob(f"*/{assignment}")):
    student = submitted.parent.name
    for kind in ("autograded", "feedback"):
        dest = course / kind / student / assignment
        if submitted.is_symlink() or dest.is_symlink() or not dest.is_dir():
            continue
        for name in ("timestamp.txt", "submission_secret.txt"):
            source, target = submitted / name, dest / name
            if target.exists() or source.is_symlink() or not source.is_file() or source.stat().st_size > 4096:
                continue
            target.write_bytes(source.read_bytes())
            copied += 1
print(f"setup_hub: copied {copied} nbgrader exchange file(s) (timestamp, submission secret) next to the feedback")
"""


def say(message: str) -> None:
    print(f"setup_hub: {message}", flush=True)


def fail(message: str) -> None:
    print(f"setup_hub: {message}", file=sys.stderr, flush=True)
    raise SystemExit(2)


def user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def chown_tree(path: Path, uid: int, gid: int) -> None:
    os.chown(path, uid, gid, follow_symlinks=False)
    if path.is_dir() and not path.is_symlink():
        for root, dirs, files in os.walk(path):
            for name in dirs + files:
                os.chown(os.path.join(root, name), uid, gid, follow_symlinks=False)


def run_as(user: str, *command: str) -> subprocess.CompletedProcess:
    """Run ``command`` as ``user`` (a real log-in's uid, gid and groups, as the hub's spawner sets them)."""
    return subprocess.run(
        ["runuser", "-u", user, "--", *command],
        capture_output=True,
        text=True,
        cwd="/",
        stdin=subprocess.DEVNULL,
        timeout=300,
    )


# ----------------------------------------------------------------------------- create


def create_folders(hub: HubSettings) -> None:
    hub.state.mkdir(parents=True, exist_ok=True)
    os.chmod(hub.state, 0o755)
    hub.hub_dir.mkdir(exist_ok=True)
    os.chmod(hub.hub_dir, 0o700)
    hub.exchange.mkdir(exist_ok=True)
    # nbgrader's exchange must be writable by all; the sticky bit keeps users from deleting each
    # other's folders. nbgrader itself makes <course>/inbound write-only and <course>/outbound read-only.
    os.chmod(hub.exchange, 0o1777)
    say(f"class folder {hub.state} (exchange {hub.exchange})")


def create_user(hub: HubSettings, name: str) -> None:
    if user_exists(name):
        say(f"user {name} exists, kept")
    else:
        hub.home_base.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                "useradd",
                "--create-home",
                "--home-dir",
                str(hub.home_base / name),
                "--user-group",
                "--shell",
                "/bin/bash",
                name,
            ],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            fail(f"useradd {name} failed: {done.stderr.strip()}")
        say(f"user {name} created ({hub.role(name)}), home {hub.home(name)}")
    account = pwd.getpwnam(name)
    home = Path(account.pw_dir)
    home.mkdir(parents=True, exist_ok=True)
    os.chown(home, account.pw_uid, account.pw_gid)
    os.chmod(home, 0o700)  # students' work is their own; the instructor's home holds the solutions
    tmp = hub.tmp_dir(name)
    tmp.mkdir(parents=True, exist_ok=True)
    for folder in (tmp.parent, tmp):
        os.chown(folder, account.pw_uid, account.pw_gid)
    os.chmod(tmp, 0o700)


def traverse_path(hub: HubSettings) -> list[Path]:
    """Every folder a user must pass through to run the environment's Python and read the hub's config."""
    targets = {
        Path(os.path.realpath(hub.python)),
        hub.python_env,
        Path(os.path.realpath(sys.base_prefix)),
        HERE,
    }
    try:
        import cnnlib

        targets.add(Path(cnnlib.__file__).resolve().parent)
    except ImportError:
        pass
    folders: set[Path] = set()
    for target in targets:
        folders.update(p for p in target.parents if p != Path("/"))
        if target.is_dir():
            folders.add(target)
    return sorted(folders)


def share_python(hub: HubSettings) -> None:
    record = hub.state / SHARED_RECORD
    changed = json.loads(record.read_text()) if record.exists() else {}
    for folder in traverse_path(hub):
        mode = folder.stat().st_mode
        if not mode & stat.S_IXOTH:
            changed.setdefault(str(folder), stat.S_IMODE(mode))
            os.chmod(folder, stat.S_IMODE(mode) | stat.S_IXOTH)
            say(f"made {folder} traversable for all users (chmod o+x; `remove` restores it)")
    record.write_text(json.dumps(changed, indent=1))


def check_python(hub: HubSettings, share: bool) -> None:
    problems = {}
    for name in hub.users:
        done = run_as(name, str(hub.python), "-c", IMPORT_CHECK)
        if done.returncode != 0:
            problems[name] = (done.stderr or done.stdout).strip().splitlines()[-1:]
    if problems and share:
        share_python(hub)
        return check_python(hub, share=False)
    if problems:
        fail(
            f"the class's users cannot run {hub.python} with the course's packages ({problems}). Install the "
            "course's environment where every user can read it (e.g. /opt), or rerun with --share-python."
        )
    say(f"every user runs {hub.python} with jupyterhub, nbgrader and cnnlib")


def install_course(hub: HubSettings, source: Path | None) -> None:
    course = hub.course_dir
    if course.exists():
        say(f"course {course} exists, kept")
        return
    if source is None:
        say(f"no course at {course}: clone it there as {hub.instructor}, or rerun with --course-source")
        return
    if not (source / "nbgrader_config.py").exists():
        fail(f"{source} is not the course (no nbgrader_config.py)")
    shutil.copytree(source, course, ignore=NOT_COURSE, symlinks=True)
    account = pwd.getpwnam(hub.instructor)
    chown_tree(course, account.pw_uid, account.pw_gid)
    say(f"course copied from {source} to {course}")


def create(hub: HubSettings, args: argparse.Namespace) -> None:
    if not hub.students:
        fail("CNN_HUB_STUDENTS names no student")
    create_folders(hub)
    for name in hub.users:
        create_user(hub, name)
    check_python(hub, args.share_python)
    install_course(hub, args.course_source.resolve() if args.course_source else None)
    say(f"done: start the hub with  {hub.bin_dir / 'jupyterhub'} -f {HERE / 'jupyterhub_config.py'}")


# ----------------------------------------------------------------------------- grade


def grade(hub: HubSettings, args: argparse.Namespace) -> int:
    course = hub.course_dir
    account = pwd.getpwnam(hub.instructor)
    if course.is_symlink() or not (course / "nbgrader_config.py").is_file() or course.stat().st_uid != account.pw_uid:
        fail(f"no course of {hub.instructor} at {course}")
    command = [str(hub.python), "-m", "cnninstructor.autograde", args.assignment, *args.options]
    say(f"in {course}: {' '.join(command)}")
    done = subprocess.run(command, cwd=course, stdin=subprocess.DEVNULL)
    written = [course / name for name in GRADED] + sorted(course.glob("grades*.csv"))
    for path in written:
        if path.exists() or path.is_symlink():
            chown_tree(path, account.pw_uid, account.pw_gid)
    say(f"grading command exited with {done.returncode}; its files belong to {hub.instructor} again")
    carried = subprocess.run(
        [str(hub.python), "-I", "-c", CARRY_EXCHANGE_FILES, str(course), args.assignment],
        user=account.pw_uid,
        group=account.pw_gid,
        extra_groups=[],
        capture_output=True,
        text=True,
        cwd="/",
        stdin=subprocess.DEVNULL,
    )
    print(carried.stdout + carried.stderr, end="", flush=True)
    return done.returncode or carried.returncode


# ----------------------------------------------------------------------------- remove


def stop_processes(uid: int) -> None:
    """SIGTERM, then SIGKILL, each process still running as ``uid`` (a class user about to be deleted)."""
    for signum in (signal.SIGTERM, signal.SIGKILL):
        pids = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _owner(p) == uid]
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)
        time.sleep(2)


def _owner(proc: Path) -> int | None:
    try:
        return proc.stat().st_uid
    except OSError:
        return None


def remove(hub: HubSettings, args: argparse.Namespace) -> None:
    if not args.yes:
        fail(f"remove deletes the users {', '.join(hub.users)}, their homes and {hub.state}: pass --yes")
    for name in hub.users:
        if not user_exists(name):
            continue
        stop_processes(pwd.getpwnam(name).pw_uid)
        done = subprocess.run(["userdel", "--remove", name], capture_output=True, text=True)
        if done.returncode != 0 and user_exists(name):
            fail(f"userdel {name} failed: {done.stderr.strip()}")
        say(f"user {name} and its home removed")
    record = hub.state / SHARED_RECORD
    if record.exists():
        for folder, mode in json.loads(record.read_text()).items():
            if Path(folder).exists():
                os.chmod(folder, mode)
                say(f"restored the mode of {folder} ({mode:o})")
    shutil.rmtree(hub.state, ignore_errors=True)
    say(f"removed {hub.state}")


# ----------------------------------------------------------------------------- install


def install(hub: HubSettings, args: argparse.Namespace) -> None:
    npm = shutil.which("npm")
    if npm is None:
        fail("npm not found: install Node.js 20.19+ and npm (Debian: apt-get install -y nodejs npm)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--prefix", str(HERE)], check=True)
    say(f"configurable-http-proxy installed under {HERE / 'node_modules'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="setup_hub.py", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("install", help="install configurable-http-proxy here with npm ci")
    make = commands.add_parser("create", help="create the class's users and folders")
    make.add_argument("--course-source", type=Path, help="copy the course from here into the instructor's home")
    make.add_argument(
        "--share-python", action="store_true", help="chmod o+x the folders on the way to the course's Python"
    )
    marking = commands.add_parser("grade", help="run the course's grading command on the instructor's course")
    marking.add_argument("assignment")
    marking.add_argument("options", nargs=argparse.REMAINDER, help="passed to python -m cnninstructor.autograde")
    drop = commands.add_parser("remove", help="delete the class's users, homes and folder")
    drop.add_argument("--yes", action="store_true", help="really delete them")
    args = parser.parse_args(argv)
    hub = HubSettings.from_environment()
    if args.command != "install" and os.geteuid() != 0:
        fail("run as root: it creates system users (and the grading sandbox needs root)")
    if args.command == "grade":
        return grade(hub, args)
    {"install": install, "create": create, "remove": remove}[args.command](hub, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
