"""cnnlib: the one shared library of the CNN course.

Every notebook imports it; nothing in it is copied into a notebook.

Modules
-------
runtime    fast mode, progress bars, the notebook set-up cell
device     device choice (``get_device``), seeding (``set_seed``), synchronised timing
validate   argument checks that raise ``ValueError`` naming the argument and its shape
data       MNIST, Fashion-MNIST, CIFAR-10 and the bundled 8x8 digits: download, verify, parse
plot       image grids, kernels, feature maps, PMFs, learning curves, confusion matrices
gradcheck  centred-difference numerical gradients and ``rel_error``
grading    the checks used by assignment test cells (``check_shape``, ``check_close``, ...)
conv       convolution arithmetic derived once in lectures 02-03: corr2d, conv_output_size, parameter counts,
           receptive_field; assert_matches, the one-line PyTorch check
figures_conv, figures_backprop, figures_arch   the figures of lectures 02-03, 04-06 and 07-09
answers, compare   what a check records while autograding, and how answers are compared (one rule for both sides)
"""

from cnnlib.device import get_device, set_seed
from cnnlib.runtime import NotebookSetup, fast_or_full, is_fast, progress, setup_notebook

__version__ = "0.1.0"

__all__ = [
    "NotebookSetup",
    "fast_or_full",
    "get_device",
    "is_fast",
    "progress",
    "set_seed",
    "setup_notebook",
]
