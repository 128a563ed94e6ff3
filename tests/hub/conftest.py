"""Fixtures of the JupyterHub test: a class on one JupyterHub, from the deployment's own set-up script.

`hub_class` runs lib/instructor/deploy/jupyterhub/setup_hub.py create (system users for one instructor and
two students with fresh names, the class folder with nbgrader's exchange, the course copied into the
instructor's home), starts JupyterHub with the deployment's jupyterhub_config.py on 127.0.0.1 and free
ports, and afterwards stops it and runs setup_hub.py remove. See hub_kit.py.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hub_kit import ARTIFACTS, DEPLOY, REPO_ROOT, Hub, browser_kit, missing_components, wait_for_hub


@pytest.fixture(scope="session")
def hub_artifacts() -> Path:
    """test-artifacts/hub/: the screenshots, the hub's log, the set-up script's and grading command's output."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def hub_class(hub_artifacts: Path) -> Iterator[Hub]:
    """The class: users, folders and course from setup_hub.py, then JupyterHub with the deployment's config."""
    missing = missing_components()
    if missing:
        reason = "a class on JupyterHub needs " + "; ".join(missing)
        if os.environ.get("CNN_COURSE_REQUIRE_BROWSER") == "1":  # CI: a missing component is a broken set-up
            pytest.fail(reason)
        pytest.skip(reason)

    state = Path(tempfile.mkdtemp(prefix="cnn-hub-"))  # under /tmp: pytest's tmp_path is private to root
    os.chmod(state, 0o755)
    tag = secrets.token_hex(2)  # fresh names: a class left over from a killed run never gets in the way
    instructor, students = f"hub{tag}-teacher", (f"hub{tag}-alice", f"hub{tag}-bob")
    port, api_port, proxy_api_port = browser_kit.free_port(), browser_kit.free_port(), browser_kit.free_port()
    env = dict(os.environ)
    env.update(
        {
            "CNN_HUB_STATE": str(state),
            "CNN_HUB_HOME_BASE": str(state / "home"),
            "CNN_HUB_INSTRUCTOR": instructor,
            "CNN_HUB_STUDENTS": ",".join(students),
            "CNN_HUB_IP": "127.0.0.1",
            "CNN_HUB_PORT": str(port),
            "CNN_HUB_API_PORT": str(api_port),
            "CNN_HUB_PROXY_API_PORT": str(proxy_api_port),
            "CNN_HUB_STUDENT_PASSWORD": secrets.token_urlsafe(12),
            "CNN_HUB_INSTRUCTOR_PASSWORD": secrets.token_urlsafe(33),
            "CNN_COURSE_FAST": "1",
            "PATH": f"{browser_kit.venv_bin()}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONUNBUFFERED": "1",
        }
    )
    hub = Hub(
        base_url=f"http://127.0.0.1:{port}",
        instructor=instructor,
        students=students,
        student_password=env["CNN_HUB_STUDENT_PASSWORD"],
        instructor_password=env["CNN_HUB_INSTRUCTOR_PASSWORD"],
        state=state,
        env=env,
        log=hub_artifacts / "jupyterhub.log",
    )
    process = None
    try:
        source = Path(os.environ.get("CNN_COURSE_ROOT", REPO_ROOT))
        created = hub.setup_script("create", "--course-source", str(source), "--share-python")
        (hub_artifacts / "setup_hub-create.txt").write_text(created.stdout + created.stderr)
        assert created.returncode == 0, f"setup_hub.py create failed:\n{created.stdout}{created.stderr}"
        for user in (instructor, *students):
            home = Path(pwd.getpwnam(user).pw_dir)
            hub.homes[user] = home
            settings = home / ".jupyter" / "lab" / "user-settings"
            browser_kit.write_lab_settings(settings)  # no news pop-up, every cell in the DOM
            subprocess.run(["chown", "-R", f"{user}:{user}", str(home / ".jupyter")], check=True)
        with hub.log.open("w") as log:
            process = subprocess.Popen(
                [str(browser_kit.venv_bin() / "jupyterhub"), "-f", str(DEPLOY / "jupyterhub_config.py")],
                cwd=state / "hub",
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        wait_for_hub(hub, process)
        yield hub
    finally:
        if process is not None:
            browser_kit.stop(process)  # the hub stops the proxy and the users' servers on SIGTERM
        removed = hub.setup_script("remove", "--yes")
        (hub_artifacts / "setup_hub-remove.txt").write_text(removed.stdout + removed.stderr)
        shutil.rmtree(state, ignore_errors=True)
        assert removed.returncode == 0, f"setup_hub.py remove failed:\n{removed.stdout}{removed.stderr}"
