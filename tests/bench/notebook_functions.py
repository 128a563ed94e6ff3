"""Load the functions and classes a notebook defines, without running the rest of the notebook.

Benchmarks time the reference solutions of the assignments; those live in notebooks, next to
test cells and training runs that a benchmark must not execute. ``load_definitions`` reads the
notebook's code cells, finds the top-level ``def``/``class`` statements (and simple constant
assignments) that define the requested names and, transitively, every other top-level name
they use, and executes only those, after the notebook's own import statements.

    from notebook_functions import load_definitions
    ns = load_definitions("solutions/a3_numpy_cnn/a3_numpy_cnn.ipynb", ["conv2d_forward_fast"])
    ns["conv2d_forward_fast"](x, w, b)

Cells that are not valid Python (IPython magics, shell escapes) are skipped.
"""

from __future__ import annotations

import ast
import builtins
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _code_cells(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in cells
        if c["cell_type"] == "code"
    ]


def _defined_names(node: ast.stmt) -> list[str]:
    if isinstance(node, _DEFINITIONS):
        return [node.name]
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return [t.id for t in targets if isinstance(t, ast.Name)]
    return []


def _used_names(node: ast.stmt) -> set[str]:
    """Names a statement reads but does not bind itself (arguments and local assignments excluded)."""
    loads, local = set(), set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            (loads if isinstance(n.ctx, ast.Load) else local).add(n.id)
        elif isinstance(n, ast.arg):
            local.add(n.arg)
    return loads - local


def load_definitions(
    notebook: str | Path, names: Iterable[str], namespace: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Execute the definitions of ``names`` (and what they depend on) from ``notebook``'s code cells.

    Returns the namespace they were executed in (``namespace`` if given, else a new dict), so
    ``result[name]`` is the function or class. Raises ``ValueError`` naming any requested name that
    no top-level statement of the notebook defines. When a name is defined twice, the last
    definition wins, as it would when the notebook runs top to bottom.
    """
    notebook = Path(notebook)
    wanted = list(names)
    imports: list[ast.stmt] = []
    providers: dict[str, tuple[int, ast.stmt]] = {}
    order = 0
    for source in _code_cells(notebook):
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                imports.append(node)
            for name in _defined_names(node):
                providers[name] = (order, node)
            order += 1
    missing = [n for n in wanted if n not in providers]
    if missing:
        raise ValueError(f"{notebook} defines no top-level {', '.join(missing)}; it defines {sorted(providers)}")

    needed: dict[int, ast.stmt] = {}
    queue = list(wanted)
    while queue:
        name = queue.pop()
        if name not in providers or name in vars(builtins):
            continue
        position, node = providers[name]
        if position in needed:
            continue
        needed[position] = node
        queue.extend(_used_names(node))

    ns = {} if namespace is None else namespace
    ns.setdefault("__name__", f"notebook:{notebook.stem}")
    body = imports + [needed[p] for p in sorted(needed)]
    exec(compile(ast.Module(body=body, type_ignores=[]), str(notebook), "exec"), ns)  # noqa: S102 - our own notebooks
    return ns
