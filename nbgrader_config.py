"""nbgrader configuration of the course (read by every `nbgrader` command run from this folder).

Source notebooks (with solutions and hidden tests) live in solutions/; the student
versions nbgrader generates from them live in assignments/.
"""

import os
import tempfile
from pathlib import Path

c = get_config()  # noqa: F821 - injected by nbgrader/traitlets when this file is loaded

COURSE_ROOT = Path(__file__).resolve().parent

c.CourseDirectory.root = str(COURSE_ROOT)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"
c.CourseDirectory.course_id = "cnn-course"

# What a student's blank solution cell holds.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Kernels talk over IPC sockets on an absolute per-process path instead of TCP ports:
# several autograde runs started at once would otherwise race for the same ports.
_kernel_dir = Path(tempfile.gettempdir()) / "cnn-course-kernels" / str(os.getpid())
_kernel_dir.mkdir(parents=True, exist_ok=True)
c.KernelManager.transport = "ipc"
c.KernelManager.ip = str(_kernel_dir / "kernel")

# Per-cell time limit while autograding; a cell past it is interrupted and fails.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# Feedback: nbgrader's default shows hidden tests and tracebacks quoting them. Remove the
# hidden regions and reduce test-cell errors to "ename: evalue" (cnninstructor.feedback).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "nbgrader.preprocessors.ClearHiddenTests",
    "cnninstructor.feedback.HideTestTracebacks",
]
c.ClearHiddenTests.enforce_metadata = False

# nbgrader's exchange (release/collect through a shared folder) lives in the course, not in
# /usr/local/share, so the formgrader works without root; exchange/ is git-ignored.
c.Exchange.root = str(COURSE_ROOT / "exchange")
