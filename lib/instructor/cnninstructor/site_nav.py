"""Navigation for the static walkthrough (``cnninstructor.site``): contents sidebar, previous/next links.

Every page of the site has the same sidebar. It lists every lecture, with the section headings
of the page being read under its own entry, and then the assignments. Lecture pages also get
a pager at the top and the bottom: the previous lecture, the course map and the next lecture.
All links are relative, so the site reads the same from the file system as from a server.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from cnninstructor.site_math import text_with_math

# Markers the page templates leave where the navigation goes; the builder fills them in
# once it knows which lectures were rendered (a lecture that failed gets no link).
SIDEBAR_MARK = "<!--site:sidebar-->"
PAGER_MARK = "<!--site:pager-->"
OUTLINE_LEVELS = (2, 3)  # the heading levels listed under the current page in the sidebar


@dataclass(frozen=True)
class Heading:
    """A section heading of a page: its level (1-6), its anchor and its content as HTML."""

    level: int
    anchor: str
    html: str


@dataclass(frozen=True)
class NavEntry:
    """One page the sidebar and pager can link: its path from the site root and its title (may hold $math$)."""

    href: str
    title: str
    number: str = ""


class Outline:
    """The headings of one page in order, each given an anchor unique within the page."""

    def __init__(self) -> None:
        self.headings: list[Heading] = []
        self._taken: set[str] = set()

    def add(self, level: int, content_html: str) -> str:
        """Record a heading and return its anchor: its words in lower case joined by hyphens."""
        text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r'alttext="[^"]*"', "", content_html)))
        base = "-".join(re.findall(r"[a-z0-9]+", text.lower())) or "section"
        anchor, count = base, 1
        while anchor in self._taken:
            count += 1
            anchor = f"{base}-{count}"
        self._taken.add(anchor)
        self.headings.append(Heading(level, anchor, content_html))
        return anchor


_LECTURE_PREFIX = re.compile(r"^(Lecture|Assignment)\s+[A-Z]?\d+\s*[—–:.-]\s*", re.IGNORECASE)


def short_title(title: str) -> str:
    """A title without its "Lecture 04:" lead, which the sidebar shows as a number instead."""
    shortened = _LECTURE_PREFIX.sub("", title).strip()
    return shortened[:1].upper() + shortened[1:] if shortened else title


def _outline_html(headings: Sequence[Heading]) -> str:
    """The page's level-2 headings as a list, each with its level-3 headings nested under it."""
    sections: list[tuple[Heading, list[Heading]]] = []
    for heading in headings:
        if heading.level == OUTLINE_LEVELS[0] or (heading.level == OUTLINE_LEVELS[1] and not sections):
            sections.append((heading, []))
        elif heading.level == OUTLINE_LEVELS[1]:
            sections[-1][1].append(heading)
    if not sections:
        return ""
    items = []
    for section, subsections in sections:
        nested = "".join(f"<li>{_anchor_link(sub)}</li>" for sub in subsections)
        nested = f'<ol class="site-subsections">{nested}</ol>' if nested else ""
        items.append(f"<li>{_anchor_link(section)}{nested}</li>")
    return f'<ol class="site-sections">{"".join(items)}</ol>'


def _anchor_link(heading: Heading) -> str:
    return f'<a href="#{heading.anchor}">{_strip_links(heading.html)}</a>'


def _strip_links(content_html: str) -> str:
    """Heading content without links of its own (a link cannot sit inside the sidebar's link)."""
    return re.sub(r"</?a\b[^>]*>", "", content_html)


def sidebar_html(
    lectures: Sequence[NavEntry],
    assignments: Sequence[NavEntry],
    current: str | None,
    headings: Sequence[Heading] = (),
    root: str = "",
) -> str:
    """The contents sidebar for the page ``current`` (an ``href`` of one entry, or None for the index).

    ``root`` is the way back to the site root from the page (``""`` or ``"../../"``).
    """

    def entry(item: NavEntry, kind: str) -> str:
        is_current = item.href == current
        number = f'<span class="site-number">{html.escape(item.number)}</span> ' if item.number else ""
        label = f"{number}{text_with_math(short_title(item.title) if kind == 'lecture' else item.title)}"
        attributes = ' aria-current="page"' if is_current else ""
        outline = _outline_html(headings) if is_current else ""
        css = ' class="site-current"' if is_current else ""
        return f'<li{css}><a href="{root}{item.href}"{attributes}>{label}</a>{outline}</li>'

    lecture_items = "".join(entry(item, "lecture") for item in lectures)
    assignment_items = "".join(entry(item, "assignment") for item in assignments)
    map_current = ' aria-current="page"' if current is None else ""
    parts = [
        '<nav class="site-sidebar" aria-label="Course contents">',
        f'<p class="site-home"><a href="{root}index.html"{map_current}>Convolutional neural networks</a></p>',
        f'<h2>Lectures</h2><ol class="site-lectures">{lecture_items}</ol>',
    ]
    if assignment_items:
        parts.append(f'<h2>Assignments</h2><ul class="site-assignments">{assignment_items}</ul>')
    parts.append("</nav>")
    return "".join(parts)


