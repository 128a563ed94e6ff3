"""Decide a test cell's verdict outside the student's process, from answers handed over as data.

The instructor's solution, run in a trusted kernel, gives each test cell's *reference* records
(``cnnlib.answers``); the student's kernel gives the student's records for the same cell. A cell
passes when the student produced one record for every reference record, in order, under the
same check names, and each answer passes the reference's check with the reference's parameters
(``cnnlib.compare``). What the student's process sends as parameters, expected values or
verdicts is ignored.

For a visible check, a failure keeps its full explanation (its inputs are in the released
notebook anyway). For a hidden check, only its number and the kind of failure are told.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from cnnlib import compare


@dataclass
class Failure:
    """One check of a test cell that did not pass."""

    visible: bool
    number: int  # 1-based, counted within the visible or the hidden checks
    name: str  # empty for hidden checks
    kind: str
    detail: str  # empty for hidden checks

    def message(self) -> str:
        """What the student is told about this failure."""
        if self.visible:
            return f"{self.name}: {self.detail}" if self.detail else f"{self.name}: {self.kind}"
        return f"hidden check {self.number}: {self.kind}"


@dataclass
class Verdict:
    """The grader's decision on one test cell."""

    passed: bool
    failures: list[Failure] = field(default_factory=list)
    hidden_total: int = 0
    problem: str = ""  # why the cell failed as a whole (timed out, kernel died, raised ...)

    def message(self) -> str:
        """The failure text shown in the autograded notebook and in feedback."""
        lines = [self.problem] if self.problem else []
        ran = [f for f in self.failures if f.kind != "did not run"]
        lines += [f.message() for f in ran[:3]]
        if len(ran) > 3:
            lines.append(f"... and {len(ran) - 3} more checks failed")
        skipped = [f for f in self.failures if f.kind == "did not run"]
        if skipped:
            visible = sum(f.visible for f in skipped)
            parts = [
                f"{n} {which} check{'s' * (n != 1)}"
                for n, which in ((visible, "visible"), (len(skipped) - visible, "hidden"))
                if n
            ]
            lines.append(
                " and ".join(parts) + " did not run (an earlier line raised an exception or the cell was stopped)"
            )
        return "\n".join(lines)


def _judge(ref: dict, got: Any) -> compare.Mismatch | None:
    kind, params = ref["kind"], ref["params"]
    if kind == "close":
        expected = ref["got"] if params.get("reference") else params.get("expected")
        return compare.close(
            got,
            expected,
            float(params.get("rtol", 1e-7)),
            float(params.get("atol", 0.0)),
            float(params.get("floor", compare.DEFAULT_FLOOR)),
        )
    if kind == "equal":
        return compare.equal(got, ref["got"] if params.get("reference") else params.get("expected"))
    if kind == "shape":  # measured here, on the answer itself
        return compare.shape(compare.shape_of_data(got), tuple(params.get("expected", ())), type(got).__name__)
    if kind == "type":  # read here from the data; class names from the kernel only for objects
        value = got.get("value") if isinstance(got, dict) else None
        names = compare.types_of_data(value)
        if names is None:
            names = got.get("mro", []) if isinstance(got, dict) else []
        return compare.of_type(names, params.get("allowed", []))
    if kind == "true":
        return compare.true(got, str(params.get("message", "")))
    if kind == "raises":
        return compare.raised(got, str(params.get("expected", "")))
    if kind == "at_least":
        return compare.at_least(got, float(params["minimum"]), ref["name"])
    if kind == "at_most":
        return compare.at_most(got, float(params["maximum"]), ref["name"])
    if kind == "accuracy":
        return compare.accuracy(got, params.get("labels"), float(params["minimum"]))
    if kind == "written_here":
        return compare.written_here(got)
    return compare.Mismatch("unknown check", f"the grader does not know checks of kind {kind!r}")


