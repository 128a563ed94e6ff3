"""cnnlib.figures_backprop draws what it is given (graph edges, gate wires, cells and their roles) and rejects
malformed input."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from cnnlib import figures_backprop as fb

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_graph_labels_every_edge_with_its_value_and_gradient():
    _, ax = plt.subplots()
    positions = {"a": (0, 1), "b": (0, 0), "m": (2, 0.5)}
    fb.draw_graph(
        ax, positions, [("a", "m"), ("b", "m")], {"a": 2, "b": -3, "m": -6}, {"a": -3, "b": 2, "m": 1}, {"m": "×"}
    )
    labels = texts(ax)
    assert len(ax.patches) == 0 and len([c for c in ax.get_children() if type(c).__name__ == "Annotation"]) == 2
    assert {"2.00", "-3.00", "×", "a", "b"} <= set(labels)
    assert "m = -6.00\ngradient 1.00" in labels, "the output node states its value and gradient"
    with pytest.raises(ValueError, match="without a position"):
        fb.draw_graph(ax, positions, [("a", "z")], {"a": 1}, {"a": 1})
    with pytest.raises(ValueError, match="missing for"):
        fb.draw_graph(ax, positions, [("a", "m")], {"a": 1}, {})


def test_gate_writes_one_value_and_one_gradient_per_wire():
    _, ax = plt.subplots()
    fb.draw_gate(ax, "+", (3.0, -1.0), 2.0, (2.0, 2.0), 2.0, title="add")
    # two input gradients, the output value and the upstream gradient are all 2
    assert texts(ax).count("2") == 4 and "3" in texts(ax) and "-1" in texts(ax) and ax.get_title() == "add"
    fb.draw_gate(ax, "σ", (0.5,), 0.62, (0.47,), 2.0)
    with pytest.raises(ValueError, match="input gradients"):
        fb.draw_gate(ax, "+", (1.0, 2.0), 3.0, (1.0,), 1.0)


def test_cells_colour_values_by_sign_and_other_roles_by_role():
    _, ax = plt.subplots()
    values = np.array([[1.0, 0.0], [0.0, -1.0]])
    roles = np.array([[fb.VALUE, fb.INSERTED], [fb.PADDING, fb.VALUE]])
    mappable = fb.draw_cells(ax, values, roles, title="dilated", window=(0, 0, 2, 2))
    assert len(ax.patches) == 5 and texts(ax) == ["1", "0", "0", "-1"]  # 4 cells and the window outline
    faces = [p.get_facecolor() for p in ax.patches[:4]]
    assert faces[0] == mappable.to_rgba(1.0) and faces[3] == mappable.to_rgba(-1.0) and faces[0] != faces[3]
    assert faces[1] == matplotlib.colors.to_rgba(fb.ROLE_STYLE[fb.INSERTED][0])
    assert ax.texts[0].get_color() == "white" and ax.texts[1].get_color() == "black", "readable on dark cells"
    _, ax2 = plt.subplots()
    fb.draw_cells(ax2, np.array([[-0.001, 0.5]]), fmt="{:.2f}")
    assert texts(ax2) == ["0.00", "0.50"], "no minus sign on a value that rounds to zero"
    assert mappable.norm.vmin == -1 and mappable.norm.vmax == 1, "the scale is centred on zero"
    with pytest.raises(ValueError, match="2-D"):
        fb.draw_cells(ax, np.zeros(3))
    with pytest.raises(ValueError, match="shape of values"):
        fb.draw_cells(ax, values, np.zeros((3, 3), int))
    with pytest.raises(ValueError, match="roles must be among"):
        fb.draw_cells(ax, values, np.full((2, 2), 9))
    fig = ax.figure
    fb.role_legend(fig)
    assert len(fig.legends) == 1


def test_kernel_snapshots_share_one_colour_scale():
    kernels = np.stack([np.zeros((3, 3)), np.arange(9.0).reshape(3, 3) - 4])
    fig = fb.show_kernel_snapshots(kernels, ["start", "true"], suptitle="learning")
    assert [ax.get_title() for ax in fig.axes[:2]] == ["start", "true"]
    assert fig.axes[-1].get_ylabel() == "weight", "a labelled colour bar"
    with pytest.raises(ValueError, match="titles"):
        fb.show_kernel_snapshots(kernels, ["one"])
    with pytest.raises(ValueError, match=r"\(T, kh, kw\)"):
        fb.show_kernel_snapshots(np.zeros((3, 3)), ["a"])
