"""The explicit protocol between the grader and a sandboxed kernel, in one place.

* Exit status: the sandbox launcher exits with ``SANDBOX_FAILED`` when it cannot isolate a kernel,
  so the grader can tell "the sandbox cannot start" from "the student's kernel died", and with
  ``MEMORY_KILLED`` when the kernel's process tree was killed at its memory cgroup's limit.
* Answers: after each part of a test cell the grader sends an empty, silent execute request whose
  user expression ``TAKE_EXPRESSION`` returns ``cnnlib.answers.take()``; the reply is decoded with
  :func:`decode_reply` (``cnnlib.answers`` defines the message format). Nothing in the reply is
  trusted beyond being the student's own answers.
* Results: the executor writes its events and verdicts into the autograded notebook's metadata under
  ``METADATA_KEY`` (a key it first removes from the submission), and the grading command reads them
  back with :func:`read_report`.
* Reference answers travel from the grading command to its workers in a JSON file
  (:func:`save_references`, :func:`load_references`).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

from cnnlib import answers

SANDBOX_FAILED = 97
MEMORY_KILLED = 98  # the kernel's memory cgroup reached its limit and the kernel was killed
METADATA_KEY = "cnn_grader"
TAKE_EXPRESSION = "__import__('cnnlib.answers', fromlist=['take']).take()"


def decode_reply(content: dict) -> list[dict] | None:
    """The student's records from an execute reply's content, or None when it holds none readable."""
    try:
        result = content["user_expressions"]["answers"]
        if result.get("status") != "ok":
            return None
        text = result["data"]["text/plain"]
        # take() returns a str, so its repr is one string literal; anything else (a huge nested list whose
        # parse would cost gigabytes) is refused before it is parsed.
        if not isinstance(text, str) or len(text) > 2 * answers.MAX_BYTES or not _one_string_literal(text):
            return None
        message = ast.literal_eval(text)
        if not isinstance(message, str):
            return None
        return answers.decode(message)
    except (KeyError, TypeError, ValueError, SyntaxError, MemoryError, RecursionError, answers.ProtocolError):
        return None


def _one_string_literal(text: str) -> bool:
    return len(text) >= 2 and text[0] in "'\"" and text[-1] == text[0] and "\n" not in text


def save_references(references: dict[str, dict[str, list[dict]]], path: Path) -> None:
    """Write reference records ``{grade_id: {part: records}}`` to ``path`` (JSON, wire-format values)."""
    encoded = {
        gid: {
            part: [
                {**r, "got": answers.encode_value(r["got"]), "params": answers.encode_value(r["params"])} for r in recs
            ]
            for part, recs in parts.items()
        }
        for gid, parts in references.items()
    }
    path.write_text(json.dumps({"protocol": answers.PROTOCOL, "references": encoded}))


def load_references(path: Path) -> dict[str, dict[str, list[dict]]]:
    """Read what :func:`save_references` wrote."""
    data = json.loads(path.read_text())
    if data.get("protocol") != answers.PROTOCOL:
        raise answers.ProtocolError(f"{path} was written by another version of the grader")
    return {
        gid: {
            part: [
                {**r, "got": answers.decode_value(r["got"]), "params": answers.decode_value(r["params"])} for r in recs
            ]
            for part, recs in parts.items()
        }
        for gid, parts in data["references"].items()
    }


def read_report(notebook: dict[str, Any]) -> dict[str, Any]:
    """The executor's events and verdicts from an autograded notebook (JSON as loaded)."""
    report = notebook.get("metadata", {}).get(METADATA_KEY)
    if not isinstance(report, dict):
        return {"events": [], "verdicts": {}, "missing": True}
    return report
