"""nbgrader feedback that tells students why a test failed without showing the hidden tests.

The course configures ``GenerateFeedback`` (nbgrader_config.py) to run nbgrader's own
``ClearHiddenTests`` (which removes hidden regions from test cells' source), then
:class:`StudentFeedback`, then nbconvert's ``SanitizeHTML`` (which escapes any HTML or script a
submission put in markdown or outputs). ``StudentFeedback`` keeps only ``ename: evalue`` of every
error in a test cell: the grader wrote that error itself (``cnninstructor.autograde.execute``), and
for a hidden check it names only the check's number and the kind of failure. It also drops the
grader's own bookkeeping (events, verdicts) from the notebook metadata, and every output kind that
can run code in a browser.
"""

from __future__ import annotations

from typing import Any

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from cnninstructor.autograde.cells import is_test_cell
from cnninstructor.autograde.protocol import METADATA_KEY

NOTE = "(the test code is hidden; the message above says what was checked)"
ACTIVE_OUTPUTS = ("text/html", "application/javascript", "image/svg+xml", "text/markdown", "text/latex")


def sanitize_error(output: Any) -> Any:
    """Replace an error output's traceback with its one-line summary ``ename: evalue``."""
    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}", NOTE]
    return output


class StudentFeedback(Preprocessor):
    """Test-cell errors reduced to the grader's message; no grader metadata; no active output kinds."""

    # nbconvert preprocessors are off unless enabled; this one is on by default.
    enabled = Bool(True, help="Reduce test-cell errors in feedback to 'ename: evalue'.").tag(config=True)

    def preprocess(self, nb, resources):
        nb.metadata.pop(METADATA_KEY, None)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and is_test_cell(cell):
                sanitize_error(output)
            data = output.get("data")
            if data:
                for kind in ACTIVE_OUTPUTS:
                    data.pop(kind, None)
                if not data:
                    data["text/plain"] = "(output removed from feedback)"
        return cell, resources
