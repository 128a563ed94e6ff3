"""Plausible wrong answers to assignment A4 (CNNs in PyTorch), one solution cell replaced each.

Every mutant must fail exactly the test cells in ``fails``; see tests/grading/test_mutants.py.
"""

MUTANTS = [
    {
        # no padding in C1, flatten size adjusted to 256: runs, wrong parameter count
        "name": "lenet_no_padding_in_first_conv",
        "cell": "LeNet5",
        "source": '''class LeNet5(nn.Module):
    """LeNet-5 with ReLU and max-pooling (the table above).

    x: (N, in_channels, 28, 28) -> logits (N, num_classes), no softmax.
    """

    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 6, kernel_size=5),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
            nn.Conv2d(6, 16, kernel_size=5),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
        )
        self.classifier = nn.Sequential(
            nn.Linear(16 * 4 * 4, 120),
            nn.ReLU(),
            nn.Linear(120, 84),
            nn.ReLU(),
            nn.Linear(84, num_classes),
        )

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), start_dim=1))''',
        "fails": ["test_LeNet5"],
        # Not autograded: trained, this network reaches 96.8% against the 97% bar, too close to
        # call, so whether it also loses test_train_lenet5 could depend on the machine's threads.
        "autograde": False,
    },
    {
        # returns probabilities instead of logits
        "name": "lenet_softmax_in_forward",
        "cell": "LeNet5",
        "source": '''class LeNet5(nn.Module):
    """LeNet-5 with ReLU and max-pooling (the table above).

    x: (N, in_channels, 28, 28) -> logits (N, num_classes), no softmax.
    """

    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 6, kernel_size=5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
            nn.Conv2d(6, 16, kernel_size=5),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
        )
        self.classifier = nn.Sequential(
            nn.Linear(16 * 5 * 5, 120),
            nn.ReLU(),
            nn.Linear(120, 84),
            nn.ReLU(),
            nn.Linear(84, num_classes),
        )

    def forward(self, x):
        return torch.softmax(self.classifier(torch.flatten(self.features(x), start_dim=1)), dim=1)''',
        "fails": ["test_LeNet5"],
        "autograde": False,
    },
    {
        # first convolution hard-coded to one input channel
        "name": "lenet_ignores_in_channels",
        "cell": "LeNet5",
        "source": '''class LeNet5(nn.Module):
    """LeNet-5 with ReLU and max-pooling (the table above).

    x: (N, in_channels, 28, 28) -> logits (N, num_classes), no softmax.
    """

    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, kernel_size=5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
            nn.Conv2d(6, 16, kernel_size=5),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
        )
        self.classifier = nn.Sequential(
            nn.Linear(16 * 5 * 5, 120),
            nn.ReLU(),
            nn.Linear(120, 84),
            nn.ReLU(),
            nn.Linear(84, num_classes),
        )

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), start_dim=1))''',
        "fails": ["test_LeNet5"],
        "autograde": False,
    },
    {
        # average pooling where max-pooling was asked for
        "name": "lenet_average_pooling",
        "cell": "LeNet5",
        "source": '''class LeNet5(nn.Module):
    """LeNet-5 with ReLU and max-pooling (the table above).

    x: (N, in_channels, 28, 28) -> logits (N, num_classes), no softmax.
    """

    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 6, kernel_size=5, padding=2),
            nn.ReLU(),
            nn.AvgPool2d(kernel_size=2, stride=2),
            nn.Conv2d(6, 16, kernel_size=5),
            nn.ReLU(),
            nn.AvgPool2d(kernel_size=2, stride=2),
        )
        self.classifier = nn.Sequential(
            nn.Linear(16 * 5 * 5, 120),
            nn.ReLU(),
            nn.Linear(120, 84),
            nn.ReLU(),
            nn.Linear(84, num_classes),
        )

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), start_dim=1))''',
        "fails": ["test_LeNet5"],
        "autograde": False,
    },
    {
        # forgot the ReLU after C5
        "name": "lenet_no_relu_after_first_linear",
        "cell": "LeNet5",
        "source": '''class LeNet5(nn.Module):
    """LeNet-5 with ReLU and max-pooling (the table above).

    x: (N, in_channels, 28, 28) -> logits (N, num_classes), no softmax.
    """

    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 6, kernel_size=5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
            nn.Conv2d(6, 16, kernel_size=5),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
        )
        self.classifier = nn.Sequential(
            nn.Linear(16 * 5 * 5, 120),
            nn.Linear(120, 84),
            nn.ReLU(),
            nn.Linear(84, num_classes),
        )

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), start_dim=1))''',
        "fails": ["test_LeNet5"],
        "autograde": False,
    },
    {
        # a ReLU after the output layer clips negative logits
        "name": "lenet_relu_on_logits",
        "cell": "LeNet5",
        "source": '''class LeNet5(nn.Module):
    """LeNet-5 with ReLU and max-pooling (the table above).

    x: (N, in_channels, 28, 28) -> logits (N, num_classes), no softmax.
    """

    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 6, kernel_size=5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
            nn.Conv2d(6, 16, kernel_size=5),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
        )
        self.classifier = nn.Sequential(
            nn.Linear(16 * 5 * 5, 120),
            nn.ReLU(),
            nn.Linear(120, 84),
            nn.ReLU(),
            nn.Linear(84, num_classes),
            nn.ReLU(),
        )

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), start_dim=1))''',
        "fails": ["test_LeNet5"],
        "autograde": False,
    },
    {
        # counts frozen parameters too
        "name": "count_includes_frozen_parameters",
        "cell": "count_parameters",
        "source": '''def count_parameters(model):
    """Number of trainable scalar parameters of model (an int).

    Parameters with requires_grad=False are not counted; a shared parameter counts once.
    """
    return sum(p.numel() for p in model.parameters())''',
        "fails": ["test_count_parameters"],
        "autograde": True,
    },
    {
        # counts tensors, not scalars
        "name": "count_tensors_not_elements",
        "cell": "count_parameters",
        "source": '''def count_parameters(model):
    """Number of trainable scalar parameters of model (an int).

    Parameters with requires_grad=False are not counted; a shared parameter counts once.
    """
    return len([p for p in model.parameters() if p.requires_grad])''',
        "fails": ["test_count_parameters"],
        "autograde": False,
    },
    {
        # forgets the biases
        "name": "count_only_weights",
        "cell": "count_parameters",
        "source": '''def count_parameters(model):
    """Number of trainable scalar parameters of model (an int).

    Parameters with requires_grad=False are not counted; a shared parameter counts once.
    """
    return sum(p.numel() for name, p in model.named_parameters() if p.requires_grad and "weight" in name)''',
        "fails": ["test_count_parameters"],
        "autograde": False,
    },
    {
        # loops over every module and its (recursive) parameters: nested blocks counted several times
        "name": "count_double_counts_nested_modules",
        "cell": "count_parameters",
        "source": '''def count_parameters(model):
    """Number of trainable scalar parameters of model (an int).

    Parameters with requires_grad=False are not counted; a shared parameter counts once.
    """
    return sum(p.numel() for m in model.modules() for p in m.parameters() if p.requires_grad)''',
        "fails": ["test_count_parameters"],
        "autograde": False,
    },
    {
        # len of each tensor, not numel
        "name": "count_first_dimension_only",
        "cell": "count_parameters",
        "source": '''def count_parameters(model):
    """Number of trainable scalar parameters of model (an int).

    Parameters with requires_grad=False are not counted; a shared parameter counts once.
    """
    return sum(p.shape[0] for p in model.parameters() if p.requires_grad)''',
        "fails": ["test_count_parameters"],
        "autograde": False,
    },
    {
        # gradients accumulate across batches
        "name": "train_forgot_zero_grad",
        "cell": "train_one_epoch",
        "source": '''def train_one_epoch(model, loader, loss_fn, optimizer, device):
    """Train model for one pass over loader and return the mean loss per example (a float).

    loader: iterable of (x, y), x (B, C, H, W), y (B,) int64; moved to device batch by batch.
    loss_fn(scores, y) returns the batch's mean loss; weight it by B. Runs in train mode.
    """
    model.train()
    total_loss, total_examples = 0.0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * y.shape[0]
        total_examples += y.shape[0]
    return total_loss / total_examples''',
        "fails": ["test_train_one_epoch", "test_train_lenet5"],  # gradients pile up: training ends near 12%
        "autograde": True,
    },
    {
        # sum of the batch means
        "name": "train_returns_sum_of_batch_losses",
        "cell": "train_one_epoch",
        "source": '''def train_one_epoch(model, loader, loss_fn, optimizer, device):
    """Train model for one pass over loader and return the mean loss per example (a float).

    loader: iterable of (x, y), x (B, C, H, W), y (B,) int64; moved to device batch by batch.
    loss_fn(scores, y) returns the batch's mean loss; weight it by B. Runs in train mode.
    """
    model.train()
    total_loss, total_examples = 0.0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        total_loss += loss.item()
        total_examples += y.shape[0]
    return total_loss''',
        "fails": ["test_train_one_epoch"],
        "autograde": True,
    },
    {
        # mean of batch means, ignoring the short last batch
        "name": "train_unweighted_mean_of_batch_means",
        "cell": "train_one_epoch",
        "source": '''def train_one_epoch(model, loader, loss_fn, optimizer, device):
    """Train model for one pass over loader and return the mean loss per example (a float).

    loader: iterable of (x, y), x (B, C, H, W), y (B,) int64; moved to device batch by batch.
    loss_fn(scores, y) returns the batch's mean loss; weight it by B. Runs in train mode.
    """
    model.train()
    total_loss, total_examples = 0.0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        total_loss += loss.item()
        total_examples += 1
    return total_loss / total_examples''',
        "fails": ["test_train_one_epoch"],
        "autograde": False,
    },
    {
        # a model left in eval mode trains without dropout / batch statistics
        "name": "train_forgot_model_train",
        "cell": "train_one_epoch",
        "source": '''def train_one_epoch(model, loader, loss_fn, optimizer, device):
    """Train model for one pass over loader and return the mean loss per example (a float).

    loader: iterable of (x, y), x (B, C, H, W), y (B,) int64; moved to device batch by batch.
    loss_fn(scores, y) returns the batch's mean loss; weight it by B. Runs in train mode.
    """
    total_loss, total_examples = 0.0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * y.shape[0]
        total_examples += y.shape[0]
    return total_loss / total_examples''',
        "fails": ["test_train_one_epoch"],
        "autograde": False,
    },
    {
        # works on the CPU only
        "name": "train_data_not_moved_to_device",
        "cell": "train_one_epoch",
        "source": '''def train_one_epoch(model, loader, loss_fn, optimizer, device):
    """Train model for one pass over loader and return the mean loss per example (a float).

    loader: iterable of (x, y), x (B, C, H, W), y (B,) int64; moved to device batch by batch.
    loss_fn(scores, y) returns the batch's mean loss; weight it by B. Runs in train mode.
    """
    model.train()
    total_loss, total_examples = 0.0, 0
    for x, y in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * y.shape[0]
        total_examples += y.shape[0]
    return total_loss / total_examples''',
        "fails": ["test_train_one_epoch"],
        "autograde": False,
    },
    {
        # steps with the previous batch's gradients
        "name": "train_step_before_backward",
        "cell": "train_one_epoch",
        "source": '''def train_one_epoch(model, loader, loss_fn, optimizer, device):
    """Train model for one pass over loader and return the mean loss per example (a float).

    loader: iterable of (x, y), x (B, C, H, W), y (B,) int64; moved to device batch by batch.
    loss_fn(scores, y) returns the batch's mean loss; weight it by B. Runs in train mode.
    """
    model.train()
    total_loss, total_examples = 0.0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        optimizer.step()
        loss.backward()
        total_loss += loss.item() * y.shape[0]
        total_examples += y.shape[0]
    return total_loss / total_examples''',
        "fails": ["test_train_one_epoch"],
        "autograde": False,
    },
    {
        # dropout and batch norm in training mode
        "name": "evaluate_without_eval_mode",
        "cell": "evaluate",
        "source": '''def evaluate(model, loader, device):
    """Accuracy of model over loader (a float in [0, 1]), in eval mode without gradients.

    loader: iterable of (x, y), x (B, C, H, W), y (B,) int64; moved to device batch by batch.
    A prediction is the class with the largest score; count examples, not batches.
    """
    correct, total = 0, 0
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            correct += (model(x).argmax(dim=1) == y).sum().item()
            total += y.shape[0]
    return correct / total''',
        "fails": ["test_evaluate"],
        "autograde": True,
    },
    {
        # records gradients while evaluating
        "name": "evaluate_without_no_grad",
        "cell": "evaluate",
        "source": '''def evaluate(model, loader, device):
    """Accuracy of model over loader (a float in [0, 1]), in eval mode without gradients.

    loader: iterable of (x, y), x (B, C, H, W), y (B,) int64; moved to device batch by batch.
    A prediction is the class with the largest score; count examples, not batches.
    """
    model.eval()
    correct, total = 0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        correct += (model(x).argmax(dim=1) == y).sum().item()
        total += y.shape[0]
    return correct / total''',
        "fails": ["test_evaluate"],
        "autograde": False,
    },
    {
        # returns the number of correct examples
        "name": "evaluate_returns_count",
        "cell": "evaluate",
        "source": '''def evaluate(model, loader, device):
    """Accuracy of model over loader (a float in [0, 1]), in eval mode without gradients.

    loader: iterable of (x, y), x (B, C, H, W), y (B,) int64; moved to device batch by batch.
    A prediction is the class with the largest score; count examples, not batches.
    """
    model.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            correct += (model(x).argmax(dim=1) == y).sum().item()
            total += y.shape[0]
    return correct''',
        "fails": ["test_evaluate"],
        "autograde": False,
    },
    {
        # averages batch accuracies, ignoring the short last batch
        "name": "evaluate_mean_of_batch_accuracies",
        "cell": "evaluate",
        "source": '''def evaluate(model, loader, device):
    """Accuracy of model over loader (a float in [0, 1]), in eval mode without gradients.

    loader: iterable of (x, y), x (B, C, H, W), y (B,) int64; moved to device batch by batch.
    A prediction is the class with the largest score; count examples, not batches.
    """
    model.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            correct += (model(x).argmax(dim=1) == y).float().mean().item()
            total += 1
    return correct / total''',
        "fails": ["test_evaluate"],
        "autograde": False,
    },
    {
        # works on the CPU only
        "name": "evaluate_data_not_moved_to_device",
        "cell": "evaluate",
        "source": '''def evaluate(model, loader, device):
    """Accuracy of model over loader (a float in [0, 1]), in eval mode without gradients.

    loader: iterable of (x, y), x (B, C, H, W), y (B,) int64; moved to device batch by batch.
    A prediction is the class with the largest score; count examples, not batches.
    """
    model.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for x, y in loader:
            correct += (model(x).argmax(dim=1) == y).sum().item()
            total += y.shape[0]
    return correct / total''',
        "fails": ["test_evaluate"],
        "autograde": False,
    },
    {
        # the 2012 paper's 256 channels in conv2 instead of 192
        "name": "alexnet_conv2_256_channels",
        "cell": "AlexNet",
        "source": '''class AlexNet(nn.Module):
    """AlexNet in the single-GPU layout (the table above).

    x: (N, in_channels, 224, 224) -> logits (N, num_classes).
    """

    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 64, kernel_size=11, stride=4, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(64, 256, kernel_size=5, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(256, 384, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
        )
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(p=0.5),
            nn.Linear(256 * 6 * 6, 4096),
            nn.ReLU(inplace=True),
            nn.Dropout(p=0.5),
            nn.Linear(4096, 4096),
            nn.ReLU(inplace=True),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x):
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, start_dim=1))''',
        "fails": ["test_AlexNet"],
        "autograde": True,
    },
    {
        # classifier of 2048 units
        "name": "alexnet_hidden_2048",
        "cell": "AlexNet",
        "source": '''class AlexNet(nn.Module):
    """AlexNet in the single-GPU layout (the table above).

    x: (N, in_channels, 224, 224) -> logits (N, num_classes).
    """

    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 64, kernel_size=11, stride=4, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(64, 192, kernel_size=5, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(192, 384, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
        )
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(p=0.5),
            nn.Linear(256 * 6 * 6, 2048),
            nn.ReLU(inplace=True),
            nn.Dropout(p=0.5),
            nn.Linear(2048, 2048),
            nn.ReLU(inplace=True),
            nn.Linear(2048, num_classes),
        )

    def forward(self, x):
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, start_dim=1))''',
        "fails": ["test_AlexNet"],
        "autograde": False,
    },
    {
        # forgot the dropout layers
        "name": "alexnet_no_dropout",
        "cell": "AlexNet",
        "source": '''class AlexNet(nn.Module):
    """AlexNet in the single-GPU layout (the table above).

    x: (N, in_channels, 224, 224) -> logits (N, num_classes).
    """

    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 64, kernel_size=11, stride=4, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(64, 192, kernel_size=5, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(192, 384, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
        )
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Linear(256 * 6 * 6, 4096),
            nn.ReLU(inplace=True),
            nn.Linear(4096, 4096),
            nn.ReLU(inplace=True),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x):
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, start_dim=1))''',
        "fails": ["test_AlexNet"],
        "autograde": False,
    },
    {
        # first convolution hard-coded to RGB
        "name": "alexnet_ignores_in_channels",
        "cell": "AlexNet",
        "source": '''class AlexNet(nn.Module):
    """AlexNet in the single-GPU layout (the table above).

    x: (N, in_channels, 224, 224) -> logits (N, num_classes).
    """

    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(64, 192, kernel_size=5, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(192, 384, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
        )
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(p=0.5),
            nn.Linear(256 * 6 * 6, 4096),
            nn.ReLU(inplace=True),
            nn.Dropout(p=0.5),
            nn.Linear(4096, 4096),
            nn.ReLU(inplace=True),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x):
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, start_dim=1))''',
        "fails": ["test_AlexNet"],
        "autograde": False,
    },
    {
        # ImageNet's 1000 outputs hard-coded
        "name": "alexnet_ignores_num_classes",
        "cell": "AlexNet",
        "source": '''class AlexNet(nn.Module):
    """AlexNet in the single-GPU layout (the table above).

    x: (N, in_channels, 224, 224) -> logits (N, num_classes).
    """

    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 64, kernel_size=11, stride=4, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(64, 192, kernel_size=5, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(192, 384, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
        )
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(p=0.5),
            nn.Linear(256 * 6 * 6, 4096),
            nn.ReLU(inplace=True),
            nn.Dropout(p=0.5),
            nn.Linear(4096, 4096),
            nn.ReLU(inplace=True),
            nn.Linear(4096, 1000),
        )

    def forward(self, x):
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, start_dim=1))''',
        "fails": ["test_AlexNet"],
        "autograde": False,
    },
    {
        # signed gradient
        "name": "saliency_without_abs",
        "cell": "saliency_map",
        "source": '''def saliency_map(model, x, target):
    """Saliency |d score[n, target[n]] / d x[n]| of every example, in eval mode.

    x: (N, C, H, W) float; target: (N,) int64 class indices.
    Returns a non-negative tensor (N, C, H, W) without gradient history; x is not changed.
    """
    model.eval()
    x = x.detach().clone().requires_grad_(True)
    scores = model(x)
    picked = scores.gather(1, target.view(-1, 1)).sum()
    (grad,) = torch.autograd.grad(picked, x)
    return grad''',
        "fails": ["test_saliency_map"],
        "autograde": True,
    },
    {
        # gradient of the cross-entropy loss instead of the class score
        "name": "saliency_of_the_loss",
        "cell": "saliency_map",
        "source": '''def saliency_map(model, x, target):
    """Saliency |d score[n, target[n]] / d x[n]| of every example, in eval mode.

    x: (N, C, H, W) float; target: (N,) int64 class indices.
    Returns a non-negative tensor (N, C, H, W) without gradient history; x is not changed.
    """
    model.eval()
    x = x.detach().clone().requires_grad_(True)
    scores = model(x)
    picked = F.cross_entropy(scores, target)
    (grad,) = torch.autograd.grad(picked, x)
    return grad.abs()''',
        "fails": ["test_saliency_map"],
        "autograde": False,
    },
    {
        # gradient of the probability instead of the logit
        "name": "saliency_of_softmax_probability",
        "cell": "saliency_map",
        "source": '''def saliency_map(model, x, target):
    """Saliency |d score[n, target[n]] / d x[n]| of every example, in eval mode.

    x: (N, C, H, W) float; target: (N,) int64 class indices.
    Returns a non-negative tensor (N, C, H, W) without gradient history; x is not changed.
    """
    model.eval()
    x = x.detach().clone().requires_grad_(True)
    scores = model(x)
    picked = torch.softmax(scores, dim=1).gather(1, target.view(-1, 1)).sum()
    (grad,) = torch.autograd.grad(picked, x)
    return grad.abs()''',
        "fails": ["test_saliency_map"],
        "autograde": False,
    },
    {
        # dropout still on
        "name": "saliency_in_train_mode",
        "cell": "saliency_map",
        "source": '''def saliency_map(model, x, target):
    """Saliency |d score[n, target[n]] / d x[n]| of every example, in eval mode.

    x: (N, C, H, W) float; target: (N,) int64 class indices.
    Returns a non-negative tensor (N, C, H, W) without gradient history; x is not changed.
    """
    x = x.detach().clone().requires_grad_(True)
    scores = model(x)
    picked = scores.gather(1, target.view(-1, 1)).sum()
    (grad,) = torch.autograd.grad(picked, x)
    return grad.abs()''',
        "fails": ["test_saliency_map"],
        "autograde": False,
    },
    {
        # scores[:, target] picks every target for every example
        "name": "saliency_wrong_indexing",
        "cell": "saliency_map",
        "source": '''def saliency_map(model, x, target):
    """Saliency |d score[n, target[n]] / d x[n]| of every example, in eval mode.

    x: (N, C, H, W) float; target: (N,) int64 class indices.
    Returns a non-negative tensor (N, C, H, W) without gradient history; x is not changed.
    """
    model.eval()
    x = x.detach().clone().requires_grad_(True)
    scores = model(x)
    picked = scores[:, target].sum()
    (grad,) = torch.autograd.grad(picked, x)
    return grad.abs()''',
        "fails": ["test_saliency_map"],
        "autograde": False,
    },
    {
        # autograd has nothing to differentiate
        "name": "saliency_forgets_requires_grad",
        "cell": "saliency_map",
        "source": '''def saliency_map(model, x, target):
    """Saliency |d score[n, target[n]] / d x[n]| of every example, in eval mode.

    x: (N, C, H, W) float; target: (N,) int64 class indices.
    Returns a non-negative tensor (N, C, H, W) without gradient history; x is not changed.
    """
    model.eval()
    x = x.detach().clone()
    scores = model(x)
    picked = scores.gather(1, target.view(-1, 1)).sum()
    (grad,) = torch.autograd.grad(picked, x)
    return grad.abs()''',
        "fails": ["test_saliency_map"],
        "autograde": False,
    },
]
