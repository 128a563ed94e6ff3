"""Benchmark: A3's reference convolution layer (NumPy, im2col) against torch.nn.functional.conv2d on CPU.

Run from the repository root:  python tests/bench/bench_conv_numpy.py [--repeats 7] [--dtypes float32 float64]

Everything runs on ONE thread (OMP/MKL/OpenBLAS variables set before NumPy is imported, the
script re-executing itself if needed, and torch.set_num_threads(1)) on the same inputs. Times
are the best of --repeats runs (the least disturbed one, as timeit advises on a shared machine).
Layers: LeNet-5's two convolutions at batch 64 (1->6 channels, 32x32, 5x5; 6->16 channels,
14x14, 5x5) and a 64->64 channel 16x16 layer with 3x3 kernels and padding 1.

Targets (issue 4): vectorised forward at most 2x PyTorch's time, forward+backward at most 4x,
naive (loop) to vectorised speed-up at least 100x. The naive layer is timed on a smaller batch
and scaled to 64 examples (its time is linear in the batch); the output says so.
Memory: the size of the unfolded buffer ``cols`` (and of ``dcols``, the same size, in backward)
and the peak of NumPy allocations during forward and backward, traced with tracemalloc.
"""

from __future__ import annotations

import os
import sys

THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)
if any(os.environ.get(v) != "1" for v in THREAD_VARIABLES) and "numpy" not in sys.modules:
    os.environ.update({v: "1" for v in THREAD_VARIABLES})
    os.execv(sys.executable, [sys.executable, *sys.argv])  # BLAS reads these only when it loads

import argparse  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from notebook_functions import load_definitions  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = ROOT / "solutions" / "a3_numpy_cnn" / "a3_numpy_cnn.ipynb"
NAMES = ["conv2d_forward", "conv2d_backward", "conv2d_forward_fast", "conv2d_backward_fast"]
BATCH = 64
TARGET_FORWARD, TARGET_FORWARD_BACKWARD, TARGET_SPEEDUP = 2.0, 4.0, 100.0


@dataclass(frozen=True)
class Layer:
    name: str
    channels: int
    size: int
    kernels: int
    kernel_size: int
    padding: int
    naive_batch: int  # examples the naive loops are timed on, then scaled to BATCH


LAYERS = [
    Layer("LeNet-5 C1: 1->6, 32x32, k5", 1, 32, 6, 5, 0, 4),
    Layer("LeNet-5 C3: 6->16, 14x14, k5", 6, 14, 16, 5, 0, 4),
    Layer("64->64, 16x16, k3, pad 1", 64, 16, 64, 3, 1, 1),
]


def best_seconds(fn, repeats: int, warmup: int = 2) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.min(times))  # the least disturbed run, as timeit recommends on a shared machine


