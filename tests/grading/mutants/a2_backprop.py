"""Plausible wrong answers to assignment A2 (backprop), each expected to lose exactly its cells' points.

Every mutant is the solution cell with one mistake students really make, written as one or
more [old, new] edits of the solution's source (marker lines removed); the runner
(tests/grading/course.py, ``apply_patch``) applies them and fails loudly if an edit no longer
applies after the solution changes.

The mutants at the end of ``MUTANTS`` take the answer from a library instead of writing it
(cnnlib's layer functions, PyTorch's autograd or its classes): the values are right, so only the
check that the code is the student's own takes their points (``cnnlib.grading.library_calls``
watches which cnnlib and PyTorch functions run; ``check_written_here`` catches an
imported class).

``TRAINING_MUTANTS`` break the training exercise (Part 6). The runner loads them too; they
replace a cell tagged "training", so the training cells run for them (and for the solution's
baseline run), and each must fail ``test_train_modular_net``.
"""

from __future__ import annotations


def _whole(name: str, cell: str, source: str, fails: list[str] | None = None, autograde: bool = False) -> dict:
    # A mutant that replaces the whole solution cell with ``source``.
    return {"name": name, "cell": cell, "source": source, "fails": fails or [f"test_{cell}"], "autograde": autograde}


def _mutant(
    name: str, cell: str, edits: list[tuple[str, str]], fails: list[str] | None = None, autograde: bool = False
) -> dict:
    # Each (old, new) edit is applied to the solution cell (marker lines removed) by the runner,
    # which checks that every ``old`` occurs exactly once.
    return {
        "name": name,
        "cell": cell,
        "patch": [list(edit) for edit in edits],
        "fails": fails or [f"test_{cell}"],
        "autograde": autograde,
    }


