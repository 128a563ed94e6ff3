"""Unit tests of cnnlib.training on tiny synthetic problems (CPU, a few seconds in all)."""

from __future__ import annotations

import pytest
import torch
from cnnlib.data import batches
from cnnlib.training import HISTORY_KEYS, evaluate, fit, predict, train_epoch
from torch import nn

pytestmark = pytest.mark.unit


def separable_images(n: int = 96, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """(n, 1, 6, 6) images whose class (0/1/2) is which third of the image is bright."""
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 3, (n,), generator=g)
    x = 0.1 * torch.rand(n, 1, 6, 6, generator=g)
    for i, label in enumerate(y.tolist()):
        x[i, 0, :, 2 * label : 2 * label + 2] += 1.0
    return x, y


def tiny_cnn(dropout: float = 0.0) -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1),
        nn.BatchNorm2d(4),
        nn.ReLU(),
        nn.Flatten(),
        nn.Dropout(dropout),
        nn.Linear(144, 3),
    )


def test_train_epoch_returns_the_size_weighted_mean_loss() -> None:
    model = nn.Linear(2, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.0)  # nothing moves: the losses are fixed
    x = torch.randn(5, 2)
    y = torch.tensor([0, 1, 0, 1, 1])
    loss_fn = nn.CrossEntropyLoss()
    per_example = nn.CrossEntropyLoss(reduction="none")(model(x), y).detach()
    got = train_epoch(model, [(x[:4], y[:4]), (x[4:], y[4:])], loss_fn, optimizer, "cpu")
    assert got == pytest.approx(per_example.mean().item(), rel=1e-6)
    assert got != pytest.approx((per_example[:4].mean().item() + per_example[4].item()) / 2, rel=1e-6)


def test_train_epoch_updates_parameters_and_lowers_the_loss() -> None:
    x, y = separable_images()
    model = tiny_cnn()
    before = [p.detach().clone() for p in model.parameters()]
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = [train_epoch(model, batches(x, y, 16, seed=e), nn.CrossEntropyLoss(), optimizer, "cpu") for e in range(5)]
    assert losses[-1] < 0.5 * losses[0]
    assert all(not torch.equal(b, a) for b, a in zip(before, model.parameters(), strict=True))
    assert model.training


def test_train_epoch_runs_under_bf16_autocast() -> None:
    x, y = separable_images(32)
    model = tiny_cnn()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    loss = train_epoch(model, batches(x, y, 16), nn.CrossEntropyLoss(), optimizer, "cpu", amp_dtype=torch.bfloat16)
    assert 0 < loss < 10


def test_train_epoch_rejects_empty_data_and_bad_amp_dtype() -> None:
    model = nn.Linear(2, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="empty"):
        train_epoch(model, [], nn.CrossEntropyLoss(), optimizer, "cpu")
    with pytest.raises(ValueError, match="amp_dtype"):
        train_epoch(model, [], nn.CrossEntropyLoss(), optimizer, "cpu", amp_dtype=torch.float64)


def test_evaluate_counts_correct_predictions() -> None:
    model = nn.Identity()
    x = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
    y = torch.tensor([0, 1, 1, 1])
    assert evaluate(model, batches(x, y, 3, shuffle=False), "cpu") == pytest.approx(0.75)


def test_evaluate_runs_in_eval_mode_without_gradients_and_restores_the_mode() -> None:
    x, y = separable_images(40)
    model = tiny_cnn(dropout=0.5)
    seen = []
    model[0].register_forward_hook(lambda m, i, o: seen.append((m.training, torch.is_grad_enabled())))
    model.train()
    first = evaluate(model, batches(x, y, 16, shuffle=False), "cpu")
    second = evaluate(model, batches(x, y, 16, shuffle=False), "cpu")
    assert first == second, "dropout must be off during evaluation"
    assert seen and all(s == (False, False) for s in seen)
    assert model.training
    model.eval()
    evaluate(model, batches(x, y, 16), "cpu")
    assert not model.training


def test_predict_returns_cpu_logits_in_order_and_restores_the_mode() -> None:
    x, _ = separable_images(10)
    model = tiny_cnn(dropout=0.5)
    model.train()
    logits = predict(model, x, "cpu", batch_size=3)
    assert logits.shape == (10, 3) and logits.device.type == "cpu" and not logits.requires_grad
    model.eval()
    with torch.no_grad():
        assert torch.allclose(logits, model(x), atol=1e-6)
    model.train()
    predict(model, x, "cpu")
    assert model.training


@pytest.mark.parametrize("kwargs", [{"batch_size": 0}, {"x": torch.zeros(3)}, {"x": torch.zeros(0, 1, 6, 6)}])
def test_predict_rejects_bad_arguments(kwargs: dict) -> None:
    args = {"model": tiny_cnn(), "x": torch.zeros(2, 1, 6, 6), "device": "cpu", **kwargs}
    with pytest.raises(ValueError):
        predict(**args)


def test_fit_learns_a_separable_problem_and_reports_every_key(capsys) -> None:
    train, test = separable_images(192, seed=0), separable_images(60, seed=1)
    model = tiny_cnn()
    history = fit(model, train, test, epochs=4, device="cpu", lr=1e-2, batch_size=32)
    assert tuple(history) == HISTORY_KEYS
    assert all(len(v) == 4 for v in history.values())
    assert history["test accuracy"][-1] == 1.0
    assert history["train loss"][-1] < history["train loss"][0]
    assert all(s > 0 for s in history["seconds"]) and all(r > 0 for r in history["images/s"])
    printed = capsys.readouterr()
    assert (printed.out + printed.err).count("epoch 4/4") >= 1


def test_fit_is_reproducible_and_supports_sgd_channels_last_and_bf16() -> None:
    train, test = separable_images(64, seed=0), separable_images(30, seed=1)
    runs = [fit(tiny_cnn(), train, test, 2, "cpu", seed=3)["train loss"] for _ in range(2)]
    assert runs[0] == runs[1]
    history = fit(
        tiny_cnn(), train, test, 1, "cpu", optimizer="sgd", lr=0.05, amp_dtype=torch.bfloat16, channels_last=True
    )
    assert 0 <= history["test accuracy"][0] <= 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"epochs": 0},
        {"lr": 0.0},
        {"batch_size": 0},
        {"optimizer": "rmsprop"},
        {"amp_dtype": torch.int8},
        {"lr_schedule": "cosine"},
        {"train": (torch.zeros(4, 6, 6), torch.zeros(4, dtype=torch.long))},
        {"train": (torch.zeros(4, 1, 6, 6), torch.zeros(3, dtype=torch.long))},
        {"test": [torch.zeros(4, 1, 6, 6)]},
    ],
)
def test_fit_rejects_bad_arguments(kwargs: dict) -> None:
    args = {
        "model": tiny_cnn(),
        "train": separable_images(8),
        "test": separable_images(8),
        "epochs": 1,
        "device": "cpu",
        **kwargs,
    }
    with pytest.raises(ValueError):
        fit(**args)


def test_fit_linear_schedule_decays_the_learning_rate_to_zero() -> None:
    train, test = separable_images(64, seed=0), separable_images(30, seed=1)
    model = tiny_cnn()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    history = fit(model, train, test, 2, "cpu", batch_size=16, optimizer=optimizer, lr_schedule="linear")
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.0, abs=1e-12)
    assert history["train loss"][-1] < history["train loss"][0]
