"""Build the course's static walkthrough: every lecture executed, rendered to HTML, plus a course map.

Usage (from the repository root)::

    python -m cnninstructor.site                 # fast mode (CNN_COURSE_FAST=1), into _site/
    python -m cnninstructor.site --full          # full-size runs (what a GPU or a patient CPU does)
    python -m cnninstructor.site --out /tmp/site --jobs 2

Open ``_site/index.html`` in a browser; the site needs no server and no network:
figures are embedded as ``data:`` URIs, the page styles are inlined, and no script is
loaded from a CDN. Formulas are typeset at build time into embedded SVG images with
matplotlib's mathtext (its TeX subset); a formula mathtext cannot typeset stays visible
as its LaTeX source. Each lecture runs through ``cnninstructor.notebooks.execute_notebook``,
the same code path as the notebook tests.
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import re
import shutil
import sys
import time
import warnings
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import nbformat
from jinja2 import DictLoader, pass_context
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbformat import NotebookNode

from cnninstructor.notebooks import NotebookExecutionError, execute_notebook

LECTURE_GLOB = "[0-9][0-9]_*.ipynb"
# The assignment each lecture leads into: it is set right after that lecture.
ASSIGNMENT_AFTER_LECTURE = {
    "02": "a1_convolution",
    "04": "a2_backprop",
    "05": "a3_numpy_cnn",
    "08": "a4_pytorch_cnns",
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


@dataclass(frozen=True)
class Assignment:
    """One released assignment notebook (the student version nbgrader generates)."""

    name: str
    path: Path
    title: str


@dataclass
class SiteReport:
    """What a build produced: pages written, seconds each lecture took, where the index is."""

    out_dir: Path
    index: Path
    lecture_pages: dict[str, Path] = field(default_factory=dict)
    assignment_pages: dict[str, Path] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


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


# ----------------------------------------------------------------------------- math offline

# Spellings mathtext does not know, rewritten to ones it does (same meaning).
_MATHTEXT_SPELLINGS = [
    (r"\\tfrac(?![a-zA-Z])", r"\\frac"),
    (r"\\le(?![a-zA-Z])", r"\\leq"),
    (r"\\ge(?![a-zA-Z])", r"\\geq"),
    (r"\\implies(?![a-zA-Z])", r"\\Rightarrow"),
    (r"\\[lr]vert(?![a-zA-Z])", r"\\vert"),
    (r"\\[lr]Vert(?![a-zA-Z])", r"\\|"),
    (r"\\textbf(?![a-zA-Z])", r"\\mathbf"),
    (r"\\emph(?![a-zA-Z])", r"\\mathit"),
    (r"\\[Bb]igg?[lr]?(?![a-zA-Z])", ""),
    (r"\\displaystyle(?![a-zA-Z])", ""),
    (r"\\boxed(?![a-zA-Z])", ""),
    (r"\\mathrel\{([^{}]*)\}", r"\1"),
    (r"\\text(tt|it|rm|sf)(?![a-zA-Z])", r"\\math\1"),
    (r"\\frac\s*([0-9A-Za-z])\s*([0-9A-Za-z])", r"\\frac{\1}{\2}"),
    (r"\\nonumber(?![a-zA-Z])", ""),
]
_LINE_ENVIRONMENTS = ("aligned", "align", "align*", "gathered", "gather", "gather*", "split", "equation", "equation*")


# A sum (or product) with limits right after another: mathtext sets the limits of both
# so close that they run into each other, so a little space goes between them.
_STACKED_BIG_OPERATORS = re.compile(r"(\\(?:sum|prod)(?:_\{[^{}]*\}|_\w)?(?:\^\{[^{}]*\}|\^\w)?)\s*(?=\\(?:sum|prod))")


def _braced(tex: str, start: int) -> int:
    """Index just past the ``{...}`` group opening at ``tex[start]`` (-1 when unbalanced)."""
    depth = 0
    for index in range(start, len(tex)):
        depth += {"{": 1, "}": -1}.get(tex[index], 0)
        if depth == 0:
            return index + 1
    return -1


def _underbraces_as_underset(tex: str) -> str:
    """``\\underbrace{A}_{B}`` -> ``\\underset{B}{A}`` (mathtext has no braces under a formula)."""
    while (start := tex.find("\\underbrace{")) >= 0:
        body_start = start + len("\\underbrace")
        body_end = _braced(tex, body_start)
        if body_end < 0 or not tex[body_end:].lstrip().startswith("_"):
            return tex
        label_start = tex.index("_", body_end) + 1
        while label_start < len(tex) and tex[label_start] == " ":
            label_start += 1
        label_end = _braced(tex, label_start) if tex[label_start : label_start + 1] == "{" else label_start + 1
        if label_end < 0:
            return tex
        label = tex[label_start:label_end]
        label = label if label.startswith("{") else "{" + label + "}"
        tex = tex[:start] + "\\underset" + label + tex[body_start:body_end] + tex[label_end:]
    return tex


def _labelled_arrows_inline(tex: str) -> str:
    """``\\xrightarrow{f}`` -> ``-[f]->``: mathtext would set a long label over a short arrow."""
    while (start := tex.find("\\xrightarrow{")) >= 0:
        label_start = start + len("\\xrightarrow")
        label_end = _braced(tex, label_start)
        if label_end < 0:
            return tex
        label = tex[label_start + 1 : label_end - 1]
        tex = tex[:start] + "\\;-\\!\\![" + label + "]\\!\\!\\rightarrow\\;" + tex[label_end:]
    return tex


def _to_mathtext(tex: str) -> str:
    for pattern, replacement in _MATHTEXT_SPELLINGS:
        tex = re.sub(pattern, replacement, tex)
    tex = _underbraces_as_underset(tex)
    tex = _labelled_arrows_inline(tex)
    tex = _STACKED_BIG_OPERATORS.sub(r"\1\\;\\;", tex)
    return " ".join(tex.split())


@lru_cache(maxsize=4096)
def _typeset(tex: str, display: bool) -> str | None:
    """One line of TeX as an ``<img>`` holding an SVG data URI, or None when mathtext cannot."""
    import matplotlib
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import math_to_image

    source = _to_mathtext(tex)
    if not source:
        return ""
    buffer = io.BytesIO()
    size = 13 if display else 12
    try:
        with warnings.catch_warnings(), matplotlib.rc_context({"mathtext.fontset": "cm", "svg.fonttype": "path"}):
            warnings.simplefilter("ignore")
            depth = math_to_image(f"${source}$", buffer, prop=FontProperties(size=size), format="svg")
    except Exception:  # mathtext raises ValueError and, on odd input, others; the source is shown instead
        return None
    svg = buffer.getvalue()
    svg = re.sub(rb"<metadata>.*?</metadata>", b"", svg, flags=re.S)
    data = base64.b64encode(svg).decode("ascii")
    kind = "tex-display" if display else "tex-inline"
    alt = html.escape(tex, quote=True)
    return f'<img class="{kind}" style="vertical-align:-{depth:.1f}pt" alt="{alt}" src="data:image/svg+xml;base64,{data}"/>'


def _tex_source(tex: str, display: bool) -> str:
    """The LaTeX itself, for formulas mathtext cannot typeset (still readable offline)."""
    escaped = html.escape(tex)
    if display:
        return f'<pre class="tex-source" title="LaTeX source">{escaped}</pre>'
    return f'<code class="tex-source" title="LaTeX source">{escaped}</code>'


def render_math(tex: str, display: bool) -> str:
    """HTML for a formula: typeset SVG where possible, else its LaTeX source.

    Display formulas written as ``aligned``/``align``/``gathered`` environments are set
    line by line (mathtext has no environments); anything else it cannot set, such as a
    matrix, is shown as source.
    """
    tex = tex.strip()
    if not display:
        return _typeset(tex, False) or _tex_source(f"${tex}$", False)
    lines = _environment_lines(tex)
    images = [_typeset(line, True) for line in lines]
    if any(image is None for image in images):
        return _tex_source(tex, True)
    rows = "".join(f"<div>{image}</div>" for image in images if image)
    return f'<div class="tex-block">{rows}</div>'


def _environment_lines(tex: str) -> list[str]:
    """Split a display formula into the lines mathtext can set one at a time."""
    match = re.fullmatch(r"\\begin\{([a-zA-Z*]+)\}(.*)\\end\{\1\}", tex, flags=re.S)
    if match and match.group(1) in _LINE_ENVIRONMENTS:
        tex = match.group(2)
    inner = re.fullmatch(r"\\begin\{(aligned|gathered|split)\}(.*)\\end\{\1\}", tex.strip(), flags=re.S)
    if inner:
        tex = inner.group(2)
    if "\\begin{" in tex:
        return [tex]  # a matrix or other environment: let it fail and show as source
    lines = [line.replace("&", " ") for line in re.split(r"\\\\", tex)]
    return [line for line in lines if line.strip()]


class OfflineMathRenderer(IPythonRenderer):
    """nbconvert's Markdown renderer with formulas typeset at build time instead of by MathJax."""

    def block_math(self, body: str) -> str:
        """``$$...$$`` in a Markdown cell."""
        return render_math(body, display=True)

    def latex_environment(self, name: str, body: str) -> str:
        """A bare ``\\begin{name}...\\end{name}`` in a Markdown cell."""
        return render_math(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True)

    def inline_math(self, body: str) -> str:
        """``$...$`` in a Markdown cell."""
        return render_math(body, display=False)


