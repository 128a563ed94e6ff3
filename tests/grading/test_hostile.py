"""Hostile and broken submissions through the grading command (``python -m cnninstructor.autograde``).

One scratch course with the small ``toy`` assignment receives a control pair (a correct and a
blank submission) and one submission per hostile fixture; the command grades them all at once
with two workers and the tests below check each student's status line, exported grade, and
that no point was earned that the code did not earn. The controls prove that no fixture stops
or changes anybody else's grading.

toy: ``add`` (test_add, 2 points), ``scale`` (test_scale, 3 points), a written answer (1 point).
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import hostile_fixtures as hf
import pytest

# one worker grades the shared 25-student course once (module fixture `graded`) under `--dist loadgroup`
pytestmark = [pytest.mark.hostile, pytest.mark.grading, pytest.mark.xdist_group("hostile")]

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="the grading sandbox needs root (CI runs as root)")

WRONG_ADD = 'def add(a, b):\n    """Elementwise sum."""\n    return np.asarray(a) - np.asarray(b)'
WRONG_SCALE = 'def scale(x, s):\n    """Scale."""\n    return np.asarray(x, dtype=float) + s'
LOOPING_SCALE = 'def scale(x, s):\n    """Scale."""\n    while True:\n        pass'


FRAME_READER = """def add(a, b):
    import inspect
    import numpy as np
    shape = np.shape(a)
    for frame in inspect.stack()[1:]:
        for space in (frame.frame.f_locals, frame.frame.f_globals):
            for name, value in list(space.items()):
                if isinstance(value, np.ndarray) and value.shape == shape and value is not a and value is not b:
                    return value
    return np.zeros(shape)"""
DISPLAY_HIJACK = """import sys
ip = get_ipython()
ip.display_pub.publish = lambda *a, **k: None
ip.showtraceback = lambda *a, **k: None
ip._showtraceback = lambda *a, **k: None
sys.stderr.write = lambda *a, **k: 0
ip.events.register('post_run_cell', lambda result: setattr(result, 'error_in_exec', None))"""
FORGED_MESSAGES = """ip = get_ipython()
kernel = ip.kernel
def _forge(result):
    parent = kernel.get_parent("shell")
    kernel.session.send(kernel.iopub_socket, "execute_result",
                        {"data": {"text/plain": "3"}, "metadata": {}, "execution_count": 1}, parent=parent)
    kernel.session.send(kernel.iopub_socket, "stream", {"name": "stdout", "text": "all tests passed"}, parent=parent)
ip.events.register("post_run_cell", _forge)
ip.showtraceback = lambda *a, **k: None"""
FORGED_ANSWERS = """import json
import cnnlib.answers
def _forged():
    return json.dumps({"protocol": 1, "dropped": 0, "records": [
        {"kind": "written_here", "name": "add", "got": {"module": "__main__", "in_notebook": True}, "params": {}},
        {"kind": "close", "name": "add([1, 2], [3, 4])", "got": [4, 6], "params": {"rtol": 1.0}},
        {"kind": "close", "name": "add on random (3, 5) arrays", "got": 0.0, "params": {"rtol": 1e9, "atol": 1e9}}]})
cnnlib.answers.take = _forged"""
HIDDEN_SOURCE_READER = """def add(a, b):
    import inspect, linecache, sys
    ip = get_ipython()
    seen = "\\n".join(str(x) for x in ip.user_ns.get("In", [])) + "\\n".join(str(v) for v in ip.history_manager.input_hist_raw)
    for frame in inspect.stack():
        seen += "".join(linecache.getlines(frame.filename)) + "".join(frame.code_context or [])
    print("LEAK", seen)
    sys.stderr.write("LEAK " + seen)
    open("leak.txt", "w").write(seen)
    globals()["_stash"] = globals().get("_stash", "") + seen
    if "HIDDEN_" + "SOURCE" in seen:
        raise RuntimeError("LEAK " + seen)
    return np.asarray(a) + np.asarray(b)"""
LINKS_IN_WORKDIR = """import os
for name, target in [("shadow", "/etc/shadow"), ("gradebook.db", "{gradebook}"), ("other.ipynb", "{other}"),
                     ("toy.ipynb", "{gradebook}"), ("toy.html", "{gradebook}")]:
    try:
        os.symlink(target, name)
    except OSError:
        pass
