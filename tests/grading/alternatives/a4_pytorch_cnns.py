"""Correct answers to assignment A4 (CNNs in PyTorch) written differently from the solution.

Each one is what a student reading only the released notebook might write: other module layouts
(one nn.Sequential, their own blocks, torch.nn.functional on their own parameters, other attribute
names), other loops (progress bars, warnings, set_to_none, a DataLoader), float32 arithmetic,
other optimisers and batch sizes. Every one must score exactly what the solution scores
(tests/grading/test_mutants.py). ``source`` is the whole cell as the student typed it; ``also``
replaces further solution cells at the same time.
"""

from __future__ import annotations


def _alternative(name: str, cell: str, source: str, also: dict[str, str] | None = None) -> dict:
    alternative = {"name": name, "cell": cell, "source": source.strip() + "\n"}
    if also:
        alternative["also"] = also
    return alternative


# ---------------------------------------------------------------------------------------- LeNet5

_LENET_FUNCTIONAL = '''
class LeNet5(nn.Module):
    """LeNet-5 written with torch.nn.functional on parameters of my own."""

    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        shapes = {
            "k1": (6, in_channels, 5, 5), "k2": (16, 6, 5, 5),
            "w3": (120, 400), "w4": (84, 120), "w5": (num_classes, 84),
        }
        for name, shape in shapes.items():
            fan_in = int(np.prod(shape[1:]))
            setattr(self, name, nn.Parameter(torch.randn(shape) / fan_in**0.5))
            setattr(self, "bias_" + name, nn.Parameter(torch.zeros(shape[0])))

    def forward(self, x):
        x = F.max_pool2d(F.relu(F.conv2d(x, self.k1, self.bias_k1, padding=2)), 2)
        x = F.max_pool2d(F.relu(F.conv2d(x, self.k2, self.bias_k2)), 2)
        x = x.reshape(x.shape[0], -1)
        x = F.relu(F.linear(x, self.w3, self.bias_w3))
        x = F.relu(F.linear(x, self.w4, self.bias_w4))
        return F.linear(x, self.w5, self.bias_w5)
'''

_LENET_OWN_BLOCKS = """
class ConvPool(nn.Module):
    def __init__(self, c_in, c_out, padding):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, 5, padding=padding)
        self.pool = nn.MaxPool2d(2)

    def forward(self, x):
        return self.pool(torch.relu(self.conv(x)))


class LeNet5(nn.Module):
    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.blocks = nn.ModuleList([ConvPool(in_channels, 6, 2), ConvPool(6, 16, 0)])
        self.hidden = nn.ModuleList([nn.Linear(400, 120), nn.Linear(120, 84)])
        self.out = nn.Linear(84, num_classes)

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        x = x.flatten(1)
        for layer in self.hidden:
            x = F.relu(layer(x))
        return self.out(x)
"""

_LENET_ONE_SEQUENTIAL = """
class LeNet5(nn.Module):
    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(in_channels, 6, 5, 1, 2), nn.ReLU(inplace=True), nn.MaxPool2d(2, 2),
            nn.Conv2d(6, 16, 5), nn.ReLU(inplace=True), nn.MaxPool2d(2, 2),
            nn.Flatten(),
            nn.Linear(400, 120), nn.ReLU(inplace=True),
            nn.Linear(120, 84), nn.ReLU(inplace=True),
            nn.Linear(84, num_classes),
        )

    def forward(self, x):
        return self.net(x)
"""

_LENET_NAMED_LAYERS = """
class LeNet5(nn.Module):
    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        # the output layer registered first, the rest in the paper's names
        self.output = nn.Linear(84, num_classes)
        self.C1 = nn.Conv2d(in_channels, 6, kernel_size=(5, 5), padding=(2, 2))
        self.C3 = nn.Conv2d(6, 16, kernel_size=(5, 5))
        self.F5 = nn.Linear(16 * 5 * 5, 120)
        self.F6 = nn.Linear(120, 84)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.C1(x)), kernel_size=2, stride=2)
        x = F.max_pool2d(F.relu(self.C3(x)), kernel_size=2, stride=2)
        x = x.view(x.size(0), -1)
        return self.output(F.relu(self.F6(F.relu(self.F5(x)))))
"""

