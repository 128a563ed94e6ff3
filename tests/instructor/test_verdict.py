"""Deciding a test cell's verdict from answers (cnninstructor.autograde.verdict) and where cells split."""

from __future__ import annotations

import numpy as np
import pytest
from cnninstructor.autograde.cells import split_test_source
from cnninstructor.autograde.verdict import decide, defined_in_cells

pytestmark = pytest.mark.instructor


def rec(kind, name, got, **params):
    return {"kind": kind, "name": name, "got": got, "params": params}


REFERENCE = {
    "visible": [rec("close", "f(x), worked example", np.array([1.0, 2.0]), expected=np.array([1.0, 2.0]), rtol=1e-5)],
    "hidden": [rec("close", "f on random input", np.array([3.0, 4.0]), reference=True, rtol=1e-5, atol=0.0)],
}


def test_matching_answers_pass():
    mine = {
        "visible": [rec("close", "f(x), worked example", [1.0, 2.0])],
        "hidden": [rec("close", "f on random input", np.array([3.0, 4.0 + 1e-7]))],
    }
    assert decide(REFERENCE, mine).passed


def test_the_students_parameters_and_expected_values_are_ignored():
    mine = {
        "visible": [rec("close", "f(x), worked example", [9.0, 9.0], expected=[9.0, 9.0], rtol=1e9)],
        "hidden": [rec("close", "f on random input", [0.0, 0.0], reference=False, expected=[0.0, 0.0], rtol=1e9)],
    }
    verdict = decide(REFERENCE, mine)
    assert not verdict.passed and len(verdict.failures) == 2


def test_a_hidden_failure_names_its_number_and_kind_only():
    mine = {"visible": REFERENCE["visible"], "hidden": [rec("close", "f on random input", np.array([3.0, 5.0]))]}
    message = decide(REFERENCE, mine).message()
    assert message == "hidden check 1: wrong values"
    mine["hidden"] = [rec("close", "f on random input", np.zeros(3))]
    assert decide(REFERENCE, mine).message() == "hidden check 1: wrong shape"


def test_a_visible_failure_keeps_its_explanation():
    mine = {"visible": [rec("close", "f(x), worked example", [1.0, 7.0])], "hidden": REFERENCE["hidden"]}
    message = decide(REFERENCE, mine).message()
    assert message.startswith("f(x), worked example: values differ at index (1,): expected 2, got 7")


@pytest.mark.parametrize(
    "mine",
    [
        {"visible": None, "hidden": None},  # nothing readable came back
        {"visible": [], "hidden": []},  # it raised before the first check
        {"visible": [rec("close", "another name", [1.0, 2.0])], "hidden": REFERENCE["hidden"]},
        {"visible": [rec("equal", "f(x), worked example", [1.0, 2.0])], "hidden": REFERENCE["hidden"]},
    ],
)
def test_missing_renamed_or_reordered_answers_fail(mine):
    assert not decide(REFERENCE, mine).passed


def test_a_problem_from_the_executor_fails_the_cell():
    verdict = decide(REFERENCE, REFERENCE, problem="timed out")
    assert not verdict.passed and verdict.message().startswith("timed out")


@pytest.mark.parametrize(
    ("sources", "defined"),
    [
        (["def corr2d(X, K):\n    return X"], True),
        (["def convolve(a, b):\n    return a\n\ndef corr2d(X, K):\n    return convolve(X, K)"], True),
        (["from cnnlib.conv import corr2d"], False),
        (["def corr2d(X, K):\n    return X", "from cnnlib.conv import corr2d"], False),
        (["def corr2d(X, K):\n    return X", "import cnnlib.conv\ncorr2d = cnnlib.conv.corr2d"], False),
        (["class corr2d:\n    pass"], True),
        (["x = 1"], False),
        (["def corr2d(:\n"], False),
        (["def corr2d(X, K):\n    return X\n%time corr2d(1, 2)"], True),  # a magic line in the same cell
        (["def corr2d(X, K):\n    return X", "corr2d.__doc__ += ' (loops)'"], True),  # an attribute, not a rebinding
        (["def _loops(X, K):\n    return X\n\ncorr2d = _loops"], True),  # an alias of the student's own function
        (["import cnnlib.conv\n_lib = cnnlib.conv.corr2d\ncorr2d = _lib"], False),
        (["def corr2d(X, K):\n    return X", "corr2d, other = 1, 2"], False),
    ],
)
def test_graded_functions_must_be_defined_in_a_cell(sources, defined):
    assert defined_in_cells(sources, "corr2d") is defined


def test_written_here_reference_checks_the_notebook_source():
    reference = {
        "visible": [rec("written_here", "corr2d", {"module": "__main__", "in_notebook": True}, defined="corr2d")]
    }
    mine = {"visible": [rec("written_here", "corr2d", {"module": "__main__", "in_notebook": True})]}
    assert decide(reference, mine, student_sources=["def corr2d(X, K):\n    return X"]).passed
    assert not decide(reference, mine, student_sources=["from cnnlib.conv import corr2d"]).passed


def test_split_test_source():
    source = "check(a)\n### BEGIN HIDDEN TESTS\nsecret()\n### END HIDDEN TESTS\nafter()"
    assert split_test_source(source) == ("check(a)\nafter()", "secret()\n")
    assert split_test_source("only visible") == ("only visible", "")


def test_an_object_that_travels_by_name_is_typed_by_its_classes_not_as_a_string():
    import os

    from cnnlib import answers, grading

    os.environ["NBGRADER_EXECUTION"] = "autograde"
    try:
        answers.take()
        grading.check_type("model", object.__new__(type("Net", (), {})), object)
        (mine,) = answers.decode(answers.take())
    finally:
        os.environ.pop("NBGRADER_EXECUTION")
    ref = {"visible": [rec("type", "model", mine["got"], allowed=["builtins.object"])]}
    assert decide(ref, {"visible": [mine]}).passed
    ref_str = {"visible": [rec("type", "model", mine["got"], allowed=["builtins.str"])]}
    assert not decide(ref_str, {"visible": [mine]}).passed


def test_a_visible_failure_says_where_to_look_as_the_students_session_does():
    reference = {"visible": [rec("equal", "f(2)", 4, expected=4, hint="square it")]}
    message = decide(reference, {"visible": [rec("equal", "f(2)", 5)]}).message()
    assert message == "f(2): expected 4, got 5\n  Look at: square it"
    hidden = {"hidden": [rec("equal", "f(3)", 9, reference=True, hint="square it")]}
    assert decide(hidden, {"hidden": [rec("equal", "f(3)", 8)]}).message() == "hidden check 1: wrong values"
