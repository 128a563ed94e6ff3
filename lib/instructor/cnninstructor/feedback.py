"""nbgrader feedback that shows students why a test failed without showing the hidden tests.

nbgrader's default feedback renders the autograded notebook as it is: test cells with
their hidden tests, and error outputs whose tracebacks quote the failing lines. The
course configures ``GenerateFeedback`` (in nbgrader_config.py) to run nbgrader's own
``ClearHiddenTests`` and then ``HideTestTracebacks``, which keeps only the error's type
and message in every autograded test cell. Check messages from ``cnnlib.grading`` say
what was expected, what came back and where to look, so that message is what a student
needs; the lines of test code that produced it are not.
"""

from __future__ import annotations

from typing import Any

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

NOTE = "(the test code is hidden; the message above says what was checked)"


def _is_test_cell(cell: Any) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def sanitize_error(output: Any) -> Any:
    """Replace an error output's traceback with its one-line summary ``ename: evalue``."""
    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}", NOTE]
    return output


class HideTestTracebacks(Preprocessor):
    """Keep only ``ename: evalue`` of every error raised in an autograded test cell."""

    # nbconvert preprocessors are off unless enabled; this one is on by default.
    enabled = Bool(True, help="Reduce test-cell errors in feedback to 'ename: evalue'.").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if _is_test_cell(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    sanitize_error(output)
        return cell, resources
