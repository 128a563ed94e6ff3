"""The rendered walkthrough (``python -m cnninstructor.site``) and the notebook runner it shares with the tests.

A throwaway course checks the builder itself (math typeset offline, figures embedded,
progress bars as text, nothing fetched from the network); the real course is then built
into a temporary folder in fast mode and every lecture page is checked for its figures
and for the absence of error output.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from cnninstructor.notebooks import NotebookExecutionError, error_outputs, execute_notebook
from cnninstructor.site import (
    SiteBuildError,
    build_site,
    find_assignments,
    find_lectures,
    notebook_title_and_summary,
    render_math,
    text_with_math,
)
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

pytestmark = pytest.mark.site

REPO_ROOT = Path(__file__).resolve().parents[2]
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}


def write_notebook(path: Path, cells: list) -> Path:
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = KERNEL
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def page_soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def network_references(soup: BeautifulSoup) -> list[str]:
    """Every resource the page would fetch from the network (links a reader clicks are fine)."""
    found = []
    for tag, attribute in [("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")]:
        for element in soup.find_all(tag):
            value = element.get(attribute) or ""
            if value.startswith(("http:", "https:", "//")):
                found.append(f"<{tag} {attribute}={value}>")
    return found


def output_images(soup: BeautifulSoup) -> list:
    return [img for area in soup.select(".jp-OutputArea-output") for img in area.find_all("img")]


def output_errors(soup: BeautifulSoup) -> list[str]:
    texts = [area.get_text() for area in soup.select(".jp-OutputArea-output")]
    return [text[:300] for text in texts if "Traceback" in text or "Error:" in text.split("\n", 1)[0]]


# ----------------------------------------------------------------------------- the runner


def test_execute_notebook_runs_in_fast_mode_in_the_notebook_folder(tmp_path):
    path = write_notebook(
        tmp_path / "nb" / "ok.ipynb",
        [new_code_cell("import os, cnnlib\nprint(cnnlib.is_fast(), os.getcwd())")],
    )
    fast = execute_notebook(path, fast=True, timeout=60)
    assert fast.cells[0].outputs[0].text.split() == ["True", str(path.parent)]
    full = execute_notebook(path, fast=False, timeout=60, cwd=tmp_path)
    assert full.cells[0].outputs[0].text.split() == ["False", str(tmp_path)]
    assert error_outputs(full) == []


def test_execute_notebook_names_the_notebook_and_the_failing_cell(tmp_path):
    path = write_notebook(
        tmp_path / "broken.ipynb",
        [new_code_cell("x = 1"), new_markdown_cell("text"), new_code_cell("# scale the input\ny = x / 0")],
    )
    with pytest.raises(NotebookExecutionError) as caught:
        execute_notebook(path, timeout=60)
    error = caught.value
    assert error.cell_index == 2
    message = str(error)
    assert str(path) in message and "cell 2" in message and "# scale the input" in message
    assert "ZeroDivisionError" in message


def test_execute_notebook_reports_a_cell_past_its_time_limit(tmp_path):
    path = write_notebook(tmp_path / "slow.ipynb", [new_code_cell("import time\ntime.sleep(30)")])
    with pytest.raises(NotebookExecutionError, match=r"cell 0 .*\n.*past the 2 s limit"):
        execute_notebook(path, timeout=2)


def test_execute_notebook_rejects_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.ipynb"):
        execute_notebook(tmp_path / "missing.ipynb")


# ----------------------------------------------------------------------------- the builder


def test_title_and_summary_come_from_the_first_heading():
    notebook = new_notebook(
        cells=[
            new_code_cell("x = 1"),
            new_markdown_cell(
                "# Lecture 9: **Pooling**\n\nWhat pooling does to a [feature map](x.md).\nAssumes lecture 8."
            ),
        ]
    )
    assert notebook_title_and_summary(notebook, "fallback") == (
        "Lecture 9: Pooling",
        "What pooling does to a feature map. Assumes lecture 8.",
    )
    assert notebook_title_and_summary(new_notebook(cells=[]), "fallback") == ("fallback", "")
    labelled = new_notebook(cells=[new_markdown_cell("# L\n\n**What this lecture teaches.** One. Two $x$. Three.")])
    assert notebook_title_and_summary(labelled, "fallback") == ("L", "One. Two $x$.")


def test_course_map_typesets_the_math_in_summaries():
    cell = text_with_math("the $1 \\times 1$ convolution & more")
    assert cell.startswith("the <img") and cell.endswith(" convolution &amp; more")


def test_math_is_typeset_offline_or_kept_as_source():
    inline = render_math(r"p_Z(z) = \sum_k p_X(k)\,p_Y(z-k)", display=False)
    assert inline.startswith('<img class="tex-inline"') and "data:image/svg+xml;base64," in inline
    aligned = render_math(r"\begin{aligned} a &= b \\ c &\le d \end{aligned}", display=True)
    assert aligned.count("<img") == 2
    matrix = render_math(r"\begin{bmatrix}1 & 2\\3 & 4\end{bmatrix}", display=True)
    assert "tex-source" in matrix and r"\begin{bmatrix}" in matrix


def test_site_from_a_small_course_works_offline(tmp_path):
    course = tmp_path / "course"
    write_notebook(
        course / "lectures" / "02_demo.ipynb",
        [
            new_markdown_cell("# Lecture 02: A demo\n\nPlots a parabola. Assumes nothing."),
            new_markdown_cell("Inline $y = x^2$, display $$\\frac{\\partial y}{\\partial x} = 2x$$ and `$not math$`."),
            new_code_cell(
                "import cnnlib\nfor _ in cnnlib.progress(range(3), desc='steps'):\n"
                "    for _ in cnnlib.progress(range(4), desc='inner', leave=False):\n        pass"
            ),
            new_code_cell(
                "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([0, 1, 2], [0, 1, 4])\n"
                "ax.set_xlabel('x')\nax.set_ylabel('y')\nplt.show()"
            ),
        ],
    )
    write_notebook(
        course / "assignments" / "a1_convolution" / "a1_convolution.ipynb",
        [new_markdown_cell("# A1: Convolution\n\nWrite corr2d."), new_code_cell("def corr2d(X, K):\n    pass")],
    )
    report = build_site(course, tmp_path / "site", fast=True, timeout=120)

    index = page_soup(report.index)
    assert index.find("a", href="02_demo.html").get_text() == "Lecture 02: A demo"
    assert "Plots a parabola." in index.get_text()
    assert index.find("a", href="assignments/a1_convolution/a1_convolution.ipynb") is not None
    assert (tmp_path / "site" / "assignments" / "a1_convolution" / "a1_convolution.ipynb").is_file()

    lecture = page_soup(report.lecture_pages["02"])
    assert network_references(lecture) == []
    assert lecture.find("script") is None, "a static page needs no script"
    images = output_images(lecture)
    assert len(images) == 1 and images[0]["src"].startswith("data:image/png;base64,")
    assert len(lecture.select("img.tex-inline")) == 1 and len(lecture.select(".tex-block img")) == 1
    assert "$not math$" in lecture.get_text(), "code spans must not be typeset"
    assert "steps: 100%|##########| 3/3" in lecture.get_text(), "progress bars should show their final state as text"
    outputs_text = " ".join(area.get_text() for area in lecture.select(".jp-OutputArea-output"))
    assert "inner" not in outputs_text, "bars hidden when done (leave=False) are not shown"
    assert output_errors(lecture) == []


def test_site_build_reports_every_failing_lecture(tmp_path):
    course = tmp_path / "course"
    write_notebook(course / "lectures" / "01_broken.ipynb", [new_code_cell("raise RuntimeError('boom')")])
    write_notebook(course / "lectures" / "02_fine.ipynb", [new_markdown_cell("# Fine"), new_code_cell("1 + 1")])
    with pytest.raises(SiteBuildError, match=r"01_broken.ipynb failed in cell 0") as caught:
        build_site(course, tmp_path / "site", timeout=60)
    assert [failure.cell_index for failure in caught.value.failures] == [0]
    assert "RuntimeError: boom" in str(caught.value)
    assert (tmp_path / "site" / "02_fine.html").is_file(), "the lectures that ran are still written"
    assert "02_fine.html" in (tmp_path / "site" / "index.html").read_text()


# ----------------------------------------------------------------------------- the real course


@pytest.mark.notebooks  # the one run of every lecture in the test suite (see tests/notebooks)
@pytest.mark.timeout(1800)
def test_every_lecture_page_has_its_figures_and_no_errors(tmp_path):
    lectures = find_lectures(REPO_ROOT)
    if not lectures:
        pytest.skip("no lecture under lectures/ yet")
    jobs = 2 if (os.cpu_count() or 1) >= 2 else 1
    report = build_site(REPO_ROOT, tmp_path / "_site", fast=True, timeout=600, jobs=jobs)

    index = page_soup(report.index)
    for lecture in lectures:
        page = tmp_path / "_site" / lecture.page
        assert page.is_file(), f"no page for {lecture.path.name}"
        assert index.find("a", href=lecture.page) is not None, f"the course map does not link {lecture.page}"
        soup = page_soup(page)
        images = output_images(soup)
        assert images, f"{lecture.page} has no figure"
        assert all(img["src"].startswith("data:image/") for img in images), f"{lecture.page}: figure not embedded"
        assert network_references(soup) == [], f"{lecture.page} fetches from the network"
        assert output_errors(soup) == [], f"{lecture.page} shows an error: {output_errors(soup)[0]}"
    for assignment in find_assignments(REPO_ROOT):
        href = f"assignments/{assignment.name}/{assignment.name}.ipynb"
        assert index.find("a", href=href) is not None, f"the course map does not link {href}"
        assert (tmp_path / "_site" / href).is_file()
    print({number: f"{seconds:.1f} s" for number, seconds in report.seconds.items()})
