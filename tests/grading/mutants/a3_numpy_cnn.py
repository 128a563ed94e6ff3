"""Plausible wrong answers to assignment A3 (a NumPy CNN), each with the test cells it must fail.

Every mutant edits one solution cell of solutions/a3_numpy_cnn/a3_numpy_cnn.ipynb (as a
student would type it, marker lines removed) into a mistake students make: "patch" lists
[old, new] replacements, each old text occurring exactly once; "fails" lists the graded test
cells that must then fail (a mistake in the fast conv or in pooling also breaks TinyConvNet,
which is built from them). The mutants at the end of ``MUTANTS`` take the answer from a library
(cnnlib's corr2d, PyTorch's autograd, conv2d, max_pool2d or cross_entropy): the values are right, so
only the check that the code is the student's own takes their points (``cnnlib.grading.library_calls``
watches which cnnlib and PyTorch functions run).
``TRAINING_MUTANTS`` break the training exercise; they replace a cell tagged "training", so the
training cells run for them.
"""

# the solution's max-pool forward loop, which two mutants replace whole
MAXPOOL_FORWARD_LOOP = """\
    height, width = x.shape[2:]
    out_h = (height - size) // stride + 1
    out_w = (width - size) // stride + 1
    out, argmax = None, None
    for u in range(size):
        for v in range(size):
            # candidate[n, c, i, j] = x[n, c, i*stride + u, j*stride + v]
            candidate = x[:, :, u : u + stride * out_h : stride, v : v + stride * out_w : stride]
            if out is None:
                out, argmax = candidate.copy(), np.zeros(candidate.shape, dtype=np.int64)
                continue
            better = candidate > out  # strict: on a tie the earlier offset keeps the gradient
            np.copyto(out, candidate, where=better)
            np.copyto(argmax, u * size + v, where=better)
    cache = (x.shape, argmax, size, stride)
"""

