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
_kernel_dir = Path(tempfile.gettempdir()) / f"cnn-course-kernels-{os.getuid()}" / str(os.getpid())  # per user: a hub
_kernel_dir.mkdir(parents=True, exist_ok=True)
c.KernelManager.transport = "ipc"
c.KernelManager.ip = str(_kernel_dir / "kernel")

# Autograding: nbgrader's own pipeline with its Execute step replaced by the course's GradingExecute,
# which decides every test cell's verdict outside the student's kernel (from the answers the kernel hands
# over, compared with the instructor's solution run in a separate kernel), runs hidden tests only after the
# notebook's last cell, and enforces CPU and output budgets. Plain `nbgrader autograde` and the course's
# grading command (`python -m cnninstructor.autograde`, which adds the sandbox and parallel workers) both
# run this pipeline.
from cnninstructor.autograde.execute import GradingExecute  # noqa: E402
from nbgrader.converters.autograde import Autograde  # noqa: E402
from nbgrader.preprocessors import Execute  # noqa: E402

c.Autograde.autograde_preprocessors = [
    GradingExecute if p is Execute else p for p in Autograde.class_traits()["autograde_preprocessors"].default()
]
# Wall-clock backstop per cell (the CPU-time budget is GradingExecute.cpu_per_cell); a cell past it fails.
c.Execute.timeout = 240
c.Execute.interrupt_on_timeout = True
c.GradingExecute.cpu_per_cell = 60.0
c.GradingExecute.cpu_per_notebook = 900.0

# Feedback: nbgrader's default shows hidden tests and tracebacks quoting them. Remove the hidden regions,
# reduce test-cell errors to the grader's message, and sanitise everything a submission wrote (markdown,
# HTML, scripts) before it reaches the page (cnninstructor.feedback).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "nbgrader.preprocessors.ClearHiddenTests",
    "cnninstructor.feedback.StudentFeedback",
    "nbconvert.preprocessors.sanitize.SanitizeHTML",
]
c.ClearHiddenTests.enforce_metadata = False
c.SanitizeHTML.enabled = True

# nbgrader's exchange (release/collect through a shared folder) lives in the course, not in
# /usr/local/share, so the formgrader works without root; exchange/ is git-ignored.
c.Exchange.root = str(COURSE_ROOT / "exchange")
