"""LaTeX formulas to MathML at build time, for the static walkthrough (``cnninstructor.site``).

The conversion is latex2mathml's (a pure-Python LaTeX-to-MathML converter). Its MathML is
written into the page, and the browser typesets it with no script and no network. Chromium,
Firefox and Safari all render MathML Core. This module only adapts the few spellings
latex2mathml does not know to ones it does, with the same meaning (``aligned`` is set as
``align*``, ``gathered`` as a one-column array). It also checks each result, so a formula
that did not convert is reported instead of passing silently.

A formula that still cannot be converted is shown as its LaTeX source in a
``.tex-source`` element and recorded in ``UNTYPESET``. The site build prints those
formulas, and the tests fail on any.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import lru_cache

from latex2mathml import exceptions as latex2mathml_errors
from latex2mathml.converter import convert

# What latex2mathml raises on a formula it cannot parse: its own errors, and, on malformed
# input such as an unclosed ``\\text{``, the built-in ones its tokenizer and walker run into.
CONVERSION_ERRORS = tuple(
    error for error in vars(latex2mathml_errors).values() if isinstance(error, type) and issubclass(error, Exception)
) + (StopIteration, IndexError, KeyError, ValueError, TypeError)

# Formulas that could not be typeset since the process started (LaTeX source, display?).
UNTYPESET: list[tuple[str, bool]] = []

# Environments latex2mathml lacks, as ones it has that lay out the same way
# (``\\begin{aligned}`` as ``\\begin{align*}``); an equation environment is just its formula.
_RESPELLED = {
    "begin": {
        "aligned": "\\begin{align*}",
        "gathered": "\\begin{array}{c}",
        "gather": "\\begin{array}{c}",
        "gather*": "\\begin{array}{c}",
        "equation": "",
        "equation*": "",
    },
    "end": {
        "aligned": "\\end{align*}",
        "gathered": "\\end{array}",
        "gather": "\\end{array}",
        "gather*": "\\end{array}",
        "equation": "",
        "equation*": "",
    },
}
# Commands written into the MathML as text mean latex2mathml did not know them (``<mi>\\foo</mi>``).
_UNKNOWN_COMMAND = re.compile(r">[^<]*\\[A-Za-z]+[^<]*<")


def _respell_environments(tex: str) -> str:
    """Each environment latex2mathml lacks, spelled as one it has (see ``_RESPELLED``)."""

    def respell(match: re.Match) -> str:
        return _RESPELLED[match.group(1)].get(match.group(2), match.group(0))

    return re.sub(r"\\(begin|end)\{([a-zA-Z*]+)\}", respell, tex)


def _top_level_rows(tex: str) -> bool:
    """True when ``\\\\`` breaks the formula itself into rows (outside any environment)."""
    depth = 0
    for match in re.finditer(r"\\begin\{|\\end\{|\\\\", tex):
        token = match.group(0)
        if token == "\\begin{":
            depth += 1
        elif token == "\\end{":
            depth -= 1
        elif depth == 0:
            return True
    return False


def _braced_end(tex: str, start: int) -> int:
    """Index just past the ``{...}`` group that opens at ``tex[start]``, or -1 when it never closes."""
    depth = 0
    for index in range(start, len(tex)):
        depth += {"{": 1, "}": -1}.get(tex[index], 0)
        if depth == 0:
            return index + 1
    return -1


def _labelled_arrows_as_overset(tex: str) -> str:
    """``\\xrightarrow{L}`` as ``\\overset{L}{\\rightarrow}``: the browser stretches that arrow under
    its label, where latex2mathml's own ``\\xrightarrow`` pads the label so that it overlaps the arrow."""
    while (start := tex.find("\\xrightarrow{")) >= 0:
        label_start = start + len("\\xrightarrow")
        label_end = _braced_end(tex, label_start)
        if label_end < 0:
            return tex
        tex = f"{tex[:start]}\\overset{tex[label_start:label_end]}{{\\rightarrow}}{tex[label_end:]}"
    return tex


def normalize(tex: str, display: bool) -> str:
    """The formula in spellings latex2mathml converts faithfully (same meaning, same layout)."""
    tex = _respell_environments(tex.strip())
    tex = _labelled_arrows_as_overset(tex)
    # ``\\mathrel{+}=`` is the one relation "+=": latex2mathml would set a gap inside it.
    tex = re.sub(r"\\mathrel\{([^{}]*)\}\s*=", lambda match: f"\\mathrel{{{match.group(1)}=}}", tex)
    if display and _top_level_rows(tex):
        # Rows written straight into $$...$$: set them as aligned rows (or centred, with no &).
        tex = f"\\begin{{align*}}{tex}\\end{{align*}}" if "&" in tex else f"\\begin{{array}}{{c}}{tex}\\end{{array}}"
    return tex