_LENET_C5_AS_CONVOLUTION = """
class LeNet5(nn.Module):
    # the 1998 paper's C5 is a 5x5 convolution over the 5x5 maps: the same function as a linear layer
    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.c1 = nn.Conv2d(in_channels, 6, 5, padding=2)
        self.c3 = nn.Conv2d(6, 16, 5)
        self.c5 = nn.Conv2d(16, 120, 5)
        self.f6 = nn.Linear(120, 84)
        self.f7 = nn.Linear(84, num_classes)

    def forward(self, x):
        x = F.max_pool2d(torch.relu(self.c1(x)), 2)
        x = F.max_pool2d(torch.relu(self.c3(x)), 2)
        x = torch.relu(self.c5(x)).squeeze(-1).squeeze(-1)
        return self.f7(torch.relu(self.f6(x)))
"""

_LENET_SEQUENTIAL_SUBCLASS = """
from collections import OrderedDict


class LeNet5(nn.Sequential):
    def __init__(self, num_classes=10, in_channels=1):
        super().__init__(
            OrderedDict(
                conv1=nn.Conv2d(in_channels, 6, 5, padding=2),
                relu1=nn.ReLU(),
                pool1=nn.MaxPool2d(2),
                conv2=nn.Conv2d(6, 16, 5),
                relu2=nn.ReLU(),
                pool2=nn.MaxPool2d(2),
                flatten=nn.Flatten(),
                fc1=nn.Linear(400, 120),
                relu3=nn.ReLU(),
                fc2=nn.Linear(120, 84),
                relu4=nn.ReLU(),
                fc3=nn.Linear(84, num_classes),
            )
        )
"""

_LENET_BIAS_AS_COLUMN = """
class LeNet5(nn.Module):
    # functional, with the convolution biases kept as (1, C, 1, 1) tensors added by broadcasting
    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.conv_w = nn.ParameterList([
            nn.Parameter(0.1 * torch.randn(6, in_channels, 5, 5)),
            nn.Parameter(0.1 * torch.randn(16, 6, 5, 5)),
        ])
        self.conv_b = nn.ParameterList([nn.Parameter(torch.zeros(1, 6, 1, 1)), nn.Parameter(torch.zeros(1, 16, 1, 1))])
        self.fc = nn.ModuleList([nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, num_classes)])

    def forward(self, x):
        x = F.max_pool2d(F.relu(F.conv2d(x, self.conv_w[0], padding=2) + self.conv_b[0]), 2)
        x = F.max_pool2d(F.relu(F.conv2d(x, self.conv_w[1]) + self.conv_b[1]), 2)
        x = torch.flatten(x, start_dim=1)
        x = F.relu(self.fc[0](x))
        x = F.relu(self.fc[1](x))
        return self.fc[2](x)
"""

# ------------------------------------------------------------------------------ count_parameters

_COUNT_LOOP = """
def count_parameters(model):
    total = 0
    for p in model.parameters():
        if p.requires_grad:
            total += p.numel()
    return total
"""

_COUNT_DEDUPLICATED_BY_ID = """
def count_parameters(model):
    # each module's own parameters, one entry per tensor even when shared
    unique = {}
    for module in model.modules():
        for p in module.parameters(recurse=False):
            unique[id(p)] = p
    return sum(p.numel() for p in unique.values() if p.requires_grad)
"""

_COUNT_NAMED_NUMPY = """
def count_parameters(model):
    sizes = [int(np.prod(p.shape)) for _, p in model.named_parameters() if p.requires_grad]
    return int(np.sum(sizes, dtype=np.int64))
"""