def pager_html(previous: NavEntry | None, following: NavEntry | None, root: str = "") -> str:
    """Links to the previous lecture, the course map and the next lecture (either end may be missing)."""

    def link(item: NavEntry | None, rel: str, arrow_before: str, arrow_after: str, word: str) -> str:
        if item is None:
            return f'<span class="site-{rel}"></span>'
        title = text_with_math(item.title)
        return (
            f'<a class="site-{rel}" rel="{rel}" href="{root}{item.href}">'
            f"<small>{arrow_before}{word}{arrow_after}</small><span>{title}</span></a>"
        )

    return (
        '<nav class="site-pager" aria-label="Previous and next lecture">'
        f"{link(previous, 'prev', '← ', '', 'Previous')}"
        f'<a class="site-map" href="{root}index.html">Course map</a>'
        f"{link(following, 'next', '', ' →', 'Next')}"
        "</nav>"
    )


# The page shell around the content: a fixed sidebar on wide screens, above the content on
# narrow ones; pager cells that stay in place when one end is missing.
NAV_CSS = """
:root { --site-sidebar-width: 19rem; }
body.site-page { margin: 0; padding: 0; }
.site-sidebar { position: fixed; top: 0; left: 0; bottom: 0; width: var(--site-sidebar-width); overflow-y: auto;
  box-sizing: border-box; padding: 1rem 0.9rem 2rem; background: #f6f7f9; border-right: 1px solid #dde1e6;
  font-family: system-ui, -apple-system, "Segoe UI", sans-serif; font-size: 0.88rem; line-height: 1.35; z-index: 10; }
.site-sidebar a { color: #1f3a5f; text-decoration: none; }
.site-sidebar a:hover { text-decoration: underline; }
.site-sidebar h2 { font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.06em; color: #5a6472;
  margin: 1.2rem 0 0.4rem; border: 0; padding: 0; }
.site-sidebar ol, .site-sidebar ul { list-style: none; margin: 0; padding: 0; }
.site-sidebar li { margin: 0.2rem 0; }
.site-home { font-weight: 600; font-size: 1rem; margin: 0 0 0.6rem; }
.site-number { display: inline-block; min-width: 1.7em; color: #5a6472; font-variant-numeric: tabular-nums; }
.site-current > a { font-weight: 600; color: #0b2545; }
.site-sidebar .site-sections { margin: 0.3rem 0 0.5rem 1.7em; border-left: 2px solid #c9d3df; padding-left: 0.6em; }
.site-sidebar .site-subsections { margin-left: 0.9em; font-size: 0.95em; }
.site-content { margin-left: var(--site-sidebar-width); min-width: 0; }
.site-pager { display: flex; justify-content: space-between; align-items: stretch; gap: 1rem; max-width: 70rem;
  margin: 0 auto; padding: 0.8rem 1.5rem; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
.site-pager a { text-decoration: none; color: #1f3a5f; }
.site-pager .site-prev, .site-pager .site-next { flex: 1 1 0; display: flex; flex-direction: column; }
.site-pager .site-next { text-align: right; }
.site-pager small { color: #5a6472; }
.site-pager .site-map { align-self: center; white-space: nowrap; }
main.site-main { max-width: 70rem; margin: 0 auto; padding: 0 1.5rem 2rem; box-sizing: border-box; }
@media (max-width: 60rem) {
  .site-sidebar { position: static; width: auto; border-right: 0; border-bottom: 1px solid #dde1e6; }
  .site-content { margin-left: 0; }
}
@media print { .site-sidebar, .site-pager { display: none; } .site-content { margin-left: 0; } }
"""
