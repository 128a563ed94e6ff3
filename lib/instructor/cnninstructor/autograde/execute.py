"""``GradingExecute``: nbgrader's ``Execute`` preprocessor, deciding every test cell's verdict itself.

The course's ``nbgrader_config.py`` puts :class:`GradingExecute` in place of ``Execute`` in
``Autograde.autograde_preprocessors``, so plain ``nbgrader autograde`` and the grading command run
the same pipeline; the rest of nbgrader's (SaveAutoGrades, the gradebook, the formgrader, manual
grading) is unchanged. For each notebook it:

* runs the instructor's source notebook once in a fresh kernel (or loads that run from
  ``reference_file``) to get every test cell's reference answers (``cnnlib.answers``);
* runs the student's notebook in its own kernel, in a private, empty working folder (nothing the
  kernel writes is kept), every cell in order but each test cell's **hidden** part only after the
  last cell, so no output kept in the notebook was produced after hidden code entered the kernel;
* after each part of a test cell, takes the student's answers from the kernel as data and decides
  the cell's verdict outside the kernel (:mod:`cnninstructor.autograde.verdict`): the test cell's
  outputs become its visible outputs plus, when it failed, one error written by the grader. A
  hidden check's failure names only its number and the kind of failure;
* enforces budgets per cell and per notebook: CPU time of the kernel's process tree (so a loaded
  machine causes no false timeouts; nbgrader's wall-clock ``timeout`` remains a backstop), and
  output bytes of every kind of message;
* survives kernel deaths: the cell fails, a fresh kernel replays the earlier cells quietly, and
  grading goes on;
* writes what happened (its ``events``) and every verdict to the notebook's metadata under
  ``cnn_grader``, which the grading command reads back.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil
from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from nbgrader.utils import is_solution
from traitlets import Float, Integer, Unicode

from cnninstructor.autograde.cells import is_test_cell, nbgrader_meta, split_test_source
from cnninstructor.autograde.protocol import (
    MEMORY_KILLED,
    METADATA_KEY,
    SANDBOX_FAILED,
    TAKE_EXPRESSION,
    decode_reply,
    load_references,
    save_references,
)
from cnninstructor.autograde.verdict import decide

_IDENTIFIER = re.compile(r"[^A-Za-z0-9_.]")
_reference_cache: dict[str, dict] = {}
sandbox_failure = ""  # set when the sandbox launcher could not isolate a kernel (read by the grading command)


class SandboxFailed(RuntimeError):
    """The sandbox launcher exited with SANDBOX_FAILED: no kernel can be trusted to start."""


def _sandbox_failed(what: str) -> None:
    global sandbox_failure
    sandbox_failure = f"the sandbox launcher could not isolate the kernel ({what}; exit status {SANDBOX_FAILED})"
    raise SandboxFailed(sandbox_failure)


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU seconds of process ``root`` and all its descendants, live or reaped."""
    try:
        process = psutil.Process(root)
        procs = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0.0
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            t = proc.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
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
        self._start_cpu = tree_cpu_seconds(root_pid)

    def run(self) -> None:
        fired_at = 0.0
        while not self._stop_event.wait(0.1):
            self.used = tree_cpu_seconds(self.root_pid) - self._start_cpu
            if not self.fired and self.used > self.budget:
                self.fired, fired_at = True, time.monotonic()
                self._signal(signal.SIGINT)
            elif self.fired and not self.killed and time.monotonic() - fired_at > self.grace:
                self.killed = True
                self._signal(signal.SIGKILL)

    def _signal(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.root_pid, signum)

    def stop(self) -> float:
        """Stop watching, wait (up to 2 s) for the thread to end; return the CPU seconds used."""
        self._stop_event.set()
        self.join(timeout=2)
        return self.used


