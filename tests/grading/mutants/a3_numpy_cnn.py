"""Plausible wrong answers to assignment A3 (a NumPy CNN), each with the test cells it must fail.

Every mutant replaces one solution cell of solutions/a3_numpy_cnn/a3_numpy_cnn.ipynb by a
mistake students make; "fails" lists the graded test cells that must then fail (a mistake in
the fast conv or in pooling also breaks TinyConvNet, which is built from them). The training
exercise is not mutated: its test runs only when a training cell is replaced.
"""

MUTANTS = [
    {
        "name": "conv2d_forward_flips_kernel",
        "cell": "conv2d_forward",
        "source": '''\
def conv2d_forward(x, w, b, stride=1, padding=0):
    """Naive forward pass of a convolution layer (a cross-correlation, as in PyTorch), with loops.

    x: (N, C, H, W) inputs; w: (F, C, HH, WW) kernels; b: (F,) biases;
    stride: step of the window in both spatial directions; padding: zeros added on ALL FOUR sides.
    out[n, f, i, j] = b[f] + sum over c, u, v of w[f, c, u, v] * x_pad[n, c, i*stride + u, j*stride + v]
    out: (N, F, H_out, W_out) with H_out = (H + 2*padding - HH) // stride + 1 and
    W_out = (W + 2*padding - WW) // stride + 1; its dtype is that of x * w.
    Returns (out, cache) with cache = (x, w, b, stride, padding).
    Loops over examples, kernels and output positions are fine here.
    """
    ### BEGIN SOLUTION
    n_examples, _, height, width = x.shape
    n_kernels, _, kh, kw = w.shape
    out_h = (height + 2 * padding - kh) // stride + 1
    out_w = (width + 2 * padding - kw) // stride + 1
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    out = np.zeros((n_examples, n_kernels, out_h, out_w), dtype=np.result_type(x, w))
    for n in range(n_examples):
        for f in range(n_kernels):
            for i in range(out_h):
                for j in range(out_w):
                    top, left = i * stride, j * stride
                    patch = x_pad[n, :, top : top + kh, left : left + kw]
                    out[n, f, i, j] = np.sum(patch * w[f, :, ::-1, ::-1]) + b[f]
    ### END SOLUTION
    return out, (x, w, b, stride, padding)''',
        "fails": ["test_conv2d_forward"],
        "autograde": True,
    },
    {
        "name": "conv2d_forward_pads_one_side_only",
        "cell": "conv2d_forward",
        "source": '''\
def conv2d_forward(x, w, b, stride=1, padding=0):
    """Naive forward pass of a convolution layer (a cross-correlation, as in PyTorch), with loops.

    x: (N, C, H, W) inputs; w: (F, C, HH, WW) kernels; b: (F,) biases;
    stride: step of the window in both spatial directions; padding: zeros added on ALL FOUR sides.
    out[n, f, i, j] = b[f] + sum over c, u, v of w[f, c, u, v] * x_pad[n, c, i*stride + u, j*stride + v]
    out: (N, F, H_out, W_out) with H_out = (H + 2*padding - HH) // stride + 1 and
    W_out = (W + 2*padding - WW) // stride + 1; its dtype is that of x * w.
    Returns (out, cache) with cache = (x, w, b, stride, padding).
    Loops over examples, kernels and output positions are fine here.
    """
    ### BEGIN SOLUTION
    n_examples, _, height, width = x.shape
    n_kernels, _, kh, kw = w.shape
    out_h = (height + 2 * padding - kh) // stride + 1
    out_w = (width + 2 * padding - kw) // stride + 1
    x_pad = np.pad(x, ((0, 0), (0, 0), (2 * padding, 0), (2 * padding, 0)))
    out = np.zeros((n_examples, n_kernels, out_h, out_w), dtype=np.result_type(x, w))
    for n in range(n_examples):
        for f in range(n_kernels):
            for i in range(out_h):
                for j in range(out_w):
                    top, left = i * stride, j * stride
                    patch = x_pad[n, :, top : top + kh, left : left + kw]
                    out[n, f, i, j] = np.sum(patch * w[f]) + b[f]
    ### END SOLUTION
    return out, (x, w, b, stride, padding)''',
        "fails": ["test_conv2d_forward"],
        "autograde": False,
    },
    {
        "name": "conv2d_forward_ignores_stride",
        "cell": "conv2d_forward",
        "source": '''\
def conv2d_forward(x, w, b, stride=1, padding=0):
    """Naive forward pass of a convolution layer (a cross-correlation, as in PyTorch), with loops.

    x: (N, C, H, W) inputs; w: (F, C, HH, WW) kernels; b: (F,) biases;
    stride: step of the window in both spatial directions; padding: zeros added on ALL FOUR sides.
    out[n, f, i, j] = b[f] + sum over c, u, v of w[f, c, u, v] * x_pad[n, c, i*stride + u, j*stride + v]
    out: (N, F, H_out, W_out) with H_out = (H + 2*padding - HH) // stride + 1 and
    W_out = (W + 2*padding - WW) // stride + 1; its dtype is that of x * w.
    Returns (out, cache) with cache = (x, w, b, stride, padding).
    Loops over examples, kernels and output positions are fine here.
    """
    ### BEGIN SOLUTION
    n_examples, _, height, width = x.shape
    n_kernels, _, kh, kw = w.shape
    out_h = (height + 2 * padding - kh) // stride + 1
    out_w = (width + 2 * padding - kw) // stride + 1
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    out = np.zeros((n_examples, n_kernels, out_h, out_w), dtype=np.result_type(x, w))
    for n in range(n_examples):
        for f in range(n_kernels):
            for i in range(out_h):
                for j in range(out_w):
                    top, left = i, j
                    patch = x_pad[n, :, top : top + kh, left : left + kw]
                    out[n, f, i, j] = np.sum(patch * w[f]) + b[f]
    ### END SOLUTION
    return out, (x, w, b, stride, padding)''',
        "fails": ["test_conv2d_forward"],
        "autograde": False,
    },
    {
        "name": "conv2d_forward_forgets_bias",
        "cell": "conv2d_forward",
        "source": '''\
def conv2d_forward(x, w, b, stride=1, padding=0):
    """Naive forward pass of a convolution layer (a cross-correlation, as in PyTorch), with loops.

    x: (N, C, H, W) inputs; w: (F, C, HH, WW) kernels; b: (F,) biases;
    stride: step of the window in both spatial directions; padding: zeros added on ALL FOUR sides.
    out[n, f, i, j] = b[f] + sum over c, u, v of w[f, c, u, v] * x_pad[n, c, i*stride + u, j*stride + v]
    out: (N, F, H_out, W_out) with H_out = (H + 2*padding - HH) // stride + 1 and
    W_out = (W + 2*padding - WW) // stride + 1; its dtype is that of x * w.
    Returns (out, cache) with cache = (x, w, b, stride, padding).
    Loops over examples, kernels and output positions are fine here.
    """
    ### BEGIN SOLUTION
    n_examples, _, height, width = x.shape
    n_kernels, _, kh, kw = w.shape
    out_h = (height + 2 * padding - kh) // stride + 1
    out_w = (width + 2 * padding - kw) // stride + 1
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    out = np.zeros((n_examples, n_kernels, out_h, out_w), dtype=np.result_type(x, w))
    for n in range(n_examples):
        for f in range(n_kernels):
            for i in range(out_h):
                for j in range(out_w):
                    top, left = i * stride, j * stride
                    patch = x_pad[n, :, top : top + kh, left : left + kw]
                    out[n, f, i, j] = np.sum(patch * w[f])
    ### END SOLUTION
    return out, (x, w, b, stride, padding)''',
        "fails": ["test_conv2d_forward"],
        "autograde": False,
    },
    {
        "name": "conv2d_forward_output_size_without_plus_one",
        "cell": "conv2d_forward",
        "source": '''\
def conv2d_forward(x, w, b, stride=1, padding=0):
    """Naive forward pass of a convolution layer (a cross-correlation, as in PyTorch), with loops.

    x: (N, C, H, W) inputs; w: (F, C, HH, WW) kernels; b: (F,) biases;
    stride: step of the window in both spatial directions; padding: zeros added on ALL FOUR sides.
    out[n, f, i, j] = b[f] + sum over c, u, v of w[f, c, u, v] * x_pad[n, c, i*stride + u, j*stride + v]
    out: (N, F, H_out, W_out) with H_out = (H + 2*padding - HH) // stride + 1 and
    W_out = (W + 2*padding - WW) // stride + 1; its dtype is that of x * w.
    Returns (out, cache) with cache = (x, w, b, stride, padding).
    Loops over examples, kernels and output positions are fine here.
    """
    ### BEGIN SOLUTION
    n_examples, _, height, width = x.shape
    n_kernels, _, kh, kw = w.shape
    out_h = (height + 2 * padding - kh) // stride
    out_w = (width + 2 * padding - kw) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    out = np.zeros((n_examples, n_kernels, out_h, out_w), dtype=np.result_type(x, w))
    for n in range(n_examples):
        for f in range(n_kernels):
            for i in range(out_h):
                for j in range(out_w):
                    top, left = i * stride, j * stride
                    patch = x_pad[n, :, top : top + kh, left : left + kw]
                    out[n, f, i, j] = np.sum(patch * w[f]) + b[f]
    ### END SOLUTION
    return out, (x, w, b, stride, padding)''',
        "fails": ["test_conv2d_forward"],
        "autograde": False,
    },
    {
        "name": "conv2d_forward_first_channel_only",
        "cell": "conv2d_forward",
        "source": '''\
def conv2d_forward(x, w, b, stride=1, padding=0):
    """Naive forward pass of a convolution layer (a cross-correlation, as in PyTorch), with loops.

    x: (N, C, H, W) inputs; w: (F, C, HH, WW) kernels; b: (F,) biases;
    stride: step of the window in both spatial directions; padding: zeros added on ALL FOUR sides.
    out[n, f, i, j] = b[f] + sum over c, u, v of w[f, c, u, v] * x_pad[n, c, i*stride + u, j*stride + v]
    out: (N, F, H_out, W_out) with H_out = (H + 2*padding - HH) // stride + 1 and
    W_out = (W + 2*padding - WW) // stride + 1; its dtype is that of x * w.
    Returns (out, cache) with cache = (x, w, b, stride, padding).
    Loops over examples, kernels and output positions are fine here.
    """
    ### BEGIN SOLUTION
    n_examples, _, height, width = x.shape
    n_kernels, _, kh, kw = w.shape
    out_h = (height + 2 * padding - kh) // stride + 1
    out_w = (width + 2 * padding - kw) // stride + 1
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    out = np.zeros((n_examples, n_kernels, out_h, out_w), dtype=np.result_type(x, w))
    for n in range(n_examples):
        for f in range(n_kernels):
            for i in range(out_h):
                for j in range(out_w):
                    top, left = i * stride, j * stride
                    patch = x_pad[n, 0, top : top + kh, left : left + kw]
                    out[n, f, i, j] = np.sum(patch * w[f, 0]) + b[f]
    ### END SOLUTION
    return out, (x, w, b, stride, padding)''',
        "fails": ["test_conv2d_forward"],
        "autograde": False,
    },
    {
        "name": "conv2d_backward_dw_averaged_over_batch",
        "cell": "conv2d_backward",
        "source": '''\
def conv2d_backward(dout, cache):
    """Naive backward pass of the convolution layer, with loops.

    dout: (N, F, H_out, W_out), the upstream gradient dL/dout; cache: from conv2d_forward.
    Returns (dx, dw, db) shaped like x (N, C, H, W), w (F, C, HH, WW) and b (F,):
      db[f] = sum of dout[:, f] over examples and positions;
      dw[f] = sum over examples n and positions (i, j) of dout[n, f, i, j] * (the input patch under the window);
      dx: every dout[n, f, i, j] * w[f] is added back onto the patch it came from (then the padding is cut off).
    """
    x, w, b, stride, padding = cache
    ### BEGIN SOLUTION
    _, _, height, width = x.shape
    n_examples, n_kernels, out_h, out_w = dout.shape
    _, _, kh, kw = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dx_pad = np.zeros_like(x_pad, dtype=np.result_type(x, w, dout))
    dw = np.zeros_like(w, dtype=dx_pad.dtype)
    db = dout.sum(axis=(0, 2, 3))
    for n in range(n_examples):
        for f in range(n_kernels):
            for i in range(out_h):
                for j in range(out_w):
                    rows = slice(i * stride, i * stride + kh)
                    cols = slice(j * stride, j * stride + kw)
                    dw[f] += dout[n, f, i, j] * x_pad[n, :, rows, cols]
                    dx_pad[n, :, rows, cols] += dout[n, f, i, j] * w[f]
    dw = dw / n_examples
    dx = dx_pad[:, :, padding : padding + height, padding : padding + width]
    ### END SOLUTION
    return dx, dw, db''',
        "fails": ["test_conv2d_backward"],
        "autograde": False,
    },
    {
        "name": "conv2d_backward_dw_overwritten_per_window",
        "cell": "conv2d_backward",
        "source": '''\
def conv2d_backward(dout, cache):
    """Naive backward pass of the convolution layer, with loops.

    dout: (N, F, H_out, W_out), the upstream gradient dL/dout; cache: from conv2d_forward.
    Returns (dx, dw, db) shaped like x (N, C, H, W), w (F, C, HH, WW) and b (F,):
      db[f] = sum of dout[:, f] over examples and positions;
      dw[f] = sum over examples n and positions (i, j) of dout[n, f, i, j] * (the input patch under the window);
      dx: every dout[n, f, i, j] * w[f] is added back onto the patch it came from (then the padding is cut off).
    """
    x, w, b, stride, padding = cache
    ### BEGIN SOLUTION
    _, _, height, width = x.shape
    n_examples, n_kernels, out_h, out_w = dout.shape
    _, _, kh, kw = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dx_pad = np.zeros_like(x_pad, dtype=np.result_type(x, w, dout))
    dw = np.zeros_like(w, dtype=dx_pad.dtype)
    db = dout.sum(axis=(0, 2, 3))
    for n in range(n_examples):
        for f in range(n_kernels):
            for i in range(out_h):
                for j in range(out_w):
                    rows = slice(i * stride, i * stride + kh)
                    cols = slice(j * stride, j * stride + kw)
                    dw[f] = dout[n, f, i, j] * x_pad[n, :, rows, cols]
                    dx_pad[n, :, rows, cols] += dout[n, f, i, j] * w[f]
    dx = dx_pad[:, :, padding : padding + height, padding : padding + width]
    ### END SOLUTION
    return dx, dw, db''',
        "fails": ["test_conv2d_backward"],
        "autograde": False,
    },
    {
        "name": "conv2d_backward_db_wrong_axes",
        "cell": "conv2d_backward",
        "source": '''\
def conv2d_backward(dout, cache):
    """Naive backward pass of the convolution layer, with loops.

    dout: (N, F, H_out, W_out), the upstream gradient dL/dout; cache: from conv2d_forward.
    Returns (dx, dw, db) shaped like x (N, C, H, W), w (F, C, HH, WW) and b (F,):
      db[f] = sum of dout[:, f] over examples and positions;
      dw[f] = sum over examples n and positions (i, j) of dout[n, f, i, j] * (the input patch under the window);
      dx: every dout[n, f, i, j] * w[f] is added back onto the patch it came from (then the padding is cut off).
    """
    x, w, b, stride, padding = cache
    ### BEGIN SOLUTION
    _, _, height, width = x.shape
    n_examples, n_kernels, out_h, out_w = dout.shape
    _, _, kh, kw = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dx_pad = np.zeros_like(x_pad, dtype=np.result_type(x, w, dout))
    dw = np.zeros_like(w, dtype=dx_pad.dtype)
    db = dout.sum(axis=(1, 2, 3))
    for n in range(n_examples):
        for f in range(n_kernels):
            for i in range(out_h):
                for j in range(out_w):
                    rows = slice(i * stride, i * stride + kh)
                    cols = slice(j * stride, j * stride + kw)
                    dw[f] += dout[n, f, i, j] * x_pad[n, :, rows, cols]
                    dx_pad[n, :, rows, cols] += dout[n, f, i, j] * w[f]
    dx = dx_pad[:, :, padding : padding + height, padding : padding + width]
    ### END SOLUTION
    return dx, dw, db''',
        "fails": ["test_conv2d_backward"],
        "autograde": False,
    },
    {
        "name": "conv2d_backward_dx_flips_kernel",
        "cell": "conv2d_backward",
        "source": '''\
def conv2d_backward(dout, cache):
    """Naive backward pass of the convolution layer, with loops.

    dout: (N, F, H_out, W_out), the upstream gradient dL/dout; cache: from conv2d_forward.
    Returns (dx, dw, db) shaped like x (N, C, H, W), w (F, C, HH, WW) and b (F,):
      db[f] = sum of dout[:, f] over examples and positions;
      dw[f] = sum over examples n and positions (i, j) of dout[n, f, i, j] * (the input patch under the window);
      dx: every dout[n, f, i, j] * w[f] is added back onto the patch it came from (then the padding is cut off).
    """
    x, w, b, stride, padding = cache
    ### BEGIN SOLUTION
    _, _, height, width = x.shape
    n_examples, n_kernels, out_h, out_w = dout.shape
    _, _, kh, kw = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dx_pad = np.zeros_like(x_pad, dtype=np.result_type(x, w, dout))
    dw = np.zeros_like(w, dtype=dx_pad.dtype)
    db = dout.sum(axis=(0, 2, 3))
    for n in range(n_examples):
        for f in range(n_kernels):
            for i in range(out_h):
                for j in range(out_w):
                    rows = slice(i * stride, i * stride + kh)
                    cols = slice(j * stride, j * stride + kw)
                    dw[f] += dout[n, f, i, j] * x_pad[n, :, rows, cols]
                    dx_pad[n, :, rows, cols] += dout[n, f, i, j] * w[f, :, ::-1, ::-1]
    dx = dx_pad[:, :, padding : padding + height, padding : padding + width]
    ### END SOLUTION
    return dx, dw, db''',
        "fails": ["test_conv2d_backward"],
        "autograde": False,
    },
    {
        "name": "conv2d_backward_ignores_stride",
        "cell": "conv2d_backward",
        "source": '''\
def conv2d_backward(dout, cache):
    """Naive backward pass of the convolution layer, with loops.

    dout: (N, F, H_out, W_out), the upstream gradient dL/dout; cache: from conv2d_forward.
    Returns (dx, dw, db) shaped like x (N, C, H, W), w (F, C, HH, WW) and b (F,):
      db[f] = sum of dout[:, f] over examples and positions;
      dw[f] = sum over examples n and positions (i, j) of dout[n, f, i, j] * (the input patch under the window);
      dx: every dout[n, f, i, j] * w[f] is added back onto the patch it came from (then the padding is cut off).
    """
    x, w, b, stride, padding = cache
    ### BEGIN SOLUTION
    _, _, height, width = x.shape
    n_examples, n_kernels, out_h, out_w = dout.shape
    _, _, kh, kw = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dx_pad = np.zeros_like(x_pad, dtype=np.result_type(x, w, dout))
    dw = np.zeros_like(w, dtype=dx_pad.dtype)
    db = dout.sum(axis=(0, 2, 3))
    for n in range(n_examples):
        for f in range(n_kernels):
            for i in range(out_h):
                for j in range(out_w):
                    rows = slice(i, i + kh)
                    cols = slice(j, j + kw)
                    dw[f] += dout[n, f, i, j] * x_pad[n, :, rows, cols]
                    dx_pad[n, :, rows, cols] += dout[n, f, i, j] * w[f]
    dx = dx_pad[:, :, padding : padding + height, padding : padding + width]
    ### END SOLUTION
    return dx, dw, db''',
        "fails": ["test_conv2d_backward"],
        "autograde": False,
    },
    {
        "name": "conv2d_backward_crops_padding_on_one_side",
        "cell": "conv2d_backward",
        "source": '''\
def conv2d_backward(dout, cache):
    """Naive backward pass of the convolution layer, with loops.

    dout: (N, F, H_out, W_out), the upstream gradient dL/dout; cache: from conv2d_forward.
    Returns (dx, dw, db) shaped like x (N, C, H, W), w (F, C, HH, WW) and b (F,):
      db[f] = sum of dout[:, f] over examples and positions;
      dw[f] = sum over examples n and positions (i, j) of dout[n, f, i, j] * (the input patch under the window);
      dx: every dout[n, f, i, j] * w[f] is added back onto the patch it came from (then the padding is cut off).
    """
    x, w, b, stride, padding = cache
    ### BEGIN SOLUTION
    _, _, height, width = x.shape
    n_examples, n_kernels, out_h, out_w = dout.shape
    _, _, kh, kw = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dx_pad = np.zeros_like(x_pad, dtype=np.result_type(x, w, dout))
    dw = np.zeros_like(w, dtype=dx_pad.dtype)
    db = dout.sum(axis=(0, 2, 3))
    for n in range(n_examples):
        for f in range(n_kernels):
            for i in range(out_h):
                for j in range(out_w):
                    rows = slice(i * stride, i * stride + kh)
                    cols = slice(j * stride, j * stride + kw)
                    dw[f] += dout[n, f, i, j] * x_pad[n, :, rows, cols]
                    dx_pad[n, :, rows, cols] += dout[n, f, i, j] * w[f]
    dx = dx_pad[:, :, :height, :width]
    ### END SOLUTION
    return dx, dw, db''',
        "fails": ["test_conv2d_backward"],
        "autograde": False,
    },
    {
        "name": "conv2d_backward_dx_overwrites_overlaps",
        "cell": "conv2d_backward",
        "source": '''\
def conv2d_backward(dout, cache):
    """Naive backward pass of the convolution layer, with loops.

    dout: (N, F, H_out, W_out), the upstream gradient dL/dout; cache: from conv2d_forward.
    Returns (dx, dw, db) shaped like x (N, C, H, W), w (F, C, HH, WW) and b (F,):
      db[f] = sum of dout[:, f] over examples and positions;
      dw[f] = sum over examples n and positions (i, j) of dout[n, f, i, j] * (the input patch under the window);
      dx: every dout[n, f, i, j] * w[f] is added back onto the patch it came from (then the padding is cut off).
    """
    x, w, b, stride, padding = cache
    ### BEGIN SOLUTION
    _, _, height, width = x.shape
    n_examples, n_kernels, out_h, out_w = dout.shape
    _, _, kh, kw = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dx_pad = np.zeros_like(x_pad, dtype=np.result_type(x, w, dout))
    dw = np.zeros_like(w, dtype=dx_pad.dtype)
    db = dout.sum(axis=(0, 2, 3))
    for n in range(n_examples):
        for f in range(n_kernels):
            for i in range(out_h):
                for j in range(out_w):
                    rows = slice(i * stride, i * stride + kh)
                    cols = slice(j * stride, j * stride + kw)
                    dw[f] += dout[n, f, i, j] * x_pad[n, :, rows, cols]
                    dx_pad[n, :, rows, cols] = dout[n, f, i, j] * w[f]
    dx = dx_pad[:, :, padding : padding + height, padding : padding + width]
    ### END SOLUTION
    return dx, dw, db''',
        "fails": ["test_conv2d_backward"],
        "autograde": False,
    },
    {
        "name": "fast_forward_flips_kernel",
        "cell": "conv2d_forward_fast",
        "source": '''\
def im2col(x, kh, kw, stride, padding):
    """Unfold every receptive field of x (N, C, H, W) into a column.

    Returns (cols, out_h, out_w): cols has shape (C * kh * kw, N * out_h * out_w); its rows are
    ordered (c, u, v) like w.reshape(F, -1) and its columns (n, i, j).
    """
    ### BEGIN SOLUTION
    n_examples, channels = x.shape[:2]
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    # windows[n, c, i, j, u, v] = x_pad[n, c, i*stride + u, j*stride + v]: a view, no copy yet
    windows = sliding_window_view(x_pad, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    out_h, out_w = windows.shape[2:4]
    cols = np.ascontiguousarray(windows.transpose(1, 4, 5, 0, 2, 3))  # the one big copy
    return cols.reshape(channels * kh * kw, n_examples * out_h * out_w), out_h, out_w
    ### END SOLUTION


def conv2d_forward_fast(x, w, b, stride=1, padding=0):
    """Vectorised conv2d_forward: same arguments, same out, no Python loop over examples or positions.

    Build the unfolded input with im2col, then one matrix product does every dot product:
    out = w.reshape(F, -1) @ cols + b, reshaped back to (N, F, H_out, W_out).
    Returns (out, cache) with cache = (x.shape, w, stride, padding, cols).
    """
    ### BEGIN SOLUTION
    n_examples = x.shape[0]
    n_kernels, _, kh, kw = w.shape
    cols, out_h, out_w = im2col(x, kh, kw, stride, padding)
    out = w[:, :, ::-1, ::-1].reshape(n_kernels, -1) @ cols + b[:, None]  # (F, N * out_h * out_w)
    out = out.reshape(n_kernels, n_examples, out_h, out_w).transpose(1, 0, 2, 3)
    ### END SOLUTION
    return out, (x.shape, w, stride, padding, cols)''',
        "fails": ["test_conv2d_forward_fast", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "fast_forward_pads_one_side_only",
        "cell": "conv2d_forward_fast",
        "source": '''\
def im2col(x, kh, kw, stride, padding):
    """Unfold every receptive field of x (N, C, H, W) into a column.

    Returns (cols, out_h, out_w): cols has shape (C * kh * kw, N * out_h * out_w); its rows are
    ordered (c, u, v) like w.reshape(F, -1) and its columns (n, i, j).
    """
    ### BEGIN SOLUTION
    n_examples, channels = x.shape[:2]
    x_pad = np.pad(x, ((0, 0), (0, 0), (2 * padding, 0), (2 * padding, 0)))
    # windows[n, c, i, j, u, v] = x_pad[n, c, i*stride + u, j*stride + v]: a view, no copy yet
    windows = sliding_window_view(x_pad, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    out_h, out_w = windows.shape[2:4]
    cols = np.ascontiguousarray(windows.transpose(1, 4, 5, 0, 2, 3))  # the one big copy
    return cols.reshape(channels * kh * kw, n_examples * out_h * out_w), out_h, out_w
    ### END SOLUTION


def conv2d_forward_fast(x, w, b, stride=1, padding=0):
    """Vectorised conv2d_forward: same arguments, same out, no Python loop over examples or positions.

    Build the unfolded input with im2col, then one matrix product does every dot product:
    out = w.reshape(F, -1) @ cols + b, reshaped back to (N, F, H_out, W_out).
    Returns (out, cache) with cache = (x.shape, w, stride, padding, cols).
    """
    ### BEGIN SOLUTION
    n_examples = x.shape[0]
    n_kernels, _, kh, kw = w.shape
    cols, out_h, out_w = im2col(x, kh, kw, stride, padding)
    out = w.reshape(n_kernels, -1) @ cols + b[:, None]  # (F, N * out_h * out_w)
    out = out.reshape(n_kernels, n_examples, out_h, out_w).transpose(1, 0, 2, 3)
    ### END SOLUTION
    return out, (x.shape, w, stride, padding, cols)''',
        "fails": ["test_conv2d_forward_fast", "test_conv2d_backward_fast", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "fast_forward_reshapes_without_transpose",
        "cell": "conv2d_forward_fast",
        "source": '''\
def im2col(x, kh, kw, stride, padding):
    """Unfold every receptive field of x (N, C, H, W) into a column.

    Returns (cols, out_h, out_w): cols has shape (C * kh * kw, N * out_h * out_w); its rows are
    ordered (c, u, v) like w.reshape(F, -1) and its columns (n, i, j).
    """
    ### BEGIN SOLUTION
    n_examples, channels = x.shape[:2]
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    # windows[n, c, i, j, u, v] = x_pad[n, c, i*stride + u, j*stride + v]: a view, no copy yet
    windows = sliding_window_view(x_pad, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    out_h, out_w = windows.shape[2:4]
    cols = np.ascontiguousarray(windows.transpose(1, 4, 5, 0, 2, 3))  # the one big copy
    return cols.reshape(channels * kh * kw, n_examples * out_h * out_w), out_h, out_w
    ### END SOLUTION


def conv2d_forward_fast(x, w, b, stride=1, padding=0):
    """Vectorised conv2d_forward: same arguments, same out, no Python loop over examples or positions.

    Build the unfolded input with im2col, then one matrix product does every dot product:
    out = w.reshape(F, -1) @ cols + b, reshaped back to (N, F, H_out, W_out).
    Returns (out, cache) with cache = (x.shape, w, stride, padding, cols).
    """
    ### BEGIN SOLUTION
    n_examples = x.shape[0]
    n_kernels, _, kh, kw = w.shape
    cols, out_h, out_w = im2col(x, kh, kw, stride, padding)
    out = w.reshape(n_kernels, -1) @ cols + b[:, None]  # (F, N * out_h * out_w)
    out = out.reshape(n_examples, n_kernels, out_h, out_w)
    ### END SOLUTION
    return out, (x.shape, w, stride, padding, cols)''',
        "fails": ["test_conv2d_forward_fast", "test_TinyConvNet"],
        "autograde": True,
    },
    {
        "name": "fast_forward_rows_ordered_u_v_c",
        "cell": "conv2d_forward_fast",
        "source": '''\
def im2col(x, kh, kw, stride, padding):
    """Unfold every receptive field of x (N, C, H, W) into a column.

    Returns (cols, out_h, out_w): cols has shape (C * kh * kw, N * out_h * out_w); its rows are
    ordered (c, u, v) like w.reshape(F, -1) and its columns (n, i, j).
    """
    ### BEGIN SOLUTION
    n_examples, channels = x.shape[:2]
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    # windows[n, c, i, j, u, v] = x_pad[n, c, i*stride + u, j*stride + v]: a view, no copy yet
    windows = sliding_window_view(x_pad, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    out_h, out_w = windows.shape[2:4]
    cols = np.ascontiguousarray(windows.transpose(4, 5, 1, 0, 2, 3))  # the one big copy
    return cols.reshape(channels * kh * kw, n_examples * out_h * out_w), out_h, out_w
    ### END SOLUTION


def conv2d_forward_fast(x, w, b, stride=1, padding=0):
    """Vectorised conv2d_forward: same arguments, same out, no Python loop over examples or positions.

    Build the unfolded input with im2col, then one matrix product does every dot product:
    out = w.reshape(F, -1) @ cols + b, reshaped back to (N, F, H_out, W_out).
    Returns (out, cache) with cache = (x.shape, w, stride, padding, cols).
    """
    ### BEGIN SOLUTION
    n_examples = x.shape[0]
    n_kernels, _, kh, kw = w.shape
    cols, out_h, out_w = im2col(x, kh, kw, stride, padding)
    out = w.reshape(n_kernels, -1) @ cols + b[:, None]  # (F, N * out_h * out_w)
    out = out.reshape(n_kernels, n_examples, out_h, out_w).transpose(1, 0, 2, 3)
    ### END SOLUTION
    return out, (x.shape, w, stride, padding, cols)''',
        "fails": ["test_conv2d_forward_fast", "test_conv2d_backward_fast", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "fast_forward_ignores_stride",
        "cell": "conv2d_forward_fast",
        "source": '''\
def im2col(x, kh, kw, stride, padding):
    """Unfold every receptive field of x (N, C, H, W) into a column.

    Returns (cols, out_h, out_w): cols has shape (C * kh * kw, N * out_h * out_w); its rows are
    ordered (c, u, v) like w.reshape(F, -1) and its columns (n, i, j).
    """
    ### BEGIN SOLUTION
    n_examples, channels = x.shape[:2]
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    # windows[n, c, i, j, u, v] = x_pad[n, c, i*stride + u, j*stride + v]: a view, no copy yet
    windows = sliding_window_view(x_pad, (kh, kw), axis=(2, 3))
    out_h, out_w = windows.shape[2:4]
    cols = np.ascontiguousarray(windows.transpose(1, 4, 5, 0, 2, 3))  # the one big copy
    return cols.reshape(channels * kh * kw, n_examples * out_h * out_w), out_h, out_w
    ### END SOLUTION


def conv2d_forward_fast(x, w, b, stride=1, padding=0):
    """Vectorised conv2d_forward: same arguments, same out, no Python loop over examples or positions.

    Build the unfolded input with im2col, then one matrix product does every dot product:
    out = w.reshape(F, -1) @ cols + b, reshaped back to (N, F, H_out, W_out).
    Returns (out, cache) with cache = (x.shape, w, stride, padding, cols).
    """
    ### BEGIN SOLUTION
    n_examples = x.shape[0]
    n_kernels, _, kh, kw = w.shape
    cols, out_h, out_w = im2col(x, kh, kw, stride, padding)
    out = w.reshape(n_kernels, -1) @ cols + b[:, None]  # (F, N * out_h * out_w)
    out = out.reshape(n_kernels, n_examples, out_h, out_w).transpose(1, 0, 2, 3)
    ### END SOLUTION
    return out, (x.shape, w, stride, padding, cols)''',
        "fails": ["test_conv2d_forward_fast", "test_conv2d_backward_fast"],
        "autograde": False,
    },
    {
        "name": "fast_forward_forgets_bias",
        "cell": "conv2d_forward_fast",
        "source": '''\
def im2col(x, kh, kw, stride, padding):
    """Unfold every receptive field of x (N, C, H, W) into a column.

    Returns (cols, out_h, out_w): cols has shape (C * kh * kw, N * out_h * out_w); its rows are
    ordered (c, u, v) like w.reshape(F, -1) and its columns (n, i, j).
    """
    ### BEGIN SOLUTION
    n_examples, channels = x.shape[:2]
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    # windows[n, c, i, j, u, v] = x_pad[n, c, i*stride + u, j*stride + v]: a view, no copy yet
    windows = sliding_window_view(x_pad, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    out_h, out_w = windows.shape[2:4]
    cols = np.ascontiguousarray(windows.transpose(1, 4, 5, 0, 2, 3))  # the one big copy
    return cols.reshape(channels * kh * kw, n_examples * out_h * out_w), out_h, out_w
    ### END SOLUTION


def conv2d_forward_fast(x, w, b, stride=1, padding=0):
    """Vectorised conv2d_forward: same arguments, same out, no Python loop over examples or positions.

    Build the unfolded input with im2col, then one matrix product does every dot product:
    out = w.reshape(F, -1) @ cols + b, reshaped back to (N, F, H_out, W_out).
    Returns (out, cache) with cache = (x.shape, w, stride, padding, cols).
    """
    ### BEGIN SOLUTION
    n_examples = x.shape[0]
    n_kernels, _, kh, kw = w.shape
    cols, out_h, out_w = im2col(x, kh, kw, stride, padding)
    out = w.reshape(n_kernels, -1) @ cols  # (F, N * out_h * out_w)
    out = out.reshape(n_kernels, n_examples, out_h, out_w).transpose(1, 0, 2, 3)
    ### END SOLUTION
    return out, (x.shape, w, stride, padding, cols)''',
        "fails": ["test_conv2d_forward_fast", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "fast_backward_dw_averaged_over_batch",
        "cell": "conv2d_backward_fast",
        "source": '''\
def col2im(dcols, x_shape, kh, kw, stride, padding, out_h, out_w):
    """The adjoint of im2col: add every column of dcols back onto the input position it was copied from.

    dcols: (C * kh * kw, N * out_h * out_w) -> dx: x_shape (N, C, H, W). A loop over the kh * kw
    kernel offsets is fine; no loop over examples or output positions.
    """
    ### BEGIN SOLUTION
    n_examples, channels, height, width = x_shape
    dcols = dcols.reshape(channels, kh, kw, n_examples, out_h, out_w)
    dx_pad = np.zeros((channels, n_examples, height + 2 * padding, width + 2 * padding), dtype=dcols.dtype)
    for u in range(kh):
        for v in range(kw):
            # overlapping windows hit the same input position: += adds their contributions
            dx_pad[:, :, u : u + stride * out_h : stride, v : v + stride * out_w : stride] += dcols[:, u, v]
    dx = dx_pad[:, :, padding : padding + height, padding : padding + width]
    return dx.transpose(1, 0, 2, 3)
    ### END SOLUTION


def conv2d_backward_fast(dout, cache):
    """Vectorised conv2d_backward: same (dx, dw, db), no Python loop over examples or positions.

    With D = dout as an (F, N * H_out * W_out) matrix (columns ordered (n, i, j) like cols):
    db = D summed over its columns; dw = D @ cols.T reshaped like w; dx = col2im(w.reshape(F, -1).T @ D).
    """
    x_shape, w, stride, padding, cols = cache
    ### BEGIN SOLUTION
    n_kernels, _, kh, kw = w.shape
    out_h, out_w = dout.shape[2:]
    dout_mat = dout.transpose(1, 0, 2, 3).reshape(n_kernels, -1)
    db = dout_mat.sum(axis=1)
    dw = (dout_mat @ cols.T).reshape(w.shape) / x_shape[0]
    dcols = w.reshape(n_kernels, -1).T @ dout_mat
    dx = col2im(dcols, x_shape, kh, kw, stride, padding, out_h, out_w)
    ### END SOLUTION
    return dx, dw, db''',
        "fails": ["test_conv2d_backward_fast", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "fast_backward_db_wrong_axis",
        "cell": "conv2d_backward_fast",
        "source": '''\
def col2im(dcols, x_shape, kh, kw, stride, padding, out_h, out_w):
    """The adjoint of im2col: add every column of dcols back onto the input position it was copied from.

    dcols: (C * kh * kw, N * out_h * out_w) -> dx: x_shape (N, C, H, W). A loop over the kh * kw
    kernel offsets is fine; no loop over examples or output positions.
    """
    ### BEGIN SOLUTION
    n_examples, channels, height, width = x_shape
    dcols = dcols.reshape(channels, kh, kw, n_examples, out_h, out_w)
    dx_pad = np.zeros((channels, n_examples, height + 2 * padding, width + 2 * padding), dtype=dcols.dtype)
    for u in range(kh):
        for v in range(kw):
            # overlapping windows hit the same input position: += adds their contributions
            dx_pad[:, :, u : u + stride * out_h : stride, v : v + stride * out_w : stride] += dcols[:, u, v]
    dx = dx_pad[:, :, padding : padding + height, padding : padding + width]
    return dx.transpose(1, 0, 2, 3)
    ### END SOLUTION


def conv2d_backward_fast(dout, cache):
    """Vectorised conv2d_backward: same (dx, dw, db), no Python loop over examples or positions.

    With D = dout as an (F, N * H_out * W_out) matrix (columns ordered (n, i, j) like cols):
    db = D summed over its columns; dw = D @ cols.T reshaped like w; dx = col2im(w.reshape(F, -1).T @ D).
    """
    x_shape, w, stride, padding, cols = cache
    ### BEGIN SOLUTION
    n_kernels, _, kh, kw = w.shape
    out_h, out_w = dout.shape[2:]
    dout_mat = dout.transpose(1, 0, 2, 3).reshape(n_kernels, -1)
    db = dout_mat.sum(axis=0)
    dw = (dout_mat @ cols.T).reshape(w.shape)
    dcols = w.reshape(n_kernels, -1).T @ dout_mat
    dx = col2im(dcols, x_shape, kh, kw, stride, padding, out_h, out_w)
    ### END SOLUTION
    return dx, dw, db''',
        "fails": ["test_conv2d_backward_fast", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "col2im_overwrites_overlaps",
        "cell": "conv2d_backward_fast",
        "source": '''\
def col2im(dcols, x_shape, kh, kw, stride, padding, out_h, out_w):
    """The adjoint of im2col: add every column of dcols back onto the input position it was copied from.

    dcols: (C * kh * kw, N * out_h * out_w) -> dx: x_shape (N, C, H, W). A loop over the kh * kw
    kernel offsets is fine; no loop over examples or output positions.
    """
    ### BEGIN SOLUTION
    n_examples, channels, height, width = x_shape
    dcols = dcols.reshape(channels, kh, kw, n_examples, out_h, out_w)
    dx_pad = np.zeros((channels, n_examples, height + 2 * padding, width + 2 * padding), dtype=dcols.dtype)
    for u in range(kh):
        for v in range(kw):
            # overlapping windows hit the same input position: += adds their contributions
            dx_pad[:, :, u : u + stride * out_h : stride, v : v + stride * out_w : stride] = dcols[:, u, v]
    dx = dx_pad[:, :, padding : padding + height, padding : padding + width]
    return dx.transpose(1, 0, 2, 3)
    ### END SOLUTION


def conv2d_backward_fast(dout, cache):
    """Vectorised conv2d_backward: same (dx, dw, db), no Python loop over examples or positions.

    With D = dout as an (F, N * H_out * W_out) matrix (columns ordered (n, i, j) like cols):
    db = D summed over its columns; dw = D @ cols.T reshaped like w; dx = col2im(w.reshape(F, -1).T @ D).
    """
    x_shape, w, stride, padding, cols = cache
    ### BEGIN SOLUTION
    n_kernels, _, kh, kw = w.shape
    out_h, out_w = dout.shape[2:]
    dout_mat = dout.transpose(1, 0, 2, 3).reshape(n_kernels, -1)
    db = dout_mat.sum(axis=1)
    dw = (dout_mat @ cols.T).reshape(w.shape)
    dcols = w.reshape(n_kernels, -1).T @ dout_mat
    dx = col2im(dcols, x_shape, kh, kw, stride, padding, out_h, out_w)
    ### END SOLUTION
    return dx, dw, db''',
        "fails": ["test_conv2d_backward_fast"],
        "autograde": False,
    },
    {
        "name": "col2im_ignores_stride",
        "cell": "conv2d_backward_fast",
        "source": '''\
def col2im(dcols, x_shape, kh, kw, stride, padding, out_h, out_w):
    """The adjoint of im2col: add every column of dcols back onto the input position it was copied from.

    dcols: (C * kh * kw, N * out_h * out_w) -> dx: x_shape (N, C, H, W). A loop over the kh * kw
    kernel offsets is fine; no loop over examples or output positions.
    """
    ### BEGIN SOLUTION
    n_examples, channels, height, width = x_shape
    dcols = dcols.reshape(channels, kh, kw, n_examples, out_h, out_w)
    dx_pad = np.zeros((channels, n_examples, height + 2 * padding, width + 2 * padding), dtype=dcols.dtype)
    for u in range(kh):
        for v in range(kw):
            # overlapping windows hit the same input position: += adds their contributions
            dx_pad[:, :, u : u + out_h, v : v + out_w] += dcols[:, u, v]
    dx = dx_pad[:, :, padding : padding + height, padding : padding + width]
    return dx.transpose(1, 0, 2, 3)
    ### END SOLUTION


def conv2d_backward_fast(dout, cache):
    """Vectorised conv2d_backward: same (dx, dw, db), no Python loop over examples or positions.

    With D = dout as an (F, N * H_out * W_out) matrix (columns ordered (n, i, j) like cols):
    db = D summed over its columns; dw = D @ cols.T reshaped like w; dx = col2im(w.reshape(F, -1).T @ D).
    """
    x_shape, w, stride, padding, cols = cache
    ### BEGIN SOLUTION
    n_kernels, _, kh, kw = w.shape
    out_h, out_w = dout.shape[2:]
    dout_mat = dout.transpose(1, 0, 2, 3).reshape(n_kernels, -1)
    db = dout_mat.sum(axis=1)
    dw = (dout_mat @ cols.T).reshape(w.shape)
    dcols = w.reshape(n_kernels, -1).T @ dout_mat
    dx = col2im(dcols, x_shape, kh, kw, stride, padding, out_h, out_w)
    ### END SOLUTION
    return dx, dw, db''',
        "fails": ["test_conv2d_backward_fast"],
        "autograde": False,
    },
    {
        "name": "col2im_crops_padding_on_one_side",
        "cell": "conv2d_backward_fast",
        "source": '''\
def col2im(dcols, x_shape, kh, kw, stride, padding, out_h, out_w):
    """The adjoint of im2col: add every column of dcols back onto the input position it was copied from.

    dcols: (C * kh * kw, N * out_h * out_w) -> dx: x_shape (N, C, H, W). A loop over the kh * kw
    kernel offsets is fine; no loop over examples or output positions.
    """
    ### BEGIN SOLUTION
    n_examples, channels, height, width = x_shape
    dcols = dcols.reshape(channels, kh, kw, n_examples, out_h, out_w)
    dx_pad = np.zeros((channels, n_examples, height + 2 * padding, width + 2 * padding), dtype=dcols.dtype)
    for u in range(kh):
        for v in range(kw):
            # overlapping windows hit the same input position: += adds their contributions
            dx_pad[:, :, u : u + stride * out_h : stride, v : v + stride * out_w : stride] += dcols[:, u, v]
    dx = dx_pad[:, :, :height, :width]
    return dx.transpose(1, 0, 2, 3)
    ### END SOLUTION


def conv2d_backward_fast(dout, cache):
    """Vectorised conv2d_backward: same (dx, dw, db), no Python loop over examples or positions.

    With D = dout as an (F, N * H_out * W_out) matrix (columns ordered (n, i, j) like cols):
    db = D summed over its columns; dw = D @ cols.T reshaped like w; dx = col2im(w.reshape(F, -1).T @ D).
    """
    x_shape, w, stride, padding, cols = cache
    ### BEGIN SOLUTION
    n_kernels, _, kh, kw = w.shape
    out_h, out_w = dout.shape[2:]
    dout_mat = dout.transpose(1, 0, 2, 3).reshape(n_kernels, -1)
    db = dout_mat.sum(axis=1)
    dw = (dout_mat @ cols.T).reshape(w.shape)
    dcols = w.reshape(n_kernels, -1).T @ dout_mat
    dx = col2im(dcols, x_shape, kh, kw, stride, padding, out_h, out_w)
    ### END SOLUTION
    return dx, dw, db''',
        "fails": ["test_conv2d_backward_fast"],
        "autograde": False,
    },
    {
        "name": "fast_backward_dx_flips_kernel",
        "cell": "conv2d_backward_fast",
        "source": '''\
def col2im(dcols, x_shape, kh, kw, stride, padding, out_h, out_w):
    """The adjoint of im2col: add every column of dcols back onto the input position it was copied from.

    dcols: (C * kh * kw, N * out_h * out_w) -> dx: x_shape (N, C, H, W). A loop over the kh * kw
    kernel offsets is fine; no loop over examples or output positions.
    """
    ### BEGIN SOLUTION
    n_examples, channels, height, width = x_shape
    dcols = dcols.reshape(channels, kh, kw, n_examples, out_h, out_w)
    dx_pad = np.zeros((channels, n_examples, height + 2 * padding, width + 2 * padding), dtype=dcols.dtype)
    for u in range(kh):
        for v in range(kw):
            # overlapping windows hit the same input position: += adds their contributions
            dx_pad[:, :, u : u + stride * out_h : stride, v : v + stride * out_w : stride] += dcols[:, u, v]
    dx = dx_pad[:, :, padding : padding + height, padding : padding + width]
    return dx.transpose(1, 0, 2, 3)
    ### END SOLUTION


def conv2d_backward_fast(dout, cache):
    """Vectorised conv2d_backward: same (dx, dw, db), no Python loop over examples or positions.

    With D = dout as an (F, N * H_out * W_out) matrix (columns ordered (n, i, j) like cols):
    db = D summed over its columns; dw = D @ cols.T reshaped like w; dx = col2im(w.reshape(F, -1).T @ D).
    """
    x_shape, w, stride, padding, cols = cache
    ### BEGIN SOLUTION
    n_kernels, _, kh, kw = w.shape
    out_h, out_w = dout.shape[2:]
    dout_mat = dout.transpose(1, 0, 2, 3).reshape(n_kernels, -1)
    db = dout_mat.sum(axis=1)
    dw = (dout_mat @ cols.T).reshape(w.shape)
    dcols = w[:, :, ::-1, ::-1].reshape(n_kernels, -1).T @ dout_mat
    dx = col2im(dcols, x_shape, kh, kw, stride, padding, out_h, out_w)
    ### END SOLUTION
    return dx, dw, db''',
        "fails": ["test_conv2d_backward_fast"],
        "autograde": False,
    },
    {
        "name": "maxpool_reshape_shortcut_assumes_stride_equals_size",
        "cell": "maxpool2d_forward",
        "source": '''\
def maxpool2d_forward(x, size=2, stride=2):
    """Max pooling over size x size windows moved by stride, each channel on its own.

    x: (N, C, H, W) -> out: (N, C, H_out, W_out) with H_out = (H - size) // stride + 1 and
    W_out = (W - size) // stride + 1 (no padding; rows or columns left over are dropped).
    out[n, c, i, j] = max of x[n, c, i*stride : i*stride + size, j*stride : j*stride + size].
    Returns (out, cache); cache must let maxpool2d_backward find each window's maximum
    (ties: the first maximum in row-major order, as np.argmax and PyTorch pick).
    Vectorise: at most a loop over the size * size offsets inside the window.
    """
    ### BEGIN SOLUTION
    n, c, height, width = x.shape
    out_h, out_w = height // size, width // size
    blocks = x[:, :, :out_h * size, :out_w * size].reshape(n, c, out_h, size, out_w, size)
    blocks = blocks.transpose(0, 1, 2, 4, 3, 5).reshape(n, c, out_h, out_w, size * size)
    argmax = blocks.argmax(axis=-1)
    out = blocks.max(axis=-1)
    cache = (x.shape, argmax, size, stride)
    ### END SOLUTION
    return out, cache''',
        "fails": ["test_maxpool2d_forward", "test_maxpool2d_backward"],
        "autograde": False,
    },
    {
        "name": "maxpool_ignores_stride",
        "cell": "maxpool2d_forward",
        "source": '''\
def maxpool2d_forward(x, size=2, stride=2):
    """Max pooling over size x size windows moved by stride, each channel on its own.

    x: (N, C, H, W) -> out: (N, C, H_out, W_out) with H_out = (H - size) // stride + 1 and
    W_out = (W - size) // stride + 1 (no padding; rows or columns left over are dropped).
    out[n, c, i, j] = max of x[n, c, i*stride : i*stride + size, j*stride : j*stride + size].
    Returns (out, cache); cache must let maxpool2d_backward find each window's maximum
    (ties: the first maximum in row-major order, as np.argmax and PyTorch pick).
    Vectorise: at most a loop over the size * size offsets inside the window.
    """
    ### BEGIN SOLUTION
    height, width = x.shape[2:]
    stride = size
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
    ### END SOLUTION
    return out, cache''',
        "fails": ["test_maxpool2d_forward", "test_maxpool2d_backward"],
        "autograde": False,
    },
    {
        "name": "maxpool_averages_instead",
        "cell": "maxpool2d_forward",
        "source": '''\
def maxpool2d_forward(x, size=2, stride=2):
    """Max pooling over size x size windows moved by stride, each channel on its own.

    x: (N, C, H, W) -> out: (N, C, H_out, W_out) with H_out = (H - size) // stride + 1 and
    W_out = (W - size) // stride + 1 (no padding; rows or columns left over are dropped).
    out[n, c, i, j] = max of x[n, c, i*stride : i*stride + size, j*stride : j*stride + size].
    Returns (out, cache); cache must let maxpool2d_backward find each window's maximum
    (ties: the first maximum in row-major order, as np.argmax and PyTorch pick).
    Vectorise: at most a loop over the size * size offsets inside the window.
    """
    ### BEGIN SOLUTION
    height, width = x.shape[2:]
    out_h = (height - size) // stride + 1
    out_w = (width - size) // stride + 1
    out = 0
    for u in range(size):
        for v in range(size):
            out = out + x[:, :, u : u + stride * out_h : stride, v : v + stride * out_w : stride] / (size * size)
    argmax = np.zeros(out.shape, dtype=np.int64)
    cache = (x.shape, argmax, size, stride)
    ### END SOLUTION
    return out, cache''',
        "fails": ["test_maxpool2d_forward", "test_maxpool2d_backward", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "maxpool_output_width_from_height",
        "cell": "maxpool2d_forward",
        "source": '''\
def maxpool2d_forward(x, size=2, stride=2):
    """Max pooling over size x size windows moved by stride, each channel on its own.

    x: (N, C, H, W) -> out: (N, C, H_out, W_out) with H_out = (H - size) // stride + 1 and
    W_out = (W - size) // stride + 1 (no padding; rows or columns left over are dropped).
    out[n, c, i, j] = max of x[n, c, i*stride : i*stride + size, j*stride : j*stride + size].
    Returns (out, cache); cache must let maxpool2d_backward find each window's maximum
    (ties: the first maximum in row-major order, as np.argmax and PyTorch pick).
    Vectorise: at most a loop over the size * size offsets inside the window.
    """
    ### BEGIN SOLUTION
    height, width = x.shape[2:]
    out_h = (height - size) // stride + 1
    out_w = (height - size) // stride + 1
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
    ### END SOLUTION
    return out, cache''',
        "fails": ["test_maxpool2d_forward", "test_maxpool2d_backward", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "maxpool_takes_minimum",
        "cell": "maxpool2d_forward",
        "source": '''\
def maxpool2d_forward(x, size=2, stride=2):
    """Max pooling over size x size windows moved by stride, each channel on its own.

    x: (N, C, H, W) -> out: (N, C, H_out, W_out) with H_out = (H - size) // stride + 1 and
    W_out = (W - size) // stride + 1 (no padding; rows or columns left over are dropped).
    out[n, c, i, j] = max of x[n, c, i*stride : i*stride + size, j*stride : j*stride + size].
    Returns (out, cache); cache must let maxpool2d_backward find each window's maximum
    (ties: the first maximum in row-major order, as np.argmax and PyTorch pick).
    Vectorise: at most a loop over the size * size offsets inside the window.
    """
    ### BEGIN SOLUTION
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
            better = candidate < out  # strict: on a tie the earlier offset keeps the gradient
            np.copyto(out, candidate, where=better)
            np.copyto(argmax, u * size + v, where=better)
    cache = (x.shape, argmax, size, stride)
    ### END SOLUTION
    return out, cache''',
        "fails": ["test_maxpool2d_forward", "test_maxpool2d_backward", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "maxpool_ties_go_to_last_maximum",
        "cell": "maxpool2d_forward",
        "source": '''\
def maxpool2d_forward(x, size=2, stride=2):
    """Max pooling over size x size windows moved by stride, each channel on its own.

    x: (N, C, H, W) -> out: (N, C, H_out, W_out) with H_out = (H - size) // stride + 1 and
    W_out = (W - size) // stride + 1 (no padding; rows or columns left over are dropped).
    out[n, c, i, j] = max of x[n, c, i*stride : i*stride + size, j*stride : j*stride + size].
    Returns (out, cache); cache must let maxpool2d_backward find each window's maximum
    (ties: the first maximum in row-major order, as np.argmax and PyTorch pick).
    Vectorise: at most a loop over the size * size offsets inside the window.
    """
    ### BEGIN SOLUTION
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
            better = candidate >= out  # strict: on a tie the earlier offset keeps the gradient
            np.copyto(out, candidate, where=better)
            np.copyto(argmax, u * size + v, where=better)
    cache = (x.shape, argmax, size, stride)
    ### END SOLUTION
    return out, cache''',
        "fails": ["test_maxpool2d_backward"],
        "autograde": False,
    },
    {
        "name": "maxpool_gradient_to_every_position",
        "cell": "maxpool2d_backward",
        "source": '''\
def maxpool2d_backward(dout, cache):
    """Backward pass of max pooling: each dout[n, c, i, j] goes to the position of its window's maximum.

    dout: (N, C, H_out, W_out); cache: from maxpool2d_forward. Returns dx shaped like x (N, C, H, W):
    zero everywhere except at the maxima; when windows overlap (stride < size) a position that is the
    maximum of several windows receives the sum of their gradients.
    """
    ### BEGIN SOLUTION
    x_shape, argmax, size, stride = cache
    out_h, out_w = dout.shape[2:]
    dx = np.zeros(x_shape, dtype=dout.dtype)
    for u in range(size):
        for v in range(size):
            chosen = argmax == u * size + v
            dx[:, :, u : u + stride * out_h : stride, v : v + stride * out_w : stride] += dout
    ### END SOLUTION
    return dx''',
        "fails": ["test_maxpool2d_backward", "test_TinyConvNet"],
        "autograde": True,
    },
    {
        "name": "maxpool_gradient_split_evenly",
        "cell": "maxpool2d_backward",
        "source": '''\
def maxpool2d_backward(dout, cache):
    """Backward pass of max pooling: each dout[n, c, i, j] goes to the position of its window's maximum.

    dout: (N, C, H_out, W_out); cache: from maxpool2d_forward. Returns dx shaped like x (N, C, H, W):
    zero everywhere except at the maxima; when windows overlap (stride < size) a position that is the
    maximum of several windows receives the sum of their gradients.
    """
    ### BEGIN SOLUTION
    x_shape, argmax, size, stride = cache
    out_h, out_w = dout.shape[2:]
    dx = np.zeros(x_shape, dtype=dout.dtype)
    for u in range(size):
        for v in range(size):
            chosen = argmax == u * size + v
            dx[:, :, u : u + stride * out_h : stride, v : v + stride * out_w : stride] += dout / (size * size)
    ### END SOLUTION
    return dx''',
        "fails": ["test_maxpool2d_backward", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "maxpool_backward_overwrites_overlaps",
        "cell": "maxpool2d_backward",
        "source": '''\
def maxpool2d_backward(dout, cache):
    """Backward pass of max pooling: each dout[n, c, i, j] goes to the position of its window's maximum.

    dout: (N, C, H_out, W_out); cache: from maxpool2d_forward. Returns dx shaped like x (N, C, H, W):
    zero everywhere except at the maxima; when windows overlap (stride < size) a position that is the
    maximum of several windows receives the sum of their gradients.
    """
    ### BEGIN SOLUTION
    x_shape, argmax, size, stride = cache
    out_h, out_w = dout.shape[2:]
    dx = np.zeros(x_shape, dtype=dout.dtype)
    for u in range(size):
        for v in range(size):
            chosen = argmax == u * size + v
            dx[:, :, u : u + stride * out_h : stride, v : v + stride * out_w : stride] = dout * chosen
    ### END SOLUTION
    return dx''',
        "fails": ["test_maxpool2d_backward"],
        "autograde": False,
    },
    {
        "name": "maxpool_backward_ignores_stride",
        "cell": "maxpool2d_backward",
        "source": '''\
def maxpool2d_backward(dout, cache):
    """Backward pass of max pooling: each dout[n, c, i, j] goes to the position of its window's maximum.

    dout: (N, C, H_out, W_out); cache: from maxpool2d_forward. Returns dx shaped like x (N, C, H, W):
    zero everywhere except at the maxima; when windows overlap (stride < size) a position that is the
    maximum of several windows receives the sum of their gradients.
    """
    ### BEGIN SOLUTION
    x_shape, argmax, size, stride = cache
    out_h, out_w = dout.shape[2:]
    dx = np.zeros(x_shape, dtype=dout.dtype)
    for u in range(size):
        for v in range(size):
            chosen = argmax == u * size + v
            dx[:, :, u : u + out_h, v : v + out_w] += dout * chosen
    ### END SOLUTION
    return dx''',
        "fails": ["test_maxpool2d_backward", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "maxpool_backward_offset_index_transposed",
        "cell": "maxpool2d_backward",
        "source": '''\
def maxpool2d_backward(dout, cache):
    """Backward pass of max pooling: each dout[n, c, i, j] goes to the position of its window's maximum.

    dout: (N, C, H_out, W_out); cache: from maxpool2d_forward. Returns dx shaped like x (N, C, H, W):
    zero everywhere except at the maxima; when windows overlap (stride < size) a position that is the
    maximum of several windows receives the sum of their gradients.
    """
    ### BEGIN SOLUTION
    x_shape, argmax, size, stride = cache
    out_h, out_w = dout.shape[2:]
    dx = np.zeros(x_shape, dtype=dout.dtype)
    for u in range(size):
        for v in range(size):
            chosen = argmax == v * size + u
            dx[:, :, u : u + stride * out_h : stride, v : v + stride * out_w : stride] += dout * chosen
    ### END SOLUTION
    return dx''',
        "fails": ["test_maxpool2d_backward", "test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "tiny_convnet_skips_relu_backward",
        "cell": "TinyConvNet",
        "source": '''\
class TinyConvNet:
    """conv -> ReLU -> 2x2 max-pool -> affine -> softmax cross-entropy, built from your own layers.

    TinyConvNet(input_shape=(1, 28, 28), num_filters=8, kernel_size=3, num_classes=10, seed=0, dtype=np.float32)
      input_shape (C, H, W) with H and W even; kernel_size odd.
      conv: num_filters kernels of kernel_size x kernel_size, stride 1, padding kernel_size // 2,
      so the feature maps keep H x W; pooling halves them to H/2 x W/2.
    .params: dict of arrays of `dtype`, initialised from np.random.default_rng(seed):
      "w1" (F, C, k, k), "b1" (F,), "w2" (F * H/2 * W/2, num_classes), "b2" (num_classes,)
      (suggested: He-normal w1 with std sqrt(2 / (C k k)), w2 with std sqrt(1 / D), zero biases)
    .loss(x, y) -> (loss, grads): x (N, C, H, W), y (N,) integer labels; loss the mean cross-entropy
      (a float); grads a dict with the keys of params, each shaped like its parameter. Does not update.
    .predict(x) -> (N,) int64 predicted labels (argmax of the class scores).
    Use conv2d_forward_fast / conv2d_backward_fast, maxpool2d_forward / maxpool2d_backward, and cnnlib's
    relu_forward / relu_backward, affine_forward / affine_backward, softmax_cross_entropy.
    """

    def __init__(self, input_shape=(1, 28, 28), num_filters=8, kernel_size=3, num_classes=10, seed=0, dtype=np.float32):
        ### BEGIN SOLUTION
        channels, height, width = input_shape
        rng = np.random.default_rng(seed)
        self.padding = kernel_size // 2
        fan_in_conv = channels * kernel_size * kernel_size
        flat = num_filters * (height // 2) * (width // 2)
        self.params = {
            "w1": (
                rng.standard_normal((num_filters, channels, kernel_size, kernel_size)) * np.sqrt(2.0 / fan_in_conv)
            ).astype(dtype),
            "b1": np.zeros(num_filters, dtype=dtype),
            "w2": (rng.standard_normal((flat, num_classes)) * np.sqrt(1.0 / flat)).astype(dtype),
            "b2": np.zeros(num_classes, dtype=dtype),
        }
        ### END SOLUTION

    def scores(self, x):
        """Class scores (N, num_classes) and the caches the backward pass needs."""
        ### BEGIN SOLUTION
        p = self.params
        conv, conv_cache = conv2d_forward_fast(x, p["w1"], p["b1"], stride=1, padding=self.padding)
        relu, relu_cache = relu_forward(conv)
        pooled, pool_cache = maxpool2d_forward(relu, size=2, stride=2)
        scores, affine_cache = affine_forward(pooled, p["w2"], p["b2"])
        return scores, (conv_cache, relu_cache, pool_cache, affine_cache)
        ### END SOLUTION

    def loss(self, x, y):
        ### BEGIN SOLUTION
        scores, (conv_cache, relu_cache, pool_cache, affine_cache) = self.scores(x)
        loss, dscores = softmax_cross_entropy(scores, y)
        dpooled, dw2, db2 = affine_backward(dscores, affine_cache)
        drelu = maxpool2d_backward(dpooled, pool_cache)
        dconv = drelu
        _, dw1, db1 = conv2d_backward_fast(dconv, conv_cache)
        return loss, {"w1": dw1, "b1": db1, "w2": dw2, "b2": db2}
        ### END SOLUTION

    def predict(self, x, batch_size=500):
        ### BEGIN SOLUTION
        chunks = [self.scores(x[i : i + batch_size])[0].argmax(axis=1) for i in range(0, len(x), batch_size)]
        return np.concatenate(chunks).astype(np.int64)
        ### END SOLUTION''',
        "fails": ["test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "tiny_convnet_weights_with_std_one",
        "cell": "TinyConvNet",
        "source": '''\
class TinyConvNet:
    """conv -> ReLU -> 2x2 max-pool -> affine -> softmax cross-entropy, built from your own layers.

    TinyConvNet(input_shape=(1, 28, 28), num_filters=8, kernel_size=3, num_classes=10, seed=0, dtype=np.float32)
      input_shape (C, H, W) with H and W even; kernel_size odd.
      conv: num_filters kernels of kernel_size x kernel_size, stride 1, padding kernel_size // 2,
      so the feature maps keep H x W; pooling halves them to H/2 x W/2.
    .params: dict of arrays of `dtype`, initialised from np.random.default_rng(seed):
      "w1" (F, C, k, k), "b1" (F,), "w2" (F * H/2 * W/2, num_classes), "b2" (num_classes,)
      (suggested: He-normal w1 with std sqrt(2 / (C k k)), w2 with std sqrt(1 / D), zero biases)
    .loss(x, y) -> (loss, grads): x (N, C, H, W), y (N,) integer labels; loss the mean cross-entropy
      (a float); grads a dict with the keys of params, each shaped like its parameter. Does not update.
    .predict(x) -> (N,) int64 predicted labels (argmax of the class scores).
    Use conv2d_forward_fast / conv2d_backward_fast, maxpool2d_forward / maxpool2d_backward, and cnnlib's
    relu_forward / relu_backward, affine_forward / affine_backward, softmax_cross_entropy.
    """

    def __init__(self, input_shape=(1, 28, 28), num_filters=8, kernel_size=3, num_classes=10, seed=0, dtype=np.float32):
        ### BEGIN SOLUTION
        channels, height, width = input_shape
        rng = np.random.default_rng(seed)
        self.padding = kernel_size // 2
        fan_in_conv = channels * kernel_size * kernel_size
        flat = num_filters * (height // 2) * (width // 2)
        self.params = {
            "w1": (
                rng.standard_normal((num_filters, channels, kernel_size, kernel_size))
            ).astype(dtype),
            "b1": np.zeros(num_filters, dtype=dtype),
            "w2": (rng.standard_normal((flat, num_classes))).astype(dtype),
            "b2": np.zeros(num_classes, dtype=dtype),
        }
        ### END SOLUTION

    def scores(self, x):
        """Class scores (N, num_classes) and the caches the backward pass needs."""
        ### BEGIN SOLUTION
        p = self.params
        conv, conv_cache = conv2d_forward_fast(x, p["w1"], p["b1"], stride=1, padding=self.padding)
        relu, relu_cache = relu_forward(conv)
        pooled, pool_cache = maxpool2d_forward(relu, size=2, stride=2)
        scores, affine_cache = affine_forward(pooled, p["w2"], p["b2"])
        return scores, (conv_cache, relu_cache, pool_cache, affine_cache)
        ### END SOLUTION

    def loss(self, x, y):
        ### BEGIN SOLUTION
        scores, (conv_cache, relu_cache, pool_cache, affine_cache) = self.scores(x)
        loss, dscores = softmax_cross_entropy(scores, y)
        dpooled, dw2, db2 = affine_backward(dscores, affine_cache)
        drelu = maxpool2d_backward(dpooled, pool_cache)
        dconv = relu_backward(drelu, relu_cache)
        _, dw1, db1 = conv2d_backward_fast(dconv, conv_cache)
        return loss, {"w1": dw1, "b1": db1, "w2": dw2, "b2": db2}
        ### END SOLUTION

    def predict(self, x, batch_size=500):
        ### BEGIN SOLUTION
        chunks = [self.scores(x[i : i + batch_size])[0].argmax(axis=1) for i in range(0, len(x), batch_size)]
        return np.concatenate(chunks).astype(np.int64)
        ### END SOLUTION''',
        "fails": ["test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "tiny_convnet_without_padding",
        "cell": "TinyConvNet",
        "source": '''\
class TinyConvNet:
    """conv -> ReLU -> 2x2 max-pool -> affine -> softmax cross-entropy, built from your own layers.

    TinyConvNet(input_shape=(1, 28, 28), num_filters=8, kernel_size=3, num_classes=10, seed=0, dtype=np.float32)
      input_shape (C, H, W) with H and W even; kernel_size odd.
      conv: num_filters kernels of kernel_size x kernel_size, stride 1, padding kernel_size // 2,
      so the feature maps keep H x W; pooling halves them to H/2 x W/2.
    .params: dict of arrays of `dtype`, initialised from np.random.default_rng(seed):
      "w1" (F, C, k, k), "b1" (F,), "w2" (F * H/2 * W/2, num_classes), "b2" (num_classes,)
      (suggested: He-normal w1 with std sqrt(2 / (C k k)), w2 with std sqrt(1 / D), zero biases)
    .loss(x, y) -> (loss, grads): x (N, C, H, W), y (N,) integer labels; loss the mean cross-entropy
      (a float); grads a dict with the keys of params, each shaped like its parameter. Does not update.
    .predict(x) -> (N,) int64 predicted labels (argmax of the class scores).
    Use conv2d_forward_fast / conv2d_backward_fast, maxpool2d_forward / maxpool2d_backward, and cnnlib's
    relu_forward / relu_backward, affine_forward / affine_backward, softmax_cross_entropy.
    """

    def __init__(self, input_shape=(1, 28, 28), num_filters=8, kernel_size=3, num_classes=10, seed=0, dtype=np.float32):
        ### BEGIN SOLUTION
        channels, height, width = input_shape
        rng = np.random.default_rng(seed)
        self.padding = 0
        fan_in_conv = channels * kernel_size * kernel_size
        flat = num_filters * (height // 2) * (width // 2)
        self.params = {
            "w1": (
                rng.standard_normal((num_filters, channels, kernel_size, kernel_size)) * np.sqrt(2.0 / fan_in_conv)
            ).astype(dtype),
            "b1": np.zeros(num_filters, dtype=dtype),
            "w2": (rng.standard_normal((flat, num_classes)) * np.sqrt(1.0 / flat)).astype(dtype),
            "b2": np.zeros(num_classes, dtype=dtype),
        }
        ### END SOLUTION

    def scores(self, x):
        """Class scores (N, num_classes) and the caches the backward pass needs."""
        ### BEGIN SOLUTION
        p = self.params
        conv, conv_cache = conv2d_forward_fast(x, p["w1"], p["b1"], stride=1, padding=self.padding)
        relu, relu_cache = relu_forward(conv)
        pooled, pool_cache = maxpool2d_forward(relu, size=2, stride=2)
        scores, affine_cache = affine_forward(pooled, p["w2"], p["b2"])
        return scores, (conv_cache, relu_cache, pool_cache, affine_cache)
        ### END SOLUTION

    def loss(self, x, y):
        ### BEGIN SOLUTION
        scores, (conv_cache, relu_cache, pool_cache, affine_cache) = self.scores(x)
        loss, dscores = softmax_cross_entropy(scores, y)
        dpooled, dw2, db2 = affine_backward(dscores, affine_cache)
        drelu = maxpool2d_backward(dpooled, pool_cache)
        dconv = relu_backward(drelu, relu_cache)
        _, dw1, db1 = conv2d_backward_fast(dconv, conv_cache)
        return loss, {"w1": dw1, "b1": db1, "w2": dw2, "b2": db2}
        ### END SOLUTION

    def predict(self, x, batch_size=500):
        ### BEGIN SOLUTION
        chunks = [self.scores(x[i : i + batch_size])[0].argmax(axis=1) for i in range(0, len(x), batch_size)]
        return np.concatenate(chunks).astype(np.int64)
        ### END SOLUTION''',
        "fails": ["test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "tiny_convnet_conv_bias_gradient_divided_by_batch",
        "cell": "TinyConvNet",
        "source": '''\
class TinyConvNet:
    """conv -> ReLU -> 2x2 max-pool -> affine -> softmax cross-entropy, built from your own layers.

    TinyConvNet(input_shape=(1, 28, 28), num_filters=8, kernel_size=3, num_classes=10, seed=0, dtype=np.float32)
      input_shape (C, H, W) with H and W even; kernel_size odd.
      conv: num_filters kernels of kernel_size x kernel_size, stride 1, padding kernel_size // 2,
      so the feature maps keep H x W; pooling halves them to H/2 x W/2.
    .params: dict of arrays of `dtype`, initialised from np.random.default_rng(seed):
      "w1" (F, C, k, k), "b1" (F,), "w2" (F * H/2 * W/2, num_classes), "b2" (num_classes,)
      (suggested: He-normal w1 with std sqrt(2 / (C k k)), w2 with std sqrt(1 / D), zero biases)
    .loss(x, y) -> (loss, grads): x (N, C, H, W), y (N,) integer labels; loss the mean cross-entropy
      (a float); grads a dict with the keys of params, each shaped like its parameter. Does not update.
    .predict(x) -> (N,) int64 predicted labels (argmax of the class scores).
    Use conv2d_forward_fast / conv2d_backward_fast, maxpool2d_forward / maxpool2d_backward, and cnnlib's
    relu_forward / relu_backward, affine_forward / affine_backward, softmax_cross_entropy.
    """

    def __init__(self, input_shape=(1, 28, 28), num_filters=8, kernel_size=3, num_classes=10, seed=0, dtype=np.float32):
        ### BEGIN SOLUTION
        channels, height, width = input_shape
        rng = np.random.default_rng(seed)
        self.padding = kernel_size // 2
        fan_in_conv = channels * kernel_size * kernel_size
        flat = num_filters * (height // 2) * (width // 2)
        self.params = {
            "w1": (
                rng.standard_normal((num_filters, channels, kernel_size, kernel_size)) * np.sqrt(2.0 / fan_in_conv)
            ).astype(dtype),
            "b1": np.zeros(num_filters, dtype=dtype),
            "w2": (rng.standard_normal((flat, num_classes)) * np.sqrt(1.0 / flat)).astype(dtype),
            "b2": np.zeros(num_classes, dtype=dtype),
        }
        ### END SOLUTION

    def scores(self, x):
        """Class scores (N, num_classes) and the caches the backward pass needs."""
        ### BEGIN SOLUTION
        p = self.params
        conv, conv_cache = conv2d_forward_fast(x, p["w1"], p["b1"], stride=1, padding=self.padding)
        relu, relu_cache = relu_forward(conv)
        pooled, pool_cache = maxpool2d_forward(relu, size=2, stride=2)
        scores, affine_cache = affine_forward(pooled, p["w2"], p["b2"])
        return scores, (conv_cache, relu_cache, pool_cache, affine_cache)
        ### END SOLUTION

    def loss(self, x, y):
        ### BEGIN SOLUTION
        scores, (conv_cache, relu_cache, pool_cache, affine_cache) = self.scores(x)
        loss, dscores = softmax_cross_entropy(scores, y)
        dpooled, dw2, db2 = affine_backward(dscores, affine_cache)
        drelu = maxpool2d_backward(dpooled, pool_cache)
        dconv = relu_backward(drelu, relu_cache)
        _, dw1, db1 = conv2d_backward_fast(dconv, conv_cache)
        return loss, {"w1": dw1, "b1": db1 / len(x), "w2": dw2, "b2": db2}
        ### END SOLUTION

    def predict(self, x, batch_size=500):
        ### BEGIN SOLUTION
        chunks = [self.scores(x[i : i + batch_size])[0].argmax(axis=1) for i in range(0, len(x), batch_size)]
        return np.concatenate(chunks).astype(np.int64)
        ### END SOLUTION''',
        "fails": ["test_TinyConvNet"],
        "autograde": False,
    },
    {
        "name": "tiny_convnet_predict_argmax_over_examples",
        "cell": "TinyConvNet",
        "source": '''\
class TinyConvNet:
    """conv -> ReLU -> 2x2 max-pool -> affine -> softmax cross-entropy, built from your own layers.

    TinyConvNet(input_shape=(1, 28, 28), num_filters=8, kernel_size=3, num_classes=10, seed=0, dtype=np.float32)
      input_shape (C, H, W) with H and W even; kernel_size odd.
      conv: num_filters kernels of kernel_size x kernel_size, stride 1, padding kernel_size // 2,
      so the feature maps keep H x W; pooling halves them to H/2 x W/2.
    .params: dict of arrays of `dtype`, initialised from np.random.default_rng(seed):
      "w1" (F, C, k, k), "b1" (F,), "w2" (F * H/2 * W/2, num_classes), "b2" (num_classes,)
      (suggested: He-normal w1 with std sqrt(2 / (C k k)), w2 with std sqrt(1 / D), zero biases)
    .loss(x, y) -> (loss, grads): x (N, C, H, W), y (N,) integer labels; loss the mean cross-entropy
      (a float); grads a dict with the keys of params, each shaped like its parameter. Does not update.
    .predict(x) -> (N,) int64 predicted labels (argmax of the class scores).
    Use conv2d_forward_fast / conv2d_backward_fast, maxpool2d_forward / maxpool2d_backward, and cnnlib's
    relu_forward / relu_backward, affine_forward / affine_backward, softmax_cross_entropy.
    """

    def __init__(self, input_shape=(1, 28, 28), num_filters=8, kernel_size=3, num_classes=10, seed=0, dtype=np.float32):
        ### BEGIN SOLUTION
        channels, height, width = input_shape
        rng = np.random.default_rng(seed)
        self.padding = kernel_size // 2
        fan_in_conv = channels * kernel_size * kernel_size
        flat = num_filters * (height // 2) * (width // 2)
        self.params = {
            "w1": (
                rng.standard_normal((num_filters, channels, kernel_size, kernel_size)) * np.sqrt(2.0 / fan_in_conv)
            ).astype(dtype),
            "b1": np.zeros(num_filters, dtype=dtype),
            "w2": (rng.standard_normal((flat, num_classes)) * np.sqrt(1.0 / flat)).astype(dtype),
            "b2": np.zeros(num_classes, dtype=dtype),
        }
        ### END SOLUTION

    def scores(self, x):
        """Class scores (N, num_classes) and the caches the backward pass needs."""
        ### BEGIN SOLUTION
        p = self.params
        conv, conv_cache = conv2d_forward_fast(x, p["w1"], p["b1"], stride=1, padding=self.padding)
        relu, relu_cache = relu_forward(conv)
        pooled, pool_cache = maxpool2d_forward(relu, size=2, stride=2)
        scores, affine_cache = affine_forward(pooled, p["w2"], p["b2"])
        return scores, (conv_cache, relu_cache, pool_cache, affine_cache)
        ### END SOLUTION

    def loss(self, x, y):
        ### BEGIN SOLUTION
        scores, (conv_cache, relu_cache, pool_cache, affine_cache) = self.scores(x)
        loss, dscores = softmax_cross_entropy(scores, y)
        dpooled, dw2, db2 = affine_backward(dscores, affine_cache)
        drelu = maxpool2d_backward(dpooled, pool_cache)
        dconv = relu_backward(drelu, relu_cache)
        _, dw1, db1 = conv2d_backward_fast(dconv, conv_cache)
        return loss, {"w1": dw1, "b1": db1, "w2": dw2, "b2": db2}
        ### END SOLUTION

    def predict(self, x, batch_size=500):
        ### BEGIN SOLUTION
        chunks = [self.scores(x[i : i + batch_size])[0].argmax(axis=0) for i in range(0, len(x), batch_size)]
        return np.concatenate(chunks).astype(np.int64)
        ### END SOLUTION''',
        "fails": ["test_TinyConvNet"],
        "autograde": False,
    },
]
