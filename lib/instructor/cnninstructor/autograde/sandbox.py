"""Start one Jupyter kernel inside a sandbox (Linux namespaces, an unprivileged user, resource limits).

The grading command writes a kernel spec whose ``argv`` is::

    python -m cnninstructor.autograde.sandbox --policy POLICY.json -- python -I -m ipykernel_launcher -f {connection_file}

so every kernel nbgrader starts for a student runs through :func:`launch`. The launcher runs
as root (the grader) and, before it starts the kernel:

* enters new mount, network, PID, IPC and UTS namespaces (``unshare(2)``): the kernel has no
  network at all (only a loopback that is down), sees only its own processes, and sees the
  filesystem through the mounts below;
* mounts an empty read-only tmpfs over every *hidden* path (the course folder with
  ``solutions/``, the gradebook and every student's folder; the grader's scratch folders under
  ``/tmp``; ``/root``; the instructor toolkit; and every folder above a bound path that other
  users may not enter, such as a 0700 home), then binds back only what the kernel needs: the
  Python environment and ``lib/cnnlib`` read-only, the kernel's own empty working folder
  read-write, and the folder holding the kernel's sockets;
* gives it a private, size-capped ``/tmp`` and ``/dev/shm`` that vanish with the kernel;
* drops to an unprivileged user id (one per worker, so concurrent kernels cannot signal each
  other or share process limits) with ``no_new_privs`` set;
* puts the kernel's whole process tree in its own memory cgroup (v2 where the machine has it, the
  v1 memory controller otherwise; where neither can be used, only the per-process limit below
  applies) and exits with status 98 when the tree was killed at that limit;
* sets resource limits: address space per process, CPU seconds (a backstop; the per-cell and
  per-notebook budgets are enforced by the grader), number of processes, file size, no core dumps.

``--no-isolation`` (the ``--no-sandbox`` escape hatch of the grading command) keeps only the
resource limits (and the cgroup). If any isolation step fails the launcher exits with status 97 and says why:
it never starts an unsandboxed kernel silently.

The launcher stays as the kernel's parent (PID namespaces need a parent outside), forwards
SIGINT/SIGTERM/SIGHUP to it and exits with the kernel's status (``128 + signal`` when the kernel
was killed by a signal), so the grader can tell *how* a kernel died.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import ctypes.util
import json
import os
import resource
import shutil
import signal
import stat
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cnninstructor.autograde.protocol import MEMORY_KILLED, SANDBOX_FAILED

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18

PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38

PRIVATE_HOME = Path("/tmp/home")
ENV_KEEP = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "CNN_COURSE_FAST", "CNN_COURSE_DATA", "TZ", "PYTHONHASHSEED")


@dataclass
class Policy:
    """What one worker's kernels may see and use (written as JSON next to the kernel spec)."""

    isolate: bool = True
    uid: int = 62000
    gid: int = 62000
    hidden: list[str] = field(default_factory=list)
    read_only: list[str] = field(default_factory=list)
    read_write: list[str] = field(default_factory=list)
    memory_bytes: int = 4 << 30
    cpu_seconds: int = 1800
    max_processes: int = 256
    max_file_bytes: int = 256 << 20
    tmp_bytes: int = 256 << 20
    threads: int = 1
    env: dict[str, str] = field(default_factory=dict)
    cgroup_name: str = ""  # a memory cgroup per kernel named after this (empty: none)

    def save(self, path: Path) -> None:
        """Write the policy to ``path`` as JSON."""
        path.write_text(json.dumps(asdict(self), indent=2))

    @classmethod
    def load(cls, path: str | Path) -> Policy:
        """Read a policy written by ``save``."""
        return cls(**json.loads(Path(path).read_text()))


class SandboxError(RuntimeError):
    """The sandbox could not be set up; the kernel is not started."""


_libc = None


def _c():
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        _libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
    return _libc


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise SandboxError(f"{what}: {os.strerror(err)} (errno {err})")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    enc = lambda s: None if s is None else s.encode()
    _check(_c().mount(enc(source), enc(target), enc(fstype), flags, enc(data)), f"mount {source or fstype} on {target}")


def _unshare(flags: int) -> None:
    _check(_c().unshare(flags), "unshare(mount, net, pid, ipc, uts namespaces)")


