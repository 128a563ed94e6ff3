"""Training and evaluation loops for the course's PyTorch models (lectures 07-09).

The data is a pair of tensors ``(x, y)`` moved to the device once and cut into
mini-batches by :func:`cnnlib.data.batches`: on a GPU the whole epoch stays on the
device, with no worker processes. Mixed precision is ``torch.autocast`` with
``amp_dtype`` (bfloat16 needs no loss scaling; float16 gets a ``GradScaler``).
Timings synchronise the device first, since GPU calls return before the work is done.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from typing import Any

import torch
from torch import nn

from cnnlib.data import batches as make_batches
from cnnlib.device import synchronize
from cnnlib.runtime import progress
from cnnlib.validate import require_int, require_ndim, shape_of

AMP_DTYPES = (torch.bfloat16, torch.float16)
LR_SCHEDULES = ("constant", "linear")
HISTORY_KEYS = ("train loss", "train accuracy", "test accuracy", "seconds", "images/s")


def _require_amp_dtype(amp_dtype: Any) -> None:
    if amp_dtype is not None and amp_dtype not in AMP_DTYPES:
        raise ValueError(f"amp_dtype must be None, torch.bfloat16 or torch.float16, got {amp_dtype!r}")


def _autocast(device: torch.device, amp_dtype: torch.dtype | None):
    """``torch.autocast`` for ``device``'s type when ``amp_dtype`` is set, else a no-op context."""
    if amp_dtype is None:
        return contextlib.nullcontext()
    return torch.autocast(device_type=device.type, dtype=amp_dtype)


@contextlib.contextmanager
def _eval_mode(model: nn.Module):
    """Switch ``model`` to eval mode without gradients, then restore its previous mode."""
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            yield
    finally:
        model.train(was_training)


def _run_epoch(
    model: nn.Module,
    batches: Iterable[tuple[torch.Tensor, torch.Tensor]],
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    optimizer: torch.optim.Optimizer,
    device: torch.device,
    amp_dtype: torch.dtype | None,
    scaler: Any = None,
    scheduler: Any = None,
) -> tuple[float, float, int]:
    """One pass of training; returns (mean loss, running accuracy, number of examples).

    Sums stay on the device and are read once at the end, so a GPU never waits per batch.
    """
    model.train()
    loss_sum = torch.zeros((), device=device, dtype=torch.float64)
    correct = torch.zeros((), device=device, dtype=torch.int64)
    seen = 0
    for x, y in batches:
        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
        optimizer.zero_grad(set_to_none=True)
        with _autocast(device, amp_dtype):
            scores = model(x)
            loss = loss_fn(scores, y)
        if scaler is not None:
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
        else:
            loss.backward()
            optimizer.step()
        if scheduler is not None:
            scheduler.step()
        n = y.shape[0]
        loss_sum += loss.detach().double() * n
        correct += (scores.detach().argmax(dim=1) == y).sum()
        seen += n
    if seen == 0:
        raise ValueError("batches yielded no examples: the training set is empty")
    return float(loss_sum.item()) / seen, int(correct.item()) / seen, seen


def train_epoch(
    model: nn.Module,
    batches: Iterable[tuple[torch.Tensor, torch.Tensor]],
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    optimizer: torch.optim.Optimizer,
    device: Any,
    amp_dtype: torch.dtype | None = None,
) -> float:
    """Train ``model`` for one pass over ``batches`` and return the mean loss per example.

    batches: iterable of ``(x, y)`` with x (B, C, H, W) and y (B,) integer labels; each
    is moved to ``device``. ``loss_fn(scores, y)`` must return the batch's mean loss;
    the epoch's mean weights each batch by its size B (the last batch may be smaller).
    ``amp_dtype`` (torch.bfloat16 or torch.float16) runs the forward pass under autocast.
    Leaves the model in train mode.
    """
    if not isinstance(model, nn.Module):
        raise ValueError(f"model must be a torch.nn.Module, got a {type(model).__name__}")
    _require_amp_dtype(amp_dtype)
    device = torch.device(device)
    scaler = _grad_scaler(device, amp_dtype)
    loss, _, _ = _run_epoch(model, batches, loss_fn, optimizer, device, amp_dtype, scaler)
    return loss


