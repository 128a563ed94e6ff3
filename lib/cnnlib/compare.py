"""How each graded check compares an answer with what was expected: one definition for two callers.

``cnnlib.grading`` calls these in the student's kernel to explain a failed visible check; the
grader calls the same functions, outside the kernel, on the answers the kernel handed over (see
``cnnlib.answers``) to decide every verdict. Each returns ``None`` when the answer passes, else a
:class:`Mismatch`: a short ``kind`` (safe to show for a hidden check: it names no value) and a
``detail`` for visible checks (expected value, what came back, the worst element).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cnnlib.gradcheck import DEFAULT_FLOOR

WRONG_TYPE = "wrong type"
WRONG_SHAPE = "wrong shape"
WRONG_VALUES = "wrong values"
NOT_NUMBERS = "not numbers"
NO_EXCEPTION = "raised no exception"
WRONG_EXCEPTION = "raised the wrong exception"
CONDITION = "condition not met"
BELOW = "below the required value"
ABOVE = "above the allowed value"
NOT_WRITTEN_HERE = "not written in the notebook"


@dataclass(frozen=True)
class Mismatch:
    """Why an answer failed: ``kind`` names the class of failure, ``detail`` explains it."""

    kind: str
    detail: str


def fmt(value: Any, limit: int = 400) -> str:
    """A short printable form of ``value`` (arrays summarised), at most ``limit`` characters."""
    with np.printoptions(precision=6, suppress=True, threshold=60, edgeitems=3):
        text = repr(value) if not isinstance(value, np.ndarray) else np.array2string(value)
    return text if len(text) <= limit else text[:limit] + " ..."


def as_numbers(value: Any) -> np.ndarray | None:
    """``value`` as a float64 array (nested lists, numbers, arrays), or None when it holds no numbers."""
    if value is None or isinstance(value, (str, bytes, dict)):
        return None
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array


def close(got: Any, expected: Any, rtol: float, atol: float = 0.0, floor: float = DEFAULT_FLOOR) -> Mismatch | None:
    """Element-wise agreement: ``|got - expected| <= atol`` or relative error ``<= rtol``.

    The relative error is ``|got - expected| / max(floor, |got| + |expected|)``; NaN matches NaN only.
    """
    exp = as_numbers(expected)
    if exp is None:
        return Mismatch(NOT_NUMBERS, "the expected value holds no numbers")
    arr = as_numbers(got)
    if arr is None:
        what = "None (did the function return?)" if got is None else f"a {type(got).__name__}: {fmt(got)}"
        return Mismatch(NOT_NUMBERS, f"expected numbers of shape {exp.shape}, got {what}")
    if arr.shape != exp.shape:
        return Mismatch(WRONG_SHAPE, f"expected shape {exp.shape}, got shape {arr.shape}")
    if arr.size == 0:
        return None
    bad_nan = np.isnan(arr) & ~np.isnan(exp)
    if bad_nan.any():
        index = tuple(int(i) for i in np.argwhere(bad_nan)[0])
        return Mismatch(
            WRONG_VALUES,
            f"got NaN at index {index} ({int(bad_nan.sum())} NaN elements); expected {exp[index]:.6g} there",
        )
    with np.errstate(invalid="ignore"):
        diff = np.abs(arr - exp)
    diff = np.where(np.isnan(arr) & np.isnan(exp), 0.0, diff)
    diff = np.where(np.isinf(arr) & (arr == exp), 0.0, diff)
    with np.errstate(invalid="ignore"):
        rel = diff / np.maximum(floor, np.abs(arr) + np.abs(exp))
    rel = np.nan_to_num(rel, nan=np.inf)
    wrong = (diff > atol) & (rel > rtol)
    if not wrong.any():
        return None
    worst = np.unravel_index(int(np.argmax(np.where(wrong, rel, -1.0))), rel.shape)
    where = f" at index {tuple(int(i) for i in worst)}" if arr.ndim else ""
    detail = (
        f"values differ{where}: expected {exp[worst]:.6g}, got {arr[worst]:.6g} "
        f"(relative error {rel[worst]:.2e}, allowed {rtol:.0e}); {int(wrong.sum())} of {wrong.size} elements are off"
    )
    if arr.size <= 36:
        detail += f"\n  expected:\n{fmt(exp)}\n  got:\n{fmt(arr)}"
    return Mismatch(WRONG_VALUES, detail)


def equal(got: Any, expected: Any) -> Mismatch | None:
    """Exact equality for integers, strings, tuples and booleans (``True`` is not ``1``)."""
    if isinstance(expected, bool) or isinstance(got, (bool, np.bool_)):
        same = isinstance(got, (bool, np.bool_)) and isinstance(expected, bool) and bool(got) == expected
    elif isinstance(got, np.ndarray) or isinstance(expected, np.ndarray):
        return close(got, expected, rtol=0.0)
    else:
        try:
            same = bool(got == expected)
        except Exception:  # noqa: BLE001 - an answer whose == raises is simply not equal
            same = False
    return None if same else Mismatch(WRONG_VALUES, f"expected {fmt(expected)}, got {fmt(got)}")


def shape(got_shape: Any, expected_shape: tuple, got_type: str = "") -> Mismatch | None:
    """``got_shape`` (a tuple, or None for an answer without one) must equal ``expected_shape``."""
    expected_shape = tuple(int(n) for n in expected_shape)
    if got_shape is None:
        return Mismatch(WRONG_TYPE, f"expected an array of shape {expected_shape}, got a {got_type or 'value'}")
    if tuple(got_shape) != expected_shape:
        return Mismatch(WRONG_SHAPE, f"expected shape {expected_shape}, got shape {tuple(got_shape)}")
    return None


def type_names(value: Any) -> list[str]:
    """``module.qualname`` of every class in ``type(value)``'s method resolution order."""
    return [f"{c.__module__}.{c.__qualname__}" for c in type(value).__mro__]


