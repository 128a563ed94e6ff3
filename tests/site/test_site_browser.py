"""The rendered walkthrough as a reader meets it: opened from the file system in headless Chromium.

The reader follows the previous/next links and the sidebar, sees every formula typeset (none
as LaTeX source), finds the verification code folded away with its output shown, and the
page asks nothing of the network. The small course (``site_course.py``) is checked in detail;
the real course page by page. Screenshots go to ``test-artifacts/site/``.
"""

from __future__ import annotations

import pytest
from cnninstructor.site import find_lectures
from site_course import REPO_ROOT

pytestmark = [pytest.mark.site, pytest.mark.timeout(600)]

# LaTeX a reader must never see as text in a lecture's prose (code cells may hold any of it).
TEX_TOKENS = ("$$", "\\begin{", "\\end{", "\\frac", "\\sum", "\\left", "\\mathbb", "\\bar", "\\lfloor")


def visible_prose(page) -> str:
    """The rendered text of the Markdown cells, code spans left out (they show code literally)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.jp-MarkdownOutput')].map(cell => {
            const copy = cell.cloneNode(true);
            copy.querySelectorAll('code').forEach(code => code.remove());
            document.body.appendChild(copy);
            const text = copy.innerText;
            copy.remove();
            return text;
        }).join('\\n')"""
    )


def typeset_formulas(page) -> list[dict]:
    """Every <math> element with its laid-out size (a formula the browser did not set has none)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('math')].map(m => {
            const box = m.getBoundingClientRect();
            return {display: m.getAttribute('display'), width: box.width, height: box.height,
                    tables: m.querySelectorAll('mtable').length};
        })"""
    )


def test_reader_navigates_the_small_site_offline_and_sees_typeset_math(small_site, tab, artifacts):
    page = tab.page
    tab.open(small_site.index)
    sidebar = page.locator("nav.site-sidebar .site-lectures > li > a")
    assert sidebar.all_inner_texts() == ["01 First steps", "02 Cross-correlation"]
    page.locator("main").get_by_role("link", name="Start reading").click()
    assert page.url.endswith("/01_first_steps.html")

    # The sidebar's sections of the current lecture jump to their headings.
    page.locator("nav.site-sidebar .site-current .site-sections a", has_text="2. Aligned equations").click()
    assert page.url.endswith("#2-aligned-equations")
    in_view = page.locator('h2[id="2-aligned-equations"]').evaluate(
        "h => { const box = h.getBoundingClientRect(); return box.top >= 0 && box.bottom <= window.innerHeight; }"
    )
    assert in_view, "the link scrolls its heading into the window"

    # Every formula is set by the browser: none left as source, each with a size, matrices as tables.
    assert [token for token in TEX_TOKENS if token in visible_prose(page)] == []
    formulas = typeset_formulas(page)
    assert sum(f["display"] == "block" for f in formulas) == 5 and sum(f["display"] == "inline" for f in formulas) == 4
    assert all(f["width"] > 5 and f["height"] > 5 for f in formulas), formulas
    matrix = next(f for f in formulas if f["tables"] == 2)  # the bmatrix and the pmatrix
    assert matrix["height"] > 2.2 * min(f["height"] for f in formulas if f["display"] == "inline"), "rows stacked"
    page.locator('h2[id="1-matrices"]').scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "small-site-matrix.png"))

    # The verification cell: code folded, output shown; a click unfolds it.
    folded = page.locator("details.site-collapsed-input")
    assert folded.count() == 1
    code = folded.locator(".jp-InputArea")
    assert not code.is_visible(), "the verification code should start folded"
    output = folded.locator("xpath=ancestor::div[contains(@class, 'jp-CodeCell')]").locator(".jp-OutputArea")
    assert output.is_visible() and "verified: 2**2 == 4" in output.inner_text()
    folded.locator("summary").click()
    assert code.is_visible() and "assert 2**2 == 4" in code.inner_text()

    # Previous / next, top and bottom, and back to the course map.
    page.locator("nav.site-pager").first.get_by_role("link", name="Next").click()
    assert page.url.endswith("/02_cross_correlation_and_convolution.html")
    assert page.locator("nav.site-sidebar li.site-current > a").inner_text() == "02 Cross-correlation"
    page.locator("nav.site-pager").last.get_by_role("link", name="Previous").click()
    assert page.url.endswith("/01_first_steps.html")
    page.locator("nav.site-sidebar").get_by_role("link", name="Assignment A1 — Convolution").click()
    assert page.url.endswith("/assignments/a1_convolution/a1_convolution.html")
    assert page.locator("math").count() == 1 and "\\mathbb" not in visible_prose(page)
    page.locator("nav.site-pager").first.get_by_role("link", name="Course map").click()
    assert page.url.endswith("/index.html") and page.locator("main table math").count() == 1

    assert tab.network == [], f"the site made network requests: {tab.network}"


@pytest.mark.notebooks  # shares the one build of every lecture with test_site.py's real-course test
@pytest.mark.xdist_group("site-real")
@pytest.mark.timeout(1800)
def test_reader_pages_through_the_real_course_offline(real_site, tab, artifacts):
    lectures = find_lectures(REPO_ROOT)
    if not lectures:
        pytest.skip("no lecture under lectures/ yet")
    page = tab.page
    tab.open(real_site.index)
    shown = page.locator("nav.site-sidebar .site-lectures > li > a").count()
    assert shown == len(lectures), "the sidebar lists every lecture"
    page.locator("main").get_by_role("link", name="Start reading").click()
    matrix_shot = None
    for position, lecture in enumerate(lectures):
        assert page.url.endswith("/" + lecture.page), f"expected {lecture.page}, the browser is at {page.url}"
        assert page.locator("nav.site-sidebar li.site-current .site-sections a").count() > 0
        prose = visible_prose(page)
        left = [token for token in TEX_TOKENS if token in prose]
        assert left == [], f"{lecture.page} shows formula source {left}"
        formulas = typeset_formulas(page)
        assert formulas, f"{lecture.page} has no typeset formula"
        untypeset = [f for f in formulas if f["width"] <= 0 or f["height"] <= 0]
        assert untypeset == [], f"{lecture.page}: {len(untypeset)} formulas the browser did not lay out"
        tables = page.locator("math mtable")
        if matrix_shot is None and tables.count():
            tables.first.scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, -300)")
            matrix_shot = artifacts / f"real-site-{lecture.path.stem}.png"
            page.screenshot(path=str(matrix_shot))
        if position + 1 < len(lectures):
            page.locator("nav.site-pager").last.get_by_role("link", name="Next").click()
    assert tab.network == [], f"the site made network requests: {tab.network}"