def _prctl(option: int, value: int) -> None:
    _check(_c().prctl(option, ctypes.c_ulong(value), 0, 0, 0), f"prctl({option})")


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _untraversable_ancestors(paths: list[Path]) -> set[Path]:
    """Folders above ``paths`` that other users may not enter (e.g. a 0700 home or clone folder).

    Permission checks apply along a bind mount's path too, so the sandbox user could not reach an
    environment or library under such a folder even when it is bound in; hiding the folder behind a
    world-traversable tmpfs (and binding the needed paths back inside it) makes them reachable
    without exposing anything else in it.
    """
    found = set()
    for path in paths:
        for ancestor in path.parents:
            if ancestor == Path("/"):
                continue
            try:
                mode = os.stat(ancestor).st_mode
            except OSError:
                continue
            if stat.S_ISDIR(mode) and not mode & stat.S_IXOTH:
                found.add(ancestor)
    return found


def _private_workdir(policy: Policy, workdir: Path) -> None:
    """The kernel's working folder becomes an empty, size- and inode-capped tmpfs that vanishes with it."""
    _mount("tmpfs", str(workdir), "tmpfs", MS_NOSUID | MS_NODEV, f"size={policy.tmp_bytes},nr_inodes=4096,mode=700")


def _hide_and_rebind(policy: Policy) -> None:
    """Mount the private view of the filesystem described by ``policy`` (we are in a new mount namespace)."""
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    keep = [(Path(p), False) for p in policy.read_only] + [(Path(p), True) for p in policy.read_write]
    keep = [(p, rw, p.is_dir()) for p, rw in keep if p.exists()]
    private = [Path(t) for t in ("/tmp", "/var/tmp", "/dev/shm", "/run/lock") if not Path(t).is_symlink()]
    # Handles on what we bind back, taken before anything is hidden, so the binds can reach
    # folders that are under a hidden path (through /proc/self/fd).
    handles = {p: os.open(p, os.O_PATH | os.O_CLOEXEC) for p, _, _ in keep}
    hidden = {Path(p) for p in policy.hidden if Path(p).exists()} | _untraversable_ancestors([p for p, _, _ in keep])
    hidden = {h for h in hidden if not any(_inside(h, t) for t in private)}
    hidden = sorted(
        (h for h in hidden if not any(h != o and _inside(h, o) for o in hidden)), key=lambda p: len(p.parts)
    )
    for path in hidden:
        if path.is_dir():
            _mount("tmpfs", str(path), "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=755")
        else:
            _mount("/dev/null", str(path), None, MS_BIND)
    for tmp in private:
        if tmp.is_dir():
            _mount(
                "tmpfs", str(tmp), "tmpfs", MS_NOSUID | MS_NODEV, f"size={policy.tmp_bytes},nr_inodes=4096,mode=1777"
            )
    for path, writable, is_dir in sorted(keep, key=lambda item: len(item[0].parts)):
        if any(_inside(path, h) for h in [*hidden, *private]):
            if is_dir:
                path.mkdir(parents=True, exist_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.touch()
        source = f"/proc/self/fd/{handles[path]}"
        _mount(source, str(path), None, MS_BIND | MS_REC)
        if not writable:
            _mount(None, str(path), None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    for path in hidden:
        if path.is_dir():
            _mount(None, str(path), None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, "size=64k,mode=755")
    for fd in handles.values():
        os.close(fd)


def _limit(policy: Policy) -> None:
    limits = {
        resource.RLIMIT_AS: policy.memory_bytes,
        resource.RLIMIT_CPU: policy.cpu_seconds,
        resource.RLIMIT_NPROC: policy.max_processes,
        resource.RLIMIT_FSIZE: policy.max_file_bytes,
        resource.RLIMIT_CORE: 0,
    }
    for which, value in limits.items():
        if value < 0:
            continue
        _soft, hard = resource.getrlimit(which)
        cap = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(which, (cap, cap))


class MemoryCgroup:
    """A memory cgroup for one kernel's whole process tree (v2 where the machine has it, else v1).

    ``None`` from :meth:`create` means neither hierarchy can be used here; the per-process
    address-space limit (RLIMIT_AS) then is the only memory limit.
    """

    def __init__(self, path: Path, version: int):
        self.path, self.version = path, version

    @classmethod
    def create(cls, name: str, limit: int) -> MemoryCgroup | None:
        if not name or limit <= 0:
            return None
        own = {}
        with contextlib.suppress(OSError):
            for line in Path("/proc/self/cgroup").read_text().splitlines():
                _, controllers, path = line.split(":", 2)
                own[controllers] = path
        v2_root = Path("/sys/fs/cgroup")
        candidates = []
        if "memory" in _read(v2_root / "cgroup.controllers").split() and "" in own:
            candidates.append((v2_root / own[""].lstrip("/") / name, 2))
        v1_path = next((p for c, p in own.items() if "memory" in c.split(",")), None)
        if v1_path is not None and (v2_root / "memory").is_dir():
            candidates.append((v2_root / "memory" / v1_path.lstrip("/") / name, 1))
        for path, version in candidates:
            try:
                path.mkdir()
                group = cls(path, version)
                group._limit(limit)
                return group
            except OSError:
                with contextlib.suppress(OSError):
                    path.rmdir()
        return None

    def _limit(self, limit: int) -> None:
        if self.version == 2:
            (self.path / "memory.max").write_text(str(limit))
            with contextlib.suppress(OSError):
                (self.path / "memory.swap.max").write_text("0")
        else:
            (self.path / "memory.limit_in_bytes").write_text(str(limit))
            with contextlib.suppress(OSError):
                (self.path / "memory.memsw.limit_in_bytes").write_text(str(limit))

    def add(self, pid: int) -> None:
        """Move process ``pid`` (and so all it forks later) into the group."""
        (self.path / "cgroup.procs").write_text(str(pid))

    def oom_killed(self) -> bool:
        """Whether the kernel hit the group's limit and something in it was killed."""
        if self.version == 2:
            events = dict(line.split() for line in _read(self.path / "memory.events").splitlines() if " " in line)
            return int(events.get("oom_kill", 0)) > 0
        return (
            "oom_kill 1" in _read(self.path / "memory.oom_control") or int(_read(self.path / "memory.failcnt") or 0) > 0
        )

    def remove(self) -> None:
        """Delete the group (its processes have ended)."""
        with contextlib.suppress(OSError):
            self.path.rmdir()


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _kernel_env(policy: Policy, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in ENV_KEEP or k.startswith("LC_")}
    env.update(
        HOME=str(home),
        TMPDIR="/tmp",
        USER="student",
        LOGNAME="student",
        MPLCONFIGDIR=str(home / "matplotlib"),
        IPYTHONDIR=str(home / "ipython"),
        MPLBACKEND="module://matplotlib_inline.backend_inline",
        OMP_NUM_THREADS=str(policy.threads),
        MKL_NUM_THREADS=str(policy.threads),
        OPENBLAS_NUM_THREADS=str(policy.threads),
        PYTHONDONTWRITEBYTECODE="1",
        NBGRADER_EXECUTION="autograde",
    )
    env.update(policy.env)
    return env


def _drop_privileges(policy: Policy, workdir: Path) -> None:
    for root, dirs, files in os.walk(workdir):
        for name in [*dirs, *files]:
            os.lchown(os.path.join(root, name), policy.uid, policy.gid)
    os.chown(workdir, policy.uid, policy.gid)
    os.setgroups([])
    os.setresgid(policy.gid, policy.gid, policy.gid)
    os.setresuid(policy.uid, policy.uid, policy.uid)
    _prctl(PR_SET_NO_NEW_PRIVS, 1)


def _connection_file(command: list[str]) -> tuple[int | None, bytes]:
    """Where ``-f CONNECTION_FILE`` sits in ``command`` and the file's bytes (read while still visible)."""
    if "-f" not in command[:-1]:
        return None, b""
    at = command.index("-f") + 1
    return at, Path(command[at]).read_bytes()


def _private_home(policy: Policy, command: list[str], at: int | None, connection: bytes) -> list[str]:
    """Create the kernel's home in its private /tmp, holding its own copy of the connection file."""
    home = PRIVATE_HOME
    home.mkdir(parents=True, exist_ok=True)
    os.chown(home, policy.uid, policy.gid)
    if at is None:
        return command
    private = home / "kernel-connection.json"
    private.write_bytes(connection)
    private.chmod(0o600)
    os.chown(private, policy.uid, policy.gid)
    return [*command[:at], str(private), *command[at + 1 :]]


def _forward_signals(target: int) -> None:
    def forward(signum, _frame):
        with contextlib.suppress(ProcessLookupError):
            os.kill(target, signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, forward)


def _wait_status(pid: int) -> int:
    """Wait for ``pid`` (reaping any other child on the way) and turn its end into an exit code."""
    while True:
        try:
            done, status = os.waitpid(-1, 0)
        except InterruptedError:
            continue
        except ChildProcessError:
            return 1
        if done == pid:
            if os.WIFSIGNALED(status):
                return 128 + os.WTERMSIG(status)
            return os.WEXITSTATUS(status)


def _fail(message: str) -> None:
    sys.stderr.write(f"cnninstructor.autograde.sandbox: cannot start the sandboxed kernel: {message}\n")
    sys.stderr.flush()
    os._exit(SANDBOX_FAILED)


def launch(policy: Policy, command: list[str]) -> int:
    """Run ``command`` (the kernel) under ``policy``; return its exit code (see the module docstring)."""
    workdir = Path.cwd().resolve()
    home = PRIVATE_HOME if policy.isolate else Path(tempfile.mkdtemp(prefix="cnn-kernel-home-"))
    env = _kernel_env(policy, home)
    at, connection = _connection_file(command)
    if policy.isolate:
        if os.geteuid() != 0:
            _fail("the sandbox needs root (to enter namespaces and switch to an unprivileged user)")
        policy.read_write = [*policy.read_write, str(workdir)]
        try:
            _unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS)
        except SandboxError as exc:
            _fail(str(exc))
    group = (
        MemoryCgroup.create(f"{policy.cgroup_name}-{os.getpid()}", policy.memory_bytes) if policy.cgroup_name else None
    )
    read_w, write_w = os.pipe()
    go_r, go_w = os.pipe()  # the child waits until it is in its cgroup, so nothing it forks escapes the limit
    init = os.fork()
    if init == 0:
        os.close(read_w)
        os.close(go_w)
        os.read(go_r, 1)
        os.close(go_r)
        try:
            _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
            os.setsid()
            if policy.isolate:
                _hide_and_rebind(policy)
                _private_workdir(policy, workdir)
                _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
                command = _private_home(policy, command, at, connection)
        except (SandboxError, OSError) as exc:
            os.write(write_w, str(exc).encode())
            os._exit(SANDBOX_FAILED)
        kernel = os.fork()
        if kernel == 0:
            try:
                os.setsid()
                _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
                if policy.isolate:
                    _drop_privileges(policy, workdir)
                _limit(policy)
                os.chdir(workdir)
                if at is not None:  # a kernel talks over its sockets; what it writes to fds 0-2 is nobody's output
                    devnull = os.open(os.devnull, os.O_RDWR)
                    for fd in (0, 1, 2):
                        os.dup2(devnull, fd)
            except (SandboxError, OSError) as exc:
                os.write(write_w, str(exc).encode())
                os._exit(SANDBOX_FAILED)
            try:
                os.execve(command[0], command, env)  # write_w is close-on-exec: closed when this succeeds
            except OSError as exc:
                os.write(write_w, f"cannot run {command[0]} as the sandbox user: {exc}".encode())
                os._exit(SANDBOX_FAILED)
        os.close(write_w)
        _forward_signals(kernel)
        os._exit(_wait_status(kernel))
    os.close(write_w)
    os.close(go_r)
    if group is not None:
        try:
            group.add(init)
        except OSError as exc:
            os.kill(init, signal.SIGKILL)
            _wait_status(init)
            group.remove()
            _fail(f"cannot put the kernel in its memory cgroup {group.path}: {exc}")
    os.write(go_w, b"x")
    os.close(go_w)
    _forward_signals(init)
    code = _wait_status(init)
    if group is not None:
        if code == MEMORY_KILLED:
            code = 1  # the kernel itself chose that status: only the launcher may report it
        elif code == 128 + signal.SIGKILL and group.oom_killed():
            code = MEMORY_KILLED
        group.remove()
    if not policy.isolate:
        shutil.rmtree(home, ignore_errors=True)
    problem = os.read(read_w, 4096).decode(errors="replace")
    if problem:
        _fail(problem)
    if code == SANDBOX_FAILED or (code == MEMORY_KILLED and group is None):
        code = 1  # the kernel itself chose that status: only the launcher may report these two
    return code


def main(argv: list[str] | None = None) -> None:
    """Start the kernel command in ``argv`` in the sandbox ``--policy`` describes; exit with its status."""
    parser = argparse.ArgumentParser(
        prog="python -m cnninstructor.autograde.sandbox", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--policy", required=True, help="JSON policy written by the grading command")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the kernel command line")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no kernel command given")
    os._exit(launch(Policy.load(args.policy), command))


if __name__ == "__main__":
    main()