_COUNT_FILTER_MAP = """
import math


def trainable(model):
    return filter(lambda p: p.requires_grad, model.parameters())


def count_parameters(model):
    return sum(map(lambda p: math.prod(p.size()), trainable(model)))
"""

_COUNT_NUMPY_INTEGER = """
def count_parameters(model):
    counts = np.array([p.numel() for p in model.parameters() if p.requires_grad], dtype=np.int64)
    return counts.sum()  # a NumPy integer
"""

# ------------------------------------------------------------------------------- train_one_epoch

_TRAIN_SET_TO_NONE_FLOAT = """
def train_one_epoch(model, loader, loss_fn, optimizer, device):
    model.train()
    loss_sum, count = 0.0, 0
    for inputs, targets in loader:
        inputs = inputs.to(device, non_blocking=True)
        targets = targets.to(device, non_blocking=True)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        optimizer.step()
        loss_sum += float(loss) * len(targets)
        count += len(targets)
    return loss_sum / count
"""

_TRAIN_TQDM = """
from tqdm.auto import tqdm


def train_one_epoch(model, loader, loss_fn, optimizer, device):
    model.train()
    total, seen = 0.0, 0
    bar = tqdm(loader, desc="training", leave=False)
    for x, y in bar:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        scores = model(x)
        loss = loss_fn(scores, y)
        loss.backward()
        optimizer.step()
        total += loss.item() * x.size(0)
        seen += x.size(0)
        bar.set_postfix(loss=f"{total / seen:.4f}")
    return total / seen
"""

_TRAIN_TENSOR_SUM_MODEL_ZERO_GRAD = """
def train_one_epoch(model, loader, loss_fn, optimizer, device):
    model.train()
    weighted = torch.zeros((), dtype=torch.float64)
    n = 0
    for batch in loader:
        x, y = (t.to(device) for t in batch)
        model.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        weighted += loss.detach().double().cpu() * y.numel()
        n += y.numel()
    return (weighted / n).item()
"""

_TRAIN_WARNS_AND_PRINTS = """
import warnings


def train_one_epoch(model, loader, loss_fn, optimizer, device):
    if not model.training:
        warnings.warn("the model was in eval mode; switching to training mode")
    model.train()
    losses, sizes = [], []
    for step, (x, y) in enumerate(loader):
        x = x.to(device)
        y = y.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(torch.tensor(loss).item())  # warns: copy-constructing from a tensor
        sizes.append(y.shape[0])
        print(f"step {step}: loss {losses[-1]:.4f}")
    return float(np.average(losses, weights=sizes))
"""

_TRAIN_CNNLIB_PROGRESS = """
def train_one_epoch(model, loader, loss_fn, optimizer, device):
    model.train()
    loss_total = 0.0
    example_total = 0
    for x, y in cnnlib.progress(loader, desc="epoch"):
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        batch_loss = loss_fn(model(x), y)
        batch_loss.backward()
        optimizer.step()
        b = y.shape[0]
        loss_total = loss_total + b * batch_loss.item()
        example_total = example_total + b
    mean_loss = loss_total / example_total
    return mean_loss
"""

# -------------------------------------------------------------------------------------- evaluate

_EVALUATE_FLOAT32_MEAN = """
def evaluate(model, loader, device):
    model.eval()
    predictions, labels = [], []
    with torch.no_grad():
        for x, y in loader:
            predictions.append(model(x.to(device)).argmax(dim=1))
            labels.append(y.to(device))
    return (torch.cat(predictions) == torch.cat(labels)).float().mean().item()
"""

_EVALUATE_DECORATOR_RESTORES_MODE = """
@torch.no_grad()
def evaluate(model, loader, device):
    was_training = model.training
    model.eval()
    right = 0
    count = 0
    for x, y in loader:
        x = x.to(device)
        y = y.to(device)
        right += int(model(x).max(dim=1).indices.eq(y).sum())
        count += len(y)
    model.train(was_training)
    return right / count
"""