def peak_mib(fn) -> float:
    """Peak of traced allocations (NumPy reports its buffers to tracemalloc) while fn runs."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return (peak - before) / 2**20


def bench_layer(layer: Layer, dtype: np.dtype, fns: dict, repeats: int, naive: bool) -> dict:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH, layer.channels, layer.size, layer.size)).astype(dtype)
    w = (rng.standard_normal((layer.kernels, layer.channels, layer.kernel_size, layer.kernel_size)) * 0.1).astype(dtype)
    b = rng.standard_normal(layer.kernels).astype(dtype)
    p = layer.padding
    fwd, bwd = fns["conv2d_forward_fast"], fns["conv2d_backward_fast"]

    out, cache = fwd(x, w, b, 1, p)
    dout = rng.standard_normal(out.shape).astype(dtype)
    xt, wt, bt = (torch.from_numpy(a).requires_grad_() for a in (x, w, b))
    ref = torch.nn.functional.conv2d(xt, wt, bt, padding=p)
    ref.backward(torch.from_numpy(dout))
    dx, dw, db = bwd(dout, cache)
    tol = 1e-3 if dtype == np.float32 else 1e-9
    for name, got, want in (("out", out, ref), ("dx", dx, xt.grad), ("dw", dw, wt.grad), ("db", db, bt.grad)):
        want = want.detach().numpy()
        error = np.max(np.abs(got - want)) / max(1e-12, np.max(np.abs(want)))
        if error > tol:
            raise SystemExit(f"{layer.name} {np.dtype(dtype).name}: {name} differs from PyTorch (error {error:.1e})")

    row = {"layer": layer.name, "dtype": np.dtype(dtype).name}
    row["np_fwd"] = best_seconds(lambda: fwd(x, w, b, 1, p), repeats)
    row["np_bwd"] = best_seconds(lambda: bwd(dout, cache), repeats)
    row["np_fwd_bwd"] = row["np_fwd"] + row["np_bwd"]
    with torch.no_grad():
        row["torch_fwd"] = best_seconds(lambda: torch.nn.functional.conv2d(xt, wt, bt, padding=p), repeats)
    dout_t = torch.from_numpy(dout)

    def torch_fwd_bwd():
        xt.grad = wt.grad = bt.grad = None
        torch.nn.functional.conv2d(xt, wt, bt, padding=p).backward(dout_t)

    row["torch_fwd_bwd"] = best_seconds(torch_fwd_bwd, repeats)
    row["cols_mib"] = cache[-1].nbytes / 2**20
    row["peak_fwd_mib"] = peak_mib(lambda: fwd(x, w, b, 1, p))
    row["peak_bwd_mib"] = peak_mib(lambda: bwd(dout, cache))
    if naive:
        k = layer.naive_batch
        n_out, n_cache = fns["conv2d_forward"](x[:k], w, b, 1, p)
        if np.max(np.abs(n_out - out[:k])) > tol * max(1.0, np.max(np.abs(out))):
            raise SystemExit(f"{layer.name}: the naive and the vectorised forward disagree")
        t_fwd = best_seconds(lambda: fns["conv2d_forward"](x[:k], w, b, 1, p), 1, warmup=0)
        t_bwd = best_seconds(lambda: fns["conv2d_backward"](dout[:k], n_cache), 1, warmup=0)
        row["naive_fwd_bwd"] = (t_fwd + t_bwd) * BATCH / k
        row["naive_batch"] = k
    return row


def verdict(value: float, target: float, higher_is_better: bool = False) -> str:
    met = value >= target if higher_is_better else value <= target
    if met:
        return "met"
    return f"MISSED by {value / target:.2f}x" if not higher_is_better else f"MISSED by {target / value:.2f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--dtypes", nargs="+", default=["float32", "float64"])
    parser.add_argument("--no-naive", action="store_true", help="skip the (slow) loop version")
    args = parser.parse_args()

    torch.set_num_threads(1)
    fns = load_definitions(SOLUTION, NAMES)
    print(
        f"# conv layer benchmark: A3 reference (NumPy {np.__version__}) vs PyTorch {torch.__version__} conv2d, CPU, 1 thread"
    )
    print(
        f"# machine: {platform.processor() or platform.machine()}, {os.cpu_count()} logical CPUs; batch {BATCH}; "
        f"best of {args.repeats} runs; times in ms"
    )
    rows = []
    for dtype_name in args.dtypes:
        for layer in LAYERS:
            rows.append(bench_layer(layer, np.dtype(dtype_name), fns, args.repeats, naive=not args.no_naive))
            print(f"#   done: {layer.name} {dtype_name}", file=sys.stderr)

    header = [
        "layer",
        "dtype",
        "NumPy fwd",
        "PyTorch fwd",
        "fwd ratio (<= 2)",
        "NumPy fwd+bwd",
        "PyTorch fwd+bwd",
        "fwd+bwd ratio (<= 4)",
        "naive fwd+bwd",
        "naive / vectorised (>= 100)",
        "cols (MiB)",
        "peak fwd / bwd (MiB)",
    ]
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for r in rows:
        fwd_ratio = r["np_fwd"] / r["torch_fwd"]
        fb_ratio = r["np_fwd_bwd"] / r["torch_fwd_bwd"]
        naive = r.get("naive_fwd_bwd")
        speedup = naive / r["np_fwd_bwd"] if naive else float("nan")
        cells = [
            r["layer"],
            r["dtype"],
            f"{r['np_fwd'] * 1e3:.2f}",
            f"{r['torch_fwd'] * 1e3:.2f}",
            f"{fwd_ratio:.2f}",
            f"{r['np_fwd_bwd'] * 1e3:.2f}",
            f"{r['torch_fwd_bwd'] * 1e3:.2f}",
            f"{fb_ratio:.2f}",
            f"{naive * 1e3:,.0f}*" if naive else "-",
            f"{speedup:,.0f}" if naive else "-",
            f"{r['cols_mib']:.1f}",
            f"{r['peak_fwd_mib']:.1f} / {r['peak_bwd_mib']:.1f}",
        ]
        print("| " + " | ".join(cells) + " |")
    print()
    if any("naive_batch" in r for r in rows):
        batches = sorted({(r["layer"], r["naive_batch"]) for r in rows if "naive_batch" in r})
        print(
            "\\* naive loops timed on a smaller batch and scaled linearly to 64 examples: "
            + "; ".join(f"{name}: {k} examples" for name, k in batches)
            + "."
        )
    print(
        "cols: the unfolded input (C*k*k rows, N*H'*W' columns); backward makes a dcols of the same size. "
        "Peaks: largest NumPy allocation total traced during one forward / one backward call."
    )
    print()
    for r in rows:
        fwd_ratio = r["np_fwd"] / r["torch_fwd"]
        fb_ratio = r["np_fwd_bwd"] / r["torch_fwd_bwd"]
        parts = [
            f"forward {verdict(fwd_ratio, TARGET_FORWARD)}",
            f"forward+backward {verdict(fb_ratio, TARGET_FORWARD_BACKWARD)}",
        ]
        if "naive_fwd_bwd" in r:
            parts.append(
                f"speed-up {verdict(r['naive_fwd_bwd'] / r['np_fwd_bwd'], TARGET_SPEEDUP, higher_is_better=True)}"
            )
        print(f"- {r['layer']} ({r['dtype']}): " + ", ".join(parts))


if __name__ == "__main__":
    main()