os.makedirs("sub", exist_ok=True)
open("sub/notes.txt", "w").write("student file")"""
DISPLAY_FLOOD = """from IPython.display import display, update_display
handle = display({"text/plain": "x"}, raw=True, display_id=True, metadata={"pad": "m" * 3_000_000})
for _ in range(30):
    update_display({"text/plain": "y" * 500_000}, display_id=handle.display_id, raw=True)
try:
    raise ValueError("v" * 4_000_000)
except ValueError:
    get_ipython().showtraceback()"""
FILE_HOARD = """for name in ("big1.bin", "/tmp/big2.bin"):
    try:
        with open(name, "wb") as fh:
            for _ in range(60):
                fh.write(b"0" * (1 << 20))
    except OSError:
        pass"""
MEMORY_TREE = """import os, time
children = []
for _ in range(16):
    pid = os.fork()
    if pid == 0:
        try:
            hoard = bytearray(120 * 1024 * 1024)  # under the per-process limit; sixteen of them are not
            for i in range(0, len(hoard), 4096):
                hoard[i] = 1
            time.sleep(20)
        finally:
            os._exit(0)
    children.append(pid)
for pid in children:
    os.waitpid(pid, 0)"""
SCRIPT_OUTPUT = """from IPython.display import HTML, display
display(HTML("<script>alert('SCRIPT-IN-OUTPUT')</script>"))
print("<script>alert('SCRIPT-IN-STDOUT')</script>")"""
EXCEPTION_NAME_LEAK = """def add(a, b):
    import inspect
    caller = "".join(inspect.stack()[1].code_context or [])
    if "REFERENCE" in caller:  # only a hidden check passes REFERENCE: name the exception after what it saw
        raise type("LEAK" + "NAME_" + "".join(ch for ch in caller if ch.isalnum())[:60], (Exception,), {})()
    return np.asarray(a) + np.asarray(b)"""
IMAGE_METADATA_SCRIPT = """import base64
from IPython.display import display
dot = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001a5f645400000000049454e44ae426082")).decode()
display({"image/png": dot, "text/plain": "a dot"}, raw=True, metadata={"image/png": {"width": "1 onload=alert('IMG-ONLOAD')"}})"""
REPLY_BOMB = """import cnnlib.answers
class _Huge:
    def __repr__(self):
        return "[" + "0," * 2_000_000 + "]"
cnnlib.answers.take = lambda: _Huge()"""
LOCK_SOCKET_FOLDER = """import json, os
try:
    folder = os.path.dirname(json.load(open(os.path.expanduser("~/kernel-connection.json")))["ip"])
    os.chmod(folder, 0o500)