_EVALUATE_INFERENCE_MODE_NUMPY = """
def evaluate(model, loader, device):
    model.eval()
    hits = []
    with torch.inference_mode():
        for x, y in loader:
            scores = model(x.to(device)).cpu().numpy()
            hits.append(scores.argmax(axis=1) == y.to(device).cpu().numpy())
    return float(np.concatenate(hits).mean())
"""

_EVALUATE_TQDM_TENSOR_DIVISION = """
from tqdm.auto import tqdm


def evaluate(model, loader, device):
    model.eval()
    correct = torch.zeros((), dtype=torch.int64)
    total = 0
    with torch.no_grad():
        for x, y in tqdm(loader, desc="evaluating", leave=False):
            x, y = x.to(device), y.to(device)
            correct += (model(x).argmax(1) == y).sum().cpu()
            total += y.size(0)
    return (correct / total).item()  # float32 division
"""

_EVALUATE_TOPK = """
def evaluate(model, loader, device):
    model.eval()
    n_correct, n_seen = 0, 0
    with torch.no_grad():
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            top = model(images).topk(1, dim=1).indices.squeeze(1)
            n_correct += top.eq(labels).sum().item()
            n_seen += labels.shape[0]
    return float(n_correct) / float(n_seen)
"""

# --------------------------------------------------------------------------------------- AlexNet

_ALEXNET_FUNCTIONAL = '''
class AlexNet(nn.Module):
    """AlexNet with torch.nn.functional on my own parameters."""

    CONVS = [(64, 11, 4, 2), (192, 5, 1, 2), (384, 3, 1, 1), (256, 3, 1, 1), (256, 3, 1, 1)]

    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.conv_weights, self.conv_biases = nn.ParameterList(), nn.ParameterList()
        c_in = in_channels
        for c_out, k, _, _ in self.CONVS:
            self.conv_weights.append(nn.Parameter(torch.randn(c_out, c_in, k, k) * (2 / (c_in * k * k)) ** 0.5))
            self.conv_biases.append(nn.Parameter(torch.zeros(c_out)))
            c_in = c_out
        self.fc_weights, self.fc_biases = nn.ParameterList(), nn.ParameterList()
        for n_in, n_out in [(9216, 4096), (4096, 4096), (4096, num_classes)]:
            self.fc_weights.append(nn.Parameter(torch.randn(n_out, n_in) * (2 / n_in) ** 0.5))
            self.fc_biases.append(nn.Parameter(torch.zeros(n_out)))

    def forward(self, x):
        for i, (_, _, stride, padding) in enumerate(self.CONVS):
            x = F.relu(F.conv2d(x, self.conv_weights[i], self.conv_biases[i], stride=stride, padding=padding))
            if i in (0, 1, 4):
                x = F.max_pool2d(x, kernel_size=3, stride=2)
        x = torch.flatten(F.adaptive_avg_pool2d(x, (6, 6)), 1)
        for i in range(2):
            x = F.dropout(x, p=0.5, training=self.training)
            x = F.relu(F.linear(x, self.fc_weights[i], self.fc_biases[i]))
        return F.linear(x, self.fc_weights[2], self.fc_biases[2])
'''

_ALEXNET_OWN_BLOCKS = """
class ConvReLU(nn.Sequential):
    def __init__(self, c_in, c_out, k, stride=1, padding=0, pool=False):
        layers = [nn.Conv2d(c_in, c_out, k, stride=stride, padding=padding), nn.ReLU()]
        if pool:
            layers.append(nn.MaxPool2d(3, 2))
        super().__init__(*layers)


class DropLinear(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.drop = nn.Dropout(0.5)
        self.fc = nn.Linear(n_in, n_out)

    def forward(self, x):
        return F.relu(self.fc(self.drop(x)))


class AlexNet(nn.Module):
    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.body = nn.Sequential(
            ConvReLU(in_channels, 64, 11, stride=4, padding=2, pool=True),
            ConvReLU(64, 192, 5, padding=2, pool=True),
            ConvReLU(192, 384, 3, padding=1),
            ConvReLU(384, 256, 3, padding=1),
            ConvReLU(256, 256, 3, padding=1, pool=True),
        )
        self.head = nn.Sequential(DropLinear(9216, 4096), DropLinear(4096, 4096), nn.Linear(4096, num_classes))

    def forward(self, x):
        x = F.adaptive_avg_pool2d(self.body(x), 6)
        return self.head(x.view(x.shape[0], -1))
"""