# ----------------------------------------------------------------------------- HTML export

SITE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<style type="text/css">
  .tex-block { text-align: center; margin: 0.8em 0; }
  .tex-block img { max-width: 100%; }
  .tex-source { font-family: var(--jp-code-font-family, monospace); color: #444; }
  pre.tex-source { text-align: left; background: #f6f6f6; padding: 0.5em; white-space: pre-wrap; }
  .site-nav { font-family: var(--jp-ui-font-family, sans-serif); padding: 0.6em 1em; border-bottom: 1px solid #ddd; }
  .site-nav a { margin-right: 1.2em; }
  .jp-RenderedImage img { max-width: 100%; height: auto; }
</style>
{%- endblock extra_css -%}
{%- block body_header -%}
{{ super() }}
{%- if resources.site_nav %}<nav class="site-nav">{{ resources.site_nav }}</nav>{% endif -%}
{%- endblock body_header -%}
"""


class SiteExporter(HTMLExporter):
    """nbconvert's JupyterLab HTML export with nothing fetched from the network."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("extra_loaders", [DictLoader({"cnn_site.html.j2": SITE_TEMPLATE})])
        super().__init__(template_name="lab", **kwargs)
        self.template_file = "cnn_site.html.j2"
        self.embed_images = True
        self.exclude_anchor_links = True

    @pass_context
    def markdown2html(self, context: dict[str, Any], source: str) -> str:  # type: ignore[override]
        """Markdown cells to HTML, with formulas typeset offline (see ``OfflineMathRenderer``)."""
        cell = context.get("cell", {})
        path = context.get("resources", {}).get("metadata", {}).get("path", "")
        renderer = OfflineMathRenderer(
            escape=False,
            attachments=cell.get("attachments", {}),
            embed_images=True,
            path=path,
            anchor_link_text=self.anchor_link_text,
            exclude_anchor_links=self.exclude_anchor_links,
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


def export_html(notebook: NotebookNode, source_path: Path, nav_html: str = "") -> str:
    """The notebook as one self-contained HTML page (embedded figures, inline styles, no scripts)."""
    exporter = SiteExporter()
    resources = {"metadata": {"path": str(source_path.parent), "name": source_path.stem}, "site_nav": nav_html}
    body, _ = exporter.from_notebook_node(drop_widget_views(notebook), resources=resources)
    return body


# ----------------------------------------------------------------------------- building


def _execute_and_export(path: Path, fast: bool, timeout: int, nav_html: str) -> tuple[str, float]:
    """Worker: run one lecture and render it (module level so a process pool can call it)."""
    start = time.perf_counter()
    notebook = execute_notebook(path, fast=fast, timeout=timeout)
    return export_html(notebook, path, nav_html), time.perf_counter() - start


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
    Returns where each page went and how long each lecture took.
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

    nav = '<a href="index.html">Course map</a>'
    failures: list[NotebookExecutionError] = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {lec.number: pool.submit(_execute_and_export, lec.path, fast, timeout, nav) for lec in chosen}
        for lecture in chosen:
            try:
                page, seconds = futures[lecture.number].result()
            except NotebookExecutionError as error:
                failures.append(error)
                print(f"  {lecture.path.name}: FAILED in cell {error.cell_index}", flush=True)
                continue
            target = out_dir / lecture.page
            target.write_text(page, encoding="utf-8")
            report.lecture_pages[lecture.number], report.seconds[lecture.number] = target, seconds
            print(f"  {lecture.path.name}: {seconds:.1f} s -> {target.name}", flush=True)

    for assignment in assignments:
        folder = out_dir / "assignments" / assignment.name
        folder.mkdir(parents=True)
        shutil.copy2(assignment.path, folder / assignment.path.name)
        page = folder / f"{assignment.name}.html"
        back = '<a href="../../index.html">Course map</a>'
        page.write_text(export_html(nbformat.read(assignment.path, as_version=4), assignment.path, back), "utf-8")
        report.assignment_pages[assignment.name] = page

    rendered = [lec for lec in all_lectures if lec.number in report.lecture_pages]
    report.index.write_text(index_html(rendered, assignments, fast), encoding="utf-8")
    if failures:
        raise SiteBuildError(failures, report)
    return report


def text_with_math(text: str) -> str:
    """Plain text to HTML, its ``$...$`` formulas typeset like the lecture pages'."""
    parts = re.split(r"(?<!\\)\$([^$]+)\$", text)
    return "".join(render_math(part, display=False) if odd else html.escape(part) for odd, part in _alternate(parts))


def _alternate(parts: Sequence[str]) -> list[tuple[bool, str]]:
    return [(index % 2 == 1, part) for index, part in enumerate(parts)]


def index_html(lectures: Sequence[Lecture], assignments: Sequence[Assignment], fast: bool) -> str:
    """The course map page: order, lecture, what it teaches, the assignment that follows it."""
    by_name = {a.name: a for a in assignments}
    rows = []
    for order, lecture in enumerate(lectures, start=1):
        follows = ASSIGNMENT_AFTER_LECTURE.get(lecture.number)
        assignment_cell = ""
        if follows in by_name:
            a = by_name[follows]
            base = f"assignments/{a.name}/{a.name}"
            assignment_cell = (
                f'{html.escape(a.title)}<br><a href="{base}.html">read</a> · '
                f'<a href="{base}.ipynb" download>notebook (.ipynb)</a>'
            )
        elif follows:
            assignment_cell = f"{html.escape(follows)} (not released yet)"
        rows.append(
            "<tr>"
            f"<td>{order}</td>"
            f'<td><a href="{lecture.page}">{html.escape(lecture.title)}</a><br>'
            f"<small>{html.escape(lecture.path.name)}</small></td>"
            f"<td>{text_with_math(lecture.summary)}</td>"
            f"<td>{assignment_cell}</td>"
            "</tr>"
        )
    mode = "fast mode (small subsets, few epochs)" if fast else "full mode"
    assignment_items = "".join(
        f'<li><a href="assignments/{a.name}/{a.name}.html">{html.escape(a.title)}</a> '
        f'(<a href="assignments/{a.name}/{a.name}.ipynb" download>{a.name}.ipynb</a>)</li>'
        for a in assignments
    )
    return INDEX_PAGE.format(
        rows="\n".join(rows), mode=mode, assignments=assignment_items or "<li>none released yet</li>"
    )


INDEX_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Convolutional neural networks: course map</title>
<style>
  body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 70em; margin: 2em auto;
         padding: 0 1em; color: #222; line-height: 1.45; }}
  table {{ border-collapse: collapse; width: 100%; }}
  th, td {{ border-bottom: 1px solid #ddd; padding: 0.5em; text-align: left; vertical-align: top; }}
  th {{ background: #f3f3f3; }}
  small {{ color: #666; }}
</style>
</head>
<body>
<h1>Convolutional neural networks: a course in notebooks</h1>
<p>Every lecture below was executed in {mode} when this site was built; its figures and printed
checks are the notebook's own outputs. To run them yourself, open the notebooks in JupyterLab.</p>
<h2>Course map</h2>
<table>
<thead><tr><th>#</th><th>Lecture</th><th>What it teaches</th><th>Assignment that follows</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<h2>Assignments</h2>
<ul>
{assignments}
</ul>
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
