"""Settings every test inherits, including the kernels and nbgrader processes the tests start."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# With `pytest -n 2` two workers already share the two cores. A kernel that also starts one
# math thread per core makes PyTorch's threads wait on each other (LeNet training was measured
# about 60x slower that way), so each worker and everything it starts uses one thread.
if os.environ.get("PYTEST_XDIST_WORKER"):
    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(variable, "1")


# Headless Debian Chromium, driven by Playwright (which never downloads a browser here).
CHROMIUM = Path(os.environ.get("CNN_COURSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """The one headless Chromium of this test process, shared by the browser and the site tests.

    Playwright's sync API allows one instance per thread, so two folders each starting their own
    in one xdist worker fail. Without Chromium the tests that ask for it skip, unless
    ``CNN_COURSE_REQUIRE_BROWSER=1`` (set in CI) makes that a failure.
    """
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)"
        if os.environ.get("CNN_COURSE_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