_ALEXNET_ONE_SEQUENTIAL = """
class AlexNet(nn.Module):
    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Conv2d(in_channels, 64, 11, 4, 2), nn.ReLU(), nn.MaxPool2d(3, 2),
            nn.Conv2d(64, 192, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
            nn.Conv2d(192, 384, 3, padding=1), nn.ReLU(),
            nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(),
            nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2),
            nn.AdaptiveAvgPool2d(6), nn.Flatten(),
            nn.Dropout(), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(),
            nn.Dropout(), nn.Linear(4096, 4096), nn.ReLU(),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x):
        return self.layers(x)
"""

_ALEXNET_NAMED_LAYERS = """
class AlexNet(nn.Module):
    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        # classifier first, then the convolutions, under names of my own
        self.fc8 = nn.Linear(4096, num_classes)
        self.fc7 = nn.Linear(4096, 4096)
        self.fc6 = nn.Linear(9216, 4096)
        self.conv1 = nn.Conv2d(in_channels, 64, kernel_size=11, stride=4, padding=2)
        self.conv2 = nn.Conv2d(64, 192, kernel_size=5, padding=2)
        self.conv3 = nn.Conv2d(192, 384, kernel_size=3, padding=1)
        self.conv4 = nn.Conv2d(384, 256, kernel_size=3, padding=1)
        self.conv5 = nn.Conv2d(256, 256, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(kernel_size=3, stride=2)
        self.avg = nn.AdaptiveAvgPool2d((6, 6))
        self.drop6 = nn.Dropout(p=0.5)
        self.drop7 = nn.Dropout(p=0.5)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = F.relu(self.conv3(x))
        x = F.relu(self.conv4(x))
        x = self.pool(F.relu(self.conv5(x)))
        x = self.avg(x).reshape(x.shape[0], 9216)
        x = F.relu(self.fc6(self.drop6(x)))
        x = F.relu(self.fc7(self.drop7(x)))
        return self.fc8(x)
"""

_ALEXNET_SEQUENTIAL_SUBCLASS = """
class AlexNet(nn.Sequential):
    def __init__(self, num_classes=10, in_channels=1):
        convs = []
        c_in = in_channels
        for c_out, k, s, p, pool in [(64, 11, 4, 2, True), (192, 5, 1, 2, True), (384, 3, 1, 1, False),
                                     (256, 3, 1, 1, False), (256, 3, 1, 1, True)]:
            convs += [nn.Conv2d(c_in, c_out, k, stride=s, padding=p), nn.ReLU(inplace=True)]
            if pool:
                convs.append(nn.MaxPool2d(3, stride=2))
            c_in = c_out
        super().__init__(
            *convs,
            nn.AdaptiveAvgPool2d((6, 6)),
            nn.Flatten(1),
            nn.Dropout(0.5),
            nn.Linear(9216, 4096),
            nn.ReLU(inplace=True),
            nn.Dropout(0.5),
            nn.Linear(4096, 4096),
            nn.ReLU(inplace=True),
            nn.Linear(4096, num_classes),
        )
"""

# ---------------------------------------------------------------------------------- saliency_map

_SALIENCY_BACKWARD = """
def saliency_map(model, x, target):
    model.eval()
    x = x.clone().detach().requires_grad_()
    scores = model(x)
    scores[torch.arange(x.shape[0]), target].sum().backward()
    return x.grad.abs()
"""

