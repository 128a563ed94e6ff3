"""Correct answers to assignment A2 (backprop) written differently from the solution: each keeps every point.

Written as students who read only the released notebook would write them: loops or vectorised
code, float32 or float64, their own helper functions (named like cnnlib's affine_forward,
relu_forward, softmax_cross_entropy), other attribute names for what a layer keeps between
forward and backward, other optimisers, batch sizes and progress bars in the training exercise.
The runner (tests/grading/course.py) replaces the solution cell ``cell`` with ``source`` (or
applies the ``patch`` edits) and ``also`` replaces further cells at the same time; the suite
(tests/grading/test_mutants.py) requires every test cell to pass as it does for the solution.
"""

from __future__ import annotations


def _alt(name: str, cell: str, source: str, also: dict[str, str] | None = None) -> dict:
    alternative = {"name": name, "cell": cell, "source": source}
    if also:
        alternative["also"] = also
    return alternative


_LINEAR_WITH_PARAMETER_DICT = '''
class Linear:
    """y = x @ W + b, with the parameters and their gradients kept in dicts (W, b, dW, db as properties)."""

    def __init__(self, W, b):
        self.params = {"W": W, "b": b}
        self.grads = {"W": None, "b": None}

    W = property(lambda self: self.params["W"], lambda self, value: self.params.__setitem__("W", value))
    b = property(lambda self: self.params["b"], lambda self, value: self.params.__setitem__("b", value))
    dW = property(lambda self: self.grads["W"])
    db = property(lambda self: self.grads["b"])

    def forward(self, x):
        self.saved_input = x
        return x @ self.params["W"] + self.params["b"]

    def backward(self, dout):
        self.grads["W"] = self.saved_input.T @ dout
        self.grads["b"] = dout.sum(axis=0)
        return dout @ self.params["W"].T
'''

