"""cnnlib.conv against PyTorch: the arithmetic lectures import instead of re-deriving."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from cnnlib import conv, figures_conv
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.unit


@settings(max_examples=40, deadline=None)
@given(h=st.integers(1, 8), w=st.integers(1, 8), kh=st.integers(1, 8), kw=st.integers(1, 8), seed=st.integers(0, 99))
def test_corr2d_matches_torch(h, w, kh, kw, seed):
    if kh > h or kw > w:
        return
    rng = np.random.default_rng(seed)
    x, k = rng.normal(size=(h, w)), rng.normal(size=(kh, kw))
    want = F.conv2d(torch.as_tensor(x)[None, None], torch.as_tensor(k)[None, None])[0, 0].numpy()
    np.testing.assert_allclose(conv.corr2d(x, k), want, rtol=1e-10, atol=1e-12)


def test_corr2d_worked_example_and_no_flip():
    got = conv.corr2d(np.arange(9).reshape(3, 3), [[0, 1], [2, 3]])
    np.testing.assert_array_equal(got, [[19, 25], [37, 43]])
    with pytest.raises(ValueError, match="larger than the input"):
        conv.corr2d(np.ones((2, 2)), np.ones((3, 1)))


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 20), k=st.integers(1, 6), p=st.integers(0, 3), s=st.integers(1, 4), d=st.integers(1, 3))
def test_conv_output_size_matches_torch(n, k, p, s, d):
    if d * (k - 1) + 1 > n + 2 * p:
        with pytest.raises(ValueError, match="does not fit"):
            conv.conv_output_size(n, k, p, s, d)
        return
    want = F.conv1d(torch.zeros(1, 1, n), torch.zeros(1, 1, k), padding=p, stride=s, dilation=d).shape[-1]
    assert conv.conv_output_size(n, k, p, s, d) == want


@pytest.mark.parametrize(
    ("c_in", "c_out", "k", "bias", "groups"),
    [(1, 6, 5, True, 1), (6, 16, 5, True, 1), (64, 64, (3, 1), False, 1), (8, 16, 3, True, 4)],
)
def test_parameter_counts_match_torch(c_in, c_out, k, bias, groups):
    layer = torch.nn.Conv2d(c_in, c_out, k, bias=bias, groups=groups)
    assert conv.conv_parameters(c_in, c_out, k, bias, groups) == sum(p.numel() for p in layer.parameters())
    assert conv.linear_parameters(c_in, c_out, bias) == sum(
        p.numel() for p in torch.nn.Linear(c_in, c_out, bias).parameters()
    )


def _support(layers, n, output_index):
    # Input positions on which output `output_index` of a stack of 1-D layers (all weights 1) depends.
    x = torch.ones(1, 1, n, dtype=torch.float64, requires_grad=True)
    y = x
    for k, s, d, kind in layers:
        if kind == "conv":
            y = F.conv1d(y, torch.ones(1, 1, k, dtype=torch.float64), stride=s, dilation=d)
        else:
            y = F.avg_pool1d(y, k, s)
    y[0, 0, output_index].backward()
    return np.flatnonzero(x.grad[0, 0].numpy())


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 5), st.integers(1, 3), st.integers(1, 3), st.sampled_from(["conv", "pool"])),
        min_size=1,
        max_size=4,
    )
)
def test_receptive_field_is_the_gradient_support(stack):
    layers = [(k, s, d if kind == "conv" else 1, kind) for k, s, d, kind in stack]
    field = conv.receptive_field([(k, s, d) for k, s, d, _ in layers])
    n = field.size + 2 * field.jump  # room for exactly three outputs of the last layer
    first, second = _support(layers, n, 0), _support(layers, n, 1)
    assert first.max() - first.min() + 1 == field.size  # all weights are positive, so nothing cancels
    assert second.min() - first.min() == field.jump


def test_receptive_field_worked_examples_and_errors():
    assert conv.receptive_field([]) == (1, 1)
    assert conv.receptive_field([(3, 1)] * 3) == (7, 1)  # three 3x3 layers see 7x7 (Simonyan & Zisserman 2015)
    assert conv.receptive_field([(3, 1, 1), (3, 1, 2), (3, 1, 4)]) == (15, 1)  # dilations 1, 2, 4
    assert conv.receptive_field([(5, 1), (2, 2), (5, 1), (2, 2)]) == (16, 4)  # LeNet-5's C1, S2, C3, S4
    with pytest.raises(ValueError, match="must be"):
        conv.receptive_field([(3,)])
    with pytest.raises(ValueError, match="stride"):
        conv.receptive_field([(3, 0)])


def test_assert_matches_reports_and_fails(capsys):
    conv.assert_matches("same", np.ones(3), torch.ones(3, dtype=torch.float64))
    assert "max |ours - reference| = 0.0e+00" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="shape"):
        conv.assert_matches("shapes", np.ones(3), np.ones(4))
    with pytest.raises(AssertionError, match="max"):
        conv.assert_matches("values", np.ones(3), np.zeros(3))


def test_connection_figures_draw_one_line_per_connection():
    band = np.zeros((4, 6))
    for o in range(4):
        band[o, o : o + 3] = [1.0, -2.0, 0.5]
    fig, (top, bottom) = plt.subplots(2, 1)
    figures_conv.draw_connections(top, band, "shared kernel", highlight=1)
    assert len(top.lines) == 2 * 12 and top.get_xlabel() == "input position i"
    sparse = band != 0
    pool = np.zeros((2, 4), bool)
    pool[0, :2] = pool[1, 2:] = True
    figures_conv.draw_layer_stack(bottom, [sparse, pool], cone=[range(6), range(4), [0]])
    assert len(bottom.lines) == 12 + 4
    with pytest.raises(ValueError, match="reads"):
        figures_conv.draw_layer_stack(bottom, [sparse, pool.T])
    with pytest.raises(ValueError, match="highlight"):
        figures_conv.draw_connections(top, band, highlight=7)
    plt.close(fig)