except OSError:
    pass"""
SCRIPT_MARKDOWN = "Because <script>alert('SCRIPT-IN-MARKDOWN')</script> elementwise addition pairs elements."


def _fixtures(root: Path) -> dict[str, object]:
    """student name -> submission (a notebook dict, raw bytes/text, None for an empty folder, or (name, nb))."""
    good = hf.solved(root)
    wrong_both = hf.with_cell(hf.with_cell(good, "add", WRONG_ADD), "scale", WRONG_SCALE)
    paths = {
        "solution": root / "solutions" / hf.TOY / f"{hf.TOY}.ipynb",
        "gradebook": root / "gradebook.db",
        "other": root / "submitted" / "control_solved" / hf.TOY / f"{hf.TOY}.ipynb",
    }
    spy = (
        "import os\nresults = {}\n"
        f"for label, path in {{k: str(v) for k, v in {paths!r}.items()}}.items():\n"
        "    try:\n        open(path, 'rb').read(10)\n        results[label] = 'READ'\n"
        "    except OSError as exc:\n        results[label] = 'denied'\n"
        "print('SPY-READ', sorted(results.items()))"
    ).replace("PosixPath(", "(")
    vandal = (
        "results = {}\n"
        f"targets = {{'gradebook': {str(paths['gradebook'])!r}, 'other': {str(paths['other'])!r}, "
        f"'other_folder': {str(paths['other'].parent / 'planted.txt')!r}, 'course': {str(root / 'planted.txt')!r}}}\n"
        "for label, path in targets.items():\n"
        "    try:\n        with open(path, 'ab') as fh:\n            fh.write(b'x')\n        results[label] = 'WROTE'\n"
        "    except OSError:\n        results[label] = 'denied'\n"
        "print('SPY-WRITE', sorted(results.items()))"
    )
    return {
        "control_solved": good,
        "control_blank": hf.released(root),
        "malformed_json": '{"cells": [{"cell_type": "code", ',
        "empty_file": b"",
        "missing_notebook": None,
        "renamed_notebook": ("toy-Copy1.ipynb", good),
        "deleted_test_cell": hf.without_cell(hf.with_cell(good, "scale", WRONG_SCALE), "test_scale"),
        "stripped_metadata": hf.stripped(good),
        "edited_test_cell": hf.with_cell(hf.with_cell(good, "add", WRONG_ADD), "test_add", "print('all tests passed')"),
        "loop_top_level": hf.with_inserted(good, "add", "while True:\n    pass"),
        "loop_in_function": hf.with_cell(good, "scale", LOOPING_SCALE),
        "loop_ignores_interrupt": hf.with_inserted(
            good,
            "add",
            "while True:\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        pass",
        ),
        "os_exit": hf.with_inserted(good, "test_add", "import os\nos._exit(3)"),
        "sys_exit": hf.with_inserted(good, "add", "import sys\nsys.exit(0)"),
        "memory_bomb": hf.with_inserted(
            good, "add", "hoard = []\nwhile True:\n    hoard.append(bytearray(64 * 1024 * 1024))"
        ),
        "output_flood": hf.with_inserted(good, "add", "for _ in range(40):\n    print('spam' * 250_000)"),
        "patch_grading_helpers": hf.with_inserted(
            wrong_both,
            "scale",
            "import cnnlib.grading\ncnnlib.grading.check_close = lambda *args, **kwargs: None\n"
            "check_close = lambda *args, **kwargs: None",
        ),
        "patch_numpy": hf.with_inserted(
            wrong_both,
            "scale",
            "import numpy, numpy.testing\nnumpy.allclose = lambda *a, **k: True\n"
            "numpy.testing.assert_allclose = lambda *a, **k: None\nnumpy.isclose = lambda a, b, *r, **k: numpy.ones(numpy.shape(a), bool)",
        ),
        "patch_traceback_display": hf.with_inserted(
            wrong_both,
            "scale",
            "ip = get_ipython()\nip.showtraceback = lambda *a, **k: None\nip._showtraceback = lambda *a, **k: None\n"
            "ip.events.register('post_run_cell', lambda result: setattr(result, 'error_in_exec', None))",
        ),
        "swallow_errors_transformer": hf.with_inserted(
            wrong_both,
            "scale",
            "def _swallow(lines):\n    body = ['    ' + line for line in lines] or ['    pass\\n']\n"
            "    return ['try:\\n'] + body + ['\\nexcept BaseException:\\n    pass\\n']\n"
            "get_ipython().input_transformers_post.append(_swallow)",
        ),
        "shadow_module_file": ("numpy.py", "raise SystemExit('shadowed')"),  # extra file next to a good notebook
        # -- full marks from a blank notebook? each of these scores 0 on the cells it does not solve
        "frame_reader": hf.with_cell(good, "add", FRAME_READER),
        "display_hijack": hf.with_inserted(wrong_both, "scale", DISPLAY_HIJACK),
        "forged_messages": hf.with_inserted(hf.released(root), "setup", FORGED_MESSAGES),
        "forged_answers": hf.with_inserted(hf.released(root), "setup", FORGED_ANSWERS),
        "link_notebook": ("LINK", paths["other"]),
        "link_to_gradebook": ("LINK", paths["gradebook"]),
        # -- hidden tests never leave the grader
        "hidden_source_reader": hf.with_cell(good, "add", HIDDEN_SOURCE_READER),
        "wrong_add_honest": hf.with_cell(good, "add", WRONG_ADD),
        # -- reading and writing outside the submission through the grader
        "links_in_workdir": hf.with_inserted(
            good, "add", LINKS_IN_WORKDIR.format(**{k: str(v) for k, v in paths.items()})
        ),
        "fifo_next_to_notebook": ("FIFO", good),
        "fifo_in_workdir": hf.with_inserted(good, "add", "import os\nos.mkfifo('pipe')\nos.mkfifo('/tmp/pipe')"),
        # -- one submission slows or stops nobody else
        "display_flood": hf.with_inserted(good, "add", DISPLAY_FLOOD),
        "file_hoard": hf.with_inserted(good, "add", FILE_HOARD),
        "memory_tree": hf.with_inserted(good, "add", MEMORY_TREE),
        # -- output that attacks its reader
        "script_in_feedback": hf.with_cell(hf.with_inserted(good, "add", SCRIPT_OUTPUT), "q_shape", SCRIPT_MARKDOWN),
        "=HYPERLINK(1)": good,
        # -- found by the red team against the first version of this design
        "exit_97": hf.with_inserted(good, "add", "import os\nos._exit(97)"),
        "nesting_bomb": '{"cells": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "bad_timestamp": ("TIMESTAMP", good),
        "exception_name_leak": hf.with_cell(good, "add", EXCEPTION_NAME_LEAK),
        "image_metadata_script": hf.with_inserted(good, "add", IMAGE_METADATA_SCRIPT),
        "markdown_script_link": hf.with_cell(good, "q_shape", "Because [pairs](javascript:alert('MD-LINK')) line up."),
        "reply_bomb": hf.with_inserted(hf.released(root), "setup", REPLY_BOMB),
        "lock_socket_folder": hf.with_inserted(good, "add", LOCK_SOCKET_FOLDER),
        "hard_link_notebook": ("HARDLINK", paths["solution"]),
        "read_secrets": hf.with_inserted(good, "add", spy),
        "write_gradebook_and_others": hf.with_inserted(good, "add", vandal),
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    if os.geteuid() != 0:
        pytest.skip("the grading sandbox needs root (CI runs as root)")
    root = hf.make_course(tmp_path_factory.mktemp("hostile") / "course")
    fixtures = _fixtures(root)
    for student, sub in fixtures.items():
        if student == "shadow_module_file":
            folder = hf.submit(root, student, hf.solved(root))
            (folder / sub[0]).write_text(sub[1])
        elif isinstance(sub, tuple) and sub[0] == "LINK":
            folder = hf.submit(root, student, None)
            (folder / f"{hf.TOY}.ipynb").symlink_to(sub[1])
        elif isinstance(sub, tuple) and sub[0] == "HARDLINK":
            folder = hf.submit(root, student, None)
            os.link(sub[1], folder / f"{hf.TOY}.ipynb")
        elif isinstance(sub, tuple) and sub[0] == "TIMESTAMP":
            folder = hf.submit(root, student, sub[1])
            (folder / "timestamp.txt").write_text("not a date at all")
        elif isinstance(sub, tuple) and sub[0] == "FIFO":
            folder = hf.submit(root, student, sub[1])
            os.mkfifo(folder / "pipe")
        elif isinstance(sub, tuple):
            hf.submit(root, student, sub[1], name=sub[0])
        else:
            hf.submit(root, student, sub)
    gradebook_before = (root / "gradebook.db").stat().st_size
    other = root / "submitted" / "control_solved" / hf.TOY / f"{hf.TOY}.ipynb"
    other_before = other.read_bytes()
    report = root.parent / "report.json"
    done = hf.run_autograde(
        root,
        hf.TOY,
        "--workers",
        "2",
        "--cpu-per-cell",
        "3",
        "--wall-per-cell",
        "30",
        "--memory",
        "1G",
        "--json",
        str(report),
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert report.exists(), (
        f"the grading command crashed (exit {done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    outcomes = {o["student"]: o for o in json.loads(report.read_text())}
    return {
        "root": root,
        "stdout": done.stdout,
        "grades": hf.read_grades(root),
        "outcomes": outcomes,
        "gradebook_before": gradebook_before,
        "other_before": other_before,
    }


def _row(graded, student):
    return graded["grades"][student]


def _why(graded, student) -> str:
    return "; ".join(graded["outcomes"][student]["reasons"])


def _autograded_text(graded, student) -> str:
    path = graded["root"] / "autograded" / student / hf.TOY / f"{hf.TOY}.ipynb"
    return path.read_text()


def _printed(graded, student) -> str:
    """Everything the student's notebook printed while being graded (stream outputs only)."""
    nb = json.loads(_autograded_text(graded, student))
    return "".join(
        "".join(o.get("text", ""))
        for c in nb["cells"]
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream"
    )