def _error_output(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "the kernel stopped responding"
    if code == MEMORY_KILLED:
        return "its processes together reached the memory limit and were killed"
    if code > 128:
        try:
            name = signal.Signals(code - 128).name
        except ValueError:
            name = f"signal {code - 128}"
        if name == "SIGXCPU":
            return "the kernel hit its total CPU-time limit (SIGXCPU)"
        if name == "SIGKILL":
            return "the kernel was killed by SIGKILL (a memory limit, or it ignored an interrupt)"
        return f"the kernel was killed by {name}"
    if code < 0:
        return f"the kernel was killed by signal {-code}"
    return f"the kernel process exited with status {code}"


def _safe_name(text: str) -> str:
    """An exception class name from the student's process, reduced to identifier characters."""
    return _IDENTIFIER.sub("", str(text))[:80] or "an exception"


def _message_size(content: dict) -> int:
    try:
        return len(json.dumps(content, default=str))
    except (TypeError, ValueError):
        return 1 << 20


class GradingExecute(Execute):
    """nbgrader's Execute with grader-side verdicts, CPU and output budgets, and kernel-death recovery."""

    cpu_per_cell = Float(60.0, help="CPU seconds a cell may use before it is interrupted (0 = no limit).").tag(
        config=True
    )
    cpu_per_notebook = Float(
        900.0, help="CPU seconds the whole notebook may use; cells after that are not run (0 = no limit)."
    ).tag(config=True)
    kill_grace = Float(5.0, help="Seconds an interrupted cell gets to stop before the kernel is killed.").tag(
        config=True
    )
    max_output_bytes = Integer(1_000_000, help="Output bytes kept per cell, all message kinds counted.").tag(
        config=True
    )
    max_notebook_output_bytes = Integer(5_000_000, help="Output bytes kept per notebook.").tag(config=True)
    max_restarts = Integer(3, help="Kernel restarts allowed per notebook after deaths.").tag(config=True)
    wall_per_notebook = Float(
        1800.0, help="Wall-clock seconds the whole notebook may take, replays included (0 = no limit)."
    ).tag(config=True)
    memory_limit_text = Unicode("", help="How the memory limit is described in events.").tag(config=True)
    reference_file = Unicode(
        "", help="JSON file of reference answers (written by the grading command); empty: run the source notebook."
    ).tag(config=True)
    work_root = Unicode("", help="Folder for the kernels' private working folders (default: the system's).").tag(
        config=True
    )

    # ------------------------------------------------------------------ notebook
    def preprocess(self, nb, resources=None, km=None):
        resources = resources if resources is not None else {}
        nb.metadata.pop(METADATA_KEY, None)  # only the grader writes this key
        self._events: list[dict] = []
        self._dead_cells: set[int] = set()
        self._restarts = 0
        self._gave_up = False
        self._cpu_used = 0.0
        self._started = time.monotonic()
        self._cell_bytes: dict[int, int] = {}
        self._nb_bytes = 0
        self._records: dict[str, dict] = {}
        self._problems: dict[str, dict[str, str]] = {}
        self._collecting_reference = resources.get("cnn_reference_run", False)
        references = None if self._collecting_reference else self._references(resources)
        workdir = Path(tempfile.mkdtemp(prefix="cnn-kernel-", dir=self.work_root or None))
        resources.setdefault("metadata", {})["path"] = str(workdir)
        try:
            nb, resources = super().preprocess(nb, resources, km)
        except SandboxFailed:
            raise
        except Exception:
            process = getattr(self, "_kernel_process", None)
            if process is not None and process.poll() == SANDBOX_FAILED:
                _sandbox_failed("when the kernel started")
            raise
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        if self._collecting_reference:
            resources["cnn_records"] = self._records
            return nb, resources
        self._decide_all(nb, references)
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        cell, resources = self._preprocess_one(cell, resources, index)
        if index == self._last_code_cell():
            self._run_hidden_parts()
        return cell, resources

    def _preprocess_one(self, cell, resources, index):
        if cell.cell_type != "code" or not cell.source.strip():
            return super().preprocess_cell(cell, resources, index)
        if self._gave_up or self._over_notebook_budget():
            cell.outputs = [_error_output("NotGraded", "this cell was not run: " + self._why_stopped())]
            return cell, self.resources
        if not is_test_cell(cell):
            return self._run_cell(cell, resources, index)
        full = cell.source
        visible, _hidden = split_test_source(full)
        cell.source = visible
        try:
            cell, _ = self._run_cell(cell, resources, index, part="visible")
        finally:
            cell.source = full
        self._take(cell, "visible")
        return cell, self.resources

    def _last_code_cell(self) -> int:
        cells = self.nb.cells
        return max((i for i, c in enumerate(cells) if c.cell_type == "code" and c.source.strip()), default=-1)

    def _run_cell(self, cell, resources, index, part: str = "cell"):
        watchdog = self._start_watchdog()
        try:
            cell, _ = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            code = self._exit_code()
            if code == SANDBOX_FAILED:
                _sandbox_failed(f"while running cell {index + 1}")
            self._on_death(cell, index, code, watchdog is not None and watchdog.killed, part)
            return cell, self.resources
        finally:
            if watchdog is not None:
                self._cpu_used += watchdog.stop()
        if watchdog is not None and watchdog.fired:
            self._event("timeout", index, cell, f"used more than {self.cpu_per_cell:g} s of CPU time")
            cell.outputs.append(
                _error_output("CellTimeoutError", f"this cell used more than {self.cpu_per_cell:g} s of CPU time")
            )
            self._problem(cell, part, f"timed out (more than {self.cpu_per_cell:g} s of CPU time)")
        elif any(o.output_type == "error" and o.get("ename") == "CellTimeoutError" for o in cell.outputs):
            self._event("timeout", index, cell, f"no reply within {self.timeout} s (wall clock)")
            self._problem(cell, part, f"timed out (no reply within {self.timeout} s)")
        if any(o.output_type == "error" and o.get("ename") == "MemoryError" for o in cell.outputs):
            self._event("memory", index, cell, f"memory limit{self.memory_limit_text} reached")
        if part == "visible":
            for o in cell.outputs:
                if o.output_type == "error" and "visible_error" not in self._problems.get(self._gid(cell), {}):
                    self._problems.setdefault(self._gid(cell), {})["visible_error"] = (
                        f"{_safe_name(o.get('ename', ''))}: {str(o.get('evalue', ''))[:300]}"
                    )
        return cell, self.resources

    # ------------------------------------------------------------------ hidden parts
    def _run_hidden_parts(self) -> None:
        for index, cell in enumerate(self.nb.cells):
            if not is_test_cell(cell):
                continue
            _visible, hidden = split_test_source(cell.source)
            if not hidden.strip():
                continue
            if self._gave_up or self._over_notebook_budget():
                self._problem(cell, "hidden", "was not run: " + self._why_stopped())
                continue
            watchdog = self._start_watchdog()
            try:
                reply, _text, errors = self._run_quietly(hidden, timeout=self.timeout or None)
                if errors:  # not which exception: its name is chosen by code that has seen the hidden tests
                    self._problem(cell, "hidden", "raised an exception")
                if watchdog is not None and watchdog.fired:
                    self._event("timeout", index, cell, f"hidden tests used more than {self.cpu_per_cell:g} s of CPU")
                    self._problem(cell, "hidden", f"timed out (more than {self.cpu_per_cell:g} s of CPU time)")
                self._take(cell, "hidden")
            except Exception as exc:  # noqa: BLE001 - a death, a timeout or a protocol failure fails this cell only
                code = self._exit_code() if not run_sync(self.km.is_alive)() else None
                if code == SANDBOX_FAILED:
                    _sandbox_failed("during hidden tests")
                if not run_sync(self.km.is_alive)():
                    why = _describe_exit(code)
                    self._event("kernel_died", index, cell, f"during hidden tests: {why}")
                    self._problem(cell, "hidden", "stopped the kernel")  # no exit status: a kernel can choose it
                    self._dead_cells.add(index)
                    self._recover(replay_until=len(self.nb.cells))
                else:
                    self._event("timeout", index, cell, f"hidden tests did not finish: {type(exc).__name__}")
                    self._problem(cell, "hidden", "timed out")
                    with contextlib.suppress(Exception):
                        run_sync(self.km.interrupt_kernel)()
            finally:
                if watchdog is not None:
                    self._cpu_used += watchdog.stop()

    # ------------------------------------------------------------------ answers and verdicts
    def _gid(self, cell) -> str:
        return str(nbgrader_meta(cell).get("grade_id"))

    def _problem(self, cell, part: str, text: str) -> None:
        self._problems.setdefault(self._gid(cell), {}).setdefault(part, text)

    def _take(self, cell, part: str) -> None:
        """Fetch the answers the kernel recorded during ``part`` of a test cell (None when unreadable).

        The kernel's CPU during the exchange counts against the notebook like any cell's.
        """
        records = None
        watchdog = self._start_watchdog()
        with contextlib.suppress(Exception):
            reply = run_sync(self.kc.execute_interactive)(
                "",
                silent=True,
                store_history=False,
                user_expressions={"answers": TAKE_EXPRESSION},
                allow_stdin=False,
                timeout=60,
                output_hook=lambda msg: None,
            )
            records = decode_reply(reply["content"])
        if watchdog is not None:
            self._cpu_used += watchdog.stop()
        self._records.setdefault(self._gid(cell), {})[part] = records

    def _references(self, resources) -> dict:
        info = resources.get("nbgrader", {})
        if self.reference_file:
            prefix = info.get("notebook", "") + "/"
            every = load_references(Path(self.reference_file))
            return {key[len(prefix) :]: value for key, value in every.items() if key.startswith(prefix)}
        from nbgrader.coursedir import CourseDirectory

        coursedir = CourseDirectory(config=self.config)
        source = Path(coursedir.format_path(coursedir.source_directory, ".", info.get("assignment", ""))) / (
            info.get("notebook", "") + ".ipynb"
        )
        return reference_answers(source, self)

    def _decide_all(self, nb, references: dict) -> None:
        sources = [c.source for c in nb.cells if c.cell_type == "code" and is_solution(c)]
        sources += [c.source for c in nb.cells if c.cell_type == "code" and not nbgrader_meta(c)]
        verdicts = {}
        for cell in nb.cells:
            if not is_test_cell(cell):
                continue
            gid = self._gid(cell)
            mine = self._records.get(gid, {})
            problems = self._problems.get(gid, {})
            problem = "; ".join(
                text
                for text in (
                    problems.get("visible") or problems.get("cell"),
                    problems.get("visible_error") and f"the test cell stopped with {problems['visible_error']}",
                    problems.get("hidden") and f"the hidden tests {problems['hidden']}",
                )
                if text
            )
            verdict = decide(references.get(gid, {"visible": [], "hidden": []}), mine, "", student_sources=sources)
            if not verdict.passed and problem:
                verdict.problem = problem
            self._rewrite_outputs(cell, verdict)
            verdicts[gid] = {"passed": verdict.passed, "message": verdict.message()}
        nb.metadata[METADATA_KEY] = {"events": self._events, "verdicts": verdicts}

    def _rewrite_outputs(self, cell, verdict) -> None:
        """The test cell's outputs: what its visible part showed, stderr and results as plain text, then the verdict."""
        kept = []
        for out in cell.outputs:
            if out.output_type == "error":
                continue
            if out.output_type == "stream" and out.get("name") == "stderr":
                out = NotebookNode(output_type="stream", name="stdout", text=out.get("text", ""))
            elif out.output_type == "execute_result":
                out = NotebookNode(output_type="display_data", data=out.get("data", {}), metadata={})
            kept.append(out)
        if not verdict.passed:
            kept.append(_error_output("CheckFailed", verdict.message()))
        cell.outputs = kept

    # ------------------------------------------------------------------ budgets
    def _over_wall_budget(self) -> bool:
        return bool(self.wall_per_notebook) and time.monotonic() - self._started > self.wall_per_notebook

    def _over_notebook_budget(self) -> bool:
        over = (bool(self.cpu_per_notebook) and self._cpu_used > self.cpu_per_notebook) or self._over_wall_budget()
        if over and not any(e["kind"] == "notebook_budget" for e in self._events):
            self._event("notebook_budget", None, None, self._why_stopped())
        return over

    def _why_stopped(self) -> str:
        if self._gave_up:
            return "the kernel died too many times"
        if self._over_wall_budget():
            return f"the notebook took more than its {self.wall_per_notebook:g} s of wall-clock time"
        return f"the notebook used more than its {self.cpu_per_notebook:g} s of CPU time"

    def _cell_name(self, index: int, cell) -> str:
        grade_id = nbgrader_meta(cell).get("grade_id")
        return f"cell {index + 1}" + (f" ({grade_id})" if grade_id else "")

    def _event(self, kind: str, index: int | None, cell, detail: str) -> None:
        entry = {"kind": kind, "detail": detail}
        if index is not None:
            entry.update(
                cell=index + 1, where=self._cell_name(index, cell), grade_id=nbgrader_meta(cell).get("grade_id")
            )
        if kind == "notebook_budget" and any(e["kind"] == kind for e in self._events):
            return
        self._events.append(entry)
        self.log.warning("autograde %s at %s: %s", kind, entry.get("where", "start"), detail)

    async def async_start_new_kernel(self, **kwargs) -> None:
        await super().async_start_new_kernel(**kwargs)
        self._kernel_process = getattr(getattr(self.km, "provisioner", None), "process", None)

    start_new_kernel = run_sync(async_start_new_kernel)

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
        if pid is None:
            return None
        budget = self.cpu_per_cell or float("inf")
        if self.cpu_per_notebook:
            budget = min(budget, max(1.0, self.cpu_per_notebook - self._cpu_used))
        watchdog = CpuWatchdog(pid, budget, self.kill_grace)
        watchdog.start()
        return watchdog

    def process_message(self, msg, cell, cell_index):
        # Count every message that can add to or change outputs, whatever its kind, per cell and notebook.
        kind = msg.get("msg_type", "")
        if kind in ("stream", "display_data", "update_display_data", "execute_result", "error", "clear_output"):
            size = _message_size(msg.get("content", {}))
            used = self._cell_bytes.get(cell_index, 0)
            self._cell_bytes[cell_index] = used + size
            self._nb_bytes += size
            over_cell = used + size > self.max_output_bytes
            over_nb = self._nb_bytes > self.max_notebook_output_bytes
            if over_cell or over_nb:
                if not any(e["kind"] == "output_truncated" and e.get("cell") == cell_index + 1 for e in self._events):
                    limit = "cell" if over_cell else "notebook"
                    cap = self.max_output_bytes if over_cell else self.max_notebook_output_bytes
                    note = f"\n[grader: output truncated: more than {cap} bytes in this {limit}]\n"
                    cell.outputs.append(NotebookNode(output_type="stream", name="stdout", text=note))
                    self._events.append(
                        {"kind": "output_truncated", "cell": cell_index + 1, "detail": f"output flood ({limit})"}
                    )
                if kind == "error":  # keep the verdict-relevant fact that it raised, not its size
                    content = msg.get("content", {})
                    cell.outputs.append(_error_output(_safe_name(content.get("ename", "")), "(message truncated)"))
                return None
        return super().process_message(msg, cell, cell_index)

    # ------------------------------------------------------------------ deaths
    def _on_death(self, cell, index: int, code: int | None, timed_out: bool, part: str) -> None:
        why = _describe_exit(code)
        if timed_out:
            self._event(
                "timeout", index, cell, f"used more than {self.cpu_per_cell:g} s of CPU time and ignored the interrupt"
            )
            why = "it was stopped after exceeding its CPU-time budget"
        elif code == MEMORY_KILLED:
            self._event(
                "memory", index, cell, f"memory limit{self.memory_limit_text} reached by the kernel's processes"
            )
        else:
            self._event("kernel_died", index, cell, why)
        cell.outputs = [_error_output("KernelDied", f"the kernel stopped while running this cell ({why})")]
        self._problem(cell, part, f"stopped the kernel ({why})")
        self._dead_cells.add(index)
        self._recover(replay_until=index)

    def _recover(self, replay_until: int) -> None:
        if self._restarts >= self.max_restarts:
            self._gave_up = True
            with contextlib.suppress(Exception):
                self._restart(replay_until=None)
            return
        self._restarts += 1
        self._restart(replay_until=replay_until)

    def _restart(self, replay_until: int | None) -> None:
        """Start a fresh kernel and replay the cells before ``replay_until`` (visible parts only), quietly."""
        try:
            self._cleanup_kernel()
        except Exception as exc:  # noqa: BLE001 - the old kernel is dead; cleaning it is best effort
            self.log.debug("cleanup after kernel death: %s", exc)
        self.km = self.create_kernel_manager()
        self.start_new_kernel()
        self.start_new_kernel_client()
        if replay_until is None:
            return
        for earlier in range(min(replay_until, len(self.nb.cells))):
            if self._over_wall_budget():
                self._gave_up = True
                return
            cell = self.nb.cells[earlier]
            if cell.cell_type != "code" or not cell.source.strip() or earlier in self._dead_cells:
                continue
            source = split_test_source(cell.source)[0] if is_test_cell(cell) else cell.source
            watchdog = self._start_watchdog()
            try:
                self._run_quietly(source, timeout=self.timeout or None)
                if is_test_cell(cell):
                    self._run_quietly("", timeout=30, user_expressions={"answers": TAKE_EXPRESSION})
            except Exception as exc:  # noqa: BLE001 - a replay failure only means later cells may fail
                self.log.warning("replaying cell %d after a kernel death failed: %s", earlier + 1, exc)
                if not run_sync(self.km.is_alive)():
                    self._gave_up = True
                    return
            finally:
                if watchdog is not None:
                    self._cpu_used += watchdog.stop()

    def _run_quietly(self, source: str, timeout: float | None = 30, **extra) -> tuple[dict, str, list]:
        """Execute ``source`` outside the notebook; return (reply content, stdout text, error outputs)."""
        texts: list[str] = []
        errors: list = []

        def hook(msg):
            kind = msg["msg_type"]
            if kind == "stream" and msg["content"].get("name") == "stdout":
                if sum(map(len, texts)) < 100_000:
                    texts.append(msg["content"]["text"])
            elif kind == "error":
                errors.append(msg["content"])

        reply = run_sync(self.kc.execute_interactive)(
            source,
            store_history=False,
            allow_stdin=False,
            timeout=timeout,
            output_hook=hook,
            stop_on_error=False,
            **extra,
        )
        return reply["content"], "".join(texts), errors


def reference_answers(source: Path, parent: Execute | None = None, **config) -> dict:
    """Every test cell's reference answers: run the instructor's notebook ``source`` once (cached per content).

    ``parent`` (an executor) lends its configuration, so the reference kernel is started the same way as
    students' kernels (same kernel spec, budgets, sandbox); ``config`` overrides GradingExecute traits.
    """
    text = source.read_text(encoding="utf-8")
    key = hashlib.sha256(text.encode()).hexdigest() + json.dumps(sorted(config.items()), default=str)
    if key not in _reference_cache:
        nb = nbformat.reads(text, as_version=4)
        runner = GradingExecute(config=parent.config if parent is not None else None, **config)
        resources = {"cnn_reference_run": True, "nbgrader": {"notebook": source.stem}}
        _nb, resources = runner.preprocess(copy.deepcopy(nb), resources)
        records = resources["cnn_records"]
        missing = [gid for gid, parts in records.items() if any(r is None for r in parts.values())]
        if missing:
            raise RuntimeError(f"the source notebook {source} gave no readable answers in {missing}")
        _reference_cache[key] = records
    return _reference_cache[key]


def write_reference_file(source: Path, target: Path, parent: Execute | None = None, **config) -> None:
    """Run ``source`` once and save its reference answers to ``target`` (for ``reference_file``)."""
    save_references(reference_answers(source, parent, **config), target)