ALTERNATIVES = [
    # ---------------------------------------------------------------- sigmoid_neuron
    _alt(
        "sigmoid_neuron_float32",
        "sigmoid_neuron",
        """
def sigmoid_neuron(w0, x0, w1, x1, w2):
    w0, x0, w1, x1, w2 = (np.asarray(v, dtype=np.float32) for v in (w0, x0, w1, x1, w2))
    s3 = w0 * x0 + w1 * x1 + w2
    L = 1 / (1 + np.exp(-s3))
    ds3 = L * (1 - L)
    return L, {"w0": ds3 * x0, "x0": ds3 * w0, "w1": ds3 * x1, "x1": ds3 * w1, "w2": ds3}
""",
    ),
    _alt(
        "sigmoid_neuron_gate_helpers",
        "sigmoid_neuron",
        """
def sigmoid(z):
    # stable for large |z|: never exponentiates a large positive number
    ez = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + ez), ez / (1 + ez))


def multiply_gate_backward(a, b, upstream):
    return upstream * b, upstream * a


def add_gate_backward(upstream):
    return upstream, upstream


def sigmoid_neuron(w0, x0, w1, x1, w2):
    s0 = w0 * x0
    s1 = w1 * x1
    s2 = s0 + s1
    s3 = s2 + w2
    L = sigmoid(s3)
    ds3 = (1 - L) * L
    ds2, dw2 = add_gate_backward(ds3)
    ds0, ds1 = add_gate_backward(ds2)
    dw0, dx0 = multiply_gate_backward(w0, x0, ds0)
    dw1, dx1 = multiply_gate_backward(w1, x1, ds1)
    return L, dict(w0=dw0, x0=dx0, w1=dw1, x1=dx1, w2=dw2)
""",
    ),
    _alt(
        "sigmoid_neuron_logaddexp_partner_table",
        "sigmoid_neuron",
        """
def sigmoid_neuron(w0, x0, w1, x1, w2):
    values = {"w0": w0, "x0": x0, "w1": w1, "x1": x1, "w2": w2}
    s3 = values["w0"] * values["x0"] + values["w1"] * values["x1"] + values["w2"]
    L = np.exp(-np.logaddexp(0.0, -s3))
    local = np.exp(-s3 - 2 * np.logaddexp(0.0, -s3))  # sigma'(s) = e^-s / (1 + e^-s)^2
    partner = {"w0": "x0", "x0": "w0", "w1": "x1", "x1": "w1"}
    grads = {key: local * values[other] for key, other in partner.items()}
    grads["w2"] = local * np.ones_like(s3)
    return L, grads
""",
    ),
    _alt(
        "sigmoid_neuron_math_for_floats",
        "sigmoid_neuron",
        """
import math


def sigmoid_neuron(w0, x0, w1, x1, w2):
    exp = math.exp if np.ndim(w0) == 0 else np.exp  # plain floats in, plain floats out
    s3 = w0 * x0 + w1 * x1 + w2
    L = 1.0 / (1.0 + exp(-s3))
    grad_s3 = (1.0 - L) * L
    grads = {}
    grads["w0"] = grad_s3 * x0
    grads["x0"] = grad_s3 * w0
    grads["w1"] = grad_s3 * x1
    grads["x1"] = grad_s3 * w1
    grads["w2"] = grad_s3
    return L, grads
""",
    ),
    _alt(
        "sigmoid_neuron_tanh",
        "sigmoid_neuron",
        """
def sigmoid_neuron(w0, x0, w1, x1, w2):
    s3 = np.add(np.add(np.multiply(w0, x0), np.multiply(w1, x1)), w2)
    t = np.tanh(s3 / 2)
    L = (1 + t) / 2
    ds3 = (1 - t**2) / 4  # the same as (1 - L) * L
    return L, {"x0": ds3 * w0, "w0": ds3 * x0, "x1": ds3 * w1, "w1": ds3 * x1, "w2": ds3 + 0 * s3}
""",
    ),
    # ---------------------------------------------------------------- two_layer_net
    _alt(
        "two_layer_net_own_helpers_named_like_cnnlib",
        "two_layer_net",
        """
def affine_forward(x, w, b):
    return x @ w + b, (x, w)


def affine_backward(dout, cache):
    x, w = cache
    return dout @ w.T, x.T @ dout, dout.sum(axis=0)


def relu_forward(x):
    return np.maximum(x, 0), x


def relu_backward(dout, x):
    return dout * (x > 0)


def softmax_cross_entropy(scores, y):
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted)
    probs /= probs.sum(axis=1, keepdims=True)
    n = len(y)
    loss = -np.log(probs[np.arange(n), y]).mean()
    dscores = probs.copy()
    dscores[np.arange(n), y] -= 1
    return loss, dscores / n


def two_layer_net(X, y, W1, b1, W2, b2):
    a1, cache1 = affine_forward(X, W1, b1)
    h1, cache2 = relu_forward(a1)
    scores, cache3 = affine_forward(h1, W2, b2)
    loss, dscores = softmax_cross_entropy(scores, y)
    dh1, dW2, db2 = affine_backward(dscores, cache3)
    da1 = relu_backward(dh1, cache2)
    _, dW1, db1 = affine_backward(da1, cache1)
    return float(loss), {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
""",
    ),
    _alt(
        "two_layer_net_loops_over_examples",
        "two_layer_net",
        """
import math


def two_layer_net(X, y, W1, b1, W2, b2):
    n = X.shape[0]
    a1 = X @ W1 + b1
    h1 = np.maximum(a1, 0)
    scores = h1 @ W2 + b2
    loss = 0.0
    dscores = np.zeros(scores.shape)
    for i in range(n):
        row = scores[i]
        top = max(row)
        exps = [math.exp(s - top) for s in row]
        total = sum(exps)
        loss += -(row[y[i]] - top) + math.log(total)
        for c in range(len(row)):
            dscores[i, c] = exps[c] / total - (1.0 if c == y[i] else 0.0)
    loss /= n
    dscores /= n
    dW2 = h1.T @ dscores
    db2 = dscores.sum(axis=0)
    dh1 = dscores @ W2.T
    da1 = np.where(a1 > 0, dh1, 0.0)
    return loss, {"W1": X.T @ da1, "b1": da1.sum(axis=0), "W2": dW2, "b2": db2}
""",
    ),
    _alt(
        "two_layer_net_float32",
        "two_layer_net",
        """
def two_layer_net(X, y, W1, b1, W2, b2):
    X, W1, b1, W2, b2 = (np.asarray(a, dtype=np.float32) for a in (X, W1, b1, W2, b2))
    n = X.shape[0]
    a1 = X @ W1 + b1
    h1 = np.maximum(a1, 0)
    scores = h1 @ W2 + b2
    scores = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(n), y]))
    dscores = probs
    dscores[np.arange(n), y] -= 1
    dscores /= n
    dh1 = dscores @ W2.T
    da1 = dh1 * (a1 > 0)
    return float(loss), {"W1": X.T @ da1, "b1": da1.sum(0), "W2": h1.T @ dscores, "b2": dscores.sum(0)}
""",
    ),
    _alt(
        "two_layer_net_onehot_logsumexp",
        "two_layer_net",
        """
def two_layer_net(X, y, W1, b1, W2, b2):
    N, C = X.shape[0], W2.shape[1]
    Y = np.eye(C)[y]  # one-hot labels, (N, C)
    A = X @ W1 + b1
    H = A * (A > 0)
    S = H @ W2 + b2
    m = S.max(axis=1, keepdims=True)
    logsumexp = m + np.log(np.exp(S - m).sum(axis=1, keepdims=True))
    L = np.sum(logsumexp[:, 0] - np.sum(S * Y, axis=1)) / N  # a NumPy float, not a Python float
    P = np.exp(S - logsumexp)
    dS = (P - Y) / N
    dH = dS @ W2.T
    dA = dH * (A > 0)
    grads = dict(zip(["W1", "b1", "W2", "b2"], [X.T @ dA, dA.sum(axis=0), H.T @ dS, dS.sum(axis=0)]))
    return L, grads
""",
    ),
    _alt(
        "two_layer_net_einsum",
        "two_layer_net",
        """
def two_layer_net(X, y, W1, b1, W2, b2):
    rows = np.arange(len(y))
    a1 = np.einsum("nd,dh->nh", X, W1) + b1
    h1 = np.clip(a1, 0, None)
    scores = np.einsum("nh,hc->nc", h1, W2) + b2
    scores -= scores.max(axis=1, keepdims=True)  # in place on my own array, not on an input
    log_probs = scores - np.log(np.sum(np.exp(scores), axis=1, keepdims=True))
    loss = -np.sum(log_probs[rows, y]) / len(y)
    d = np.exp(log_probs)
    d[rows, y] -= 1
    d /= len(y)
    dh = np.einsum("nc,hc->nh", d, W2) * (a1 > 0)
    return loss, {
        "W1": np.einsum("nd,nh->dh", X, dh),
        "b1": np.einsum("nh->h", dh),
        "W2": np.einsum("nh,nc->hc", h1, d),
        "b2": np.einsum("nc->c", d),
    }
""",
    ),
    _alt(
        "two_layer_net_copies_then_in_place",
        "two_layer_net",
        """
def two_layer_net(X, y, W1, b1, W2, b2):
    n = len(X)
    hidden = np.dot(X, W1)
    hidden += b1
    pre_activation = hidden.copy()
    np.maximum(hidden, 0, out=hidden)
    scores = np.dot(hidden, W2)
    scores += b2
    scores -= np.max(scores, axis=1)[:, None]
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1)[:, None]  # now the probabilities
    loss = float(np.mean(-np.log(scores[np.arange(n), y])))
    scores[np.arange(n), y] -= 1
    scores /= n
    grads = {"W2": np.dot(hidden.T, scores), "b2": np.sum(scores, axis=0)}
    back = np.dot(scores, W2.T)
    back[pre_activation <= 0] = 0
    grads["W1"] = np.dot(X.T, back)
    grads["b1"] = np.sum(back, axis=0)
    return loss, grads
""",
    ),
    _alt(
        "two_layer_net_helpers_named_relu_log_softmax",
        "two_layer_net",
        """
from math import log


def relu(z):
    return np.maximum(z, 0.0)


def log_softmax(s):
    top = s.max(axis=1, keepdims=True)
    return s - top - np.log(np.exp(s - top).sum(axis=1, keepdims=True))


def softmax(s):
    return np.exp(log_softmax(s))


def two_layer_net(X, y, W1, b1, W2, b2):
    n = len(y)
    A = X @ W1 + b1
    H = relu(A)
    S = H @ W2 + b2
    loss = -sum(log_softmax(S)[i, y[i]] for i in range(n)) / n
    assert abs(loss - log(np.exp(loss))) < 1e-9  # (a student's own sanity check, using math.log)
    dS = softmax(S)
    dS[np.arange(n), y] -= 1
    dS /= n
    dA = (dS @ W2.T) * (A > 0)
    return float(loss), {"W1": X.T @ dA, "b1": dA.sum(0), "W2": H.T @ dS, "b2": dS.sum(0)}
""",
    ),
    # ---------------------------------------------------------------- matmul_backward
    _alt(
        "matmul_backward_einsum",
        "matmul_backward",
        """
def matmul_backward(x, w, dy):
    return np.einsum("nm,dm->nd", dy, w), np.einsum("nd,nm->dm", x, dy)
""",
    ),
    _alt(
        "matmul_backward_loops",
        "matmul_backward",
        """
def matmul_backward(x, w, dy):
    n_rows, d_in = len(x), len(w)
    m_out = len(w[0])
    dx = np.zeros((n_rows, d_in))
    dw = np.zeros((d_in, m_out))
    for n in range(n_rows):
        for d in range(d_in):
            for m in range(m_out):
                dx[n, d] += dy[n][m] * w[d][m]  # x[n, d] touches the whole row y[n, :]
                dw[d, m] += x[n][d] * dy[n][m]  # w[d, m] touches the whole column y[:, m]
    return dx, dw
""",
    ),
    _alt(
        "matmul_backward_transposed_products",
        "matmul_backward",
        """
def matmul_backward(x, w, dy):
    dx = np.dot(w, dy.T).T
    dw = np.matmul(dy.T, x).T
    return (dx, dw)
""",
    ),
    _alt(
        "matmul_backward_float32",
        "matmul_backward",
        """
def matmul_backward(x, w, dy):
    x, w, dy = (np.asarray(a, dtype=np.float32) for a in (x, w, dy))
    return dy @ w.T, x.T @ dy
""",
    ),
    _alt(
        "matmul_backward_outer_products",
        "matmul_backward",
        """
def matmul_backward(x, w, dy):
    x, w, dy = np.asarray(x), np.asarray(w), np.asarray(dy)
    dw = sum(np.outer(x[n], dy[n]) for n in range(x.shape[0]))  # one outer product per example
    dx = np.stack([w @ dy[n] for n in range(x.shape[0])])
    return dx, dw
""",
    ),
    # ---------------------------------------------------------------- Linear
    _alt(
        "linear_calls_matmul_backward",
        "Linear",
        """
class Linear:
    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.dW = None
        self.db = None

    def forward(self, x):
        self.cache = x
        return np.matmul(x, self.W) + self.b

    def backward(self, dout):
        dx, self.dW = matmul_backward(self.cache, self.W, dout)
        self.db = np.sum(dout, axis=0)
        return dx
""",
    ),
    _alt(
        "linear_own_helpers_named_affine",
        "Linear",
        """
def affine_forward(x, w, b):
    out = x @ w + b
    return out, (x, w, b)


def affine_backward(dout, cache):
    x, w, b = cache
    return dout @ w.T, x.T @ dout, dout.sum(axis=0)


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
    _alt(
        "linear_einsum_private_names",
        "Linear",
        """
class Linear:
    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.dW = None
        self.db = None
        self._input = None

    def forward(self, x):
        self._input = np.array(x, copy=True)
        return np.einsum("nd,dm->nm", self._input, self.W) + self.b[None, :]

    def backward(self, dout):
        self.dW = np.einsum("nd,nm->dm", self._input, dout)
        self.db = np.einsum("nm->m", dout)
        return np.einsum("nm,dm->nd", dout, self.W)
""",
    ),
    _alt(
        "linear_float32",
        "Linear",
        """
class Linear:
    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.dW = None
        self.db = None

    def forward(self, x):
        self.x32 = np.asarray(x, dtype=np.float32)
        return self.x32 @ self.W.astype(np.float32) + self.b.astype(np.float32)

    def backward(self, dout):
        dout = np.asarray(dout, dtype=np.float32)
        self.dW = self.x32.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T.astype(np.float32)
""",
    ),
    _alt(
        "linear_flattens_any_input",
        "Linear",
        """
class Linear:
    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.dW = None
        self.db = None

    def forward(self, x):
        self.shape = x.shape
        self.flat = x.reshape(x.shape[0], -1)  # (N, d1, d2, ...) works too
        return self.flat @ self.W + self.b

    def backward(self, dout):
        self.dW = self.flat.T @ dout
        self.db = dout.sum(axis=0)
        return (dout @ self.W.T).reshape(self.shape)
""",
    ),
    _alt("linear_parameters_in_dicts", "Linear", _LINEAR_WITH_PARAMETER_DICT),
    # ---------------------------------------------------------------- ReLU
    _alt(
        "relu_keeps_input",
        "ReLU",
        """
class ReLU:
    def forward(self, x):
        self.x = x
        return np.maximum(x, 0)

    def backward(self, dout):
        return dout * (self.x > 0)
""",
    ),
    _alt(
        "relu_where",
        "ReLU",
        """
class ReLU:
    def forward(self, x):
        self.mask = x <= 0
        return np.where(self.mask, 0, x)

    def backward(self, dout):
        return np.where(self.mask, 0, dout)
""",
    ),
    _alt(
        "relu_copy_then_zero",
        "ReLU",
        """
class ReLU:
    def forward(self, x):
        out = x.copy()
        out[out < 0] = 0
        self.dead = x <= 0
        return out

    def backward(self, dout):
        dx = np.array(dout, copy=True)
        dx[self.dead] = 0
        return dx
""",
    ),
    _alt(
        "relu_own_helpers_named_relu_forward",
        "ReLU",
        """
def relu_forward(x):
    return x * (x > 0), x


def relu_backward(dout, cache):
    return dout * (cache > 0)


class ReLU:
    def forward(self, x):
        out, self.cache = relu_forward(x)
        return out

    def backward(self, dout):
        return relu_backward(dout, self.cache)
""",
    ),
    _alt(
        "relu_float32",
        "ReLU",
        """
class ReLU:
    def forward(self, x):
        self.on = (x > 0).astype(np.float32)
        return x.astype(np.float32) * self.on

    def backward(self, dout):
        return dout.astype(np.float32) * self.on
""",
    ),
    # ---------------------------------------------------------------- Sigmoid
    _alt(
        "sigmoid_layer_keeps_input",
        "Sigmoid",
        """
class Sigmoid:
    def forward(self, x):
        self.x = x
        return 1 / (1 + np.exp(-x))

    def backward(self, dout):
        s = 1 / (1 + np.exp(-self.x))
        return dout * s * (1 - s)
""",
    ),
    _alt(
        "sigmoid_layer_two_branches_with_warnings",
        "Sigmoid",
        """
class Sigmoid:
    def forward(self, x):
        # np.where evaluates both branches, so exp may overflow (a RuntimeWarning) where its branch is unused
        self.out = np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))
        return self.out

    def backward(self, dout):
        return dout * self.out * (1 - self.out)