def _feedback(graded, student) -> str:
    path = graded["root"] / "feedback" / student / hf.TOY / f"{hf.TOY}.html"
    return path.read_text() if path.exists() else ""


def _line(graded, student) -> str:
    return next(line for line in graded["stdout"].splitlines() if line.startswith(student + " "))


def test_every_student_gets_one_status_line(graded):
    for student in _fixtures(graded["root"]):
        assert _line(graded, student)
    assert f"{len(_fixtures(graded['root']))} submissions of toy" in graded["stdout"]


def test_controls_are_graded_exactly(graded):
    assert _row(graded, "control_solved")["auto_score"] == "5"
    assert _row(graded, "control_solved")["status"] == "needs manual grading"  # the written answer
    assert "q_shape" in _row(graded, "control_solved")["needs_manual"]
    assert _row(graded, "control_blank")["auto_score"] == "0"
    assert _row(graded, "control_blank")["status"] == "graded"


@pytest.mark.parametrize(
    ("student", "reason"),
    [
        ("malformed_json", "not valid JSON"),
        ("empty_file", "empty file"),
        ("missing_notebook", "missing file toy.ipynb"),
        ("renamed_notebook", "toy-Copy1.ipynb instead (renamed?)"),
    ],
)
def test_unreadable_submissions_are_not_graded_not_zero(graded, student, reason):
    row = _row(graded, student)
    assert row["status"] == "could not be graded"
    assert row["score"] == ""  # distinct from an earned 0
    assert reason in row["details"]
    assert "could not be graded" in _line(graded, student)
    assert not (graded["root"] / "autograded" / student).exists()


