"""Checks used by the assignments' test cells.

In a student's own session every check works as a plain assertion: it raises
``CheckFailed`` (an ``AssertionError``) with a message written for the student: what was
expected, what came back, and where to look (the shape, the worst element and its relative
error, a hint).

While the notebook is autograded, every check also *records* the student's answer
(``cnnlib.answers``). The grader, outside the student's process, compares those answers with
the instructor's solution's answers to the same checks and decides every verdict itself; what
a check raises or prints in the student's kernel changes no score. A hidden check passes
``REFERENCE`` as its expected value: the expected value is then whatever the solution's code
produced for the same call, and it never enters the student's kernel.
"""

from __future__ import annotations

import inspect
import re
import sys
from typing import Any

import numpy as np

from cnnlib import answers, compare
from cnnlib.gradcheck import DEFAULT_FLOOR


class CheckFailed(AssertionError):
    """A graded check did not pass; the message says why."""


class _Reference:
    """The expected value of a hidden check: what the instructor's solution returns for the same call."""

    def __repr__(self) -> str:
        return "REFERENCE"


REFERENCE = _Reference()

# IPython names the code of a notebook cell after a file in its own temporary folder (ipykernel) or
# "<ipython-input-N-...>" (a plain IPython shell): code from anywhere else was imported.
_CELL_FILE = re.compile(r"(^<ipython-input-\d+-[0-9a-f]+>$)|([/\\]ipykernel_\d+[/\\][^/\\]+\.py$)")


def _to_numpy(value: Any) -> Any:
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    return value


def _fail(name: str, mismatch: compare.Mismatch | None, hint: str | None) -> None:
    __tracebackhide__ = True  # IPython leaves marked frames (but the raising one) out of tracebacks
    if mismatch is None:
        return
    message = f"{name}: {mismatch.detail}"
    if hint:
        message += f"\n  Look at: {hint}"
    raise CheckFailed(message)


def _type_name(t: type) -> str:
    return f"{t.__module__}.{t.__qualname__}"


def check_type(name: str, got: Any, expected_type: type | tuple[type, ...], hint: str | None = None) -> None:
    """Fail unless ``got`` is an instance of ``expected_type``."""
    __tracebackhide__ = True
    types = expected_type if isinstance(expected_type, tuple) else (expected_type,)
    allowed = [_type_name(t) for t in types]
    got_types = compare.type_names(got)
    # the value itself goes to the grader, which reads the type of data from it; the class names below
    # matter only for objects that cannot travel as data (a model, say)
    answers.record("type", name, {"value": _to_numpy(got), "mro": got_types}, allowed=allowed, hint=hint)
    _fail(name, compare.of_type(got_types, allowed), hint)


def check_shape(name: str, got: Any, expected_shape: tuple[int, ...], hint: str | None = None) -> None:
    """Fail unless ``got`` (an array or tensor) has exactly ``expected_shape`` (a tuple of ints)."""
    __tracebackhide__ = True
    got = _to_numpy(got)
    shape = getattr(got, "shape", None)
    shape = tuple(int(n) for n in shape) if shape is not None else None
    answers.record(
        "shape", name, got, expected=tuple(expected_shape), hint=hint
    )  # the array itself: the grader measures it
    _fail(name, compare.shape(shape, tuple(expected_shape), type(got).__name__), hint)


def check_equal(name: str, got: Any, expected: Any, hint: str | None = None) -> None:
    """Fail unless ``got == expected`` exactly (integers, strings, tuples, booleans; arrays element-wise)."""
    __tracebackhide__ = True
    got = _to_numpy(got)
    if expected is REFERENCE:
        answers.record("equal", name, got, reference=True, hint=hint)
        return
    expected = _to_numpy(expected)
    answers.record("equal", name, got, expected=expected, hint=hint)
    _fail(name, compare.equal(got, expected), hint)


def check_close(
    name: str,
    got: Any,
    expected: Any,
    rtol: float = 1e-7,
    atol: float = 0.0,
    floor: float = DEFAULT_FLOOR,
    hint: str | None = None,
) -> None:
    """Fail unless ``got`` matches ``expected`` element by element (arrays of any shape, or scalars).

    An element passes when ``|got - expected| <= atol`` or its relative error
    ``|got - expected| / max(floor, |got| + |expected|)`` is at most ``rtol``.
    On failure the message gives both shapes, the worst element's index, both values
    there, its relative error, and how many elements are off.
    """
    __tracebackhide__ = True
    got = _to_numpy(got)
    tolerances = {"rtol": float(rtol), "atol": float(atol), "floor": float(floor)}
    if expected is REFERENCE:
        answers.record("close", name, got, reference=True, **tolerances, hint=hint)
        return
    expected = np.asarray(_to_numpy(expected))
    answers.record("close", name, got, expected=expected, **tolerances, hint=hint)
    _fail(name, compare.close(got, expected, rtol, atol, floor), hint)