""",
    ),
    _alt(
        "sigmoid_layer_tanh",
        "Sigmoid",
        """
class Sigmoid:
    def forward(self, x):
        self.t = np.tanh(0.5 * x)
        return 0.5 * (1 + self.t)

    def backward(self, dout):
        return dout * 0.25 * (1 - self.t * self.t)
""",
    ),
    _alt(
        "sigmoid_layer_float32_helper",
        "Sigmoid",
        """
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


class Sigmoid:
    def forward(self, x):
        self.out = sigmoid(np.asarray(x, dtype=np.float32))
        return self.out

    def backward(self, dout):
        return (dout * (1.0 - self.out) * self.out).astype(np.float32)
""",
    ),
    # ---------------------------------------------------------------- SoftmaxCrossEntropy
    _alt(
        "softmax_loss_own_helper_named_softmax_cross_entropy",
        "SoftmaxCrossEntropy",
        """
def softmax_cross_entropy(scores, y):
    n = scores.shape[0]
    z = scores - np.max(scores, axis=1, keepdims=True)
    p = np.exp(z) / np.sum(np.exp(z), axis=1, keepdims=True)
    loss = -np.mean(np.log(p[np.arange(n), y]))
    p[np.arange(n), y] -= 1
    return loss, p / n


class SoftmaxCrossEntropy:
    def forward(self, scores, y):
        loss, self.grad = softmax_cross_entropy(scores, y)
        return float(loss)

    def backward(self):
        return self.grad
