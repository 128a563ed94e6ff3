"""The small course the site tests build: two lectures and an assignment, written cell by cell.

It holds one of each thing the site must render: matrices, cases, sums with limits, floors,
aligned equations, a figure, progress bars, a verification cell whose input is collapsed, and
two lectures to navigate between. ``conftest.py`` builds it once per test worker.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

REPO_ROOT = Path(__file__).resolve().parents[2]
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}

# The small course's formulas: every construct the hand-written translator could not set.
MATRIX_CELL = (
    "## 1. Matrices\n\n"
    "Inline $y = x^2$, a code span `$not math$`, and a matrix:\n\n"
    "$$A = \\begin{bmatrix}1 & 2 & 3\\\\4 & 5 & 6\\end{bmatrix}, \\qquad "
    "P = \\begin{pmatrix}0 & 1\\\\1 & 0\\end{pmatrix}$$"
)
CASES_CELL = (
    "### Cases, sums and floors\n\n"
    "$$\\operatorname{relu}(x) = \\begin{cases} x & x > 0 \\\\ 0 & \\text{otherwise} \\end{cases}$$\n\n"
    "$$\\bar y = \\frac{1}{N} \\sum_{n=1}^{N} y_n, \\qquad "
    "H' = \\left\\lfloor \\frac{H + 2p - k}{s} \\right\\rfloor + 1, \\qquad x \\in \\mathbb{R}^{n}$$"
)
ALIGNED_CELL = (
    "## 2. Aligned equations\n\n"
    "$$\\begin{aligned} a &= b + c \\\\ d + e &\\le f \\end{aligned}$$\n\n"
    "\\begin{align*} u &= v \\\\ w &= z \\end{align*}\n\n"
    "Inline too: $\\lfloor 7/2 \\rfloor = 3$ and $\\tfrac12 \\sum_i x_i^2$."
)
HIDDEN_CODE = "# check the parabola at x = 2\nassert 2**2 == 4\nprint('verified: 2**2 == 4')"


def write_notebook(path: Path, cells: list) -> Path:
    """A notebook with these cells (and the course's kernel) at ``path``."""
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = KERNEL
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def hidden_input_cell(source: str):
    """A code cell whose input JupyterLab shows collapsed (``jupyter.source_hidden``)."""
    cell = new_code_cell(source)
    cell.metadata["jupyter"] = {"source_hidden": True}
    return cell


def write_small_course(course: Path) -> Path:
    """Two lectures and one assignment, with everything the site must render (see the module doc)."""
    write_notebook(
        course / "lectures" / "01_first_steps.ipynb",
        [
            new_markdown_cell("# Lecture 01 — First steps\n\nPlots a parabola. Assumes nothing."),
            new_markdown_cell(MATRIX_CELL),
            new_markdown_cell(CASES_CELL),
            new_code_cell(
                "import cnnlib\nfor _ in cnnlib.progress(range(3), desc='steps'):\n"
                "    for _ in cnnlib.progress(range(4), desc='inner', leave=False):\n        pass"
            ),
            new_code_cell(
                "import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(4, 2.5))\n"
                "ax.plot([0, 1, 2], [0, 1, 4])\nax.set_xlabel('x')\nax.set_ylabel('y')\nplt.show()"
            ),
            hidden_input_cell(HIDDEN_CODE),
            new_code_cell(
                "from IPython.display import Math\nMath(r'W = \\begin{pmatrix} w_1 \\\\ w_2 \\end{pmatrix}')"
            ),
            new_markdown_cell(ALIGNED_CELL),
            new_markdown_cell("## Summary\n\nA parabola, a matrix, a case split."),
        ],
    )
    write_notebook(
        course / "lectures" / "02_cross_correlation_and_convolution.ipynb",
        [
            new_markdown_cell(
                "# Lecture 02: Cross-correlation\n\nSlides a kernel over $\\mathbb{R}^{n}$. Uses lecture 01."
            ),
            new_markdown_cell("## 1. The only section\n\nNothing to run here."),
            new_code_cell("print(1 + 1)"),
        ],
    )
    write_notebook(
        course / "assignments" / "a1_convolution" / "a1_convolution.ipynb",
        [
            new_markdown_cell(
                "# Assignment A1 — Convolution\n\n## 1. Write corr2d\n\nFor $K \\in \\mathbb{R}^{k \\times k}$."
            ),
            new_code_cell("def corr2d(X, K):\n    pass"),
        ],
    )
    return course