def _grad_scaler(device: torch.device, amp_dtype: torch.dtype | None):
    """A loss scaler for float16 (whose small gradients underflow); None otherwise."""
    if amp_dtype is torch.float16:
        return torch.amp.GradScaler(device.type)
    return None


def evaluate(model: nn.Module, batches: Iterable[tuple[torch.Tensor, torch.Tensor]], device: Any) -> float:
    """Accuracy in [0, 1] of ``model`` over ``batches`` of ``(x, y)``, x (B, C, H, W), y (B,).

    Runs in eval mode (dropout off, batch norm on its running statistics) without
    gradients, and restores the model's previous train/eval mode afterwards.
    """
    if not isinstance(model, nn.Module):
        raise ValueError(f"model must be a torch.nn.Module, got a {type(model).__name__}")
    device = torch.device(device)
    correct = torch.zeros((), device=device, dtype=torch.int64)
    seen = 0
    with _eval_mode(model):
        for x, y in batches:
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            correct += (model(x).argmax(dim=1) == y).sum()
            seen += y.shape[0]
    if seen == 0:
        raise ValueError("batches yielded no examples: the evaluation set is empty")
    return int(correct.item()) / seen


def predict(model: nn.Module, x: Any, device: Any, batch_size: int = 512) -> torch.Tensor:
    """Logits of ``model`` for every example of ``x`` (N, C, H, W), as a CPU tensor (N, K).

    Runs in eval mode without gradients, ``batch_size`` examples at a time, and restores
    the model's previous mode. ``x`` may be a tensor anywhere or a NumPy array.
    """
    if not isinstance(model, nn.Module):
        raise ValueError(f"model must be a torch.nn.Module, got a {type(model).__name__}")
    require_ndim("x", x, (2, 3, 4))
    batch_size = require_int("batch_size", batch_size, minimum=1)
    device = torch.device(device)
    x = torch.as_tensor(x)
    outputs = []
    with _eval_mode(model):
        for start in range(0, x.shape[0], batch_size):
            outputs.append(model(x[start : start + batch_size].to(device)).float().cpu())
    if not outputs:
        raise ValueError(f"x holds no examples: {shape_of(x)}")
    return torch.cat(outputs)


def _make_optimizer(name_or_optimizer: Any, model: nn.Module, lr: float) -> torch.optim.Optimizer:
    if isinstance(name_or_optimizer, torch.optim.Optimizer):
        return name_or_optimizer
    if name_or_optimizer == "adam":
        return torch.optim.Adam(model.parameters(), lr=lr)
    if name_or_optimizer == "sgd":
        return torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    raise ValueError(f"optimizer must be 'adam', 'sgd' or a torch.optim.Optimizer, got {name_or_optimizer!r}")


def _check_pair(name: str, pair: Any) -> tuple[torch.Tensor, torch.Tensor]:
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        raise ValueError(f"{name} must be a pair (x, y) of tensors, got a {type(pair).__name__}")
    x, y = pair
    if not isinstance(x, torch.Tensor) or not isinstance(y, torch.Tensor):
        raise ValueError(
            f"{name} must hold tensors (see cnnlib.data.to_tensors), got {type(x).__name__}, {type(y).__name__}"
        )
    require_ndim(f"{name}[0] (images)", x, 4)
    require_ndim(f"{name}[1] (labels)", y, 1)
    if x.shape[0] != y.shape[0] or x.shape[0] == 0:
        raise ValueError(
            f"{name} needs one label per image and at least one image; got x {shape_of(x)}, y {shape_of(y)}"
        )
    return x, y