def test_deleted_test_cell_is_restored_and_flagged(graded):
    row = _row(graded, "deleted_test_cell")
    assert "deleted cell(s) test_scale restored" in row["details"]
    assert row["status"] == "needs manual grading"
    assert row["auto_score"] == "2"  # scale is wrong: the restored test_scale fails


def test_stripped_metadata_is_restored_and_flagged(graded):
    row = _row(graded, "stripped_metadata")
    assert "nbgrader metadata removed; restored" in row["details"]
    assert row["auto_score"] == "5"


def test_edited_test_cell_is_restored_from_the_source(graded):
    row = _row(graded, "edited_test_cell")
    assert row["auto_score"] == "3"  # test_add restored (and fails on the wrong add); test_scale passes
    assert "all tests passed" not in _autograded_text(graded, "edited_test_cell")


@pytest.mark.parametrize("student", ["loop_top_level", "loop_ignores_interrupt"])
def test_top_level_infinite_loop_times_out_and_the_rest_is_graded(graded, student):
    assert "timed out at cell" in _why(graded, student)
    assert _row(graded, student)["auto_score"] == "5"


def test_infinite_loop_in_a_graded_function_times_out_that_test_only(graded):
    why = _why(graded, "loop_in_function")
    assert "timed out at cell" in why and "test_scale" in why
    assert _row(graded, "loop_in_function")["auto_score"] == "2"


def test_os_exit_kills_one_cell_and_the_rest_is_graded(graded):
    why = _why(graded, "os_exit")
    assert "kernel died at cell" in why and "status 3" in why
    assert _row(graded, "os_exit")["auto_score"] == "5"


def test_sys_exit_is_an_ordinary_error(graded):
    assert _row(graded, "sys_exit")["auto_score"] == "5"
    assert "kernel died" not in _why(graded, "sys_exit")


def test_memory_bomb_is_stopped_by_the_memory_limit(graded):
    why = _why(graded, "memory_bomb")
    assert "memory limit at cell" in why
    assert _row(graded, "memory_bomb")["auto_score"] == "5"


def test_output_flood_is_truncated(graded):
    assert "output flood" in _why(graded, "output_flood")
    assert _row(graded, "output_flood")["auto_score"] == "5"
    assert len(_autograded_text(graded, "output_flood")) < 3_000_000