_DATA_TYPES = (
    (bool, ["builtins.bool", "builtins.int", "numpy.bool"]),
    (int, ["builtins.int", "numpy.integer", "numpy.signedinteger", "numpy.int64"]),
    (float, ["builtins.float", "numpy.floating", "numpy.float64"]),
    (str, ["builtins.str"]),
    (tuple, ["builtins.tuple"]),
    (list, ["builtins.list"]),
    (dict, ["builtins.dict"]),
    (np.ndarray, ["numpy.ndarray"]),
    (type(None), ["builtins.NoneType"]),
)


def types_of_data(value: Any) -> list[str] | None:
    """Class names a decoded answer has as data (``None`` for an object that travelled by name only)."""
    from cnnlib.answers import Other

    if isinstance(value, Other):  # a str subclass holding a type name, not a string answer
        return None
    for kind, names in _DATA_TYPES:
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            return names
    return None


def shape_of_data(value: Any) -> tuple[int, ...] | None:
    """The shape of a decoded answer: an array's, a nested list's, () for a number; None for other things."""
    if isinstance(value, np.ndarray):
        return tuple(value.shape)
    array = as_numbers(value)
    return None if array is None else tuple(array.shape)


def of_type(got_types: Any, allowed: Any) -> Mismatch | None:
    """Pass when one of ``allowed`` (``module.qualname`` strings) is in ``got_types`` (from :func:`type_names`)."""
    got_types = list(got_types) if isinstance(got_types, (list, tuple)) else []
    allowed = list(allowed) if isinstance(allowed, (list, tuple)) else [allowed]
    if any(a in got_types for a in allowed):
        return None
    wanted = " or ".join(a.rsplit(".", 1)[-1] for a in allowed)
    got = str(got_types[0]).rsplit(".", 1)[-1] if got_types else "nothing"
    return Mismatch(WRONG_TYPE, f"expected an instance of {wanted}, got {got}")


def true(got: Any, message: str = "the condition does not hold") -> Mismatch | None:
    """Pass when ``got`` is exactly ``True`` (a bool)."""
    return None if got is True else Mismatch(CONDITION, message)


def raised(got_names: Any, expected: str) -> Mismatch | None:
    """``got_names`` lists the raised exception's classes (``module.qualname``), or is None when nothing was raised."""
    name = expected.rsplit(".", 1)[-1]
    if got_names is None:
        return Mismatch(NO_EXCEPTION, f"expected {name} to be raised, but the call returned normally")
    got_names = list(got_names) if isinstance(got_names, (list, tuple)) else [str(got_names)]
    if expected in got_names:
        return None
    shown = str(got_names[0]).rsplit(".", 1)[-1] if got_names else "an exception"
    return Mismatch(WRONG_EXCEPTION, f"expected {name}, got {shown}")


def at_least(got: Any, minimum: float, what: str = "the value") -> Mismatch | None:
    """``got`` must be a real number no smaller than ``minimum``."""
    value = as_numbers(got)
    if value is None or value.shape != ():
        return Mismatch(NOT_NUMBERS, f"expected a number for {what}, got {fmt(got)}")
    if not float(value) >= minimum:
        return Mismatch(BELOW, f"{what} is {float(value):.6g}, below the required {minimum:.6g}")
    return None


def at_most(got: Any, maximum: float, what: str = "the value") -> Mismatch | None:
    """``got`` must be a real number no larger than ``maximum``."""
    value = as_numbers(got)
    if value is None or value.shape != ():
        return Mismatch(NOT_NUMBERS, f"expected a number for {what}, got {fmt(got)}")
    if not float(value) <= maximum:
        return Mismatch(ABOVE, f"{what} is {float(value):.6g}, above the allowed {maximum:.6g}")
    return None


def accuracy(predictions: Any, labels: Any, minimum: float) -> Mismatch | None:
    """The fraction of ``predictions`` (N,) equal to ``labels`` (N,) must be at least ``minimum``."""
    pred, lab = as_numbers(predictions), as_numbers(labels)
    if lab is None:
        return Mismatch(NOT_NUMBERS, "no labels to compare with")
    if pred is None or pred.shape != lab.shape:
        got = "nothing" if pred is None else f"shape {pred.shape}"
        return Mismatch(WRONG_SHAPE, f"expected {lab.shape[0]} predicted labels, got {got}")
    acc = float(np.mean(pred == lab)) if lab.size else 0.0
    if acc < minimum:
        return Mismatch(BELOW, f"accuracy {acc:.2%}, below the required {minimum:.2%}")
    return None


def written_here(provenance: Any) -> Mismatch | None:
    """``provenance`` (from ``cnnlib.grading.provenance``) must say the object was defined in a notebook cell."""
    if isinstance(provenance, dict) and provenance.get("in_notebook") is True:
        return None
    where = provenance.get("module", "elsewhere") if isinstance(provenance, dict) else "elsewhere"
    return Mismatch(NOT_WRITTEN_HERE, f"it comes from {where}, not from a cell of this notebook")
