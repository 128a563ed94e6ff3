"""Settings every test inherits, including the kernels and nbgrader processes the tests start."""

from __future__ import annotations

import os

# With `pytest -n 2` two workers already share the two cores. A kernel that also starts one
# math thread per core makes PyTorch's threads wait on each other (LeNet training was measured
# about 60x slower that way), so each worker and everything it starts uses one thread.
if os.environ.get("PYTEST_XDIST_WORKER"):
    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