@pytest.mark.parametrize(
    "student",
    [
        "patch_grading_helpers",
        "patch_numpy",
        "patch_traceback_display",
        "swallow_errors_transformer",
        "display_hijack",
        "forged_messages",
        "forged_answers",
    ],
)
def test_what_a_kernel_does_to_itself_earns_nothing(graded, student):
    """Patched checks, NumPy, IPython's display, forged kernel messages or answers: the grader decides."""
    row = _row(graded, student)
    assert row["auto_score"] == "0", row


def test_a_function_reading_the_tests_frames_finds_no_expected_value(graded):
    assert _row(graded, "frame_reader")["auto_score"] == "3", _row(graded, "frame_reader")  # add fails, scale passes


@pytest.mark.parametrize("student", ["link_notebook", "link_to_gradebook"])
def test_a_link_in_place_of_the_notebook_is_refused_and_nothing_is_written_through_it(graded, student):
    row = _row(graded, student)
    assert row["status"] == "could not be graded" and "not a regular file" in row["details"], row
    assert (graded["root"] / "submitted" / "control_solved" / hf.TOY / f"{hf.TOY}.ipynb").read_bytes() == graded[
        "other_before"
    ]
    with sqlite3.connect(graded["root"] / "gradebook.db") as db:
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"


def test_hidden_source_never_reaches_the_student(graded):
    texts = _printed(graded, "hidden_source_reader") + _feedback(graded, "hidden_source_reader")
    assert "HIDDEN_SOURCE" not in texts and "_negative" not in texts
    assert _row(graded, "hidden_source_reader")["auto_score"] == "3"  # its add raised once it saw hidden code
    kept = {p.name for p in (graded["root"] / "autograded" / "hidden_source_reader" / hf.TOY).iterdir()}
    assert kept == {f"{hf.TOY}.ipynb"}, kept


def test_feedback_of_a_failed_hidden_check_names_the_check_and_kind_only(graded):
    page = _feedback(graded, "wrong_add_honest")
    assert "hidden check 1: wrong values" in page
    assert "expected" not in page.split("hidden check 1")[1][:200]
    assert "add([1, 2], [3, 4]): values differ" in page  # the visible check keeps its full message


def test_links_and_files_made_by_the_kernel_are_never_followed_or_kept(graded):
    root = graded["root"]
    for student in ("links_in_workdir", "file_hoard", "fifo_in_workdir", "fifo_next_to_notebook"):
        for kind, name in (("autograded", f"{hf.TOY}.ipynb"), ("feedback", f"{hf.TOY}.html")):
            folder = root / kind / student / hf.TOY
            assert {p.name for p in folder.iterdir()} == {name}, (student, kind)
            assert not (folder / name).is_symlink()
        assert _row(graded, student)["auto_score"] == "5", (student, _row(graded, student))
    assert "root:" not in _autograded_text(graded, "links_in_workdir")


def test_output_of_every_kind_is_bounded_per_notebook(graded):
    assert len(_autograded_text(graded, "display_flood")) < 7_000_000
    assert _row(graded, "display_flood")["auto_score"] == "5"
    assert "output flood" in _why(graded, "display_flood")


def test_memory_spread_over_processes_is_contained_and_the_rest_is_graded(graded):
    """The cgroup itself is tested in test_autograde_command; here: the tree is stopped, grading goes on."""
    row = _row(graded, "memory_tree")
    assert row["auto_score"] == "5", row


def test_scripts_from_a_submission_never_reach_a_feedback_page(graded):
    page = _feedback(graded, "script_in_feedback")
    assert "<script>alert" not in page
    assert _row(graded, "script_in_feedback")["auto_score"] == "5"


def test_a_kernel_exiting_with_the_sandboxs_own_status_stops_nobody(graded):
    assert _row(graded, "exit_97")["auto_score"] == "5"
    assert "kernel died" in _why(graded, "exit_97")
    assert _row(graded, "control_solved")["auto_score"] == "5"


@pytest.mark.parametrize(
    ("student", "status"), [("nesting_bomb", "could not be graded"), ("hard_link_notebook", "could not be graded")]
)
def test_unparsable_or_linked_files_are_refused_not_crashes(graded, student, status):
    assert _row(graded, student)["status"] == status, _row(graded, student)