""",
    ),
    _alt(
        "softmax_loss_recomputes_in_backward",
        "SoftmaxCrossEntropy",
        """
class SoftmaxCrossEntropy:
    def forward(self, scores, y):
        self.scores, self.labels = scores, y
        m = scores.max(axis=1, keepdims=True)
        lse = m[:, 0] + np.log(np.exp(scores - m).sum(axis=1))
        return float(np.mean(lse - scores[np.arange(len(y)), y]))

    def backward(self):
        s = self.scores - self.scores.max(axis=1, keepdims=True)
        p = np.exp(s)
        p = p / p.sum(axis=1, keepdims=True)
        onehot = np.zeros_like(p)
        onehot[np.arange(len(self.labels)), self.labels] = 1
        return (p - onehot) / len(self.labels)
""",
    ),
    _alt(
        "softmax_loss_row_loops",
        "SoftmaxCrossEntropy",
        """
import math


class SoftmaxCrossEntropy:
    def forward(self, scores, y):
        self.rows = []
        total = 0.0
        for row, label in zip(scores, y):
            top = max(row)
            exps = [math.exp(value - top) for value in row]
            z = sum(exps)
            self.rows.append(([e / z for e in exps], int(label)))
            total += math.log(z) - (row[label] - top)
        return total / len(self.rows)

    def backward(self):
        n = len(self.rows)
        grad = np.array([probs for probs, _ in self.rows])
        for i, (_, label) in enumerate(self.rows):
            grad[i, label] -= 1.0
        return grad / n
