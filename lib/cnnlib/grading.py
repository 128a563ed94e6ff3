"""Checks used by the assignments' test cells.

Every check raises ``AssertionError`` (which nbgrader counts as a failed test) with a
message written for the student: what was expected, what came back, and where to look
(the shape, the worst element and its relative error, a hint). Values shown are those
of the check being run, never the source of a test.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnlib.gradcheck import DEFAULT_FLOOR


class CheckFailed(AssertionError):
    """A graded check did not pass; the message says why."""


def _to_numpy(value: Any) -> Any:
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    return value


def _fmt(value: Any, limit: int = 400) -> str:
    with np.printoptions(precision=6, suppress=True, threshold=60, edgeitems=3):
        text = repr(value) if not isinstance(value, np.ndarray) else np.array2string(value)
    return text if len(text) <= limit else text[:limit] + " ..."


def _fail(name: str, problem: str, hint: str | None) -> None:
    __tracebackhide__ = True  # IPython leaves marked frames (but the raising one) out of tracebacks
    message = f"{name}: {problem}"
    if hint:
        message += f"\n  Look at: {hint}"
    raise CheckFailed(message)


def check_type(name: str, got: Any, expected_type: type | tuple[type, ...], hint: str | None = None) -> None:
    """Fail unless ``got`` is an instance of ``expected_type``."""
    __tracebackhide__ = True  # IPython leaves marked frames (but the raising one) out of tracebacks
    if not isinstance(got, expected_type):
        types = expected_type if isinstance(expected_type, tuple) else (expected_type,)
        wanted = " or ".join(t.__name__ for t in types)
        _fail(name, f"expected an instance of {wanted}, got {type(got).__name__}: {_fmt(got)}", hint)


def check_shape(name: str, got: Any, expected_shape: tuple[int, ...], hint: str | None = None) -> None:
    """Fail unless ``got`` has exactly ``expected_shape`` (arrays and tensors)."""
    __tracebackhide__ = True  # IPython leaves marked frames (but the raising one) out of tracebacks
    got = _to_numpy(got)
    shape = getattr(got, "shape", None)
    if shape is None:
        _fail(
            name, f"expected an array of shape {tuple(expected_shape)}, got a {type(got).__name__}: {_fmt(got)}", hint
        )
    if tuple(shape) != tuple(expected_shape):
        _fail(
            name,
            f"expected shape {tuple(expected_shape)}, got shape {tuple(shape)}",
            hint or "the output-size rule: H' = floor((H + 2p - k) / s) + 1 for each spatial axis",
        )


def check_equal(name: str, got: Any, expected: Any, hint: str | None = None) -> None:
    """Fail unless ``got == expected`` exactly (integers, strings, tuples)."""
    __tracebackhide__ = True  # IPython leaves marked frames (but the raising one) out of tracebacks
    got = _to_numpy(got)
    if isinstance(got, np.ndarray) or isinstance(expected, np.ndarray):
        check_close(name, got, expected, rtol=0.0, atol=0.0, hint=hint)
        return
    if type(got) is bool or type(expected) is bool:
        same = got is expected or (isinstance(got, (bool, np.bool_)) and bool(got) == expected)
    else:
        same = got == expected
    if not same:
        _fail(name, f"expected {_fmt(expected)}, got {_fmt(got)}", hint)


def check_close(
    name: str,
    got: Any,
    expected: Any,
    rtol: float = 1e-7,
    atol: float = 0.0,
    floor: float = DEFAULT_FLOOR,
    hint: str | None = None,
) -> None:
    """Fail unless ``got`` matches ``expected`` element by element.

    An element passes when ``|got - expected| <= atol`` or its relative error
    ``|got - expected| / max(floor, |got| + |expected|)`` is at most ``rtol``.
    On failure the message gives both shapes, the worst element's index, both values
    there, its relative error, and how many elements are off.
    """
    __tracebackhide__ = True  # IPython leaves marked frames (but the raising one) out of tracebacks
    got = _to_numpy(got)
    expected = np.asarray(_to_numpy(expected))
    if got is None:
        _fail(name, f"expected an array of shape {expected.shape}, got None (did the function return?)", hint)
    try:
        got_arr = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(name, f"expected numbers of shape {expected.shape}, got a {type(got).__name__}: {_fmt(got)}", hint)
    if got_arr.shape != expected.shape:
        _fail(
            name,
            f"expected shape {expected.shape}, got shape {got_arr.shape}",
            hint or "the output-size rule, and whether an axis was summed or dropped",
        )
    exp_arr = expected.astype(np.float64)
    if got_arr.size == 0:
        return
    bad_nan = np.isnan(got_arr) & ~np.isnan(exp_arr)
    if bad_nan.any():
        index = tuple(int(i) for i in np.argwhere(bad_nan)[0])
        _fail(
            name,
            f"got NaN at index {index} ({int(bad_nan.sum())} NaN elements); expected {exp_arr[index]:.6g} there",
            hint or "overflow (exp of a large number) or 0/0",
        )
    diff = np.abs(got_arr - exp_arr)
    diff = np.where(np.isnan(got_arr) & np.isnan(exp_arr), 0.0, diff)
    rel = diff / np.maximum(floor, np.abs(got_arr) + np.abs(exp_arr))
    wrong = (diff > atol) & (rel > rtol)
    if not wrong.any():
        return
    worst = np.unravel_index(int(np.argmax(np.where(wrong, rel, -1.0))), rel.shape)
    where = f" at index {tuple(int(i) for i in worst)}" if got_arr.ndim else ""
    problem = (
        f"values differ{where}: expected {exp_arr[worst]:.6g}, got {got_arr[worst]:.6g} "
        f"(relative error {rel[worst]:.2e}, allowed {rtol:.0e}); "
        f"{int(wrong.sum())} of {wrong.size} elements are off"
    )
    if got_arr.size <= 36:
        problem += f"\n  expected:\n{_fmt(exp_arr)}\n  got:\n{_fmt(got_arr)}"
    _fail(name, problem, hint)


def check_true(name: str, condition: bool, message: str, hint: str | None = None) -> None:
    """Fail with ``message`` unless ``condition`` holds (for properties such as 'loss went down')."""
    __tracebackhide__ = True  # IPython leaves marked frames (but the raising one) out of tracebacks
    if not bool(condition):
        _fail(name, message, hint)


def check_raises(name: str, fn: Any, exception: type[BaseException] = ValueError, hint: str | None = None) -> None:
    """Fail unless calling ``fn()`` raises ``exception``."""
    __tracebackhide__ = True  # IPython leaves marked frames (but the raising one) out of tracebacks
    try:
        fn()
    except exception:
        return
    except Exception as exc:  # noqa: BLE001 - the student should see what was raised instead
        _fail(name, f"expected {exception.__name__}, got {type(exc).__name__}: {exc}", hint)
    _fail(name, f"expected {exception.__name__} to be raised, but the call returned normally", hint)
