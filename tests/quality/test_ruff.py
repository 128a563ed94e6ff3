"""Quality gates: ruff (lint and format) over the library, the tests and the notebooks' code, and
type hints plus docstrings on every public function of cnnlib.

Ruff's settings live in the root pyproject.toml (it includes ``*.ipynb`` and excludes the
generated ``assignments/``). To fix what these tests report: ``ruff check --fix`` then ``ruff format``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import cnnlib
import pytest

pytestmark = pytest.mark.quality

REPO_ROOT = Path(__file__).resolve().parents[2]
CHECKED = ["lib", "tests", "lectures", "solutions"]
# An annotation naming one of these means the argument is an array, so the docstring must give its shape.
ARRAY_ANNOTATION = re.compile(r"ndarray|Tensor|ArrayLike|NDArray")
MENTIONS_SHAPE = re.compile(
    r"shape|\(\s*[A-Za-z_]\w*\s*,[^)]*\)|\b[1-4]-D\b|\bscalar\b|\bN\b|NCHW|same size|same as",
    re.IGNORECASE,
)


def ruff(*args: str) -> subprocess.CompletedProcess:
    paths = [p for p in CHECKED if (REPO_ROOT / p).exists()]
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, *paths],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_ruff_lint():
    result = ruff("check", "--no-cache", "--output-format=concise")
    assert result.returncode == 0, (
        f"ruff check found problems (fix: ruff check --fix):\n{result.stdout[-6000:]}{result.stderr}"
    )


def test_ruff_format():
    result = ruff("format", "--check", "--no-cache", "--output-format=concise")
    assert result.returncode == 0, (
        f"files ruff would reformat (fix: ruff format):\n{result.stdout[-6000:]}{result.stderr}"
    )


# ----------------------------------------------------------------------------- cnnlib's public API


def cnnlib_modules() -> list[str]:
    """Every module of the cnnlib package, subpackages included (``__main__`` modules excepted)."""
    names = ["cnnlib"]
    for info in pkgutil.walk_packages(cnnlib.__path__, prefix="cnnlib."):
        if not info.name.rsplit(".", 1)[-1].startswith("_"):
            names.append(info.name)
    return sorted(names)


def public_functions(module) -> list[tuple[str, object]]:
    """Functions, and methods of classes, defined in ``module`` whose names do not start with ``_``.

    A method overriding one of a class from another package (``Thread.run``, an nbconvert
    preprocessor's ``preprocess_cell``) is left out: that package defines its contract.
    """
    found = []
    for name, value in vars(module).items():
        if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(value):
            found.append((name, value))
        elif inspect.isclass(value):
            for method_name, method in vars(value).items():
                if isinstance(method, (staticmethod, classmethod)):
                    method = method.__func__
                if method_name.startswith("_") or not inspect.isfunction(method):
                    continue
                if overrides_outside_cnnlib(value, method_name):
                    continue  # e.g. an nbconvert preprocessor's preprocess_cell: its contract is the base class's
                found.append((f"{name}.{method_name}", method))
    return found


def overrides_outside_cnnlib(cls: type, method_name: str) -> bool:
    """True when ``method_name`` implements a method inherited from a class outside cnnlib."""
    return any(
        method_name in vars(base) and not base.__module__.startswith("cnnlib")
        for base in cls.__mro__[1:]
        if base is not object
    )


def missing_hints(function) -> list[str]:
    """Parameters (and the return value) of ``function`` without a type annotation."""
    signature = inspect.signature(function)
    missing = [
        name
        for name, parameter in signature.parameters.items()
        if name not in {"self", "cls"} and parameter.annotation is inspect.Parameter.empty
    ]
    if signature.return_annotation is inspect.Signature.empty:
        missing.append("return")
    return missing


def takes_arrays(function) -> bool:
    annotations = [str(p.annotation) for p in inspect.signature(function).parameters.values()]
    return any(ARRAY_ANNOTATION.search(a) for a in annotations)


@pytest.mark.parametrize("module_name", cnnlib_modules())
def test_public_functions_have_type_hints_and_docstrings(module_name):
    module = importlib.import_module(module_name)
    problems = []
    for name, function in public_functions(module):
        hints = missing_hints(function)
        if hints:
            problems.append(f"{name}: no type hint for {', '.join(hints)}")
        doc = inspect.cleandoc(function.__doc__ or "")  # its own docstring, not one inherited
        if not doc:
            problems.append(f"{name}: no docstring")
        elif takes_arrays(function) and not MENTIONS_SHAPE.search(doc):
            problems.append(f"{name}: takes arrays but its docstring states no shape")
    assert not problems, f"{module_name}:\n  " + "\n  ".join(problems)