_SALIENCY_TORCH_TENSOR = """
def saliency_map(model, x, target):
    model.eval()
    inputs = torch.tensor(x, requires_grad=True)  # warns: copy-constructing from a tensor
    picked = model(inputs).gather(1, target.unsqueeze(1))
    grad = torch.autograd.grad(picked.sum(), inputs)[0]
    return grad.abs().detach()
"""

_SALIENCY_ONE_HOT = """
def saliency_map(model, x, target):
    model.eval()
    x_in = x.detach().clone()
    x_in.requires_grad = True
    scores = model(x_in)
    mask = F.one_hot(target, num_classes=scores.shape[1]).to(scores.dtype)
    (scores * mask).sum().backward()
    return x_in.grad.detach().abs()
"""

_SALIENCY_PER_EXAMPLE = """
def saliency_map(model, x, target):
    was_training = model.training
    model.eval()
    maps = []
    for n in range(x.shape[0]):
        xn = x[n : n + 1].detach().clone().requires_grad_(True)
        score = model(xn)[0, target[n]]
        (g,) = torch.autograd.grad(score, xn)
        maps.append(g.abs())
    model.train(was_training)
    return torch.cat(maps).detach()
"""

_SALIENCY_FLOAT64 = """
def saliency_map(model, x, target):
    model.eval()
    x64 = x.detach().to(torch.float64).requires_grad_(True)
    scores = model.double()(x64)
    chosen = scores[range(len(target)), target]
    grads = torch.autograd.grad(chosen.sum(), x64)[0]
    model.float()
    return grads.abs().to(x.dtype)
"""

# -------------------------------------------------------------------------------- train_lenet5

_TRAIN_LENET5_ADAM_128 = """
def train_lenet5(x_train, y_train, device):
    torch.manual_seed(1)
    model = LeNet5().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(3):
        batches = data.batches(x_train.to(device), y_train.to(device), 128, shuffle=True, seed=epoch)
        print(epoch, train_one_epoch(model, batches, nn.CrossEntropyLoss(), optimizer, device))
    return model
"""

_TRAIN_LENET5_DATALOADER = """
from torch.utils.data import DataLoader, TensorDataset


def train_lenet5(x_train, y_train, device):
    model = LeNet5().to(device)
    loader = DataLoader(TensorDataset(x_train, y_train), batch_size=128, shuffle=True)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(3):
        train_one_epoch(model, loader, loss_fn, optimizer, device)
    return model
"""

_TRAIN_LENET5_SGD_MOMENTUM = """
def train_lenet5(x_train, y_train, device):
    model = LeNet5()
    model.to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(4):
        loss = train_one_epoch(model, data.batches(x_train, y_train, 128, seed=10 + epoch), loss_fn, optimizer, device)
        print(f"epoch {epoch}: {loss:.3f}")
    return model
"""

_TRAIN_LENET5_TQDM_WARNINGS = """
import warnings

from tqdm.auto import trange


def train_lenet5(x_train, y_train, device):
    warnings.warn("training on " + str(device))
    model = LeNet5().to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3)
    for epoch in trange(3, desc="epochs"):
        loss = train_one_epoch(model, data.batches(x_train, y_train, 200, shuffle=True, seed=epoch), F.cross_entropy, opt, device)
    return model
"""


