"""nbgrader's ``Execute`` preprocessor, hardened for hostile submissions.

The grading command puts :class:`GuardedExecute` in place of ``Execute`` in
``Autograde.autograde_preprocessors``; everything else in nbgrader's pipeline is unchanged.
On top of nbgrader's behaviour it:

* enforces a per-cell **CPU-time** budget (measured on the kernel's process tree, so a loaded
  machine does not cause false timeouts); a cell over budget is interrupted, fails, and the rest
  of the notebook is still graded (a cell that ignores the interrupt is killed, see below);
  nbgrader's wall-clock ``timeout`` stays as a backstop for code that sleeps;
* survives **kernel deaths** (``os._exit``, a segfault, a kill): the cell that killed the kernel
  fails, a fresh kernel is started, the earlier cells are replayed silently, and grading goes on
  with the next cell, instead of nbgrader discarding the whole notebook;
* caps the output a cell may send (an output flood cannot exhaust the grader's memory);
* runs the integrity probes of :mod:`cnninstructor.autograde.integrity` around every autograded test
  cell and fails the test cells that ran with tampered grading code;
* writes what happened (timeouts, deaths, memory errors, tampering) to a JSON report per
  notebook, which the grading command turns into each student's status line.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import signal
import threading
import time
from pathlib import Path

from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from nbgrader.utils import is_grade, is_locked, is_solution
from traitlets import Bool, Float, Integer, Unicode

from cnninstructor.autograde import integrity

SANDBOX_FAILED = 97
REPORT_ENV = "CNN_AUTOGRADE_REPORT_DIR"


def _tree_cpu_seconds(root: int) -> float:
    """User + system CPU seconds of ``root`` and all its live descendants (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo, seen = 0.0, [root], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


class CpuWatchdog(threading.Thread):
    """Interrupt the kernel when a cell has used ``budget`` CPU seconds; kill it ``grace`` s later."""

    def __init__(self, root_pid: int, budget: float, grace: float = 5.0):
        super().__init__(daemon=True)
        self.root_pid, self.budget, self.grace = root_pid, budget, grace
        self.fired = False
        self.killed = False
        self.used = 0.0
        self._stop_event = threading.Event()
        self._start_cpu = _tree_cpu_seconds(root_pid)

    def run(self) -> None:
        fired_at = 0.0
        while not self._stop_event.wait(0.1):
            self.used = _tree_cpu_seconds(self.root_pid) - self._start_cpu
            if not self.fired and self.used > self.budget:
                self.fired, fired_at = True, time.monotonic()
                self._signal(signal.SIGINT)
            elif self.fired and not self.killed and time.monotonic() - fired_at > self.grace:
                self.killed = True
                self._signal(signal.SIGKILL)

    def _signal(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.root_pid, signum)

    def stop(self) -> None:
        """Stop watching and wait (up to 2 s) for the thread to end."""
        self._stop_event.set()
        self.join(timeout=2)


def _imported_names(source: str) -> set[str]:
    """Names bound by import statements in ``source`` (empty when it is not plain Python)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.update(a.asname or a.name for a in node.names if a.name != "*")
    return names


def _error_output(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "the kernel stopped responding"
    if code > 128:
        try:
            name = signal.Signals(code - 128).name
        except ValueError:
            name = f"signal {code - 128}"
        if name == "SIGXCPU":
            return "the kernel hit its total CPU-time limit (SIGXCPU)"
        return f"the kernel was killed by {name}"
    if code < 0:
        return f"the kernel was killed by signal {-code}"
    return f"the kernel process exited with status {code}"


class GuardedExecute(Execute):
    """nbgrader's Execute with CPU budgets, kernel-death recovery, output caps and integrity probes."""

    cpu_per_cell = Float(60.0, help="CPU seconds a cell may use before it is interrupted (0 = no limit).").tag(
        config=True
    )
    kill_grace = Float(5.0, help="Seconds an interrupted cell gets to stop before the kernel is killed.").tag(
        config=True
    )
    max_output_bytes = Integer(1_000_000, help="Output bytes kept per cell; the rest is dropped.").tag(config=True)
    max_restarts = Integer(3, help="Kernel restarts allowed per notebook after deaths.").tag(config=True)
    check_integrity = Bool(True, help="Probe for tampering with the grading code around test cells.").tag(config=True)
    memory_limit_text = Unicode("", help="How the memory limit is described in reports.").tag(config=True)

    # ----------------------------------------------------------------- notebook
    def preprocess(self, nb, resources=None, km=None):
        self._events: list[dict] = []
        self._dead_cells: set[int] = set()
        self._baseline: dict | None = None
        self._protected: dict[str, list] = {}
        self._tampered_since: str | None = None
        self._restarts = 0
        self._out_bytes: dict[int, int] = {}
        self._gave_up = False
        try:
            return super().preprocess(nb, resources, km)
        finally:
            self._write_report(resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not cell.source.strip():
            return super().preprocess_cell(cell, resources, index)
        if self._gave_up:
            cell.outputs = [_error_output("NotGraded", "the kernel died too many times; this cell was not run")]
            return cell, self.resources
        if self._baseline is None:
            self._baseline = self._probe("baseline")
        test_cell = is_grade(cell) and not is_solution(cell)
        instructor_cell = test_cell or (is_locked(cell) and not is_solution(cell))
        tampered = test_cell and self._verify(index, "before")
        watchdog = self._start_watchdog()
        try:
            cell, _ = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            code = self._exit_code()
            if code == SANDBOX_FAILED:
                raise
            timed_out = watchdog is not None and watchdog.killed
            self._on_death(cell, index, code, timed_out)
            return cell, self.resources
        finally:
            if watchdog is not None:
                watchdog.stop()
        if watchdog is not None and watchdog.fired:
            self._event("timeout", index, cell, f"used more than {self.cpu_per_cell:g} s of CPU time")
            cell.outputs.append(
                _error_output("CellTimeoutError", f"this cell used more than {self.cpu_per_cell:g} s of CPU time")
            )
        elif any(o.output_type == "error" and o.get("ename") == "CellTimeoutError" for o in cell.outputs):
            self._event("timeout", index, cell, f"no reply within {self.timeout} s (wall clock)")
        if any(o.output_type == "error" and o.get("ename") == "MemoryError" for o in cell.outputs):
            self._event("memory", index, cell, f"memory limit{self.memory_limit_text} reached")
        if test_cell and (self._verify(index, "after") or tampered):
            cell.outputs.append(
                _error_output(
                    "GradingIntegrityError",
                    "the grading code was modified by code in this notebook; this test cell earns no points",
                )
            )
        if instructor_cell:
            self._protect_imports(cell.source)
        return cell, self.resources

    # ----------------------------------------------------------------- helpers
    def _protect_imports(self, source: str) -> None:
        """Record what the names an instructor's cell imported (np, check_close, ...) point at."""
        names = _imported_names(source) if self.check_integrity else set()
        snapshot = self._probe("after an instructor cell") if names else None
        if snapshot:
            bindings = snapshot.get("bindings", {})
            self._protected.update({n: bindings[n] for n in names if n in bindings})

    def _cell_name(self, index: int, cell) -> str:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        return f"cell {index + 1}" + (f" ({grade_id})" if grade_id else "")

    def _event(self, kind: str, index: int | None, cell, detail: str) -> None:
        entry = {"kind": kind, "detail": detail}
        if index is not None:
            entry.update(cell=index + 1, where=self._cell_name(index, cell))
            entry["grade_id"] = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        self._events.append(entry)
        self.log.warning("autograde %s at %s: %s", kind, entry.get("where", "start"), detail)

    def _kernel_pid(self) -> int | None:
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        return getattr(process, "pid", None)

    def _exit_code(self) -> int | None:
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is None:
            return None
        try:
            return process.wait(timeout=5)
        except Exception:  # noqa: BLE001 - still running or already reaped: no code to report
            return process.returncode

    def _start_watchdog(self) -> CpuWatchdog | None:
        pid = self._kernel_pid()
        if not self.cpu_per_cell or pid is None:
            return None
        watchdog = CpuWatchdog(pid, self.cpu_per_cell, self.kill_grace)
        watchdog.start()
        return watchdog

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        size = len(content.get("text", "")) + sum(len(str(v)) for v in content.get("data", {}).values())
        used = self._out_bytes.get(cell_index, 0)
        self._out_bytes[cell_index] = used + size
        if used + size <= self.max_output_bytes:
            return super().output(outs, msg, display_id, cell_index)
        if used <= self.max_output_bytes:
            note = f"\n[grader: output of this cell truncated after {self.max_output_bytes} bytes]\n"
            outs.append(NotebookNode(output_type="stream", name="stdout", text=note))
            self._events.append({"kind": "output_truncated", "cell": cell_index + 1, "detail": "output flood"})
        return None

    # ----------------------------------------------------------------- deaths
    def _on_death(self, cell, index: int, code: int | None, timed_out: bool) -> None:
        why = _describe_exit(code)
        if timed_out:
            self._event(
                "timeout", index, cell, f"used more than {self.cpu_per_cell:g} s of CPU time and ignored the interrupt"
            )
            why = "it was stopped after exceeding its CPU-time budget"
        else:
            self._event("kernel_died", index, cell, why)
        cell.outputs = [_error_output("KernelDied", f"the kernel stopped while running this cell ({why})")]
        self._dead_cells.add(index)
        if self._restarts >= self.max_restarts:
            self._gave_up = True
            self._restart(replay_until=None)
            return
        self._restarts += 1
        self._restart(replay_until=index)

    def _restart(self, replay_until: int | None) -> None:
        """Start a fresh kernel and replay the cells before ``replay_until`` without recording output."""
        try:
            self._cleanup_kernel()
        except Exception as exc:  # noqa: BLE001 - the old kernel is dead; cleaning it is best effort
            self.log.debug("cleanup after kernel death: %s", exc)
        self.km = self.create_kernel_manager()
        self.start_new_kernel()
        self.start_new_kernel_client()
        self._baseline = self._probe("baseline after restart")
        self._protected = {}
        if replay_until is None:
            return
        for earlier in range(replay_until):
            cell = self.nb.cells[earlier]
            if cell.cell_type != "code" or not cell.source.strip() or earlier in self._dead_cells:
                continue
            watchdog = self._start_watchdog()
            try:
                self._run_quietly(cell.source, timeout=self.timeout or None)
                if is_locked(cell) and not is_solution(cell):
                    self._protect_imports(cell.source)
            except Exception as exc:  # noqa: BLE001 - a replay failure only means later cells may fail
                self.log.warning("replaying cell %d after a kernel death failed: %s", earlier + 1, exc)
                if not run_sync(self.km.is_alive)():
                    self._gave_up = True
                    return
            finally:
                if watchdog is not None:
                    watchdog.stop()

    def _run_quietly(self, source: str, timeout: float | None = 30) -> tuple[dict, str, list]:
        """Execute ``source`` outside the notebook; return (reply content, stdout text, error outputs)."""
        texts: list[str] = []
        errors: list = []

        def hook(msg):
            kind = msg["msg_type"]
            if kind == "stream" and msg["content"].get("name") == "stdout":
                if sum(map(len, texts)) < 2_000_000:
                    texts.append(msg["content"]["text"])
            elif kind == "error":
                errors.append(msg["content"])

        reply = run_sync(self.kc.execute_interactive)(
            source, store_history=False, allow_stdin=False, timeout=timeout, output_hook=hook, stop_on_error=False
        )
        return reply["content"], "".join(texts), errors

    # ----------------------------------------------------------------- integrity
    def _probe(self, label: str) -> dict | None:
        if not self.check_integrity:
            return {}
        source, nonce = integrity.make_probe()
        try:
            _reply, text, _errors = self._run_quietly(source, timeout=60)
        except Exception as exc:  # noqa: BLE001 - a probe that cannot run is itself a finding
            self.log.warning("integrity probe (%s) failed: %s", label, exc)
            with contextlib.suppress(Exception):
                run_sync(self.km.interrupt_kernel)()
            return None
        return integrity.parse_probe(text, nonce)

    def _canary_fails_properly(self) -> bool:
        source, nonce = integrity.make_canary()
        try:
            reply, _text, errors = self._run_quietly(source, timeout=30)
        except Exception:  # noqa: BLE001
            return False
        shown = any(e.get("ename") == "AssertionError" and nonce in e.get("evalue", "") for e in errors)
        return reply.get("status") == "error" and reply.get("ename") == "AssertionError" and shown

    def _verify(self, index: int, when: str) -> bool:
        """Probe the kernel around test cell ``index``; record and return whether it was tampered with."""
        if not self.check_integrity:
            return False
        cell = self.nb.cells[index]
        problems: list[str] = []
        current = self._probe(when)
        if self._baseline is None:
            problems.append("the integrity probe could not run before the first cell")
        elif current is None:
            problems.append("the integrity probe printed no result (stdout or the probe itself was tampered with)")
        else:
            problems.extend(integrity.differences(self._baseline, current))
            problems.extend(integrity.rebound(self._protected, current))
        if not self._canary_fails_properly():
            problems.append("a failing assertion was not reported as an error")
        if problems and self._tampered_since is None:
            self._tampered_since = self._cell_name(index, cell)
            self._event("tampering", index, cell, f"found {when} this test cell: " + "; ".join(problems))
        return bool(problems)

    # ----------------------------------------------------------------- report
    def _write_report(self, resources) -> None:
        folder = os.environ.get(REPORT_ENV)
        if not folder:
            return
        info = (resources or {}).get("nbgrader", {})
        student = info.get("student", "unknown")
        notebook = info.get("notebook", "notebook")
        path = Path(folder) / f"{student}__{notebook}.json"
        path.write_text(json.dumps({"student": student, "notebook": notebook, "events": self._events}, indent=1))