def compare_part(reference: list[dict], student: list[dict] | None, visible: bool) -> list[Failure]:
    """Failures of one part (visible or hidden) of a test cell; ``student`` None means no answers came back."""
    student = student or []
    failures = []
    for i, ref in enumerate(reference):
        number = i + 1
        name = ref["name"] if visible else ""
        if i >= len(student):
            failures.append(Failure(visible, number, name, "did not run", ""))
            continue
        mine = student[i]
        if mine.get("kind") != ref["kind"] or mine.get("name") != ref["name"]:
            detail = "the checks ran in a different order than in the assignment" if visible else ""
            failures.append(Failure(visible, number, name, "a different check ran here", detail))
            continue
        mismatch = _judge(ref, mine.get("got"))
        if mismatch is not None:
            detail = mismatch.detail
            if ref["params"].get("hint"):  # where to look, as the student's own session says it
                detail += f"\n  Look at: {ref['params']['hint']}"
            failures.append(Failure(visible, number, name, mismatch.kind, detail if visible else ""))
    if len(student) > len(reference) and not failures:
        extra = student[len(reference)]
        if extra.get("kind") == "dropped":
            failures.append(Failure(visible, len(reference) + 1, "", "too many answers (some were dropped)", ""))
    return failures


def _parse_cell(source: str) -> ast.Module | None:
    """A notebook cell as Python: IPython's magic and shell lines (``%time f(x)``, ``!ls``) become ``pass``."""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        lines.append(line[: len(line) - len(stripped)] + "pass" if stripped.startswith(("%", "!")) else line)
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def defined_in_cells(sources: list[str], name: str) -> bool:
    """True when ``name`` is bound to a ``def``/``class`` written in ``sources`` and not rebound after that.

    ``sources`` are the code cells students can edit, in notebook order. ``name = other`` counts as a
    definition when ``other`` is itself such a function (a student's own alias); an import, another
    assignment or a definition of something else under the name rebinds it. Changing an attribute
    (``f.__doc__ += ...``) does not.
    """
    bound: dict[str, bool] = {}
    for source in sources:
        tree = _parse_cell(source)
        if tree is None:
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound[node.name] = True
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    bound[alias.asname or alias.name.split(".")[0]] = False
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                value = node.value if not isinstance(node, ast.AugAssign) else None
                alias_of = value.id if isinstance(value, ast.Name) else None
                for target in targets:
                    for n in _bound_names(target):
                        bound[n] = bool(alias_of) and bound.get(alias_of, False)
    return bound.get(name, False)


def _bound_names(target: ast.expr) -> list[str]:
    """Names an assignment target binds (``a``, ``a, b``), not attributes or items it changes."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for element in target.elts for n in _bound_names(element)]
    if isinstance(target, ast.Starred):
        return _bound_names(target.value)
    return []


def decide(
    reference: dict[str, list[dict]],
    student: dict[str, list[dict] | None],
    problem: str = "",
    student_sources: list[str] | None = None,
) -> Verdict:
    """The verdict on one test cell.

    ``reference`` and ``student`` map ``"visible"`` and ``"hidden"`` to the records of that part
    (the student's part is None when it produced no readable answers). ``problem`` is set by the
    executor when the cell could not run to its end (timed out, kernel died). ``student_sources``
    are the student's code cells, for the static check that graded functions are defined there.
    """
    failures = compare_part(reference.get("visible", []), student.get("visible"), visible=True)
    failures += compare_part(reference.get("hidden", []), student.get("hidden"), visible=False)
    if student_sources is not None:
        for part in ("visible", "hidden"):
            for i, ref in enumerate(reference.get(part, [])):
                defined = ref["params"].get("defined") if ref["kind"] == "written_here" else None
                if defined and not defined_in_cells(student_sources, str(defined)):
                    visible = part == "visible"
                    failures.append(
                        Failure(
                            visible,
                            i + 1,
                            ref["name"] if visible else "",
                            compare.NOT_WRITTEN_HERE,
                            f"no cell of the notebook defines {defined} with def or class" if visible else "",
                        )
                    )
    return Verdict(
        passed=not failures and not problem,
        failures=failures,
        hidden_total=len(reference.get("hidden", [])),
        problem=problem,
    )
