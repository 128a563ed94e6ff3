"""The one protocol between a kernel being graded and the grader: a test cell's answers, as data.

While a notebook is autograded, every check in ``cnnlib.grading`` appends a *record* to this
module's list: which check (``kind``), its ``name``, the value the student's code produced
(``got``) and the check's parameters (tolerances, the expected shape or type, ...). The grader
takes the records after each part of a test cell with :func:`take` and decodes them with
:func:`decode`. It never trusts the kernel's verdict: it compares the student's ``got`` with the
records of the instructor's solution, run in a separate kernel, using the *solution's*
parameters. A student's code can therefore only change its own answers.

Wire format (version ``PROTOCOL``): a JSON object ``{"protocol": 1, "records": [...], "dropped": n}``;
each record is ``{"kind": str, "name": str, "got": VALUE, "params": {str: VALUE}}``. A VALUE is
JSON (``null``, booleans, finite numbers, strings, lists, objects with string keys) or one of the
tagged objects ``{"$float": "nan" | "inf" | "-inf"}``, ``{"$tuple": [VALUE, ...]}``,
``{"$array": base64 of an .npy file}`` (numeric or boolean dtypes only, never pickles), or
``{"$other": type name}`` for anything else. Strings are cut at ``MAX_STRING`` characters and a
message at ``MAX_BYTES``; records past that are counted in ``dropped``.
"""

from __future__ import annotations

import base64
import io
import json
import math
import os
from typing import Any

import numpy as np

PROTOCOL = 1
MAX_BYTES = 32 << 20
MAX_STRING = 2000
MAX_RECORDS = 10_000
GRADING_ENV = "NBGRADER_EXECUTION"  # set to "autograde" by nbgrader (and the grader) while grading

_records: list[dict] = []
_dropped = 0


def grading() -> bool:
    """True while nbgrader autogrades this kernel (only then are answers recorded)."""
    return os.environ.get(GRADING_ENV) == "autograde"


def encode_value(value: Any, depth: int = 0) -> Any:
    """``value`` as wire-format JSON (see the module docstring)."""
    if depth > 20:
        return {"$other": "nested too deeply"}
    if hasattr(value, "detach") and hasattr(value, "cpu"):  # a torch tensor, without importing torch
        value = value.detach().cpu().numpy()
    if value is None or isinstance(value, (bool, str)):
        return value[:MAX_STRING] if isinstance(value, str) else value
    if isinstance(value, (int, np.integer)) and not isinstance(value, np.bool_):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biufc":
            return {"$other": f"ndarray of dtype {value.dtype}"}
        buffer = io.BytesIO()
        np.save(buffer, np.asarray(value, order="C"), allow_pickle=False)  # keeps 0-d arrays 0-d
        return {"$array": base64.b64encode(buffer.getvalue()).decode("ascii")}
    if isinstance(value, tuple):
        return {"$tuple": [encode_value(v, depth + 1) for v in value]}
    if isinstance(value, list):
        return [encode_value(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {str(k)[:MAX_STRING]: encode_value(v, depth + 1) for k, v in value.items()}
    return {"$other": type(value).__name__[:200]}


def record(kind: str, name: str, got: Any, **params: Any) -> None:
    """Append one check's answer (a no-op unless the notebook is being autograded)."""
    global _dropped
    if not grading():
        return
    if len(_records) >= MAX_RECORDS:
        _dropped += 1
        return
    try:
        entry = {"kind": kind, "name": str(name)[:MAX_STRING], "got": encode_value(got), "params": encode_value(params)}
    except Exception as exc:  # noqa: BLE001 - an answer that cannot be encoded is recorded as such
        entry = {"kind": kind, "name": str(name)[:MAX_STRING], "got": {"$other": f"unencodable ({exc!r})"[:200]}}
        entry["params"] = {}
    _records.append(entry)


def take() -> str:
    """The records since the last call, as one protocol message (JSON text); clears them."""
    global _dropped
    kept, size = [], 0
    for entry in _records:
        text = json.dumps(entry)
        if size + len(text) > MAX_BYTES:
            _dropped += 1
            continue
        kept.append(entry)
        size += len(text)
    message = json.dumps({"protocol": PROTOCOL, "records": kept, "dropped": _dropped})
    _records.clear()
    _dropped = 0
    return message


class ProtocolError(ValueError):
    """A message that does not follow the protocol (treated as no answer at all)."""


def decode_value(value: Any) -> Any:
    """A wire-format JSON value back as Python (arrays as NumPy arrays); raise ProtocolError."""
    if isinstance(value, list):
        return [decode_value(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((tag, inner),) = value.items()
        if tag == "$float" and inner in ("nan", "inf", "-inf"):
            return float(inner)
        if tag == "$tuple" and isinstance(inner, list):
            return tuple(decode_value(v) for v in inner)
        if tag == "$array" and isinstance(inner, str):
            try:
                array = np.load(io.BytesIO(base64.b64decode(inner, validate=True)), allow_pickle=False)
            except Exception as exc:  # noqa: BLE001 - any malformed array is a protocol error
                raise ProtocolError(f"malformed array: {type(exc).__name__}") from None
            if array.dtype.kind not in "biufc":
                raise ProtocolError("array of a non-numeric dtype")
            return array
        if tag == "$other":
            return Other(str(inner)[:200])
    return {str(k): decode_value(v) for k, v in value.items()}


class Other(str):
    """A value the kernel could not send as data (only its type name came across)."""


def decode(message: str | bytes) -> list[dict]:
    """Parse one message from :func:`take` into records with decoded values; raise ProtocolError."""
    if len(message) > MAX_BYTES + (1 << 20):
        raise ProtocolError("message too large")
    try:
        data = json.loads(message)
    except (ValueError, TypeError) as exc:
        raise ProtocolError(f"not JSON: {type(exc).__name__}") from None
    if not isinstance(data, dict) or data.get("protocol") != PROTOCOL or not isinstance(data.get("records"), list):
        raise ProtocolError("not a protocol message")
    records = []
    for entry in data["records"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("kind"), str):
            raise ProtocolError("record without a kind")
        params = decode_value(entry.get("params", {}))
        records.append(
            {
                "kind": entry["kind"],
                "name": str(entry.get("name", ""))[:MAX_STRING],
                "got": decode_value(entry.get("got")),
                "params": params if isinstance(params, dict) else {},
            }
        )
    if data.get("dropped"):
        records.append({"kind": "dropped", "name": "", "got": int(data["dropped"]), "params": {}})
    return records
