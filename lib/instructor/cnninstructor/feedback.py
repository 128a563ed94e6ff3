"""nbgrader feedback that tells students why a test failed without showing the hidden tests.

The course configures ``GenerateFeedback`` (nbgrader_config.py) to run nbgrader's own
``ClearHiddenTests`` (which removes hidden regions from test cells' source), then
:class:`StudentFeedback`, then nbconvert's ``SanitizeHTML`` (which escapes any HTML or script a
submission put in markdown or outputs). ``StudentFeedback`` keeps only ``ename: evalue`` of every
error in a test cell: the grader wrote that error itself (``cnninstructor.autograde.execute``), and
for a hidden check it names only the check's number and the kind of failure. It also drops the
grader's own bookkeeping (events, verdicts) from the notebook metadata, every output kind that can
run code in a browser, output metadata (nbconvert writes an image's width and height into the page
unquoted), and script URLs in markdown links. The grading command also puts a Content-Security-Policy
that forbids every script at the top of each page (``workers.no_scripts``).
"""

from __future__ import annotations

import re
from typing import Any

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from cnninstructor.autograde.cells import is_test_cell
from cnninstructor.autograde.protocol import METADATA_KEY

NOTE = "(the test code is hidden; the message above says what was checked)"
ACTIVE_OUTPUTS = ("text/html", "application/javascript", "image/svg+xml", "text/markdown", "text/latex")
# a link or image target a browser would run: javascript:, vbscript:, data: (however it is spelled or spaced)
ACTIVE_URL = re.compile(
    r"(?i)\b(j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t|v\s*b\s*s\s*c\s*r\s*i\s*p\s*t|d\s*a\s*t\s*a)\s*:"
)


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
        if cell.get("cell_type") in ("markdown", "raw"):
            cell["source"] = ACTIVE_URL.sub("blocked-url:", cell.get("source", ""))
        for output in cell.get("outputs", []):
            output["metadata"] = {}  # width/height and the like are written into the page unquoted
            if output.get("output_type") == "error" and is_test_cell(cell):
                sanitize_error(output)
            data = output.get("data")
            if data:
                for kind in ACTIVE_OUTPUTS:
                    data.pop(kind, None)
                if not data:
                    data["text/plain"] = "(output removed from feedback)"
        return cell, resources