# A prime as a superscript (``H'``): the prime glyph is already raised, so as a superscript it
# floats far above the letter. Set after its letter instead, as text typesetting does.
_SUPERSCRIPT_PRIME = re.compile(r"<msup>(<mi>[^<]*</mi>)<mi>(&#x0203[234];)</mi></msup>")


# ``\\operatorname{relu}`` comes out as ``<mo>relu</mo>``, which browsers space like a binary
# operator ("relu (x)"); as an identifier it is set upright and tight, as TeX sets it.
_NAMED_OPERATOR = re.compile(r"<mo>([A-Za-z]{2,})</mo>")


# A colon comes out as an identifier, set with no space; TeX sets ``:`` as a relation, with a
# thick space (5/18 em) on each side ("f : A -> B").
_COLON = '<mo lspace="0.2778em" rspace="0.2778em">:</mo>'


def _adjust(mathml: str) -> str:
    """latex2mathml's MathML with primes after their letters, named operators as identifiers, colons spaced."""
    mathml = _SUPERSCRIPT_PRIME.sub(r'<mrow>\1<mo lspace="0" rspace="0">\2</mo></mrow>', mathml)
    mathml = _NAMED_OPERATOR.sub(r"<mi>\1</mi>", mathml)
    return mathml.replace("<mi>:</mi>", _COLON)


@lru_cache(maxsize=8192)
def to_mathml(tex: str, display: bool) -> str | None:
    """The formula as a ``<math>`` element, or None when latex2mathml cannot convert it faithfully."""
    source = normalize(tex, display)
    if not source:
        return ""
    try:
        mathml = convert(source, display="block" if display else "inline")
    except CONVERSION_ERRORS:
        return None
    if _UNKNOWN_COMMAND.search(mathml) or "<mi>&</mi>" in mathml:
        return None
    mathml = _adjust(mathml)
    alt = html.escape(" ".join(tex.split()), quote=True)
    return mathml.replace("<math ", f'<math alttext="{alt}" ', 1)


def render_math(tex: str, display: bool) -> str:
    """HTML for one formula: MathML, or (when it cannot be converted) its LaTeX source, recorded."""
    mathml = to_mathml(tex.strip(), display)
    if mathml is not None:
        return f'<div class="math-display">{mathml}</div>' if display else mathml
    UNTYPESET.append((tex, display))
    escaped = html.escape(tex.strip())
    if display:
        return f'<pre class="tex-source" title="LaTeX source (could not be typeset)">{escaped}</pre>'
    return f'<code class="tex-source" title="LaTeX source (could not be typeset)">${escaped}$</code>'


def text_with_math(text: str) -> str:
    """Plain text to HTML, its ``$...$`` formulas typeset like the lecture pages'."""
    parts = re.split(r"(?<!\\)\$([^$]+)\$", text)
    return "".join(
        render_math(part, display=False) if index % 2 else html.escape(part) for index, part in _indexed(parts)
    )


def _indexed(parts: Sequence[str]) -> list[tuple[int, str]]:
    return list(enumerate(parts))


# Layout for latex2mathml's MathML that MathML Core leaves to CSS: column alignment (Chromium
# aligns a table cell's math only with the -webkit- keywords; Firefox reads the attribute) and
# spacing of tables (aligned equations, cases), and display formulas that scroll rather
# than overflow on a narrow screen. The font list puts a font with an OpenType MATH table
# first, so brackets around a matrix stretch to its height.
MATH_CSS = """
math { font-family: "Latin Modern Math", "STIX Two Math", "Cambria Math", "DejaVu Math TeX Gyre", math; }
.math-display { overflow-x: auto; overflow-y: hidden; margin: 0.7em 0; }
.math-display > math { font-size: 1.08em; }
mtd[columnalign="left"] { text-align: left; text-align: -webkit-left; }
mtd[columnalign="right"] { text-align: right; text-align: -webkit-right; }
mtable[columnspacing="0em"] > mtr > mtd, mtable[columnspacing="0em 2em"] > mtr > mtd { padding-left: 0; padding-right: 0; }
mtable[columnspacing="0em 2em"] > mtr > mtd:nth-child(2n + 3) { padding-left: 2em; }
mtable[rowspacing="3pt"] > mtr > mtd { padding-top: 0.2em; padding-bottom: 0.2em; }
.tex-source { font-family: var(--jp-code-font-family, monospace); color: #a00; }
pre.tex-source { background: #fff4f4; padding: 0.5em; white-space: pre-wrap; }
"""
