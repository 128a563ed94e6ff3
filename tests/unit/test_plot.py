"""cnnlib.plot draws every figure kind with labelled axes and rejects malformed input."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from cnnlib import plot

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_figures_draw():
    rng = np.random.default_rng(0)
    assert len(plot.show_images(rng.random((5, 8, 8)), labels=list("abcde"), ncols=3).axes) == 6
    plot.show_images(torch.rand(2, 3, 4, 4))
    plot.show_kernels(rng.normal(size=(4, 1, 3, 3)))
    plot.show_feature_maps(rng.normal(size=(1, 3, 5, 5)))
    plot.show_matrix(np.arange(9).reshape(3, 3), title="X")
    fig = plot.plot_pmf(np.full(6, 1 / 6), label="one die", offset=1)
    assert fig.axes[0].get_xlabel() == "value k"
    fig = plot.plot_learning_curves({"train loss": [1.0, 0.5], "test accuracy": [0.8, 0.9]})
    assert len(fig.axes) == 2 and fig.axes[0].get_ylabel() == "loss"
    plot.plot_confusion_matrix(plot.confusion_matrix([0, 1, 1], [0, 1, 0], 2))


def test_confusion_matrix_counts():
    cm = plot.confusion_matrix(np.array([0, 0, 1, 2]), np.array([0, 1, 1, 2]), 3)
    np.testing.assert_array_equal(cm, [[1, 1, 0], [0, 1, 0], [0, 0, 1]])


def test_bad_input_raises():
    with pytest.raises(ValueError, match="channels"):
        plot.show_images(np.zeros((2, 5, 4, 4)))
    with pytest.raises(ValueError, match="1-D"):
        plot.plot_pmf(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="square"):
        plot.plot_confusion_matrix(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="empty"):
        plot.plot_learning_curves({})
