"""cnnlib.figures_arch draws what it is given (shapes, channel counts) and rejects malformed input."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from cnnlib import figures_arch, models

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_stages_from_layer_table_keeps_the_layers_that_change_a_shape():
    rows = models.layer_table(models.lenet5("modern"), (1, 28, 28))
    stages = figures_arch.stages_from_layer_table(rows, (1, 28, 28))
    assert [name for name, _ in stages] == ["input", "C1", "S2", "C3", "S4", "C5", "F6", "output"]
    assert stages[0] == ("input", (1, 28, 28)) and stages[4] == ("S4", (16, 5, 5)) and stages[-1] == ("output", (10,))


@pytest.mark.parametrize("scale", ["linear", "sqrt"])
def test_feature_map_stages_label_every_stage_with_its_shape(scale):
    stages = [("input", (1, 28, 28)), ("C1", (6, 28, 28)), ("S2", (6, 14, 14)), ("F6", (84,))]
    fig = figures_arch.draw_feature_map_stages(stages, title="t", scale=scale, max_sheets=4)
    assert texts(fig) == ["input\n1@28x28", "C1\n6@28x28", "S2\n6@14x14", "F6\n84"]
    # one rectangle per sheet (at most 4) and one per bar: 1 + 4 + 4 + 1
    assert len(fig.axes[0].patches) == 10
    assert fig.axes[0].get_title() == "t"


@pytest.mark.parametrize(
    ("stages", "message"),
    [
        ([], "empty"),
        ([("a", (1, 2))], "must have shape"),
        ([("a", (0, 4, 4))], ">= 1"),
        ([("a",)], "pair"),
    ],
)
def test_feature_map_stages_reject_bad_stages(stages, message):
    with pytest.raises(ValueError, match=message):
        figures_arch.draw_feature_map_stages(stages)


def test_feature_map_stages_reject_an_unknown_scale():
    with pytest.raises(ValueError, match="scale"):
        figures_arch.draw_feature_map_stages([("a", (1, 4, 4))], scale="log")


def test_inception_module_shows_every_branch_and_the_concatenated_width():
    fig = figures_arch.draw_inception_module(title="3a")
    shown = texts(fig)
    for label in ["1x1 conv, 64", "1x1 conv, 96", "3x3 conv, 128", "1x1 conv, 16", "5x5 conv, 32", "1x1 conv, 32"]:
        assert label in shown
    assert "filter concatenation: 256 channels, H x W" in shown and "input: 192 channels, H x W" in shown


def test_inception_module_rejects_missing_or_bad_counts():
    with pytest.raises(ValueError, match="missing"):
        figures_arch.draw_inception_module({"1x1": 64})
    bad = dict(figures_arch.INCEPTION_3A, **{"5x5": 0})
    with pytest.raises(ValueError, match="5x5"):
        figures_arch.draw_inception_module(bad)


def test_residual_block_uses_the_identity_only_when_shapes_agree():
    bottleneck = texts(figures_arch.draw_residual_block("bottleneck", in_channels=256, width=64))
    assert "identity: x" in bottleneck and "1x1 conv, 256  BN" in bottleneck and "ReLU: y, 256 channels" in bottleneck
    strided = texts(figures_arch.draw_residual_block("bottleneck", in_channels=256, width=128, stride=2))
    assert "projection:\n1x1 conv, 512, stride 2  BN" in strided and "3x3 conv, 128, stride 2  BN  ReLU" in strided
    basic = texts(figures_arch.draw_residual_block("basic", in_channels=64, width=64))
    assert "identity: x" in basic and sum("3x3 conv, 64" in t for t in basic) == 2


def test_residual_block_rejects_bad_arguments():
    with pytest.raises(ValueError, match="kind"):
        figures_arch.draw_residual_block("wide")
    with pytest.raises(ValueError, match="stride"):
        figures_arch.draw_residual_block(stride=0)
