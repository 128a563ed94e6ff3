"""GPU figures of the course (a benchmark, not a test): run it by hand and paste its table into the README.

    python tests/bench/bench_gpu.py            # full run on whatever device is present
    python tests/bench/bench_gpu.py --quick    # a short run (CPU-only machines, smoke checks)

Measures, on the device ``cnnlib.get_device()`` chooses (CUDA, else MPS, else the CPU):

1. LeNet-5 (modern) on MNIST with the whole dataset held on the device: training time
   until the test accuracy first reaches the target (99.0%), evaluated after every epoch.
   Only training steps are timed (synchronised); evaluation is reported separately.
2. AlexNet (ImageNet layout, 3x224x224, 1000 classes) training throughput in images/s
   with bf16 autocast and channels-last memory, on synthetic data already on the device.
3. The same AlexNet measurement on the CPU (fewer iterations), fp32 and bf16, for the
   speed-up ratio.

Targets on an NVIDIA H200 (from the course's issue): LeNet-5 under 1 s, AlexNet at least
20,000 images/s. The script prints the device name and a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from dataclasses import dataclass

import torch
from cnnlib.data import load_mnist, to_tensors
from cnnlib.device import get_device, set_seed, synchronize
from cnnlib.models import alexnet, count_parameters, lenet5
from torch import nn


def device_name(device: torch.device) -> str:
    """A human-readable name of the device (GPU model, or CPU model and core count)."""
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    if device.type == "mps":
        return "Apple GPU (MPS)"
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            models = [line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")]
        cpu = models[0] if models else cpu
    except OSError:
        pass
    return f"{cpu} ({os.cpu_count()} logical cores, {torch.get_num_threads()} PyTorch threads)"


@dataclass
class LeNetResult:
    reached: bool
    seconds: float
    epochs: int
    accuracy: float
    eval_seconds: float


def _accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch_size: int = 4096) -> float:
    model.eval()
    correct = torch.zeros((), dtype=torch.int64, device=x.device)
    with torch.no_grad():
        for start in range(0, x.shape[0], batch_size):
            correct += (model(x[start : start + batch_size]).argmax(1) == y[start : start + batch_size]).sum()
    model.train()
    return int(correct.item()) / x.shape[0]


def lenet_time_to_accuracy(
    device: torch.device, target: float, max_epochs: int, batch_size: int, lr: float
) -> LeNetResult:
    """Train LeNet-5 on all of MNIST (held on ``device``) until the test accuracy reaches ``target``.

    Adam with a learning rate that decays linearly to zero over ``max_epochs`` epochs, so a
    run that stops early has taken large steps throughout. Batches are index slices of a
    permutation drawn on the device: no loader, no host-to-device copies per step.
    """
    set_seed(0)
    train, test = load_mnist("train"), load_mnist("test")
    x_train, y_train = to_tensors(train.images, train.labels, device)
    x_test, y_test = to_tensors(test.images, test.labels, device)
    model = lenet5("modern").to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, fused=device.type == "cuda")
    n = x_train.shape[0]
    steps_per_epoch = -(-n // batch_size)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: max(0.0, 1.0 - step / (max_epochs * steps_per_epoch))
    )
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator(device=device).manual_seed(0)
    train_seconds = eval_seconds = 0.0
    accuracy = 0.0
    for epoch in range(1, max_epochs + 1):
        synchronize(device)
        start = time.perf_counter()
        order = torch.randperm(n, device=device, generator=generator)
        for first in range(0, n, batch_size):
            index = order[first : first + batch_size]
            optimizer.zero_grad(set_to_none=True)
            loss_fn(model(x_train[index]), y_train[index]).backward()
            optimizer.step()
            schedule.step()
        synchronize(device)
        train_seconds += time.perf_counter() - start
        start = time.perf_counter()
        accuracy = _accuracy(model, x_test, y_test)
        eval_seconds += time.perf_counter() - start
        print(f"  LeNet-5 epoch {epoch}: test accuracy {accuracy:.2%}, training time so far {train_seconds:.2f} s")
        if accuracy >= target:
            return LeNetResult(True, train_seconds, epoch, accuracy, eval_seconds)
    return LeNetResult(False, train_seconds, max_epochs, accuracy, eval_seconds)


def alexnet_throughput(
    device: torch.device, batch_size: int, iterations: int, warmup: int, amp_dtype: torch.dtype | None
) -> float:
    """Training images per second of AlexNet (3x224x224, 1000 classes), channels-last, on synthetic data."""
    set_seed(0)
    model = alexnet().to(device, memory_format=torch.channels_last)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(batch_size, 3, 224, 224, device=device).contiguous(memory_format=torch.channels_last)
    y = torch.randint(0, 1000, (batch_size,), device=device)
    loss_fn = nn.CrossEntropyLoss()

    def step() -> None:
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast(device_type=device.type, dtype=amp_dtype or torch.float32, enabled=amp_dtype is not None):
            loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()

    for _ in range(warmup):
        step()
    synchronize(device)
    start = time.perf_counter()
    for _ in range(iterations):
        step()
    synchronize(device)
    return batch_size * iterations / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short run: fewer LeNet epochs and AlexNet iterations")
    parser.add_argument("--device", default=None, help="override the device (cuda, mps, cpu)")
    parser.add_argument("--target", type=float, default=0.99, help="LeNet-5 test accuracy to reach (default 0.99)")
    parser.add_argument("--max-epochs", type=int, default=None, help="LeNet-5 epoch limit (default 12, quick 4)")
    parser.add_argument("--lenet-batch", type=int, default=128)
    parser.add_argument("--lenet-lr", type=float, default=3e-3)
    parser.add_argument("--alexnet-batch", type=int, default=None, help="default 256 on a GPU, 16 on the CPU")
    parser.add_argument("--skip-cpu", action="store_true", help="skip the CPU AlexNet reference")
    args = parser.parse_args()

    device = get_device(args.device)
    torch.set_float32_matmul_precision("high")  # TF32 on GPUs that have it
    on_gpu = device.type != "cpu"
    max_epochs = args.max_epochs or (4 if args.quick else 12)
    print(f"device: {device} = {device_name(device)} | PyTorch {torch.__version__}")
    print(f"AlexNet (3x224x224, 1000 classes) parameters: {count_parameters(alexnet()):,}")

    lenet = lenet_time_to_accuracy(device, args.target, max_epochs, args.lenet_batch, args.lenet_lr)

    gpu_batch = args.alexnet_batch or 256
    cpu_batch = args.alexnet_batch if (args.alexnet_batch and not on_gpu) else 16
    cpu_iters, cpu_warmup = (2, 1) if args.quick else (5, 2)
    rows: list[tuple[str, str, str]] = []
    if on_gpu:
        iters = 10 if args.quick else 50
        gpu_rate = alexnet_throughput(device, gpu_batch, iters, warmup=5, amp_dtype=torch.bfloat16)
        print(f"  AlexNet on {device}: {gpu_rate:,.0f} images/s (batch {gpu_batch}, bf16, channels-last)")
    cpu = torch.device("cpu")
    cpu_rates: dict[str, float] = {}
    if not args.skip_cpu or not on_gpu:
        for label, dtype in (("bf16", torch.bfloat16), ("fp32", None)):
            cpu_rates[label] = alexnet_throughput(cpu, cpu_batch, cpu_iters, cpu_warmup, dtype)
            print(f"  AlexNet on the CPU: {cpu_rates[label]:,.1f} images/s (batch {cpu_batch}, {label}, channels-last)")

    name = device_name(device)
    lenet_text = (
        f"{lenet.seconds:.2f} s ({lenet.epochs} epochs, {lenet.accuracy:.2%})"
        if lenet.reached
        else f"not reached in {lenet.epochs} epochs ({lenet.seconds:.1f} s, best {lenet.accuracy:.2%})"
    )
    rows.append(
        (
            f"LeNet-5 to {args.target:.1%} test accuracy, MNIST on the device (batch {args.lenet_batch}, Adam)",
            name,
            lenet_text,
        )
    )
    if on_gpu:
        rows.append(
            (f"AlexNet 224x224 training, bf16 + channels-last, batch {gpu_batch}", name, f"{gpu_rate:,.0f} images/s")
        )
    cpu_name = device_name(cpu)
    for label, rate in cpu_rates.items():
        rows.append(
            (f"AlexNet 224x224 training, {label} + channels-last, batch {cpu_batch}", cpu_name, f"{rate:,.1f} images/s")
        )
    if on_gpu and cpu_rates:
        best_cpu = max(cpu_rates.values())
        rows.append(("AlexNet speed-up, GPU bf16 over the best CPU figure", "", f"{gpu_rate / best_cpu:,.0f}x"))
    print()
    print("| measurement | device | result |")
    print("|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if not on_gpu:
        print(
            "\nNo GPU on this machine: the figures above are CPU figures; GPU targets (H200): LeNet-5 < 1 s, AlexNet >= 20,000 images/s."
        )


if __name__ == "__main__":
    main()