MUTANTS = [
    # ---------------------------------------------------------------- sigmoid_neuron
    _mutant(
        "sigmoid_local_gradient_is_L", "sigmoid_neuron", [("ds3 = dL * (1.0 - L) * L", "ds3 = dL * L")], autograde=True
    ),
    _mutant(
        "multiply_gate_not_swapped",
        "sigmoid_neuron",
        [
            ("dw1, dx1 = ds1 * x1, ds1 * w1", "dw1, dx1 = ds1 * w1, ds1 * x1"),
            ("dw0, dx0 = ds0 * x0, ds0 * w0", "dw0, dx0 = ds0 * w0, ds0 * x0"),
        ],
    ),
    _mutant("add_gate_halves_the_gradient", "sigmoid_neuron", [("ds0, ds1 = ds2, ds2", "ds0, ds1 = ds2 / 2, ds2 / 2")]),
    _mutant(
        "sigmoid_gradient_from_its_input",
        "sigmoid_neuron",
        [("ds3 = dL * (1.0 - L) * L", "ds3 = dL * (1.0 - s3) * s3")],
    ),
    _mutant("bias_gradient_taken_as_one", "sigmoid_neuron", [("ds2, dw2 = ds3, ds3", "ds2, dw2 = ds3, 1.0")]),
    _mutant(
        "sigmoid_exponent_sign_flipped",
        "sigmoid_neuron",
        [("L = 1.0 / (1.0 + np.exp(-s3))", "L = 1.0 / (1.0 + np.exp(s3))")],
    ),
    # ---------------------------------------------------------------- two_layer_net
    _mutant("gradients_not_averaged_over_batch", "two_layer_net", [("    dscores /= n\n", "")], autograde=True),
    _mutant("relu_gradient_passed_where_negative", "two_layer_net", [("da1 = dh1 * (a1 > 0)", "da1 = dh1")]),
    _mutant(
        "softmax_without_max_subtraction",
        "two_layer_net",
        [("shifted = scores - scores.max(axis=1, keepdims=True)", "shifted = scores")],
    ),
    _mutant(
        "bias_gradients_averaged_not_summed",
        "two_layer_net",
        [
            ("db2 = dscores.sum(axis=0)", "db2 = dscores.mean(axis=0)"),
            ("db1 = da1.sum(axis=0)", "db1 = da1.mean(axis=0)"),
        ],
    ),
    _mutant(
        "onehot_subtracted_from_whole_columns", "two_layer_net", [("dscores[rows, y] -= 1.0", "dscores[:, y] -= 1.0")]
    ),
    _mutant(
        "loss_summed_not_averaged",
        "two_layer_net",
        [("loss = -log_probs[rows, y].mean()", "loss = -log_probs[rows, y].sum()")],
    ),
    # ---------------------------------------------------------------- matmul_backward
    _mutant("dw_transposed", "matmul_backward", [("dw = x.T @ dy", "dw = dy.T @ x")], autograde=True),
    _mutant("dw_averaged_over_batch", "matmul_backward", [("dw = x.T @ dy", "dw = x.T @ dy / x.shape[0]")]),
    _mutant("dw_from_first_example_only", "matmul_backward", [("dw = x.T @ dy", "dw = np.outer(x[0], dy[0])")]),
    _mutant(
        "upstream_gradient_ignored",
        "matmul_backward",
        [("dx = dy @ w.T", "dx = np.ones_like(dy) @ w.T"), ("dw = x.T @ dy", "dw = x.T @ np.ones_like(dy)")],
    ),
    _mutant("dx_without_transpose", "matmul_backward", [("dx = dy @ w.T", "dx = dy @ w")]),
    _mutant("gradients_returned_in_wrong_order", "matmul_backward", [("return dx, dw", "return dw, dx")]),
    # ---------------------------------------------------------------- Linear
    _mutant("linear_forgets_bias", "Linear", [("return x @ self.W + self.b", "return x @ self.W")]),
    _mutant(
        "linear_does_not_store_gradients",
        "Linear",
        [
            ("self.dW = self.x.T @ dout", "dW = self.x.T @ dout"),
            ("self.db = dout.sum(axis=0)", "db = dout.sum(axis=0)"),
        ],
    ),
    _mutant("linear_db_not_summed_over_batch", "Linear", [("self.db = dout.sum(axis=0)", "self.db = dout")]),
    _mutant("linear_db_averaged", "Linear", [("self.db = dout.sum(axis=0)", "self.db = dout.mean(axis=0)")]),
    _mutant("linear_dW_transposed", "Linear", [("self.dW = self.x.T @ dout", "self.dW = dout.T @ self.x")]),
    _mutant("linear_dW_averaged", "Linear", [("self.dW = self.x.T @ dout", "self.dW = self.x.T @ dout / len(dout)")]),
    # ---------------------------------------------------------------- ReLU
    _mutant("relu_passes_gradient_where_negative", "ReLU", [("return dout * self.positive", "return dout")]),
    _mutant("relu_passes_gradient_at_zero", "ReLU", [("self.positive = x > 0", "self.positive = x >= 0")]),
    _mutant("relu_mask_taken_from_dout", "ReLU", [("return dout * self.positive", "return dout * (dout > 0)")]),
    _mutant(
        "relu_backward_multiplies_by_output",
        "ReLU",
        [
            ("self.positive = x > 0", "self.positive = x > 0\n        self.out = np.maximum(x, 0.0)"),
            ("return dout * self.positive", "return dout * self.out"),
        ],
    ),
    _mutant(
        "relu_modifies_input_in_place",
        "ReLU",
        [("return np.where(self.positive, x, 0.0)", "x[~self.positive] = 0.0\n        return x")],
    ),
    _mutant(
        "relu_backward_leaky",
        "ReLU",
        [("return dout * self.positive", "return dout * np.where(self.positive, 1.0, 0.01)")],
    ),
    # ---------------------------------------------------------------- Sigmoid
    _mutant(
        "sigmoid_layer_local_gradient_is_out",
        "Sigmoid",
        [("return dout * (1.0 - self.out) * self.out", "return dout * self.out")],
        autograde=True,
    ),
    _mutant(
        "sigmoid_layer_forgets_upstream",
        "Sigmoid",
        [("return dout * (1.0 - self.out) * self.out", "return (1.0 - self.out) * self.out")],
    ),
    _mutant(
        "sigmoid_layer_gradient_from_input",
        "Sigmoid",
        [
            ("self.out = 1.0 / (1.0 + np.exp(-x))", "self.x = x\n        self.out = 1.0 / (1.0 + np.exp(-x))"),
            ("return dout * (1.0 - self.out) * self.out", "return dout * (1.0 - self.x) * self.x"),
        ],
    ),
    _mutant(
        "sigmoid_layer_tanh_derivative",
        "Sigmoid",
        [("return dout * (1.0 - self.out) * self.out", "return dout * (1.0 - self.out**2)")],
    ),
    _mutant("sigmoid_layer_exponent_sign_flipped", "Sigmoid", [("np.exp(-x)", "np.exp(x)")]),
    # ---------------------------------------------------------------- SoftmaxCrossEntropy
    _mutant(
        "softmax_loss_without_max_subtraction",
        "SoftmaxCrossEntropy",
        [("shifted = scores - scores.max(axis=1, keepdims=True)", "shifted = scores")],
    ),
    _mutant("softmax_loss_gradient_not_averaged", "SoftmaxCrossEntropy", [("return dscores / n", "return dscores")]),
    _mutant(
        "softmax_loss_summed_not_averaged",
        "SoftmaxCrossEntropy",
        [("return float(-log_probs[np.arange(n), y].mean())", "return float(-log_probs[np.arange(n), y].sum())")],
    ),
    _mutant(
        "softmax_loss_onehot_whole_columns",
        "SoftmaxCrossEntropy",
        [("dscores[np.arange(n), self.y] -= 1.0", "dscores[:, self.y] -= 1.0")],
    ),
    _mutant(
        "softmax_normalised_over_batch_axis",
        "SoftmaxCrossEntropy",
        [("np.exp(shifted).sum(axis=1, keepdims=True)", "np.exp(shifted).sum(axis=0, keepdims=True)")],
    ),
    _mutant(
        "softmax_loss_gradient_misses_onehot",
        "SoftmaxCrossEntropy",
        [("        dscores[np.arange(n), self.y] -= 1.0\n", "")],
    ),
    # ---------------------------------------------------------------- Sequential
    _mutant(
        "sequential_backward_in_forward_order",
        "Sequential",
        [("for layer in reversed(self.layers):", "for layer in self.layers:")],
    ),
    _mutant(
        "sequential_forward_in_reverse_order",
        "Sequential",
        [("for layer in self.layers:\n", "for layer in reversed(self.layers):\n")],
    ),
    _mutant(
        "sequential_forward_not_chained",
        "Sequential",
        [("x = layer.forward(x)\n        return x", "out = layer.forward(x)\n        return out")],
    ),
    _mutant(
        "sequential_backward_not_chained",
        "Sequential",
        [("dout = layer.backward(dout)\n        return dout", "dx = layer.backward(dout)\n        return dx")],
    ),
    _mutant(
        "sequential_backward_skips_first_layer", "Sequential", [("reversed(self.layers)", "reversed(self.layers[1:])")]
    ),
    # ---------------------------------------------------------------- MultiplyFunction
    _mutant(
        "multiply_function_not_swapped",
        "MultiplyFunction",
        [("return grad_z * y, grad_z * x", "return grad_z * x, grad_z * y")],
        autograde=True,
    ),
    _mutant(
        "multiply_function_forgets_upstream", "MultiplyFunction", [("return grad_z * y, grad_z * x", "return y, x")]
    ),
    _mutant(
        "multiply_function_same_gradient_twice",
        "MultiplyFunction",
        [("return grad_z * y, grad_z * x", "return grad_z * y, grad_z * y")],
    ),
    _mutant("multiply_function_forward_adds", "MultiplyFunction", [("return x * y", "return x + y")]),
    _mutant(
        "multiply_function_returns_one_gradient",
        "MultiplyFunction",
        [("return grad_z * y, grad_z * x", "return grad_z * y * x")],
    ),
    # ---------------------------------------------------------------- answers taken from a library
    _whole(
        "two_layer_net_built_on_cnnlib_layers",
        "two_layer_net",
        """from cnnlib.layers import affine_backward, affine_forward, relu_backward, relu_forward, softmax_cross_entropy


def two_layer_net(X, y, W1, b1, W2, b2):
    a1, cache1 = affine_forward(X, W1, b1)
    h1, cache2 = relu_forward(a1)
    scores, cache3 = affine_forward(h1, W2, b2)
    loss, dscores = softmax_cross_entropy(scores, y)
    dh1, dW2, db2 = affine_backward(dscores, cache3)
    _, dW1, db1 = affine_backward(relu_backward(dh1, cache2), cache1)
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
""",
        autograde=True,
    ),
    _whole(
        "sigmoid_neuron_by_torch_autograd",
        "sigmoid_neuron",
        """def sigmoid_neuron(w0, x0, w1, x1, w2):
    inputs = {k: torch.tensor(np.asarray(v, dtype=float), requires_grad=True) for k, v in
              {"w0": w0, "x0": x0, "w1": w1, "x1": x1, "w2": w2}.items()}
    out = torch.sigmoid(inputs["w0"] * inputs["x0"] + inputs["w1"] * inputs["x1"] + inputs["w2"])
    out.sum().backward()
    return out.detach().numpy(), {k: t.grad.numpy() for k, t in inputs.items()}
""",
    ),
    _whole(
        "matmul_backward_by_cnnlib_affine_backward",
        "matmul_backward",
        """import cnnlib.layers


def matmul_backward(x, w, dy):
    dx, dw, _ = cnnlib.layers.affine_backward(dy, (x, w))
    return dx, dw
""",
    ),
    _whole(
        "linear_wraps_cnnlib_affine",
        "Linear",
        """from cnnlib.layers import affine_backward, affine_forward


class Linear:
    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.dW = None
        self.db = None

    def forward(self, x):
        out, self.cache = affine_forward(x, self.W, self.b)
        return out

    def backward(self, dout):
        dx, self.dW, self.db = affine_backward(dout, self.cache)
        return dx
""",
    ),
    _whole(
        "relu_wraps_cnnlib_relu",
        "ReLU",
        """from cnnlib.layers import relu_backward, relu_forward


class ReLU:
    def forward(self, x):
        out, self.cache = relu_forward(x)
        return out

    def backward(self, dout):
        return relu_backward(dout, self.cache)
""",
    ),
    _whole(
        "sigmoid_layer_by_torch_sigmoid",
        "Sigmoid",
        """class Sigmoid:
    def forward(self, x):
        self.out = torch.sigmoid(torch.from_numpy(np.asarray(x, dtype=float))).numpy()
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out) * self.out
""",
    ),
    _whole(
        "softmax_loss_wraps_cnnlib",
        "SoftmaxCrossEntropy",
        """from cnnlib.layers import softmax_cross_entropy


class SoftmaxCrossEntropy:
    def forward(self, scores, y):
        loss, self.dscores = softmax_cross_entropy(scores, y)
        return loss

    def backward(self):
        return self.dscores
""",
    ),
    _whole("sequential_imported_from_torch", "Sequential", "from torch.nn import Sequential\n"),
]