def test_a_bad_timestamp_is_ignored_with_a_note(graded):
    row = _row(graded, "bad_timestamp")
    assert row["auto_score"] == "5" and "timestamp ignored" in row["details"]


def test_an_exception_raised_in_hidden_code_is_named_nowhere_the_student_looks(graded):
    page = _feedback(graded, "exception_name_leak")
    assert "LEAKNAME_" not in page and "hidden tests raised an exception" in page


@pytest.mark.parametrize(
    ("student", "pattern"),
    [("image_metadata_script", r"<img[^>]*\sonload\s*="), ("markdown_script_link", r"href\s*=\s*[\"']?\s*javascript:")],
)
def test_no_script_hides_in_image_metadata_or_markdown_links(graded, student, pattern):
    import re

    page = _feedback(graded, student)
    assert page and not re.search(pattern, page, re.IGNORECASE)
    assert "Content-Security-Policy" in page


def test_a_reply_that_is_not_one_string_is_refused_cheaply(graded):
    assert _row(graded, "reply_bomb")["auto_score"] == "0"


def test_a_locked_socket_folder_breaks_nobody_after_it(graded):
    assert _row(graded, "lock_socket_folder")["auto_score"] == "5"
    for student in graded["outcomes"]:
        if graded["outcomes"][student]["status"] == "could not be graded":
            assert student in _NOT_GRADABLE, (student, graded["outcomes"][student]["reasons"])


_NOT_GRADABLE = {
    "malformed_json",
    "empty_file",
    "missing_notebook",
    "renamed_notebook",
    "link_notebook",
    "link_to_gradebook",
    "nesting_bomb",
    "hard_link_notebook",
}


def test_a_student_id_cannot_become_a_spreadsheet_formula(graded):
    import csv

    with (graded["root"] / f"grades-{hf.TOY}.csv").open() as fh:
        ids = [row[0] for row in csv.reader(fh)]
    assert "'=HYPERLINK(1)" in ids and "=HYPERLINK(1)" not in ids


def test_extra_files_cannot_shadow_modules(graded):
    row = _row(graded, "shadow_module_file")
    assert row["auto_score"] == "5"
    assert "extra files not used for grading: numpy.py" in row["details"]


def test_student_code_cannot_read_solutions_gradebook_or_other_students(graded):
    printed = _printed(graded, "read_secrets")
    assert "SPY-READ [('gradebook', 'denied'), ('other', 'denied'), ('solution', 'denied')]" in printed
    assert _row(graded, "read_secrets")["auto_score"] == "5"


def test_student_code_cannot_write_gradebook_or_other_students(graded):
    printed = _printed(graded, "write_gradebook_and_others")
    assert "SPY-WRITE" in printed and "WROTE" not in printed and "denied" in printed
    root = graded["root"]
    assert not (root / "planted.txt").exists()
    assert not (root / "submitted" / "control_solved" / hf.TOY / "planted.txt").exists()
    with sqlite3.connect(root / "gradebook.db") as db:
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"


def test_gradebook_records_graded_students_only(graded):
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook("sqlite:///" + str(graded["root"] / "gradebook.db")) as gb:
        assert gb.find_submission(hf.TOY, "control_solved").score == 5
        for student in ("malformed_json", "empty_file", "missing_notebook", "renamed_notebook"):
            with pytest.raises(MissingEntry):
                gb.find_submission(hf.TOY, student)


def test_feedback_hides_hidden_tests_and_their_tracebacks(graded):
    root = graded["root"]
    pages = {p.parts[-3]: p.read_text() for p in (root / "feedback").glob(f"*/{hf.TOY}/{hf.TOY}.html")}
    assert len(pages) >= 15
    for student, html in pages.items():
        for hidden_line in ("HIDDEN_SOURCE_ADD", "HIDDEN_SOURCE_SCALE", "rng.normal(size=(3, 5))", "negative = -2.5"):
            assert hidden_line not in html, (student, hidden_line)
    # Where only test cells failed, no traceback is shown at all (a student's own cell may show its own).
    for student in ("control_blank", "patch_numpy", "deleted_test_cell", "hidden_source_reader"):
        assert "Traceback (most recent call last)" not in pages[student], student