def check_true(name: str, condition: bool, message: str, hint: str | None = None) -> None:
    """Fail with ``message`` unless ``condition`` holds (for properties such as 'loss went down')."""
    __tracebackhide__ = True
    got = bool(condition) if isinstance(condition, (bool, np.bool_)) else condition
    got = got if isinstance(got, bool) else None
    answers.record("true", name, got, message=message, hint=hint)
    _fail(name, compare.true(got, message), hint)


def check_at_least(name: str, value: Any, minimum: float, hint: str | None = None) -> None:
    """Fail unless the number ``value`` (a scalar) is at least ``minimum`` (e.g. an accuracy)."""
    __tracebackhide__ = True
    value = _to_numpy(value)
    answers.record("at_least", name, value, minimum=float(minimum), hint=hint)
    _fail(name, compare.at_least(value, float(minimum), name), hint)


def check_at_most(name: str, value: Any, maximum: float, hint: str | None = None) -> None:
    """Fail unless the number ``value`` (a scalar) is at most ``maximum`` (e.g. a loss or a step count)."""
    __tracebackhide__ = True
    value = _to_numpy(value)
    answers.record("at_most", name, value, maximum=float(maximum), hint=hint)
    _fail(name, compare.at_most(value, float(maximum), name), hint)


def check_accuracy(name: str, predictions: Any, labels: Any, minimum: float, hint: str | None = None) -> None:
    """Fail unless at least a fraction ``minimum`` of ``predictions`` (N,) equals ``labels`` (N,).

    When graded, only the predictions are the student's answer: the labels and the bar come from
    the instructor's run of the same cell.
    """
    __tracebackhide__ = True
    predictions, labels = _to_numpy(predictions), np.asarray(_to_numpy(labels))
    answers.record("accuracy", name, predictions, labels=labels, minimum=float(minimum), hint=hint)
    _fail(name, compare.accuracy(predictions, labels, float(minimum)), hint)


def check_raises(name: str, fn: Any, exception: type[BaseException] = ValueError, hint: str | None = None) -> None:
    """Fail unless calling ``fn()`` raises ``exception`` (or a subclass of it)."""
    __tracebackhide__ = True
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - which exception it was is the answer
        got = compare.type_names(exc)
    else:
        got = None
    expected = _type_name(exception)
    answers.record("raises", name, got, expected=expected, hint=hint)
    _fail(name, compare.raised(got, expected), hint)


def provenance(obj: Any) -> dict[str, Any]:
    """Where ``obj`` (a function or class) was defined: its module, and whether that was a notebook cell."""
    module = getattr(obj, "__module__", None) or "unknown"
    code = getattr(inspect.unwrap(obj), "__code__", None) if callable(obj) else None
    if inspect.isclass(obj):
        members = [getattr(v, "__func__", v) for v in vars(obj).values()]  # staticmethod/classmethod unwrapped
        files = [m.__code__.co_filename for m in members if inspect.isfunction(m)]
    else:
        files = [code.co_filename] if code is not None else []
    in_notebook = module == "__main__" and bool(files) and all(_CELL_FILE.search(f) for f in files)
    return {"module": str(module), "in_notebook": in_notebook}


def library_calls(
    fn: Any, *args: Any, libraries: tuple[str, ...] = ("cnnlib", "torch"), **kwargs: Any
) -> tuple[Any, list[str]]:
    """Call ``fn(*args, **kwargs)``; return its result and the sorted ``'module.function'`` names of the
    functions of ``libraries`` (packages or modules, e.g. ``"cnnlib.models"``) that ran during the call.

    A test expects an empty list where an exercise asks for the student's own code. Functions defined
    in the notebook never count, whatever their names: what counts is the module they belong to.
    """
    called: set[str] = set()

    def watch(frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            module, function = frame.f_globals.get("__name__") or "", frame.f_code.co_name
        elif event == "c_call":
            module, function = getattr(arg, "__module__", None) or "", getattr(arg, "__name__", "?")
        else:
            return
        if any(module == library or module.startswith(library + ".") for library in libraries):
            called.add(f"{module}.{function}")

    previous = sys.getprofile()
    sys.setprofile(watch)
    try:
        result = fn(*args, **kwargs)
    finally:
        sys.setprofile(previous)
    return result, sorted(called)


def check_written_here(name: str, obj: Any, hint: str | None = None) -> None:
    """Fail unless the function or class ``obj`` was written in this notebook (not imported from a library)."""
    __tracebackhide__ = True
    where = provenance(obj)
    answers.record("written_here", name, where, defined=str(getattr(obj, "__name__", "")), hint=hint)
    _fail(name, compare.written_here(where), hint or "write it in its cell instead of importing one")