MUTANTS = [
    {
        "name": "conv2d_forward_flips_kernel",
        "cell": "conv2d_forward",
        "patch": [
            ["np.sum(patch * w[f])", "np.sum(patch * w[f, :, ::-1, ::-1])"],
        ],
        "fails": ["test_conv2d_forward"],
        "autograde": True,
    },
    {
        "name": "conv2d_forward_pads_one_side_only",
        "cell": "conv2d_forward",
        "patch": [
            [
                "np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))",
                "np.pad(x, ((0, 0), (0, 0), (2 * padding, 0), (2 * padding, 0)))",
            ],
        ],
        "fails": ["test_conv2d_forward"],
        "autograde": False,
    },
    {
        "name": "conv2d_forward_ignores_stride",
        "cell": "conv2d_forward",
        "patch": [
            ["top, left = i * stride, j * stride", "top, left = i, j"],
        ],
        "fails": ["test_conv2d_forward"],
        "autograde": False,
    },
    {
        "name": "conv2d_forward_forgets_bias",
        "cell": "conv2d_forward",
        "patch": [
            ["np.sum(patch * w[f]) + b[f]", "np.sum(patch * w[f])"],
        ],
        "fails": ["test_conv2d_forward"],
        "autograde": False,
    },
    {
        "name": "conv2d_forward_output_size_without_plus_one",
        "cell": "conv2d_forward",
        "patch": [
            ["- kh) // stride + 1", "- kh) // stride"],
            ["- kw) // stride + 1", "- kw) // stride"],
        ],
        "fails": ["test_conv2d_forward"],
        "autograde": False,
    },
    {
        "name": "conv2d_forward_first_channel_only",
        "cell": "conv2d_forward",
        "patch": [
            ["patch = x_pad[n, :, ", "patch = x_pad[n, 0, "],
            ["np.sum(patch * w[f])", "np.sum(patch * w[f, 0])"],
        ],
        "fails": ["test_conv2d_forward"],
        "autograde": False,
    },
    {
        "name": "conv2d_backward_dw_averaged_over_batch",
        "cell": "conv2d_backward",
        "patch": [
            [
                "    dx = dx_pad[",
                """\
    dw = dw / n_examples
    dx = dx_pad[""",
            ],
        ],
        "fails": ["test_conv2d_backward"],
        "autograde": False,
    },
    {
        "name": "conv2d_backward_dw_overwritten_per_window",
        "cell": "conv2d_backward",
        "patch": [
            ["dw[f] += dout[n, f, i, j]", "dw[f] = dout[n, f, i, j]"],
        ],
        "fails": ["test_conv2d_backward"],
        "autograde": False,
    },
    {
        "name": "conv2d_backward_db_wrong_axes",
        "cell": "conv2d_backward",
        "patch": [
            ["dout.sum(axis=(0, 2, 3))", "dout.sum(axis=(1, 2, 3))"],
        ],
        "fails": ["test_conv2d_backward"],
        "autograde": False,
    },
    {
        "name": "conv2d_backward_dx_flips_kernel",
        "cell": "conv2d_backward",
        "patch": [
            ["+= dout[n, f, i, j] * w[f]", "+= dout[n, f, i, j] * w[f, :, ::-1, ::-1]"],
        ],
        "fails": ["test_conv2d_backward"],
        "autograde": False,
    },
    {
        "name": "conv2d_backward_ignores_stride",
        "cell": "conv2d_backward",
        "patch": [
            ["slice(i * stride, i * stride + kh)", "slice(i, i + kh)"],
            ["slice(j * stride, j * stride + kw)", "slice(j, j + kw)"],
        ],
        "fails": ["test_conv2d_backward"],
        "autograde": False,
    },
    {
        "name": "conv2d_backward_crops_padding_on_one_side",
        "cell": "conv2d_backward",
        "patch": [
            ["dx_pad[:, :, padding : padding + height, padding : padding + width]", "dx_pad[:, :, :height, :width]"],
        ],
        "fails": ["test_conv2d_backward"],
        "autograde": False,
    },
    {
        "name": "conv2d_backward_dx_overwrites_overlaps",
        "cell": "conv2d_backward",
        "patch": [
            ["dx_pad[n, :, rows, cols] += ", "dx_pad[n, :, rows, cols] = "],
        ],
        "fails": ["test_conv2d_backward"],
        "autograde": False,
    },
    {
        "name": "fast_forward_flips_kernel",
        "cell": "conv2d_forward_fast",
        "patch": [
            ["out = w.reshape(n_kernels, -1) @ cols", "out = w[:, :, ::-1, ::-1].reshape(n_kernels, -1) @ cols"],
        ],
        "fails": ["test_conv2d_forward_fast", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "fast_forward_pads_one_side_only",
        "cell": "conv2d_forward_fast",
        "patch": [
            [
                "np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))",
                "np.pad(x, ((0, 0), (0, 0), (2 * padding, 0), (2 * padding, 0)))",
            ],
        ],
        "fails": ["test_conv2d_forward_fast", "test_conv2d_backward_fast", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "fast_forward_reshapes_without_transpose",
        "cell": "conv2d_forward_fast",
        "patch": [
            [
                "out = out.reshape(n_kernels, n_examples, out_h, out_w).transpose(1, 0, 2, 3)",
                "out = out.reshape(n_examples, n_kernels, out_h, out_w)",
            ],
        ],
        "fails": ["test_conv2d_forward_fast", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "fast_forward_rows_ordered_u_v_c",
        "cell": "conv2d_forward_fast",
        "patch": [
            ["windows.transpose(1, 4, 5, 0, 2, 3)", "windows.transpose(4, 5, 1, 0, 2, 3)"],
        ],
        "fails": ["test_conv2d_forward_fast", "test_conv2d_backward_fast", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "fast_forward_ignores_stride",
        "cell": "conv2d_forward_fast",
        "patch": [
            ["[:, :, ::stride, ::stride]", ""],
        ],
        "fails": ["test_conv2d_forward_fast", "test_conv2d_backward_fast"],
        "autograde": False,
    },
    {
        "name": "fast_forward_forgets_bias",
        "cell": "conv2d_forward_fast",
        "patch": [
            [" @ cols + b[:, None]", " @ cols"],
        ],
        "fails": ["test_conv2d_forward_fast", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "fast_backward_dw_averaged_over_batch",
        "cell": "conv2d_backward_fast",
        "patch": [
            ["dw = (dout_mat @ cols.T).reshape(w.shape)", "dw = (dout_mat @ cols.T).reshape(w.shape) / x_shape[0]"],
        ],
        "fails": ["test_conv2d_backward_fast", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "fast_backward_db_wrong_axis",
        "cell": "conv2d_backward_fast",
        "patch": [
            ["db = dout_mat.sum(axis=1)", "db = dout_mat.sum(axis=0)"],
        ],
        "fails": ["test_conv2d_backward_fast", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "col2im_overwrites_overlaps",
        "cell": "conv2d_backward_fast",
        "patch": [
            ["out_w : stride] += dcols[:, u, v]", "out_w : stride] = dcols[:, u, v]"],
        ],
        "fails": ["test_conv2d_backward_fast"],
        "autograde": True,
    },
    {
        "name": "col2im_ignores_stride",
        "cell": "conv2d_backward_fast",
        "patch": [
            [
                "dx_pad[:, :, u : u + stride * out_h : stride, v : v + stride * out_w : stride]",
                "dx_pad[:, :, u : u + out_h, v : v + out_w]",
            ],
        ],
        "fails": ["test_conv2d_backward_fast"],
        "autograde": False,
    },
    {
        "name": "col2im_crops_padding_on_one_side",
        "cell": "conv2d_backward_fast",
        "patch": [
            ["dx_pad[:, :, padding : padding + height, padding : padding + width]", "dx_pad[:, :, :height, :width]"],
        ],
        "fails": ["test_conv2d_backward_fast"],
        "autograde": False,
    },
    {
        "name": "fast_backward_dx_flips_kernel",
        "cell": "conv2d_backward_fast",
        "patch": [
            [
                "dcols = w.reshape(n_kernels, -1).T @ dout_mat",
                "dcols = w[:, :, ::-1, ::-1].reshape(n_kernels, -1).T @ dout_mat",
            ],
        ],
        "fails": ["test_conv2d_backward_fast"],
        "autograde": False,
    },
    {
        "name": "maxpool_reshape_shortcut_assumes_stride_equals_size",
        "cell": "maxpool2d_forward",
        "patch": [
            [
                MAXPOOL_FORWARD_LOOP,
                """\
    n, c, height, width = x.shape
    out_h, out_w = height // size, width // size
    blocks = x[:, :, :out_h * size, :out_w * size].reshape(n, c, out_h, size, out_w, size)
    blocks = blocks.transpose(0, 1, 2, 4, 3, 5).reshape(n, c, out_h, out_w, size * size)
    argmax = blocks.argmax(axis=-1)
    out = blocks.max(axis=-1)
    cache = (x.shape, argmax, size, stride)
""",
            ],
        ],
        "fails": ["test_maxpool2d_forward", "test_maxpool2d_backward"],
        "autograde": False,
    },
    {
        "name": "maxpool_ignores_stride",
        "cell": "maxpool2d_forward",
        "patch": [
            [
                """\
    height, width = x.shape[2:]
""",
                """\
    height, width = x.shape[2:]
    stride = size
""",
            ],
        ],
        "fails": ["test_maxpool2d_forward", "test_maxpool2d_backward"],
        "autograde": False,
    },
    {
        "name": "maxpool_averages_instead",
        "cell": "maxpool2d_forward",
        "patch": [
            [
                MAXPOOL_FORWARD_LOOP,
                """\
    height, width = x.shape[2:]
    out_h = (height - size) // stride + 1
    out_w = (width - size) // stride + 1
    out = 0
    for u in range(size):
        for v in range(size):
            out = out + x[:, :, u : u + stride * out_h : stride, v : v + stride * out_w : stride] / (size * size)
    argmax = np.zeros(out.shape, dtype=np.int64)
    cache = (x.shape, argmax, size, stride)
""",
            ],
        ],
        "fails": ["test_maxpool2d_forward", "test_maxpool2d_backward", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "maxpool_output_width_from_height",
        "cell": "maxpool2d_forward",
        "patch": [
            ["out_w = (width - size)", "out_w = (height - size)"],
        ],
        "fails": ["test_maxpool2d_forward", "test_maxpool2d_backward", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "maxpool_takes_minimum",
        "cell": "maxpool2d_forward",
        "patch": [
            ["better = candidate > out", "better = candidate < out"],
        ],
        "fails": ["test_maxpool2d_forward", "test_maxpool2d_backward", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "maxpool_ties_go_to_last_maximum",
        "cell": "maxpool2d_forward",
        "patch": [
            ["better = candidate > out", "better = candidate >= out"],
        ],
        "fails": ["test_maxpool2d_backward"],
        "autograde": False,
    },
    {
        "name": "maxpool_gradient_to_every_position",
        "cell": "maxpool2d_backward",
        "patch": [
            ["+= dout * chosen", "+= dout"],
        ],
        "fails": ["test_maxpool2d_backward", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "maxpool_gradient_split_evenly",
        "cell": "maxpool2d_backward",
        "patch": [
            ["+= dout * chosen", "+= dout / (size * size)"],
        ],
        "fails": ["test_maxpool2d_backward", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "maxpool_backward_overwrites_overlaps",
        "cell": "maxpool2d_backward",
        "patch": [
            ["] += dout * chosen", "] = dout * chosen"],
        ],
        "fails": ["test_maxpool2d_backward"],
        "autograde": True,
    },
    {
        "name": "maxpool_backward_ignores_stride",
        "cell": "maxpool2d_backward",
        "patch": [
            [
                "dx[:, :, u : u + stride * out_h : stride, v : v + stride * out_w : stride]",
                "dx[:, :, u : u + out_h, v : v + out_w]",
            ],
        ],
        "fails": ["test_maxpool2d_backward", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "maxpool_backward_offset_index_transposed",
        "cell": "maxpool2d_backward",
        "patch": [
            ["argmax == u * size + v", "argmax == v * size + u"],
        ],
        "fails": ["test_maxpool2d_backward", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "tiny_convnet_skips_relu_backward",
        "cell": "TinyConvNet",
        "patch": [
            ["dconv = relu_backward(drelu, relu_cache)", "dconv = drelu"],
        ],
        "fails": ["test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "tiny_convnet_weights_with_std_one",
        "cell": "TinyConvNet",
        "patch": [
            [" * np.sqrt(2.0 / fan_in_conv)", ""],
            [" * np.sqrt(1.0 / flat)", ""],
        ],
        "fails": ["test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "tiny_convnet_without_padding",
        "cell": "TinyConvNet",
        "patch": [
            ["self.padding = kernel_size // 2", "self.padding = 0"],
        ],
        "fails": ["test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "tiny_convnet_conv_bias_gradient_divided_by_batch",
        "cell": "TinyConvNet",
        "patch": [
            ['"b1": db1', '"b1": db1 / len(x)'],
        ],
        "fails": ["test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "tiny_convnet_predict_argmax_over_examples",
        "cell": "TinyConvNet",
        "patch": [
            ["[0].argmax(axis=1)", "[0].argmax(axis=0)"],
        ],
        "fails": ["test_TinyConvNet"],
        "autograde": False,
    },
    # ---------------------------------------------------------------- answers taken from a library
    {
        "name": "conv2d_forward_built_on_cnnlib_corr2d",
        "cell": "conv2d_forward",
        "source": """\
from cnnlib.conv import corr2d


def conv2d_forward(x, w, b, stride=1, padding=0):
    n_examples, channels = x.shape[:2]
    n_kernels, _, kh, kw = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    full = np.zeros((n_examples, n_kernels, x_pad.shape[2] - kh + 1, x_pad.shape[3] - kw + 1))
    for n in range(n_examples):
        for f in range(n_kernels):
            for c in range(channels):
                full[n, f] += corr2d(x_pad[n, c], w[f, c])
            full[n, f] += b[f]
    return full[:, :, ::stride, ::stride], (x, w, b, stride, padding)
""",
        "fails": ["test_conv2d_forward"],
        "autograde": True,
    },
    {
        "name": "conv2d_backward_by_torch_autograd",
        "cell": "conv2d_backward",
        "source": """\
def conv2d_backward(dout, cache):
    x, w, b, stride, padding = cache
    xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    out = torch.nn.functional.conv2d(xt, wt, bt, stride=stride, padding=padding)
    out.backward(torch.tensor(dout))
    return xt.grad.numpy(), wt.grad.numpy(), bt.grad.numpy()
""",
        "fails": ["test_conv2d_backward"],
        "autograde": False,
    },
    {
        "name": "fast_forward_computes_out_with_torch",
        "cell": "conv2d_forward_fast",
        "patch": [
            [
                "    out = w.reshape(n_kernels, -1) @ cols + b[:, None]  # (F, N * out_h * out_w)\n"
                "    out = out.reshape(n_kernels, n_examples, out_h, out_w).transpose(1, 0, 2, 3)\n",
                "    out = torch.nn.functional.conv2d(\n"
                "        torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b), stride=stride, padding=padding\n"
                "    ).numpy()\n",
            ],
        ],
        "fails": ["test_conv2d_forward_fast", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "maxpool_forward_values_from_torch",
        "cell": "maxpool2d_forward",
        "patch": [
            [
                "    cache = (x.shape, argmax, size, stride)\n",
                "    out = torch.nn.functional.max_pool2d(torch.from_numpy(x), size, stride).numpy()\n"
                "    cache = (x.shape, argmax, size, stride)\n",
            ],
        ],
        "fails": ["test_maxpool2d_forward", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "tiny_convnet_loss_by_torch",
        "cell": "TinyConvNet",
        "patch": [
            [
                "        loss, dscores = softmax_cross_entropy(scores, y)\n",
                "        st = torch.tensor(scores, requires_grad=True)\n"
                "        lt = torch.nn.functional.cross_entropy(st, torch.as_tensor(y))\n"
                "        lt.backward()\n"
                "        loss, dscores = lt.item(), st.grad.numpy()\n",
            ],
        ],
        "fails": ["test_TinyConvNet"],
        "autograde": False,
    },
]

TRAINING_MUTANTS = [
    {
        "name": "training_ascends_the_gradient",
        "cell": "train_tiny_convnet",
        "patch": [["sgd_step(model.params, grads, learning_rate)", "sgd_step(model.params, grads, -learning_rate)"]],
        "fails": ["test_training"],
        "autograde": False,
    },
    {
        "name": "training_stops_after_twenty_batches",
        "cell": "train_tiny_convnet",
        "patch": [
            [
                "            bar.update()\n",
                "            bar.update()\n            if len(losses) >= 20:\n                break\n",
            ]
        ],
        "fails": ["test_training"],
        "autograde": False,
    },
]
