"""JupyterLab with the nbgrader extension, served from a scratch copy of the course, driven by headless Chromium.

The server listens on 127.0.0.1 only, on a free port, behind a random token; its kernels
run in fast mode (``CNN_COURSE_FAST=1``) and inherit ``CNN_COURSE_DATA``. It is always
stopped in the fixture's teardown. Screenshots go to ``test-artifacts/browser/`` (git-ignored).

The browser is the shared ``chromium`` fixture of ``tests/conftest.py`` (Debian's chromium).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
# What never goes into the scratch copy: environments, caches, build products, students' work.
NOT_COPIED = shutil.ignore_patterns(
    ".git",
    ".venv",
    "_site",
    "test-artifacts",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    ".ipynb_checkpoints",
    "gradebook.db",
    "submitted",
    "autograded",
    "feedback",
    "data",
)
# JupyterLab user settings for a quiet, deterministic UI: no news or update pop-ups
# over the notebook, every cell in the DOM (no windowing), so cells can be found by index.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": '{"fetchNews": "false", "checkForUpdates": false}',
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": '{"windowingMode": "none"}',
}


# `nbgrader generate_assignment <name> --force` for every name given, in one process
# (nbgrader's start-up dominates; one process instead of one per assignment saves it N-1 times).
GENERATE_ALL = """
import sys
from traitlets.config.loader import PyFileConfigLoader
from nbgrader.apps import NbGraderAPI
api = NbGraderAPI(config=PyFileConfigLoader("nbgrader_config.py", path=".").load_config())
failed = False
for name in sys.argv[1:]:
    result = api.generate_assignment(name, force=True)
    if not result["success"]:
        failed = True
        print(f"--- {name}: {result.get('error', '')}\\n{result.get('log', '')[-3000:]}")
sys.exit(1 if failed else 0)
"""


@dataclass(frozen=True)
class LabServer:
    """A running JupyterLab: where to reach it and which folder it serves."""

    base_url: str
    token: str
    root: Path
    log: Path

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` (e.g. ``lab/tree/x.ipynb``) with the token."""
        separator = "&" if "?" in path else "?"
        return f"{self.base_url}/{path}{separator}token={self.token}"


def venv_bin() -> Path:
    """The folder of this interpreter's scripts (jupyter, nbgrader)."""
    return Path(sys.executable).parent


def course_names(root: Path) -> list[str]:
    """Assignment names with a source notebook under ``root/solutions``."""
    return sorted(p.parent.name for p in (root / "solutions").glob("*/*.ipynb") if p.stem == p.parent.name)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(home: Path) -> dict[str, str]:
    """The server's environment: fast mode, the data folder passed through, private Jupyter folders."""
    env = dict(os.environ)
    env["CNN_COURSE_FAST"] = "1"
    env["PATH"] = f"{venv_bin()}{os.pathsep}{env.get('PATH', '')}"
    env["JUPYTER_CONFIG_DIR"] = str(home / "config")
    env["JUPYTER_RUNTIME_DIR"] = str(home / "runtime")
    env["JUPYTERLAB_SETTINGS_DIR"] = str(home / "lab-settings")
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(home / "lab-workspaces")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def write_lab_settings(settings_dir: Path) -> None:
    for relative, text in LAB_SETTINGS.items():
        target = settings_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)


def wait_until_up(server: LabServer, process: subprocess.Popen, timeout: float = 90.0) -> None:
    """Poll the REST API until the server answers; fail with its log if it exits or never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with {process.returncode}:\n{server.log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(server.url("api/status"), timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"jupyter lab did not answer within {timeout} s:\n{server.log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    """Stop the server we started and its kernels (its own process group), politely first."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Folder for screenshots and the server log (files are overwritten, never the folder wiped:
    with pytest-xdist, other workers may be writing there too)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def course_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch copy of the course (so nothing the test does touches the repository), with
    every assignment generated by nbgrader, as an instructor would before opening the formgrader."""
    source = Path(os.environ.get("CNN_COURSE_ROOT", REPO_ROOT))
    root = tmp_path_factory.mktemp("course") / "cnn-course"
    shutil.copytree(source, root, ignore=NOT_COPIED, symlinks=True)
    names = course_names(root)
    if names:
        env = dict(os.environ, PATH=f"{venv_bin()}{os.pathsep}{os.environ.get('PATH', '')}")
        done = subprocess.run(
            [sys.executable, "-c", GENERATE_ALL, *names],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"nbgrader generate_assignment failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
    return root


@pytest.fixture(scope="session")
def lab_server(course_copy: Path, artifacts: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """JupyterLab on 127.0.0.1:<free port> with a random token, serving the scratch copy."""
    home = tmp_path_factory.mktemp("jupyter-home")
    write_lab_settings(home / "lab-settings")
    port, token = free_port(), secrets.token_hex(16)
    server = LabServer(f"http://127.0.0.1:{port}", token, course_copy, artifacts / f"jupyter-server-{WORKER}.log")
    command = [
        str(venv_bin() / "jupyter-lab"),
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={course_copy}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.geteuid() == 0:  # containers and CI often run as root; Jupyter refuses without this
        command.append("--allow-root")
    with server.log.open("w") as log:
        process = subprocess.Popen(
            command,
            cwd=course_copy,
            env=server_environment(home),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_up(server, process)
        yield server
    finally:
        stop(process)


@pytest.fixture(scope="session")
def browser_context(chromium) -> Iterator[object]:
    """A fresh browser profile in the shared headless Chromium (``tests/conftest.py``).

    Requested before the server, so a machine without Chromium skips without starting JupyterLab.
    """
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture(scope="session")
def assignment_names(course_copy: Path) -> list[str]:
    """The course's assignments (those with a source notebook in solutions/)."""
    return course_names(course_copy)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so the page fixture knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture()
def page(request, browser_context, artifacts):
    """A new tab, closed after the test; a failing test leaves a screenshot and the page's HTML."""
    tab = browser_context.new_page()
    try:
        yield tab
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            stem = artifacts / f"FAILED_{request.node.name}"
            try:
                tab.screenshot(path=f"{stem}.png")
                Path(f"{stem}.html").write_text(tab.content())
            except Exception as error:  # the page may be gone; the test's own error matters more
                print(f"could not save the failure screenshot: {error}")
        tab.close()