ALTERNATIVES = [
    _alternative("lenet_functional_own_parameters", "LeNet5", _LENET_FUNCTIONAL),
    _alternative("lenet_own_block_classes_and_module_lists", "LeNet5", _LENET_OWN_BLOCKS),
    _alternative("lenet_one_sequential_with_flatten", "LeNet5", _LENET_ONE_SEQUENTIAL),
    _alternative("lenet_named_layers_output_registered_first", "LeNet5", _LENET_NAMED_LAYERS),
    _alternative("lenet_c5_as_a_convolution", "LeNet5", _LENET_C5_AS_CONVOLUTION),
    _alternative("lenet_sequential_subclass", "LeNet5", _LENET_SEQUENTIAL_SUBCLASS),
    _alternative("lenet_biases_as_broadcast_columns", "LeNet5", _LENET_BIAS_AS_COLUMN),
    _alternative("count_plain_loop", "count_parameters", _COUNT_LOOP),
    _alternative("count_deduplicated_by_id", "count_parameters", _COUNT_DEDUPLICATED_BY_ID),
    _alternative("count_named_parameters_numpy", "count_parameters", _COUNT_NAMED_NUMPY),
    _alternative("count_own_filter_helper_math_prod", "count_parameters", _COUNT_FILTER_MAP),
    _alternative("count_returns_numpy_integer", "count_parameters", _COUNT_NUMPY_INTEGER),
    _alternative("train_set_to_none_float_of_loss", "train_one_epoch", _TRAIN_SET_TO_NONE_FLOAT),
    _alternative("train_tqdm_progress_bar", "train_one_epoch", _TRAIN_TQDM),
    _alternative("train_tensor_sum_model_zero_grad", "train_one_epoch", _TRAIN_TENSOR_SUM_MODEL_ZERO_GRAD),
    _alternative("train_warns_and_prints", "train_one_epoch", _TRAIN_WARNS_AND_PRINTS),
    _alternative("train_cnnlib_progress_bar", "train_one_epoch", _TRAIN_CNNLIB_PROGRESS),
    _alternative("evaluate_float32_mean", "evaluate", _EVALUATE_FLOAT32_MEAN),
    _alternative("evaluate_decorator_restores_mode", "evaluate", _EVALUATE_DECORATOR_RESTORES_MODE),
    _alternative("evaluate_inference_mode_numpy", "evaluate", _EVALUATE_INFERENCE_MODE_NUMPY),
    _alternative("evaluate_tqdm_float32_division", "evaluate", _EVALUATE_TQDM_TENSOR_DIVISION),
    _alternative("evaluate_topk", "evaluate", _EVALUATE_TOPK),
    _alternative("alexnet_functional_parameter_lists", "AlexNet", _ALEXNET_FUNCTIONAL),
    _alternative("alexnet_own_block_classes", "AlexNet", _ALEXNET_OWN_BLOCKS),
    _alternative("alexnet_one_sequential", "AlexNet", _ALEXNET_ONE_SEQUENTIAL),
    _alternative("alexnet_named_layers_classifier_first", "AlexNet", _ALEXNET_NAMED_LAYERS),
    _alternative("alexnet_sequential_subclass", "AlexNet", _ALEXNET_SEQUENTIAL_SUBCLASS),
    _alternative("saliency_backward_and_x_grad", "saliency_map", _SALIENCY_BACKWARD),
    _alternative("saliency_torch_tensor_requires_grad", "saliency_map", _SALIENCY_TORCH_TENSOR),
    _alternative("saliency_one_hot_mask", "saliency_map", _SALIENCY_ONE_HOT),
    _alternative("saliency_one_example_at_a_time", "saliency_map", _SALIENCY_PER_EXAMPLE),
    _alternative("saliency_in_float64", "saliency_map", _SALIENCY_FLOAT64),
    _alternative("train_lenet5_adam_1e-3_batch_128_three_epochs", "train_lenet5", _TRAIN_LENET5_ADAM_128),
    _alternative("train_lenet5_dataloader_over_tensordataset", "train_lenet5", _TRAIN_LENET5_DATALOADER),
    _alternative("train_lenet5_sgd_with_momentum", "train_lenet5", _TRAIN_LENET5_SGD_MOMENTUM),
    _alternative(
        "train_lenet5_progress_bars_and_warning",
        "train_lenet5",
        _TRAIN_LENET5_TQDM_WARNINGS,
        also={"train_one_epoch": _TRAIN_TQDM.strip() + "\n"},
    ),
]
