"""The rendered walkthrough (``python -m cnninstructor.site``) and the notebook runner it shares with the tests.

A small course written by ``conftest.py`` checks the builder itself: formulas as MathML,
navigation (sidebar, previous/next), verification cells collapsed, figures embedded,
progress bars as text, nothing fetched from the network. The real course is then built once
in fast mode and every page is checked the same way. ``test_site_browser.py`` opens both
sites in headless Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from cnninstructor import site_math
from cnninstructor.notebooks import NotebookExecutionError, error_outputs, execute_notebook
from cnninstructor.site import (
    ASSIGNMENT_AFTER_LECTURE,
    SiteBuildError,
    build_site,
    find_assignments,
    find_lectures,
    notebook_title_and_summary,
)
from cnninstructor.site_math import render_math, text_with_math, to_mathml
from cnninstructor.site_nav import Outline, short_title
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from site_course import HIDDEN_CODE, REPO_ROOT, write_notebook

pytestmark = pytest.mark.site

TEX_LEFT_VISIBLE = ("$$", "\\begin{", "\\end{", "\\frac", "\\sum", "\\left", "\\mathbb", "\\bar")


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
    found += re.findall(r"url\((?!['\"]?data:)[^)]*\)", " ".join(style.get_text() for style in soup.find_all("style")))
    return found


def output_images(soup: BeautifulSoup) -> list:
    return [img for area in soup.select(".jp-OutputArea-output") for img in area.find_all("img")]


def output_errors(soup: BeautifulSoup) -> list[str]:
    texts = [area.get_text() for area in soup.select(".jp-OutputArea-output")]
    return [text[:300] for text in texts if "Traceback" in text or "Error:" in text.split("\n", 1)[0]]


def tex_left_visible(soup: BeautifulSoup) -> list[str]:
    """LaTeX source shown as text in Markdown cells (code spans, where it is meant literally, aside)."""
    strings = [text for cell in soup.select(".jp-MarkdownOutput") for text in cell.find_all(string=True)]
    text = " ".join(text for text in strings if text.find_parent("code") is None)
    return [token for token in TEX_LEFT_VISIBLE if token in text]


def sidebar_lectures(soup: BeautifulSoup) -> list[str]:
    return [a["href"] for a in soup.select("nav.site-sidebar .site-lectures > li > a")]


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
    assert cell.startswith('the <math alttext="1 \\times 1" xmlns=') and 'display="inline"' in cell
    assert cell.endswith(" convolution &amp; more")


# Each construct with what its MathML must contain: the elements that lay it out.
FORMULAS = {
    "bmatrix": (r"\begin{bmatrix}1 & 2\\3 & 4\end{bmatrix}", ["<mtable>", "<mo>&#x0005B;</mo>", "<mo>&#x0005D;</mo>"]),
    "pmatrix": (r"\begin{pmatrix}a\\b\end{pmatrix}", ["<mtable>", "<mo>&#x00028;</mo>", "<mo>&#x00029;</mo>"]),
    "cases": (r"f = \begin{cases} 1 & x > 0 \\ 0 & \text{else} \end{cases}", ["<mtable>", "&#x0007B;", "<mtext>else"]),
    "frac": (r"\frac{\partial L}{\partial x}", ["<mfrac>", "&#x02202;"]),
    "sum with limits": (r"\sum_{n=1}^{N} y_n", ["<munderover><mo>&#x02211;</mo>"]),
    "floor": (r"\left\lfloor \frac{H - k}{s} \right\rfloor", ["&#x0230A;", "&#x0230B;", "<mfrac>"]),
    "mathbb": (r"x \in \mathbb{R}^{n}", ["&#x0211D;", "<msup>"]),
    "bar": (r"\bar X_{n}", ["<mover>", "&#x000AF;"]),
    "aligned": (r"\begin{aligned} a &= b \\ c &\le d \end{aligned}", ['<mtd columnalign="right">', "<mtr>"]),
    "align*": (r"\begin{align*} a &= b \\ c &= d \end{align*}", ['<mtd columnalign="left">']),
    "gathered": (r"\begin{gathered} a = b \\ c = d \end{gathered}", ["<mtable>", "<mtr>"]),
    "rows without an environment": (r"a &= b \\ c &= d", ["<mtable ", '<mtd columnalign="right">']),
    "labelled arrow": (r"x \xrightarrow{\text{ReLU}} y", ["<mover>", "&#x02192;", "<mtext>ReLU"]),
    "plus-equals": (r"Y \mathrel{+}= W", ["<mo>&#x0002B;</mo><mo>&#x0003D;</mo>"]),
    "prime": (r"H' = W'", ['<mi>H</mi><mo lspace="0" rspace="0">&#x02032;</mo>']),
    "operatorname": (r"\operatorname{relu}(x)", ["<mi>relu</mi>"]),
    "colon": (r"\text{C1} : 6", ['<mo lspace="0.2778em" rspace="0.2778em">:</mo>']),
}


@pytest.mark.parametrize("name", list(FORMULAS))
def test_formulas_become_mathml(name):
    tex, expected = FORMULAS[name]
    display = render_math(tex, display=True)
    assert display.startswith('<div class="math-display"><math ') and 'display="block"' in display
    for fragment in expected:
        assert fragment in display, f"{name}: {fragment} missing from {display}"
    assert "\\" not in re.sub(r'alttext="[^"]*"', "", display), "a command was left as text"
    assert "<mi>&</mi>" not in display and "linebreak" not in display, "a row or column mark was left as text"
    if name != "rows without an environment":  # rows belong to display formulas only
        inline = render_math(tex, display=False)
        assert inline.startswith("<math ") and 'display="inline"' in inline


def test_a_formula_latex2mathml_cannot_convert_is_shown_as_source_and_reported():
    before = len(site_math.UNTYPESET)
    shown = render_math(r"\unknowncommand{x} + 1", display=False)
    assert (
        shown == '<code class="tex-source" title="LaTeX source (could not be typeset)">$\\unknowncommand{x} + 1$</code>'
    )
    assert site_math.UNTYPESET[before:] == [(r"\unknowncommand{x} + 1", False)]
    del site_math.UNTYPESET[before:]
    assert to_mathml(r"\unknowncommand{x}", True) is None
    assert to_mathml(r"\text", True) is None and to_mathml("x^", False) is None, "unparsable: no MathML"
    assert to_mathml("", True) == ""


def test_headings_get_unique_anchors_and_titles_lose_their_lecture_number():
    outline = Outline()
    assert outline.add(2, "1. Two dice: the sum&#x27;s PMF") == "1-two-dice-the-sum-s-pmf"
    assert (
        outline.add(2, 'The <math alttext="1 \\times 1"><mn>1</mn><mo>×</mo><mn>1</mn></math> case') == "the-1-1-case"
    )
    assert outline.add(3, "Summary") == "summary" and outline.add(3, "Summary") == "summary-2"
    assert [heading.level for heading in outline.headings] == [2, 2, 3, 3]
    assert short_title("Lecture 04: Backpropagation, written flat") == "Backpropagation, written flat"
    assert short_title("Lecture 07 — LeNet-5 in PyTorch") == "LeNet-5 in PyTorch"
    assert short_title("Lecture 06: a convolution layer") == "A convolution layer"
    assert short_title("Pooling") == "Pooling"


def test_small_site_pages_link_each_other_and_work_offline(small_site):
    site = small_site.out_dir
    assert small_site.untypeset == {}, f"formulas left as LaTeX source: {small_site.untypeset}"
    index = page_soup(small_site.index)
    assert index.select_one('main table a[href="01_first_steps.html"]').get_text() == "Lecture 01 — First steps"
    assert "Plots a parabola." in index.get_text()
    follows = index.select_one('main table a[href="02_cross_correlation_and_convolution.html"]').find_parent("tr")
    assert follows.find("a", href="assignments/a1_convolution/a1_convolution.ipynb") is not None, (
        "A1 follows lecture 02"
    )
    assert (site / "assignments" / "a1_convolution" / "a1_convolution.ipynb").is_file()
    assert sidebar_lectures(index) == ["01_first_steps.html", "02_cross_correlation_and_convolution.html"]
    assert index.select_one('nav.site-sidebar a[aria-current="page"]')["href"] == "index.html"

    first = page_soup(small_site.lecture_pages["01"])
    assert network_references(first) == [] and first.find("script") is None, "a static page needs no script"
    assert sidebar_lectures(first) == sidebar_lectures(index)
    current = first.select_one("nav.site-sidebar li.site-current")
    assert current.a["href"] == "01_first_steps.html" and current.a["aria-current"] == "page"
    sections = [a.get_text(" ", strip=True) for a in current.select(".site-sections > li > a")]
    assert sections == ["1. Matrices", "2. Aligned equations", "Summary"]
    assert [a["href"] for a in current.select(".site-subsections a")] == ["#cases-sums-and-floors"]
    for link in current.select(".site-sections a"):
        assert first.find(id=link["href"][1:]) is not None, f"no heading with the anchor {link['href']}"
    pagers = first.select("nav.site-pager")
    assert len(pagers) == 2, "a pager above and below the lecture"
    assert pagers[0].select_one("a[rel=next]")["href"] == "02_cross_correlation_and_convolution.html"
    assert pagers[0].select_one("a[rel=prev]") is None and pagers[0].select_one("a.site-map")["href"] == "index.html"
    second = page_soup(small_site.lecture_pages["02"])
    assert second.select_one("nav.site-pager a[rel=prev]")["href"] == "01_first_steps.html"
    assert second.select_one("nav.site-pager a[rel=next]") is None

    assert tex_left_visible(first) == [], "formula source left in the page"
    assert len(first.select("div.math-display > math[display=block]")) == 5
    assert len(first.select("math[display=inline]")) == 4
    assert len(first.select("mtable")) == 6, "bmatrix, pmatrix, cases, aligned, align*, and the Math() output"
    latex_output = first.select_one(".jp-RenderedLatex")
    assert latex_output.find("mtable") is not None and "\\begin" not in latex_output.get_text(), "Math() typeset"
    assert "$not math$" in first.get_text(), "code spans must not be typeset"
    images = output_images(first)
    assert len(images) == 1 and images[0]["src"].startswith("data:image/png;base64,")
    assert "steps: 100%|##########| 3/3" in first.get_text(), "progress bars should show their final state as text"
    outputs_text = " ".join(area.get_text() for area in first.select(".jp-OutputArea-output"))
    assert "inner" not in outputs_text, "bars hidden when done (leave=False) are not shown"
    assert output_errors(first) == []

    collapsed = first.select("details.site-collapsed-input")
    assert len(collapsed) == small_site.folded["01_first_steps.html"] == 1 and not collapsed[0].has_attr("open")
    assert collapsed[0].summary.get_text(" ", strip=True) == "verification code check the parabola at x = 2"
    assert "assert 2**2 == 4" in collapsed[0].get_text(), "the code is inside the folded part"
    cell = collapsed[0].find_parent(class_="jp-CodeCell")
    assert "verified: 2**2 == 4" in cell.select_one(".jp-OutputArea").get_text(), "its output is shown"
    assert len(first.select("details")) == 1, "cells without the flag are not folded"
    assert HIDDEN_CODE.splitlines()[1] in first.get_text()

    assignment = page_soup(small_site.assignment_pages["a1_convolution"])
    assert sidebar_lectures(assignment) == ["../../" + href for href in sidebar_lectures(index)]
    assert (
        assignment.select_one("nav.site-sidebar li.site-current a")["href"]
        == "../../assignments/a1_convolution/a1_convolution.html"
    )
    assert assignment.select_one("nav.site-pager a.site-map")["href"] == "../../index.html"
    assert assignment.find("math") is not None and tex_left_visible(assignment) == []


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
    fine = page_soup(tmp_path / "site" / "02_fine.html")
    assert sidebar_lectures(fine) == ["02_fine.html"], "no link to a page that was not written"
    assert fine.select_one("nav.site-pager a[rel=prev]") is None


def test_each_assignment_follows_a_lecture_of_the_course():
    slugs = {lecture.slug for lecture in find_lectures(REPO_ROOT)}
    released = {assignment.name for assignment in find_assignments(REPO_ROOT)}
    for slug, assignment in ASSIGNMENT_AFTER_LECTURE.items():
        if assignment in released:
            assert slug in slugs, f"{assignment} is set after lecture '*_{slug}.ipynb', which is not in lectures/"


# ----------------------------------------------------------------------------- the real course


@pytest.mark.notebooks  # the one run of every lecture in the test suite (see tests/notebooks)
@pytest.mark.xdist_group("site-real")  # with test_site_browser.py's real-site test: one build per run
@pytest.mark.timeout(1800)
def test_every_lecture_page_has_its_figures_navigation_and_typeset_math(real_site):
    lectures = find_lectures(REPO_ROOT)
    if not lectures:
        pytest.skip("no lecture under lectures/ yet")
    assert real_site.untypeset == {}, f"formulas left as LaTeX source: {real_site.untypeset}"
    index = page_soup(real_site.index)
    pages = [lecture.page for lecture in lectures]
    assert sidebar_lectures(index) == pages
    for position, lecture in enumerate(lectures):
        page = real_site.out_dir / lecture.page
        assert page.is_file(), f"no page for {lecture.path.name}"
        assert index.find("a", href=lecture.page) is not None, f"the course map does not link {lecture.page}"
        soup = page_soup(page)
        images = output_images(soup)
        assert images, f"{lecture.page} has no figure"
        assert all(img["src"].startswith("data:image/") for img in images), f"{lecture.page}: figure not embedded"
        assert network_references(soup) == [], f"{lecture.page} fetches from the network"
        assert output_errors(soup) == [], f"{lecture.page} shows an error: {output_errors(soup)[0]}"
        assert sidebar_lectures(soup) == pages, f"{lecture.page}: the sidebar does not list every lecture"
        assert soup.select(".site-current .site-sections a"), f"{lecture.page}: no sections in the sidebar"
        following = soup.select_one("nav.site-pager a[rel=next]")
        expected = pages[position + 1] if position + 1 < len(pages) else None
        assert (following["href"] if following else None) == expected, f"{lecture.page}: wrong next link"
        assert tex_left_visible(soup) == [], f"{lecture.page} shows formula source: {tex_left_visible(soup)}"
        assert soup.find("math") is not None, f"{lecture.page} has no typeset formula"
        # every cell flagged in the notebook as built (read by the builder: lectures may change meanwhile)
        folded = len(soup.select("details.site-collapsed-input"))
        assert folded == real_site.folded[lecture.page], f"{lecture.page}: {folded} folded cells"
    for assignment in find_assignments(REPO_ROOT):
        assert index.find("a", href=assignment.notebook) is not None, (
            f"the course map does not link {assignment.notebook}"
        )
        assert (real_site.out_dir / assignment.notebook).is_file()
        assert tex_left_visible(page_soup(real_site.out_dir / assignment.page)) == []
    print({number: f"{seconds:.1f} s" for number, seconds in real_site.seconds.items()})
