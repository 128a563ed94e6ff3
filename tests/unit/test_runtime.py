"""cnnlib.runtime, cnnlib.device and cnnlib.validate."""

from __future__ import annotations

import cnnlib
import numpy as np
import pytest
import torch
from cnnlib import device, validate

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("value", "fast"), [("1", True), ("true", True), ("0", False), ("", False)])
def test_fast_mode_is_read_in_one_place(monkeypatch, value, fast):
    monkeypatch.setenv("CNN_COURSE_FAST", value)
    assert cnnlib.is_fast() is fast
    assert cnnlib.fast_or_full("small", "big") == ("small" if fast else "big")


def test_setup_notebook_seeds_and_reports(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CNN_COURSE_FAST", "1")
    monkeypatch.setenv("CNN_COURSE_DATA", str(tmp_path))
    setup = cnnlib.setup_notebook(seed=7)
    first = (np.random.rand(), torch.rand(1).item())  # noqa: NPY002 - the legacy global generator is what is seeded
    cnnlib.setup_notebook(seed=7, quiet=True)
    assert (np.random.rand(), torch.rand(1).item()) == first  # noqa: NPY002
    out = capsys.readouterr().out
    assert "FAST" in out and "seed: 7" in out and str(tmp_path) in out
    assert setup.device.type in {"cpu", "cuda", "mps"}


def test_device_choice(monkeypatch):
    monkeypatch.setenv(device.DEVICE_ENV, "cpu")
    assert device.get_device().type == "cpu"
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA is not available"):
            device.get_device("cuda")


def test_time_call_returns_a_median(monkeypatch):
    calls = []
    seconds = device.time_call(lambda: calls.append(1), repeats=3, warmup=2)
    assert seconds >= 0 and len(calls) == 5
    ticks = iter([0.0, 1.0, 10.0, 10.2, 20.0, 29.0])  # three runs lasting 1.0, 0.2 and 9.0 seconds
    monkeypatch.setattr(device.time, "perf_counter", lambda: next(ticks))
    assert device.time_call(lambda: None, repeats=3, warmup=0) == pytest.approx(1.0)


def test_validation_messages_name_argument_and_shape():
    with pytest.raises(ValueError, match=r"x must be a 4-D array, got shape \(2, 3\)"):
        validate.require_ndim("x", np.zeros((2, 3)), 4)
    with pytest.raises(ValueError, match="padding must be >= 0, got -1"):
        validate.require_int("padding", -1)
    with pytest.raises(ValueError, match="stride must be an integer"):
        validate.require_int("stride", 1.5)
    with pytest.raises(ValueError, match="C = 3 does not match"):
        validate.require_same("C", 3, "w.shape[1]", 2)
    with pytest.raises(ValueError, match="non-negative"):
        validate.require_1d_pmf("p", [0.5, -0.5])
