"""Unit tests of cnnlib.models: layer sizes, parameter counts worked out by hand, the shape table."""

from __future__ import annotations

import pytest
import torch
from cnnlib.models import (
    ALEXNET_IMAGENET_PARAMETERS,
    alexnet,
    count_parameters,
    layer_table,
    lenet5,
    print_layer_table,
)
from torch import nn

pytestmark = pytest.mark.unit

# C1 6*(1*25)+6, C3 16*(6*25)+16, C5 120*400+120, F6 84*120+84, output 10*84+10
LENET5_PARAMETERS = 156 + 2_416 + 48_120 + 10_164 + 850


@pytest.mark.parametrize("variant", ["modern", "classic"])
def test_lenet5_output_shape_and_parameters(variant: str) -> None:
    model = lenet5(variant)
    assert isinstance(model, nn.Sequential)
    assert model(torch.zeros(3, 1, 28, 28)).shape == (3, 10)
    assert count_parameters(model) == LENET5_PARAMETERS == 61_706


def test_lenet5_variants_differ_in_activation_and_pooling() -> None:
    classic, modern = lenet5("classic"), lenet5("modern")
    assert isinstance(classic.act1, nn.Tanh) and isinstance(classic.S2, nn.AvgPool2d)
    assert isinstance(modern.act1, nn.ReLU) and isinstance(modern.S2, nn.MaxPool2d)
    assert modern[0] is modern.C1 and modern.C1.padding == (2, 2)


def test_lenet5_classes_and_channels_change_only_first_and_last_layer() -> None:
    model = lenet5(num_classes=7, in_channels=3)
    assert model(torch.zeros(2, 3, 28, 28)).shape == (2, 7)
    extra = 2 * 6 * 25 - 3 * 84 - 3  # two more input channels in C1, three fewer outputs
    assert count_parameters(model) == LENET5_PARAMETERS + extra


@pytest.mark.parametrize(
    "kwargs",
    [{"variant": "lenet"}, {"num_classes": 0}, {"in_channels": 1.5}, {"num_classes": True}],
)
def test_lenet5_rejects_bad_arguments(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        lenet5(**kwargs)


def test_alexnet_has_the_published_parameter_count() -> None:
    model = alexnet()
    assert count_parameters(model) == ALEXNET_IMAGENET_PARAMETERS == 61_100_840
    convs = [m for m in model.features if isinstance(m, nn.Conv2d)]
    assert [c.out_channels for c in convs] == [64, 192, 384, 256, 256]
    assert [c.kernel_size[0] for c in convs] == [11, 5, 3, 3, 3]


def test_alexnet_adapted_to_one_channel_and_ten_classes() -> None:
    model = alexnet(num_classes=10, in_channels=1)
    # conv1 loses 2*64*121 weights, the last layer keeps 10 of its 1000 rows of 4097
    assert count_parameters(model) == 61_100_840 - 2 * 64 * 121 - 990 * 4097
    model.eval()
    with torch.no_grad():
        assert model(torch.zeros(1, 1, 224, 224)).shape == (1, 10)


@pytest.mark.parametrize("kwargs", [{"dropout": 1.0}, {"dropout": -0.1}, {"num_classes": 0}, {"in_channels": 0}])
def test_alexnet_rejects_bad_arguments(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        alexnet(**kwargs)


def test_count_parameters_skips_frozen_unless_asked() -> None:
    model = nn.Sequential(nn.Linear(4, 3), nn.Linear(3, 2))
    model[0].requires_grad_(False)
    assert count_parameters(model) == 3 * 2 + 2
    assert count_parameters(model, trainable_only=False) == 4 * 3 + 3 + 3 * 2 + 2


def test_count_parameters_counts_shared_parameters_once() -> None:
    shared = nn.Linear(5, 5)
    assert count_parameters(nn.Sequential(shared, nn.ReLU(), shared)) == 30


def test_count_parameters_rejects_non_modules() -> None:
    with pytest.raises(ValueError, match="nn.Module"):
        count_parameters([torch.zeros(3)])


def test_layer_table_of_lenet5_matches_the_hand_derived_shapes() -> None:
    rows = layer_table(lenet5("classic"), (1, 28, 28))
    by_name = {r["name"]: r for r in rows}
    assert [r["name"] for r in rows][:3] == ["C1", "act1", "S2"]
    assert by_name["C1"]["output shape"] == (6, 28, 28)
    assert by_name["S2"]["output shape"] == (6, 14, 14)
    assert by_name["C3"]["output shape"] == (16, 10, 10)
    assert by_name["S4"]["output shape"] == (16, 5, 5)
    assert by_name["flatten"]["output shape"] == (400,)
    assert by_name["output"]["output shape"] == (10,)
    assert by_name["C1"]["type"] == "Conv2d" and by_name["C1"]["parameters"] == 156
    assert sum(r["parameters"] for r in rows) == LENET5_PARAMETERS


def test_layer_table_keeps_the_batch_axis_when_given_and_restores_the_mode() -> None:
    model = nn.Sequential(nn.Conv2d(2, 4, 3), nn.BatchNorm2d(4), nn.Dropout(0.5))
    model.train()
    before = model[1].running_mean.clone()
    rows = layer_table(model, (5, 2, 8, 9))
    assert rows[0]["output shape"] == (5, 4, 6, 7)
    assert model.training, "layer_table must leave a training model in train mode"
    assert torch.equal(model[1].running_mean, before), "layer_table must not update batch-norm statistics"


@pytest.mark.parametrize("bad", [(1, 28), "1x28x28", (1, 0, 28), (1, 28.0, 28)])
def test_layer_table_rejects_bad_input_shapes(bad) -> None:
    with pytest.raises(ValueError):
        layer_table(lenet5(), bad)


def test_print_layer_table_prints_every_layer_and_the_total(capsys) -> None:
    rows = print_layer_table(lenet5(), (1, 28, 28))
    text = capsys.readouterr().out
    assert len(rows) == 12
    assert "61,706" in text and "(16, 5, 5)" in text and "Conv2d" in text
