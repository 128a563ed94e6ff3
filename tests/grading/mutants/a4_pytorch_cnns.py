"""Plausible wrong answers to assignment A4 (CNNs in PyTorch), one solution cell changed each.

Each mutant is a list of [old, new] edits of the solution cell (marker lines removed); the runner
(tests/grading/course.py, ``apply_patch``) applies them, each ``old`` exactly once, and fails loudly
if an edit stops applying after the solution changes. Every mutant must fail exactly the test cells
in ``fails``; see tests/grading/test_mutants.py.
"""

MUTANTS = [
    {
        # no padding in C1, flatten size adjusted to 256: runs, wrong parameter count
        "name": "lenet_no_padding_in_first_conv",
        "cell": "LeNet5",
        "patch": [
            ("            nn.Linear(16 * 5 * 5, 120),\n", "            nn.Linear(16 * 4 * 4, 120),\n"),
            (
                "            nn.Conv2d(in_channels, 6, kernel_size=5, padding=2),\n",
                "            nn.Conv2d(in_channels, 6, kernel_size=5),\n",
            ),
        ],
        "fails": ["test_LeNet5"],
        # Not autograded: trained, this network reaches 96.8% against the 97% bar, too close to
        # call, so whether it also loses test_train_lenet5 could depend on the machine's threads.
        "autograde": False,
    },
    {
        # returns probabilities instead of logits
        "name": "lenet_softmax_in_forward",
        "cell": "LeNet5",
        "patch": [
            (
                "        return self.classifier(torch.flatten(self.features(x), start_dim=1))",
                "        return torch.softmax(self.classifier(torch.flatten(self.features(x), start_dim=1)), dim=1)",
            ),
        ],
        "fails": ["test_LeNet5"],
        "autograde": False,
    },
    {
        # first convolution hard-coded to one input channel
        "name": "lenet_ignores_in_channels",
        "cell": "LeNet5",
        "patch": [
            (
                "            nn.Conv2d(in_channels, 6, kernel_size=5, padding=2),\n",
                "            nn.Conv2d(1, 6, kernel_size=5, padding=2),\n",
            ),
        ],
        "fails": ["test_LeNet5"],
        "autograde": False,
    },
    {
        # average pooling where max-pooling was asked for
        "name": "lenet_average_pooling",
        "cell": "LeNet5",
        "patch": [
            (
                "            nn.ReLU(),\n            nn.MaxPool2d(kernel_size=2, stride=2),\n        )\n",
                "            nn.ReLU(),\n            nn.AvgPool2d(kernel_size=2, stride=2),\n        )\n",
            ),
            (
                "            nn.MaxPool2d(kernel_size=2, stride=2),\n",
                "            nn.AvgPool2d(kernel_size=2, stride=2),\n",
            ),
        ],
        "fails": ["test_LeNet5"],
        "autograde": False,
    },
    {
        # forgot the ReLU after C5
        "name": "lenet_no_relu_after_first_linear",
        "cell": "LeNet5",
        "patch": [
            (
                "            nn.Linear(16 * 5 * 5, 120),\n            nn.ReLU(),\n            nn.Linear(120, 84),\n",
                "            nn.Linear(16 * 5 * 5, 120),\n            nn.Linear(120, 84),\n",
            ),
        ],
        "fails": ["test_LeNet5"],
        "autograde": False,
    },
    {
        # a ReLU after the output layer clips negative logits
        "name": "lenet_relu_on_logits",
        "cell": "LeNet5",
        "patch": [
            (
                "            nn.Linear(84, num_classes),\n        )\n",
                "            nn.Linear(84, num_classes),\n            nn.ReLU(),\n        )\n",
            ),
        ],
        "fails": ["test_LeNet5"],
        "autograde": False,
    },
    {
        # counts frozen parameters too
        "name": "count_includes_frozen_parameters",
        "cell": "count_parameters",
        "patch": [
            (
                "    return sum(p.numel() for p in model.parameters() if p.requires_grad)",
                "    return sum(p.numel() for p in model.parameters())",
            ),
        ],
        "fails": ["test_count_parameters"],
        "autograde": True,
    },
    {
        # counts tensors, not scalars
        "name": "count_tensors_not_elements",
        "cell": "count_parameters",
        "patch": [
            (
                "    return sum(p.numel() for p in model.parameters() if p.requires_grad)",
                "    return len([p for p in model.parameters() if p.requires_grad])",
            ),
        ],
        "fails": ["test_count_parameters"],
        "autograde": False,
    },
    {
        # forgets the biases
        "name": "count_only_weights",
        "cell": "count_parameters",
        "patch": [
            (
                "    return sum(p.numel() for p in model.parameters() if p.requires_grad)",
                '    return sum(p.numel() for name, p in model.named_parameters() if p.requires_grad and "weight" in name)',
            ),
        ],
        "fails": ["test_count_parameters"],
        "autograde": False,
    },
    {
        # loops over every module and its (recursive) parameters: nested blocks counted several times
        "name": "count_double_counts_nested_modules",
        "cell": "count_parameters",
        "patch": [
            (
                "    return sum(p.numel() for p in model.parameters() if p.requires_grad)",
                "    return sum(p.numel() for m in model.modules() for p in m.parameters() if p.requires_grad)",
            ),
        ],
        "fails": ["test_count_parameters"],
        "autograde": False,
    },
    {
        # len of each tensor, not numel
        "name": "count_first_dimension_only",
        "cell": "count_parameters",
        "patch": [
            (
                "    return sum(p.numel() for p in model.parameters() if p.requires_grad)",
                "    return sum(p.shape[0] for p in model.parameters() if p.requires_grad)",
            ),
        ],
        "fails": ["test_count_parameters"],
        "autograde": False,
    },
    {
        # gradients accumulate across batches
        "name": "train_forgot_zero_grad",
        "cell": "train_one_epoch",
        "patch": [
            ("        optimizer.zero_grad()\n", ""),
        ],
        "fails": ["test_train_one_epoch", "test_train_lenet5"],  # gradients pile up: training ends near 12%
        "autograde": True,
    },
    {
        # sum of the batch means
        "name": "train_returns_sum_of_batch_losses",
        "cell": "train_one_epoch",
        "patch": [
            ("    return total_loss / total_examples", "    return total_loss"),
            ("        total_loss += loss.item() * y.shape[0]\n", "        total_loss += loss.item()\n"),
        ],
        "fails": ["test_train_one_epoch"],
        "autograde": True,
    },
    {
        # mean of batch means, ignoring the short last batch
        "name": "train_unweighted_mean_of_batch_means",
        "cell": "train_one_epoch",
        "patch": [
            (
                "        total_loss += loss.item() * y.shape[0]\n        total_examples += y.shape[0]\n",
                "        total_loss += loss.item()\n        total_examples += 1\n",
            ),
        ],
        "fails": ["test_train_one_epoch"],
        "autograde": False,
    },
    {
        # a model left in eval mode trains without dropout / batch statistics
        "name": "train_forgot_model_train",
        "cell": "train_one_epoch",
        "patch": [
            ("    model.train()\n", ""),
        ],
        "fails": ["test_train_one_epoch"],
        "autograde": False,
    },
    {
        # works on the CPU only
        "name": "train_data_not_moved_to_device",
        "cell": "train_one_epoch",
        "patch": [
            ("        x, y = x.to(device), y.to(device)\n", ""),
        ],
        "fails": ["test_train_one_epoch"],
        "autograde": False,
    },
    {
        # steps with the previous batch's gradients
        "name": "train_step_before_backward",
        "cell": "train_one_epoch",
        "patch": [
            ("        optimizer.step()\n", ""),
            (
                "        loss = loss_fn(model(x), y)\n        loss.backward()\n",
                "        loss = loss_fn(model(x), y)\n        optimizer.step()\n        loss.backward()\n",
            ),
        ],
        "fails": ["test_train_one_epoch"],
        "autograde": False,
    },
    {
        # dropout and batch norm in training mode
        "name": "evaluate_without_eval_mode",
        "cell": "evaluate",
        "patch": [
            ("    model.eval()\n", ""),
        ],
        "fails": ["test_evaluate"],
        "autograde": True,
    },
    {
        # records gradients while evaluating
        "name": "evaluate_without_no_grad",
        "cell": "evaluate",
        "patch": [
            (
                "    with torch.no_grad():\n        for x, y in loader:\n            x, y = x.to(device), y.to(device)\n            correct += (model(x).argmax(dim=1) == y).sum().item()\n            total += y.shape[0]\n",
                "    for x, y in loader:\n        x, y = x.to(device), y.to(device)\n        correct += (model(x).argmax(dim=1) == y).sum().item()\n        total += y.shape[0]\n",
            ),
        ],
        "fails": ["test_evaluate"],
        "autograde": False,
    },
    {
        # returns the number of correct examples
        "name": "evaluate_returns_count",
        "cell": "evaluate",
        "patch": [
            ("    return correct / total", "    return correct"),
        ],
        "fails": ["test_evaluate"],
        "autograde": False,
    },
    {
        # averages batch accuracies, ignoring the short last batch
        "name": "evaluate_mean_of_batch_accuracies",
        "cell": "evaluate",
        "patch": [
            (
                "            correct += (model(x).argmax(dim=1) == y).sum().item()\n            total += y.shape[0]\n",
                "            correct += (model(x).argmax(dim=1) == y).float().mean().item()\n            total += 1\n",
            ),
        ],
        "fails": ["test_evaluate"],
        "autograde": False,
    },
    {
        # works on the CPU only
        "name": "evaluate_data_not_moved_to_device",
        "cell": "evaluate",
        "patch": [
            ("            x, y = x.to(device), y.to(device)\n", ""),
        ],
        "fails": ["test_evaluate"],
        "autograde": False,
    },
    {
        # the 2012 paper's 256 channels in conv2 instead of 192
        "name": "alexnet_conv2_256_channels",
        "cell": "AlexNet",
        "patch": [
            (
                "            nn.Conv2d(192, 384, kernel_size=3, padding=1),\n",
                "            nn.Conv2d(256, 384, kernel_size=3, padding=1),\n",
            ),
            (
                "            nn.Conv2d(64, 192, kernel_size=5, padding=2),\n",
                "            nn.Conv2d(64, 256, kernel_size=5, padding=2),\n",
            ),
        ],
        "fails": ["test_AlexNet"],
        "autograde": True,
    },
    {
        # classifier of 2048 units
        "name": "alexnet_hidden_2048",
        "cell": "AlexNet",
        "patch": [
            ("            nn.Linear(4096, num_classes),\n", "            nn.Linear(2048, num_classes),\n"),
            ("            nn.Linear(4096, 4096),\n", "            nn.Linear(2048, 2048),\n"),
            ("            nn.Linear(256 * 6 * 6, 4096),\n", "            nn.Linear(256 * 6 * 6, 2048),\n"),
        ],
        "fails": ["test_AlexNet"],
        "autograde": False,
    },
    {
        # forgot the dropout layers
        "name": "alexnet_no_dropout",
        "cell": "AlexNet",
        "patch": [
            (
                "            nn.ReLU(inplace=True),\n            nn.Dropout(p=0.5),\n            nn.Linear(4096, 4096),\n",
                "            nn.ReLU(inplace=True),\n            nn.Linear(4096, 4096),\n",
            ),
            ("            nn.Dropout(p=0.5),\n", ""),
        ],
        "fails": ["test_AlexNet"],
        "autograde": False,
    },
    {
        # first convolution hard-coded to RGB
        "name": "alexnet_ignores_in_channels",
        "cell": "AlexNet",
        "patch": [
            (
                "            nn.Conv2d(in_channels, 64, kernel_size=11, stride=4, padding=2),\n",
                "            nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=2),\n",
            ),
        ],
        "fails": ["test_AlexNet"],
        "autograde": False,
    },
    {
        # ImageNet's 1000 outputs hard-coded
        "name": "alexnet_ignores_num_classes",
        "cell": "AlexNet",
        "patch": [
            ("            nn.Linear(4096, num_classes),\n", "            nn.Linear(4096, 1000),\n"),
        ],
        "fails": ["test_AlexNet"],
        "autograde": False,
    },
    {
        # signed gradient
        "name": "saliency_without_abs",
        "cell": "saliency_map",
        "patch": [
            ("    return grad.abs()", "    return grad"),
        ],
        "fails": ["test_saliency_map"],
        "autograde": True,
    },
    {
        # gradient of the cross-entropy loss instead of the class score
        "name": "saliency_of_the_loss",
        "cell": "saliency_map",
        "patch": [
            (
                "    picked = scores.gather(1, target.view(-1, 1)).sum()\n",
                "    picked = F.cross_entropy(scores, target)\n",
            ),
        ],
        "fails": ["test_saliency_map"],
        "autograde": False,
    },
    {
        # gradient of the probability instead of the logit
        "name": "saliency_of_softmax_probability",
        "cell": "saliency_map",
        "patch": [
            (
                "    picked = scores.gather(1, target.view(-1, 1)).sum()\n",
                "    picked = torch.softmax(scores, dim=1).gather(1, target.view(-1, 1)).sum()\n",
            ),
        ],
        "fails": ["test_saliency_map"],
        "autograde": False,
    },
    {
        # dropout still on
        "name": "saliency_in_train_mode",
        "cell": "saliency_map",
        "patch": [
            ("    model.eval()\n", ""),
        ],
        "fails": ["test_saliency_map"],
        "autograde": False,
    },
    {
        # scores[:, target] picks every target for every example
        "name": "saliency_wrong_indexing",
        "cell": "saliency_map",
        "patch": [
            ("    picked = scores.gather(1, target.view(-1, 1)).sum()\n", "    picked = scores[:, target].sum()\n"),
        ],
        "fails": ["test_saliency_map"],
        "autograde": False,
    },
    {
        # autograd has nothing to differentiate
        "name": "saliency_forgets_requires_grad",
        "cell": "saliency_map",
        "patch": [
            ("    x = x.detach().clone().requires_grad_(True)\n", "    x = x.detach().clone()\n"),
        ],
        "fails": ["test_saliency_map"],
        "autograde": False,
    },
    # ------------------------------------------------ the models and loops taken from cnnlib instead of written
    {
        # a class of one's own around cnnlib's LeNet-5: passes a name-based check, not the code check
        "name": "lenet_wraps_cnnlib_model",
        "cell": "LeNet5",
        "source": (
            "import cnnlib.models\n\n\n"
            "class LeNet5(nn.Module):\n"
            "    def __init__(self, num_classes=10, in_channels=1):\n"
            "        super().__init__()\n"
            "        self.net = cnnlib.models.lenet5(num_classes=num_classes, in_channels=in_channels)\n\n"
            "    def forward(self, x):\n"
            "        return self.net(x)\n"
        ),
        "fails": ["test_LeNet5", "test_train_lenet5"],  # training builds it too, so cnnlib's code runs there
        "autograde": False,
    },
    {
        "name": "count_imported_from_cnnlib",
        "cell": "count_parameters",
        "source": "from cnnlib.models import count_parameters\n",
        "fails": ["test_count_parameters"],
        "autograde": False,
    },
    {
        # a def of one's own that only calls cnnlib's function
        "name": "count_wraps_cnnlib",
        "cell": "count_parameters",
        "source": (
            "import cnnlib.models\n\n\ndef count_parameters(model):\n    return cnnlib.models.count_parameters(model)\n"
        ),
        "fails": ["test_count_parameters"],
        "autograde": False,
    },
    {
        "name": "train_imported_from_cnnlib",
        "cell": "train_one_epoch",
        "source": "from cnnlib.training import train_epoch as train_one_epoch\n",
        "fails": ["test_train_one_epoch", "test_train_lenet5"],  # train_lenet5 calls it
        "autograde": False,
    },
    {
        "name": "train_wraps_cnnlib",
        "cell": "train_one_epoch",
        "source": (
            "from cnnlib import training\n\n\n"
            "def train_one_epoch(model, loader, loss_fn, optimizer, device):\n"
            "    return training.train_epoch(model, loader, loss_fn, optimizer, device)\n"
        ),
        "fails": ["test_train_one_epoch", "test_train_lenet5"],
        "autograde": False,
    },
    {
        "name": "evaluate_imported_from_cnnlib",
        "cell": "evaluate",
        "source": "from cnnlib.training import evaluate\n",
        "fails": ["test_evaluate"],
        "autograde": False,
    },
    {
        "name": "alexnet_wraps_cnnlib_model",
        "cell": "AlexNet",
        "source": (
            "from cnnlib.models import alexnet\n\n\n"
            "class AlexNet(nn.Module):\n"
            "    def __init__(self, num_classes=10, in_channels=1):\n"
            "        super().__init__()\n"
            "        self.inner = alexnet(num_classes=num_classes, in_channels=in_channels)\n\n"
            "    def forward(self, x):\n"
            "        return self.inner(x)\n"
        ),
        "fails": ["test_AlexNet"],
        "autograde": False,
    },
    {
        # requires_grad_ on the caller's tensor itself
        "name": "saliency_changes_callers_x",
        "cell": "saliency_map",
        "patch": [
            ("    x = x.detach().clone().requires_grad_(True)\n", "    x.requires_grad_(True)\n"),
        ],
        "fails": ["test_saliency_map"],
        "autograde": False,
    },
]

TRAINING_MUTANTS = [
    {
        # forgets to train: an untrained network guesses
        "name": "train_lenet5_returns_untrained_model",
        "cell": "train_lenet5",
        "patch": [
            ("    for epoch in range(4):\n", "    for epoch in range(0):\n"),
        ],
        "fails": ["test_train_lenet5"],
        "autograde": False,
    },
    {
        # trains cnnlib's LeNet-5 instead of the notebook's own
        "name": "train_lenet5_trains_cnnlib_model",
        "cell": "train_lenet5",
        "patch": [
            (
                "    model = LeNet5().to(device)\n",
                "    from cnnlib.models import lenet5\n\n    model = lenet5().to(device)\n",
            ),
        ],
        "fails": ["test_train_lenet5"],
        "autograde": False,
    },
]
