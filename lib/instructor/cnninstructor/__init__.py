"""cnninstructor: the course's tools for instructors and maintainers, kept apart from ``cnnlib``.

Student kernels import ``cnnlib`` only; the grading sandbox binds ``lib/cnnlib`` into a kernel and
never this package, so nothing here is visible to code being graded.

Modules
-------
autograde  the grading command (``python -m cnninstructor.autograde``) and its nbgrader preprocessors
feedback   nbgrader feedback without hidden tests
notebooks  executing a notebook top to bottom (tests and the site build)
site       the rendered walkthrough (``python -m cnninstructor.site``), with site_math (LaTeX to MathML)
           and site_nav (sidebar, previous/next)
"""

__version__ = "0.1.0"