""",
    ),
    _alt(
        "softmax_loss_onehot_eye",
        "SoftmaxCrossEntropy",
        """
class SoftmaxCrossEntropy:
    def forward(self, scores, y):
        shifted = scores - scores.max(axis=1)[:, np.newaxis]
        self.probs = np.exp(shifted) / np.exp(shifted).sum(axis=1)[:, np.newaxis]
        self.onehot = np.eye(scores.shape[1])[y]
        return np.sum(-self.onehot * np.log(self.probs)) / scores.shape[0]  # a NumPy float

    def backward(self):
        return (self.probs - self.onehot) / self.probs.shape[0]
""",
    ),
    _alt(
        "softmax_loss_float32",
        "SoftmaxCrossEntropy",
        """
class SoftmaxCrossEntropy:
    def forward(self, scores, y):
        s = scores.astype(np.float32)
        s -= s.max(axis=1, keepdims=True)
        log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        self.p, self.y = np.exp(log_p), y
        return float(-log_p[np.arange(len(y)), y].mean())

    def backward(self):
        d = self.p.copy()
        d[np.arange(len(self.y)), self.y] -= 1
        return d / len(self.y)
""",
    ),
    _alt(
        "softmax_loss_backward_takes_upstream",
        "SoftmaxCrossEntropy",
        """