TRAINING_MUTANTS = [
    _mutant(
        "training_gradient_ascent",
        "train_modular_net",
        [
            ("layer.W -= lr * layer.dW", "layer.W += lr * layer.dW"),
            ("layer.b -= lr * layer.db", "layer.b += lr * layer.db"),
        ],
    ),
    _mutant(
        "training_zero_initialisation",
        "train_modular_net",
        [
            (
                "Linear(rng.normal(scale=np.sqrt(2.0 / d), size=(d, hidden)), np.zeros(hidden))",
                "Linear(np.zeros((d, hidden)), np.zeros(hidden))",
            ),
            (
                "Linear(rng.normal(scale=np.sqrt(2.0 / hidden), size=(hidden, n_classes)), np.zeros(n_classes))",
                "Linear(np.zeros((hidden, n_classes)), np.zeros(n_classes))",
            ),
        ],
    ),
    _mutant(
        "training_one_step_per_epoch",
        "train_modular_net",
        [
            (
                "            for layer in model.layers:\n                if isinstance(layer, Linear):\n"
                "                    layer.W -= lr * layer.dW\n                    layer.b -= lr * layer.db\n",
                "        for layer in model.layers:\n            if isinstance(layer, Linear):\n"
                "                layer.W -= lr * layer.dW\n                layer.b -= lr * layer.db\n",
            )
        ],
    ),
    _mutant(
        "training_updates_only_last_layer",
        "train_modular_net",
        [("for layer in model.layers:", "for layer in model.layers[-1:]:")],
    ),
]
