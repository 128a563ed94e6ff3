"""Build the course's static walkthrough: every lecture executed, rendered to HTML, plus a course map.

Usage (from the repository root)::

    python -m cnninstructor.site                 # fast mode (CNN_COURSE_FAST=1), into _site/
    python -m cnninstructor.site --full          # full-size runs (what a GPU or a patient CPU does)
    python -m cnninstructor.site --out /tmp/site --jobs 2

Open ``_site/index.html`` in a browser; the site needs no server, no network and no
script: figures are embedded as ``data:`` URIs, the page styles are inlined, and formulas
are converted at build time to MathML (``cnninstructor.site_math``), which the browser
typesets itself. Every page has a contents sidebar and each lecture links the previous and
next one (``cnninstructor.site_nav``). Code cells whose input is collapsed in the notebook
(JupyterLab's ``jupyter.source_hidden``, set on verification cells) show their input folded
in a ``<details>`` element, their outputs in full. Each lecture runs through
``cnninstructor.notebooks.execute_notebook``, the same code path as the notebook tests.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from jinja2 import DictLoader, pass_context
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbformat import NotebookNode

from cnninstructor.notebooks import NotebookExecutionError, execute_notebook
from cnninstructor.site_math import MATH_CSS, UNTYPESET, render_math, text_with_math
from cnninstructor.site_nav import (
    NAV_CSS,
    PAGER_MARK,
    SIDEBAR_MARK,
    Heading,
    NavEntry,
    Outline,
    pager_html,
    sidebar_html,
)

LECTURE_GLOB = "[0-9][0-9]_*.ipynb"
# The assignment each lecture leads into: it is set right after that lecture. Lectures are
# named by their file name without the number, which survives a renumbering of the course.
ASSIGNMENT_AFTER_LECTURE = {
    "cross_correlation_and_convolution": "a1_convolution",
    "modular_backprop": "a2_backprop",
    "numpy_conv_layer": "a3_numpy_cnn",
    "alexnet_on_gpu": "a4_pytorch_cnns",
}
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
SUMMARY_SENTENCES = 2  # how much of a lecture's opening paragraph the course map shows


class SiteBuildError(RuntimeError):
    """One or more lectures failed; ``failures`` says where, ``report`` what was built anyway."""

    def __init__(self, failures: Sequence[NotebookExecutionError], report: SiteReport) -> None:
        self.failures = list(failures)
        self.report = report
        details = "\n\n".join(str(failure) for failure in self.failures)
        super().__init__(f"{len(self.failures)} lecture(s) failed to run:\n\n{details}")


@dataclass(frozen=True)
class Lecture:
    """One lecture notebook and what the course map says about it."""

    number: str
    path: Path
    title: str
    summary: str

    @property
    def page(self) -> str:
        """File name of its rendered page inside the site."""
        return self.path.with_suffix(".html").name

    @property
    def slug(self) -> str:
        """Its file name without the number and the suffix (``"modular_backprop"``)."""
        return self.path.stem.split("_", 1)[-1]


@dataclass(frozen=True)
class Assignment:
    """One released assignment notebook (the student version nbgrader generates)."""

    name: str
    path: Path
    title: str

    @property
    def page(self) -> str:
        """Path of its rendered page from the site root."""
        return f"assignments/{self.name}/{self.name}.html"

    @property
    def notebook(self) -> str:
        """Path of the copy of its released notebook from the site root (for download)."""
        return f"assignments/{self.name}/{self.path.name}"


@dataclass
class SiteReport:
    """What a build produced: pages written, seconds each lecture took, where the index is."""

    out_dir: Path
    index: Path
    lecture_pages: dict[str, Path] = field(default_factory=dict)
    assignment_pages: dict[str, Path] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    untypeset: dict[str, list[str]] = field(default_factory=dict)  # page -> formulas shown as LaTeX source
    folded: dict[str, int] = field(default_factory=dict)  # page -> code cells shown with their input folded


# ----------------------------------------------------------------------------- course map


def find_lectures(course_root: Path) -> list[Lecture]:
    """The lectures in ``course_root/lectures`` in course order, titles from their first heading."""
    lectures = []
    for path in sorted((Path(course_root) / "lectures").glob(LECTURE_GLOB)):
        notebook = nbformat.read(path, as_version=4)
        title, summary = notebook_title_and_summary(notebook, fallback=path.stem)
        lectures.append(Lecture(number=path.name[:2], path=path, title=title, summary=summary))
    return lectures


def find_assignments(course_root: Path) -> list[Assignment]:
    """The released assignments ``assignments/<name>/<name>.ipynb``, in name order."""
    found = []
    for folder in sorted((Path(course_root) / "assignments").glob("*")):
        path = folder / f"{folder.name}.ipynb"
        if path.is_file():
            title, _ = notebook_title_and_summary(nbformat.read(path, as_version=4), fallback=folder.name)
            found.append(Assignment(name=folder.name, path=path, title=title))
    return found


def notebook_title_and_summary(notebook: NotebookNode, fallback: str) -> tuple[str, str]:
    """The first markdown heading's text and the first paragraph after it (plain text).

    ``fallback`` is the title when the notebook has no markdown heading.
    """
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.splitlines()
        for index, line in enumerate(lines):
            match = re.match(r"^#{1,6}\s+(.*\S)\s*$", line)
            if match:
                return _plain_text(match.group(1)), _first_paragraph(lines[index + 1 :])
    return fallback, ""


def _first_paragraph(lines: Sequence[str]) -> str:
    """The first run of non-blank, non-heading lines, joined into one line of plain text."""
    paragraph: list[str] = []
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            if paragraph:
                break
            continue
        paragraph.append(line.strip())
    text = re.sub(r"^(\*\*|__)[^*_]{1,60}?(\*\*|__)\s*", "", " ".join(paragraph))  # a bold lead-in label
    return _first_sentences(_plain_text(text), SUMMARY_SENTENCES)


def _first_sentences(text: str, count: int) -> str:
    """The first ``count`` sentences of ``text`` (sentences end in . ! or ? before a capital)."""
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text)
    return " ".join(sentences[:count])


def _plain_text(markdown: str) -> str:
    """Markdown inline text without emphasis marks, links reduced to their text."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"(\*\*|__|\*|`)", "", text)
    return text.strip()


# ----------------------------------------------------------------------------- HTML export


_IMG_SRC = re.compile(r"""(?P<head><img\b[^>]*?\bsrc=(?P<quote>["']))(?P<src>.*?)(?P=quote)""", re.IGNORECASE)


class SiteMarkdownRenderer(IPythonRenderer):
    """nbconvert's Markdown renderer with formulas as MathML (``site_math``) and headings anchored.

    Each heading gets an ``id`` from its words and is recorded in ``outline``, so the sidebar
    can list the page's sections.
    """

    def __init__(self, *args: Any, outline: Outline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outline = outline

    def heading(self, text: str, level: int, **attrs: Any) -> str:
        anchor = self.outline.add(level, text)
        return f'<h{level} id="{anchor}">{text}</h{level}>\n'

    def _html_embed_images(self, html: str) -> str:
        """Raw HTML with each ``<img src>`` embedded as a ``data:`` URI, the rest untouched.

        nbconvert's own version re-parses the fragment and so closes what it opens: the
        ``<details><summary>Answer</summary>`` block before an answer came out empty, the
        answer shown below it.
        """

        def embedded(match: re.Match) -> str:
            data_url = self._src_to_base64(match.group("src"))
            return f"{match.group('head')}{data_url or match.group('src')}{match.group('quote')}"

        return _IMG_SRC.sub(embedded, html)

    def block_math(self, body: str) -> str:
        """``$$...$$`` in a Markdown cell."""
        return render_math(body, display=True)

    def latex_environment(self, name: str, body: str) -> str:
        """A bare ``\\begin{name}...\\end{name}`` in a Markdown cell."""
        return render_math(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True)

    def inline_math(self, body: str) -> str:
        """``$...$`` in a Markdown cell."""
        return render_math(body, display=False)


# The lab template with no script, the navigation marks around <main>, collapsed inputs
# folded into <details>, and LaTeX outputs (IPython.display.Math) typeset like Markdown.
SITE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<style type="text/css">{{ resources.site_css }}</style>
{%- endblock extra_css -%}
{%- block body_header -%}
<body class="jp-Notebook site-page" data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light">
@SIDEBAR@
<div class="site-content">
@PAGER@
<main class="site-main">
{%- endblock body_header -%}
{% block body_footer %}
</main>
@PAGER@
</div>
</body>
{% endblock body_footer %}
{% block input_group -%}
{%- if cell.metadata.get('jupyter', {}).get('source_hidden') -%}
{%- set first_line = cell.source.strip().split('\\n')[0] -%}
<details class="site-collapsed-input">
<summary>verification code
{%- if first_line.startswith('#') %} <span class="site-summary-note">{{ first_line.lstrip('# ') | e }}</span>{% endif -%}
</summary>
{{ super() }}
</details>
{%- else -%}
{{ super() }}
{%- endif -%}
{%- endblock input_group %}
{% block data_latex -%}
<div class="jp-RenderedLatex jp-OutputArea-output {{ extra_class }}" data-mime-type="text/latex">
{{ output.data['text/latex'] | markdown2html }}
</div>
{%- endblock data_latex %}
""".replace("@SIDEBAR@", SIDEBAR_MARK).replace("@PAGER@", PAGER_MARK)

PAGE_CSS = """
.jp-RenderedImage img { max-width: 100%; height: auto; }
details.site-collapsed-input { margin: 0.2em 0; }
details.site-collapsed-input > summary { cursor: pointer; color: #5a6472; font-family: var(--jp-ui-font-family);
  font-size: var(--jp-ui-font-size1); padding: 0.25em 0.5em; background: #f3f4f6; border-radius: 3px; }
details.site-collapsed-input > summary .site-summary-note { font-family: var(--jp-code-font-family); opacity: 0.8; }
details.site-collapsed-input[open] > summary { margin-bottom: 0.3em; }
"""


class SiteExporter(HTMLExporter):
    """nbconvert's JupyterLab HTML export with nothing fetched from the network.

    Formulas become MathML and headings get anchors; ``outline`` holds the headings of the
    last notebook exported.
    """

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("extra_loaders", [DictLoader({"cnn_site.html.j2": SITE_TEMPLATE})])
        super().__init__(template_name="lab", **kwargs)
        self.template_file = "cnn_site.html.j2"
        self.embed_images = True
        self.exclude_anchor_links = True
        self.outline = Outline()

    def from_notebook_node(self, nb, resources=None, **kw):  # type: ignore[override]
        self.outline = Outline()
        return super().from_notebook_node(nb, resources=resources, **kw)

    @pass_context
    def markdown2html(self, context: dict[str, Any], source: str) -> str:  # type: ignore[override]
        """Markdown (cells and ``text/markdown`` outputs) to HTML, with MathML and anchored headings."""
        cell = context.get("cell", {})
        path = context.get("resources", {}).get("metadata", {}).get("path", "")
        renderer = SiteMarkdownRenderer(
            escape=False,
            attachments=cell.get("attachments", {}),
            embed_images=True,
            path=path,
            anchor_link_text=self.anchor_link_text,
            exclude_anchor_links=self.exclude_anchor_links,
            outline=self.outline,
            **self.lexer_options,
        )
        return MarkdownWithMath(renderer=renderer).render(source)


def drop_widget_views(notebook: NotebookNode) -> NotebookNode:
    """Replace widget outputs (progress bars) by text: the static page has no widget runtime.

    A widget's ``text/plain`` is its state when first shown (a bar at 0%), so the text is
    rebuilt from the final widget state nbclient saved, e.g. ``train: 100%|##########| 30/30``.
    Widgets hidden when they finished (tqdm's ``leave=False``) are dropped, as JupyterLab hides them.
    """
    state = notebook.metadata.pop("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    for cell in notebook.cells:
        if "outputs" not in cell:
            continue
        kept = []
        for output in cell.outputs:
            view = output.get("data", {}).pop(WIDGET_MIME, None)
            if view is not None:
                model_id = view.get("model_id", "")
                if _widget_hidden(state, model_id):
                    continue
                final = _widget_text(state, model_id)
                if final:
                    output["data"]["text/plain"] = final
            kept.append(output)
        cell.outputs = kept
    return notebook


def _widget_hidden(state: dict, model_id: str) -> bool:
    """True when the widget's layout was set to hidden (``visibility: hidden`` or ``display: none``)."""
    layout_ref = state.get(model_id, {}).get("state", {}).get("layout", "")
    layout = state.get(str(layout_ref).removeprefix("IPY_MODEL_"), {}).get("state", {})
    return layout.get("visibility") == "hidden" or layout.get("display") == "none"


def _widget_text(state: dict, model_id: str) -> str:
    """A text picture of a saved widget: HTML labels as text, progress bars as a row of #."""
    model = state.get(model_id)
    if model is None:
        return ""
    name, values = model.get("model_name", ""), model.get("state", {})
    if name in {"HBoxModel", "VBoxModel", "BoxModel"}:
        parts = [_widget_text(state, child.removeprefix("IPY_MODEL_")) for child in values.get("children", [])]
        return "|".join(parts)
    if name in {"FloatProgressModel", "IntProgressModel"}:
        total = float(values.get("max") or 0) or 1.0
        filled = max(0, min(10, int(10 * float(values.get("value") or 0) / total)))  # tqdm floors too
        return "#" * filled + " " * (10 - filled)
    if "value" in values:
        return html.unescape(str(values["value"])).replace("\u2007", " ")
    return ""


@dataclass(frozen=True)
class RenderedPage:
    """One exported notebook: the page (navigation still to fill in), its headings, formulas left as source."""

    html: str
    headings: tuple[Heading, ...]
    untypeset: tuple[str, ...]
    folded: int = 0  # code cells whose input is folded (jupyter.source_hidden)


def export_html(notebook: NotebookNode, source_path: Path) -> RenderedPage:
    """The notebook as one self-contained HTML page (embedded figures, inline styles, MathML, no scripts).

    The page holds ``SIDEBAR_MARK`` and ``PAGER_MARK`` where ``fill_navigation`` puts the links.
    """
    exporter = SiteExporter()
    resources = {
        "metadata": {"path": str(source_path.parent), "name": source_path.stem},
        "site_css": MATH_CSS + NAV_CSS + PAGE_CSS,
    }
    already = len(UNTYPESET)
    body, _ = exporter.from_notebook_node(drop_widget_views(notebook), resources=resources)
    untypeset = tuple(tex for tex, _ in UNTYPESET[already:])
    del UNTYPESET[already:]
    folded = sum(1 for cell in notebook.cells if cell.cell_type == "code" and input_collapsed(cell))
    return RenderedPage(body, tuple(exporter.outline.headings), untypeset, folded)


def input_collapsed(cell: NotebookNode) -> bool:
    """True when JupyterLab shows the cell's input collapsed (the flag set on verification cells)."""
    return bool(cell.get("metadata", {}).get("jupyter", {}).get("source_hidden"))


def fill_navigation(page: str, sidebar: str, pager: str) -> str:
    """The page with the sidebar and the pager (top and bottom) where its template left their marks."""
    return page.replace(SIDEBAR_MARK, sidebar, 1).replace(PAGER_MARK, pager)


# ----------------------------------------------------------------------------- building


def _execute_and_export(path: Path, fast: bool, timeout: int) -> tuple[RenderedPage, float]:
    """Worker: run one lecture and render it (module level so a process pool can call it)."""
    start = time.perf_counter()
    notebook = execute_notebook(path, fast=fast, timeout=timeout)
    return export_html(notebook, path), time.perf_counter() - start


def build_site(
    course_root: Path,
    out_dir: Path,
    fast: bool = True,
    timeout: int = 600,
    jobs: int = 1,
    lectures: Sequence[str] | None = None,
) -> SiteReport:
    """Execute the lectures under ``course_root`` and write the site into ``out_dir``.

    ``lectures`` optionally restricts the build to lecture numbers (e.g. ``["01", "02"]``).
    ``out_dir`` is emptied first. Every lecture is attempted; the pages that ran are written
    with the index, then ``SiteBuildError`` lists each failing lecture with its failing cell.
    Every page links the others through its sidebar, and each lecture page its neighbours in
    course order; a lecture that failed is left out of both.
    Returns where each page went, how long each lecture took, and any formula left as source.
    """
    course_root, out_dir = Path(course_root).resolve(), Path(out_dir).resolve()
    if jobs < 1:
        raise ValueError(f"jobs must be >= 1, got {jobs}")
    all_lectures = find_lectures(course_root)
    chosen = [lec for lec in all_lectures if lectures is None or lec.number in set(lectures)]
    assignments = find_assignments(course_root)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    (out_dir / "assignments").mkdir(parents=True)
    report = SiteReport(out_dir=out_dir, index=out_dir / "index.html")

    rendered: dict[str, RenderedPage] = {}
    failures: list[NotebookExecutionError] = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {lec.number: pool.submit(_execute_and_export, lec.path, fast, timeout) for lec in chosen}
        for lecture in chosen:
            try:
                rendered[lecture.number], seconds = futures[lecture.number].result()
            except NotebookExecutionError as error:
                failures.append(error)
                print(f"  {lecture.path.name}: FAILED in cell {error.cell_index}", flush=True)
                continue
            report.seconds[lecture.number] = seconds
            folded = rendered[lecture.number].folded
            note = f" ({folded} verification cell{'s' * (folded != 1)} folded)" if folded else ""
            print(f"  {lecture.path.name}: {seconds:.1f} s -> {lecture.page}{note}", flush=True)
    assignment_pages = {a.name: export_html(nbformat.read(a.path, as_version=4), a.path) for a in assignments}

    ran = [lec for lec in all_lectures if lec.number in rendered]
    lecture_entries = [NavEntry(lec.page, lec.title, lec.number) for lec in ran]
    assignment_entries = [NavEntry(a.page, a.title) for a in assignments]
    for position, lecture in enumerate(ran):
        page = rendered[lecture.number]
        previous = lecture_entries[position - 1] if position > 0 else None
        following = lecture_entries[position + 1] if position + 1 < len(ran) else None
        sidebar = sidebar_html(lecture_entries, assignment_entries, lecture.page, page.headings)
        target = out_dir / lecture.page
        target.write_text(fill_navigation(page.html, sidebar, pager_html(previous, following)), encoding="utf-8")
        report.lecture_pages[lecture.number] = target
        _note_page(report, lecture.page, page)

    for assignment in assignments:
        folder = out_dir / Path(assignment.page).parent
        folder.mkdir(parents=True)
        shutil.copy2(assignment.path, folder / assignment.path.name)
        page = assignment_pages[assignment.name]
        sidebar = sidebar_html(lecture_entries, assignment_entries, assignment.page, page.headings, root="../../")
        target = out_dir / assignment.page
        target.write_text(fill_navigation(page.html, sidebar, pager_html(None, None, root="../../")), "utf-8")
        report.assignment_pages[assignment.name] = target
        _note_page(report, assignment.page, page)

    index = index_html(ran, assignments, fast, sidebar_html(lecture_entries, assignment_entries, None))
    report.index.write_text(index, encoding="utf-8")
    for page_name, formulas in report.untypeset.items():
        shown = "; ".join(formula[:80] for formula in formulas)
        print(f"  warning: {page_name}: {len(formulas)} formula(s) shown as LaTeX source: {shown}", flush=True)
    if failures:
        raise SiteBuildError(failures, report)
    return report


def _note_page(report: SiteReport, page_name: str, page: RenderedPage) -> None:
    """Record in the report what the page folded and which formulas it left as source."""
    report.folded[page_name] = page.folded
    if page.untypeset:
        report.untypeset[page_name] = list(page.untypeset)


def index_html(lectures: Sequence[Lecture], assignments: Sequence[Assignment], fast: bool, sidebar: str = "") -> str:
    """The course map page: order, lecture, what it teaches, the assignment that follows it."""
    by_name = {a.name: a for a in assignments}
    rows = []
    for lecture in lectures:
        follows = ASSIGNMENT_AFTER_LECTURE.get(lecture.slug)
        assignment_cell = ""
        if follows in by_name:
            a = by_name[follows]
            assignment_cell = (
                f'<a href="{a.page}">{text_with_math(a.title)}</a><br>'
                f'<a href="{a.notebook}" download>notebook (.ipynb)</a>'
            )
        elif follows:
            assignment_cell = f"{html.escape(follows)} (not released yet)"
        rows.append(
            "<tr>"
            f"<td>{html.escape(lecture.number)}</td>"
            f'<td><a href="{lecture.page}">{text_with_math(lecture.title)}</a><br>'
            f"<small>{html.escape(lecture.path.name)}</small></td>"
            f"<td>{text_with_math(lecture.summary)}</td>"
            f"<td>{assignment_cell}</td>"
            "</tr>"
        )
    mode = "fast mode (small subsets, few epochs)" if fast else "full mode"
    assignment_items = "".join(
        f'<li><a href="{a.page}">{text_with_math(a.title)}</a> '
        f'(<a href="{a.notebook}" download>{html.escape(a.path.name)}</a>)</li>'
        for a in assignments
    )
    start = ""
    if lectures:
        first = lectures[0]
        start = f'<p class="site-start"><a href="{first.page}">Start reading: {text_with_math(first.title)} →</a></p>'
    return INDEX_PAGE.format(
        css=MATH_CSS + NAV_CSS + INDEX_CSS,
        sidebar=sidebar,
        start=start,
        rows="\n".join(rows),
        mode=mode,
        assignments=assignment_items or "<li>none released yet</li>",
    )


INDEX_CSS = """
body.site-page { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; line-height: 1.45; }
main.site-main { padding-top: 1.5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: 0.5em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
small { color: #666; }
.site-start { font-size: 1.1em; }
"""

INDEX_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Convolutional neural networks: course map</title>
<style>{css}</style>
</head>
<body class="site-page">
{sidebar}
<div class="site-content">
<main class="site-main">
<h1>Convolutional neural networks: a course in notebooks</h1>
<p>Every lecture below was executed in {mode} when this site was built; its figures and printed
checks are the notebook's own outputs. To run them yourself, open the notebooks in JupyterLab.
Code that checks a result is folded away under <em>verification code</em>; click to open it.</p>
{start}
<h2 id="course-map">Course map</h2>
<table>
<thead><tr><th>#</th><th>Lecture</th><th>What it teaches</th><th>Assignment that follows</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<h2 id="assignments">Assignments</h2>
<ul>
{assignments}
</ul>
</main>
</div>
</body>
</html>
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m cnninstructor.site [--full] [--out _site] [--jobs N] [--lectures 01 02]``."""
    parser = argparse.ArgumentParser(prog="python -m cnninstructor.site", description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="run lectures at full size (default: fast mode)")
    parser.add_argument("--out", type=Path, default=Path("_site"), help="output folder (default: _site)")
    parser.add_argument("--root", type=Path, default=Path("."), help="course root (default: current folder)")
    parser.add_argument("--jobs", type=int, default=1, help="lectures executed at once (default: 1)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds a single cell may run")
    parser.add_argument("--lectures", nargs="*", help="only these lecture numbers, e.g. 01 02")
    args = parser.parse_args(argv)
    if not (args.root / "lectures").is_dir():
        parser.error(f"no lectures/ folder under {args.root.resolve()}: run from the repository root or pass --root")
    print(f"Building the site from {args.root.resolve()} in {'full' if args.full else 'fast'} mode")
    try:
        report = build_site(
            args.root, args.out, fast=not args.full, timeout=args.timeout, jobs=args.jobs, lectures=args.lectures
        )
    except SiteBuildError as error:
        print(error, file=sys.stderr)
        print(f"Partial site (the lectures that ran): {error.report.index}", file=sys.stderr)
        return 1
    print(f"Open {report.index} in a browser ({len(report.lecture_pages)} lectures).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