def fit(
    model: nn.Module,
    train: tuple[torch.Tensor, torch.Tensor],
    test: tuple[torch.Tensor, torch.Tensor],
    epochs: int,
    device: Any,
    lr: float = 1e-3,
    batch_size: int = 128,
    optimizer: str | torch.optim.Optimizer = "adam",
    amp_dtype: torch.dtype | None = None,
    channels_last: bool = False,
    seed: int = 0,
    lr_schedule: str = "constant",
) -> dict[str, list[float]]:
    """Train ``model`` with cross-entropy for ``epochs`` epochs; return the history per epoch.

    train, test: pairs ``(x, y)`` with x (N, C, H, W) float and y (N,) int64 labels
    (from :func:`cnnlib.data.to_tensors`); both are moved to ``device`` once, and so is
    the model. Mini-batches come from :func:`cnnlib.data.batches`, shuffled with seed
    ``seed + epoch``. ``optimizer`` is "adam", "sgd" (momentum 0.9) or an optimizer
    built on ``model.parameters()``. ``amp_dtype``: autocast dtype (e.g. torch.bfloat16)
    or None. ``channels_last``: store the model's weights and the images as NHWC.
    ``lr_schedule``: "constant", or "linear" to decay the learning rate linearly from
    ``lr`` to zero over all the run's steps (large steps early, fine ones at the end).

    History keys (one value per epoch): "train loss" (mean over the epoch),
    "train accuracy" (counted on the fly while the weights change), "test accuracy",
    "seconds" (training time of the epoch, device synchronised, without evaluation)
    and "images/s" (training throughput). Prints one line per epoch.
    """
    if not isinstance(model, nn.Module):
        raise ValueError(f"model must be a torch.nn.Module, got a {type(model).__name__}")
    epochs = require_int("epochs", epochs, minimum=1)
    batch_size = require_int("batch_size", batch_size, minimum=1)
    seed = require_int("seed", seed, minimum=0)
    if not isinstance(lr, (int, float)) or not lr > 0:
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    _require_amp_dtype(amp_dtype)
    if lr_schedule not in LR_SCHEDULES:
        raise ValueError(f"lr_schedule must be one of {LR_SCHEDULES}, got {lr_schedule!r}")
    x_train, y_train = _check_pair("train", train)
    x_test, y_test = _check_pair("test", test)
    device = torch.device(device)

    memory_format = torch.channels_last if channels_last else torch.contiguous_format
    model.to(device, memory_format=memory_format)
    x_train = x_train.to(device).contiguous(memory_format=memory_format)
    x_test = x_test.to(device).contiguous(memory_format=memory_format)
    y_train, y_test = y_train.to(device), y_test.to(device)
    opt = _make_optimizer(optimizer, model, lr)
    scaler = _grad_scaler(device, amp_dtype)
    loss_fn = nn.CrossEntropyLoss()
    torch.manual_seed(seed)  # dropout masks

    history: dict[str, list[float]] = {key: [] for key in HISTORY_KEYS}
    n_batches = -(-x_train.shape[0] // batch_size)
    scheduler = None
    if lr_schedule == "linear":
        total_steps = epochs * n_batches
        scheduler = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: max(0.0, 1.0 - step / total_steps))
    epoch_bar = progress(range(1, epochs + 1), desc="epochs", total=epochs)
    for epoch in epoch_bar:
        batch_bar = progress(
            make_batches(x_train, y_train, batch_size, shuffle=True, seed=seed + epoch),
            desc=f"epoch {epoch}",
            total=n_batches,
            leave=False,
        )
        synchronize(device)
        start = time.perf_counter()
        loss, train_acc, seen = _run_epoch(model, batch_bar, loss_fn, opt, device, amp_dtype, scaler, scheduler)
        synchronize(device)
        seconds = time.perf_counter() - start
        test_acc = evaluate(model, make_batches(x_test, y_test, max(batch_size, 512), shuffle=False), device)
        for key, value in zip(HISTORY_KEYS, (loss, train_acc, test_acc, seconds, seen / seconds), strict=True):
            history[key].append(value)
        epoch_bar.write(
            f"epoch {epoch}/{epochs}: train loss {loss:.4f}, train accuracy {train_acc:.2%}, "
            f"test accuracy {test_acc:.2%}, {seconds:.1f} s, {seen / seconds:,.0f} images/s"
        )
    return history
