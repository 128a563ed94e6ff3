"""Reading a submission as data (cnninstructor.autograde.submissions)."""

from __future__ import annotations

import json
import os

import pytest
from cnninstructor.autograde import submissions

pytestmark = pytest.mark.instructor


def _nb(*cells):
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _cell(kind, source, **meta):
    cell = {"cell_type": kind, "metadata": {"nbgrader": meta} if meta else {}, "source": source}
    if kind == "code":
        cell.update(outputs=[], execution_count=None)
    return cell


RELEASED = _nb(
    _cell("code", "import numpy as np", grade_id="setup", locked=True, grade=False, solution=False),
    _cell("code", "def add(a, b):\n    raise NotImplementedError()", grade_id="add", solution=True, grade=False),
    _cell("code", "check(add(1, 2))", grade_id="test_add", grade=True, solution=False, locked=True, points=1),
)


def _folder(tmp_path, nb=None, name="a.ipynb"):
    folder = tmp_path / "submitted" / "s" / "a"
    folder.mkdir(parents=True)
    if nb is not None:
        (folder / name).write_text(json.dumps(nb))
    return folder


def test_stripped_metadata_is_restored_by_matching_cells(tmp_path):
    sub = json.loads(json.dumps(RELEASED))
    sub["cells"][1]["source"] = "def add(a, b):\n    return a + b"
    for c in sub["cells"]:
        c["metadata"] = {}
    prepared = submissions.prepare("s", _folder(tmp_path, sub), {"a": RELEASED})
    assert prepared.ok and "metadata removed" in prepared.flags[0]
    assert [c["metadata"]["nbgrader"]["grade_id"] for c in prepared.notebooks["a"]["cells"]] == [
        "setup",
        "add",
        "test_add",
    ]


def test_a_deleted_test_cell_is_put_back_and_flagged(tmp_path):
    sub = json.loads(json.dumps(RELEASED))
    del sub["cells"][2]
    prepared = submissions.prepare("s", _folder(tmp_path, sub), {"a": RELEASED})
    assert prepared.ok and "test_add restored" in prepared.flags[0]


@pytest.mark.parametrize("kind", ["symlink", "fifo", "big", "dangling"])
def test_only_regular_files_of_a_sane_size_are_read(tmp_path, kind, monkeypatch):
    folder = _folder(tmp_path)
    target = folder / "a.ipynb"
    if kind == "symlink":
        (tmp_path / "other.ipynb").write_text(json.dumps(RELEASED))
        target.symlink_to(tmp_path / "other.ipynb")
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "big":
        monkeypatch.setattr(submissions, "MAX_NOTEBOOK_BYTES", 100)
        target.write_text(json.dumps(RELEASED))
    else:
        target.symlink_to(tmp_path / "nowhere")
    prepared = submissions.prepare("s", folder, {"a": RELEASED})
    assert not prepared.ok
    assert "regular file" in prepared.reason or "allowed" in prepared.reason, prepared.reason


def test_a_linked_submission_folder_is_refused(tmp_path):
    real = _folder(tmp_path, RELEASED)
    linked = tmp_path / "submitted" / "t" / "a"
    linked.parent.mkdir(parents=True)
    linked.symlink_to(real)
    assert not submissions.prepare("t", linked, {"a": RELEASED}).ok