class SoftmaxCrossEntropy:
    def forward(self, scores, y):
        n = scores.shape[0]
        shifted = scores - np.amax(scores, axis=1, keepdims=True)
        log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        self.cache = (np.exp(log_probs), y, n)
        return -np.sum(log_probs[range(n), y]) / n

    def backward(self, dloss=1.0):
        probs, y, n = self.cache
        d = probs.copy()
        d[range(n), y] -= 1
        return dloss * d / n
""",
    ),
    # ---------------------------------------------------------------- Sequential
    _alt(
        "sequential_indices",
        "Sequential",
        """
class Sequential:
    def __init__(self, *layers):
        self.layers = list(layers)

    def forward(self, x):
        out = x
        for i in range(len(self.layers)):
            out = self.layers[i].forward(out)
        return out

    def backward(self, dout):
        grad = dout
        for i in range(len(self.layers) - 1, -1, -1):
            grad = self.layers[i].backward(grad)
        return grad
""",
    ),
    _alt(
        "sequential_reduce",
        "Sequential",
        """
from functools import reduce


class Sequential:
    def __init__(self, *layers):
        self.layers = list(layers)

    def forward(self, x):
        return reduce(lambda value, layer: layer.forward(value), self.layers, x)

    def backward(self, dout):
        return reduce(lambda grad, layer: layer.backward(grad), self.layers[::-1], dout)
""",
    ),
    _alt(
        "sequential_recursive",
        "Sequential",
        """
class Sequential:
    def __init__(self, *layers):
        self.layers = list(layers)

    def forward(self, x, start=0):
        if start == len(self.layers):
            return x
        return self.forward(self.layers[start].forward(x), start + 1)

    def backward(self, dout, stop=None):
        stop = len(self.layers) if stop is None else stop
        if stop == 0:
            return dout
        return self.backward(self.layers[stop - 1].backward(dout), stop - 1)
""",
    ),
    _alt(
        "sequential_tuple_and_call",
        "Sequential",
        """
class Sequential:
    def __init__(self, *layers):
        self.layers = layers  # a tuple is enough: the layers never change

    def __call__(self, x):
        return self.forward(x)

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dout):
        for layer in list(reversed(self.layers)):
            dout = layer.backward(dout)
        return dout
""",
    ),
    # ---------------------------------------------------------------- MultiplyFunction
    _alt(
        "multiply_function_ctx_attributes",
        "MultiplyFunction",
        """
class MultiplyFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        ctx.x, ctx.y = x.detach(), y.detach()
        return x * y

    @staticmethod
    def backward(ctx, grad_z):
        return grad_z * ctx.y, grad_z * ctx.x
""",
    ),
    _alt(
        "multiply_function_torch_mul",
        "MultiplyFunction",
        """
class MultiplyFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return torch.mul(x, y)

    @staticmethod
    def backward(ctx, grad_z):
        x, y = ctx.saved_tensors
        return grad_z.mul(y), grad_z.mul(x)
""",
    ),
    _alt(
        "multiply_function_needs_input_grad",
        "MultiplyFunction",
        """
class MultiplyFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x * y

    @staticmethod
    def backward(ctx, grad_z):
        x, y = ctx.saved_tensors
        grad_x = grad_z * y if ctx.needs_input_grad[0] else None
        grad_y = grad_z * x if ctx.needs_input_grad[1] else None
        return grad_x, grad_y
""",
    ),
    _alt(
        "multiply_function_clones",
        "MultiplyFunction",
        """
class MultiplyFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x.clone(), y.clone())
        z = x.clone()
        z.mul_(y)
        return z

    @staticmethod
    def backward(ctx, grad_z):
        saved_x, saved_y = ctx.saved_tensors
        return (saved_y * grad_z, saved_x * grad_z)
""",
    ),
    # ---------------------------------------------------------------- train_modular_net
    _alt(
        "training_momentum_tqdm",
        "train_modular_net",
        """
from tqdm.auto import tqdm


def train_modular_net(x, y, n_classes=10, hidden=128, epochs=5, lr=0.05, batch_size=64, seed=0):
    rng = np.random.default_rng(seed)
    d = x.shape[1]
    first = Linear(rng.standard_normal((d, hidden)) * np.sqrt(2 / d), np.zeros(hidden))
    second = Linear(rng.standard_normal((hidden, n_classes)) * np.sqrt(2 / hidden), np.zeros(n_classes))
    model = Sequential(first, ReLU(), second)
    loss_fn = SoftmaxCrossEntropy()
    velocity = {id(p): np.zeros_like(p) for layer in (first, second) for p in (layer.W, layer.b)}
    losses = []
    for epoch in tqdm(range(epochs), desc="training"):
        seen, total = 0, 0.0
        for xb, yb in batches(x, y, batch_size, shuffle=True, seed=seed + epoch):
            total += loss_fn.forward(model.forward(xb), yb) * len(yb)
            seen += len(yb)
            model.backward(loss_fn.backward())
            for layer in (first, second):
                for p, g in ((layer.W, layer.dW), (layer.b, layer.db)):
                    v = velocity[id(p)]
                    v *= 0.9
                    v -= lr * g
                    p += v
        losses.append(total / seen)
    return model, losses
""",
    ),
    _alt(
        "training_big_batches_progress",
        "train_modular_net",
        """
def train_modular_net(x, y, n_classes=10, hidden=100, epochs=8, lr=0.5, batch_size=256, seed=0):
    rng = np.random.default_rng(seed)
    d = x.shape[1]
    model = Sequential(
        Linear(rng.normal(0, np.sqrt(2 / d), (d, hidden)), np.zeros(hidden)),
        ReLU(),
        Linear(rng.normal(0, np.sqrt(2 / hidden), (hidden, n_classes)), np.zeros(n_classes)),
    )
    criterion = SoftmaxCrossEntropy()
    losses = []
    bar = cnnlib.progress(None, total=epochs, desc="epochs")
    for epoch in range(epochs):
        batch_losses = []
        for xb, yb in batches(x, y, batch_size, shuffle=True, seed=seed + epoch):
            batch_losses.append(criterion.forward(model.forward(xb), yb))
            model.backward(criterion.backward())
            for layer in model.layers:
                if hasattr(layer, "dW"):
                    layer.W -= lr * layer.dW
                    layer.b -= lr * layer.db
        losses.append(float(np.mean(batch_losses)))
        bar.update(1)
        print(f"epoch {epoch}: loss {losses[-1]:.3f}")
    bar.close()
    return model, losses
""",
    ),
    _alt(
        "training_adam_own_shuffle_float32",
        "train_modular_net",
        """
