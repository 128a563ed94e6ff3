"""Helpers of the JupyterHub test: the class, its users' servers, the browser's thread, borrowed helpers.

The class is set up from lib/instructor/deploy/jupyterhub/ exactly as its README says.

The fixture runs the deployment's own set-up script (system users for one instructor and two students,
the class folder with nbgrader's exchange, the course copied into the instructor's home), starts
JupyterHub 6 with the deployment's jupyterhub_config.py (the hub starts configurable-http-proxy), on
127.0.0.1 and free ports, with random passwords. Afterwards it stops the hub (which stops the proxy
and every user's server) and runs the set-up script's `remove`, which deletes the users, their homes
and the class folder. The users' kernels run in fast mode (``CNN_COURSE_FAST=1``).

Needs root (system users), jupyterhub in this environment, configurable-http-proxy (`setup_hub.py
install`, or on PATH) and Debian's chromium. Without one of them the test skips, unless
``CNN_COURSE_REQUIRE_BROWSER=1`` (set in CI) makes that a failure.

The browser part runs in a thread of its own with its own Playwright: Playwright's sync API allows one
instance per thread, and the browser tests' session-wide instance may be alive in the main thread.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY = REPO_ROOT / "lib" / "instructor" / "deploy" / "jupyterhub"
ARTIFACTS = REPO_ROOT / "test-artifacts" / "hub"


def load(name: str, path: Path):
    """Import a helper module of another test folder by its path (test folders are not packages)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is being made
    spec.loader.exec_module(module)
    return module


# Chromium's path and arguments (root_kit). The browser tests' helpers: free ports, stopping a server, quiet
# JupyterLab settings (browser_kit); opening, running, editing and photographing notebooks (lab_kit).
root_kit = load("hub_root_conftest", REPO_ROOT / "tests" / "conftest.py")
browser_kit = load("hub_browser_conftest", REPO_ROOT / "tests" / "browser" / "conftest.py")
lab_kit = load("hub_browser_helpers", REPO_ROOT / "tests" / "browser" / "test_jupyterlab.py")
# The grading tests' course helpers: solution sources as a student types them, hidden-test regions.
course_kit = load("hub_grading_course", REPO_ROOT / "tests" / "grading" / "course.py")


@dataclass
class Hub:
    """A running class: where to reach it, who is in it, where its files are."""

    base_url: str
    instructor: str
    students: tuple[str, ...]
    student_password: str
    instructor_password: str
    state: Path
    env: dict[str, str]
    log: Path
    homes: dict[str, Path] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def password(self, user: str) -> str:
        return self.instructor_password if user == self.instructor else self.student_password

    @property
    def course_dir(self) -> Path:
        return self.homes[self.instructor] / "cnn-course"

    def setup_script(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        """Run lib/instructor/deploy/jupyterhub/setup_hub.py with this class's settings."""
        return subprocess.run(
            [sys.executable, str(DEPLOY / "setup_hub.py"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )


@dataclass(frozen=True)
class UserServer:
    """One user's JupyterLab behind the hub, shaped like the browser tests' LabServer (``url``, ``root``),
    so their notebook helpers work on it. The browser holds the user's log-in cookie: no token."""

    hub: Hub
    user: str

    @property
    def root(self) -> Path:
        return self.hub.homes[self.user]

    def url(self, path: str) -> str:
        return self.hub.url(f"user/{self.user}/{path.lstrip('/')}")


def missing_components() -> list[str]:
    """What this machine lacks for a class on JupyterHub (empty when it can run one)."""
    missing = []
    if os.geteuid() != 0:
        missing.append("root (the set-up script creates system users; the hub spawns servers as them)")
    for tool in ("useradd", "userdel", "runuser"):
        if shutil.which(tool) is None:
            missing.append(f"{tool} (Debian's passwd/util-linux)")
    if importlib.util.find_spec("jupyterhub") is None or not (browser_kit.venv_bin() / "jupyterhub").exists():
        missing.append("jupyterhub in this environment (pip install jupyterhub==6.1.1)")
    proxy = DEPLOY / "node_modules" / ".bin" / "configurable-http-proxy"
    if not proxy.exists() and shutil.which("configurable-http-proxy") is None:
        missing.append(f"configurable-http-proxy (python {DEPLOY / 'setup_hub.py'} install, or npm install -g)")
    if not root_kit.CHROMIUM.exists():
        missing.append(f"{root_kit.CHROMIUM} (apt-get install -y chromium)")
    if importlib.util.find_spec("playwright") is None:
        missing.append("playwright (pip)")
    return missing


def wait_for_hub(hub: Hub, process: subprocess.Popen, timeout: float = 120.0) -> None:
    """Poll the hub's API through the proxy until it answers; fail with the hub's log if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyterhub exited with {process.returncode}:\n{hub.log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(hub.url("hub/api/"), timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"jupyterhub did not answer within {timeout} s:\n{hub.log.read_text()[-4000:]}")


def run_with_browser(scenario: Callable[[object], None], artifacts: Path, timeout: float) -> None:
    """Run ``scenario(browser)`` in a thread with its own Playwright and headless Debian Chromium.

    A failure leaves a screenshot of every page still open (FAILED_<n>.png) and is raised here.
    """
    outcome: dict[str, BaseException] = {}

    def body() -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(root_kit.CHROMIUM),
                    headless=True,
                    args=root_kit.CHROMIUM_ARGS,
                )
                try:
                    scenario(browser)
                except BaseException:
                    pages = [page for context in browser.contexts for page in context.pages]
                    for number, page in enumerate(pages):
                        try:
                            page.screenshot(path=str(artifacts / f"FAILED_{number}.png"))
                        except Exception as error:  # the page may be gone; the test's own error matters more
                            print(f"could not save a failure screenshot: {error}")
                    raise
                finally:
                    browser.close()
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=body, name="hub-browser", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"the browser scenario did not finish within {timeout} s")
    if "error" in outcome:
        raise outcome["error"]