def train_modular_net(x, y, n_classes=10, hidden=100, epochs=3, lr=1e-3, batch_size=100, seed=0):
    rng = np.random.default_rng(seed)
    x = x.astype(np.float32)
    d = x.shape[1]
    layers = [
        Linear((rng.standard_normal((d, hidden)) * np.sqrt(2 / d)).astype(np.float32), np.zeros(hidden, np.float32)),
        ReLU(),
        Linear(
            (rng.standard_normal((hidden, n_classes)) * np.sqrt(2 / hidden)).astype(np.float32),
            np.zeros(n_classes, np.float32),
        ),
    ]
    model = Sequential(*layers)
    criterion = SoftmaxCrossEntropy()
    linear = [layer for layer in layers if isinstance(layer, Linear)]
    m = [[np.zeros_like(layer.W), np.zeros_like(layer.b)] for layer in linear]
    v = [[np.zeros_like(layer.W), np.zeros_like(layer.b)] for layer in linear]
    step, losses = 0, []
    for _ in range(epochs):
        order = rng.permutation(len(x))
        epoch_losses = []
        for start in range(0, len(x), batch_size):
            idx = order[start : start + batch_size]
            epoch_losses.append(criterion.forward(model.forward(x[idx]), y[idx]))
            model.backward(criterion.backward())
            step += 1
            for k, layer in enumerate(linear):
                for j, (param, grad) in enumerate(((layer.W, layer.dW), (layer.b, layer.db))):
                    m[k][j] = 0.9 * m[k][j] + 0.1 * grad
                    v[k][j] = 0.999 * v[k][j] + 0.001 * grad**2
                    m_hat = m[k][j] / (1 - 0.9**step)
                    v_hat = v[k][j] / (1 - 0.999**step)
                    param -= (lr * m_hat / (np.sqrt(v_hat) + 1e-8)).astype(param.dtype)
        losses.append(np.mean(epoch_losses))
    return model, losses
""",
    ),
    _alt(
        "training_deeper_net_batches_of_32",
        "train_modular_net",
        """
def train_modular_net(x, y, n_classes=10, hidden=128, epochs=2, lr=0.1, batch_size=32, seed=0):
    rng = np.random.default_rng(seed)
    sizes = [x.shape[1], hidden, hidden // 2, n_classes]
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        layers += [Linear(rng.normal(scale=(2 / fan_in) ** 0.5, size=(fan_in, fan_out)), np.zeros(fan_out)), ReLU()]
    model = Sequential(*layers[:-1])  # no ReLU after the last Linear
    criterion = SoftmaxCrossEntropy()
    losses = []
    for epoch in range(epochs):
        total, count = 0.0, 0
        for xb, yb in batches(x, y, batch_size, shuffle=True, seed=seed + epoch):
            total += criterion.forward(model.forward(xb), yb)
            count += 1
            model.backward(criterion.backward())
            for layer in model.layers[::2]:
                layer.W -= lr * layer.dW
                layer.b -= lr * layer.db
        losses.append(total / count)
    return model, losses
""",
    ),
    _alt(
        "training_single_epoch",
        "train_modular_net",
        """
def train_modular_net(x, y, n_classes=10, hidden=100, epochs=1, lr=0.2, batch_size=32, seed=0):
    rng = np.random.default_rng(seed)
    d = x.shape[1]
    model = Sequential(
        Linear(rng.normal(scale=np.sqrt(2.0 / d), size=(d, hidden)), np.zeros(hidden)),
        ReLU(),
        Linear(rng.normal(scale=np.sqrt(2.0 / hidden), size=(hidden, n_classes)), np.zeros(n_classes)),
    )
    loss_fn = SoftmaxCrossEntropy()
    sums, counts = [], []
    for xb, yb in batches(x, y, batch_size, shuffle=True, seed=seed):
        sums.append(loss_fn.forward(model.forward(xb), yb) * len(yb))
        counts.append(len(yb))
        model.backward(loss_fn.backward())
        for layer in (model.layers[0], model.layers[2]):
            layer.W -= lr * layer.dW
            layer.b -= lr * layer.db
    return model, [sum(sums) / sum(counts)]  # one epoch: one mean loss
""",
    ),
    _alt(
        "training_parameters_in_dicts",
        "train_modular_net",
        """
def train_modular_net(x, y, n_classes=10, hidden=100, epochs=5, lr=0.2, batch_size=64, seed=0):
    rng = np.random.default_rng(seed)
    d = x.shape[1]
    model = Sequential(
        Linear(rng.normal(scale=np.sqrt(2.0 / d), size=(d, hidden)), np.zeros(hidden)),
        ReLU(),
        Linear(rng.normal(scale=np.sqrt(2.0 / hidden), size=(hidden, n_classes)), np.zeros(n_classes)),
    )
    criterion = SoftmaxCrossEntropy()
    losses = []
    for epoch in range(epochs):
        total = 0.0
        for xb, yb in batches(x, y, batch_size, shuffle=True, seed=seed + epoch):
            total += criterion.forward(model.forward(xb), yb) * len(yb)
            model.backward(criterion.backward())
            for layer in model.layers:
                if isinstance(layer, Linear):
                    for key in layer.params:
                        layer.params[key] = layer.params[key] - lr * layer.grads[key]
        losses.append(total / len(y))
    return model, losses
""",
        also={"Linear": _LINEAR_WITH_PARAMETER_DICT},
    ),
]
