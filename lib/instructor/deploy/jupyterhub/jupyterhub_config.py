"""JupyterHub for one class of the CNN course: an instructor, students, nbgrader's exchange.

Start it as root, after `setup_hub.py create` (same environment variables, see hub_settings.py):

    export CNN_HUB_STUDENT_PASSWORD=... CNN_HUB_INSTRUCTOR_PASSWORD=...   # 8+ and 32+ characters
    sudo -E .venv/bin/jupyterhub -f lib/instructor/deploy/jupyterhub/jupyterhub_config.py

- The hub and the proxy (configurable-http-proxy, started by the hub) listen on CNN_HUB_IP:CNN_HUB_PORT,
  127.0.0.1:8000 by default; the hub's own API and the proxy's API stay on 127.0.0.1.
- Each user's JupyterLab runs as that user's system account (LocalProcessSpawner), in the course's Python
  environment, so the course's kernel and packages are everyone's. Its Jupyter configuration comes from
  instructor/ or student/ next to this file: the instructor gets the formgrader on the course in
  ~/cnn-course, students get the Assignment List and Validate, with the formgrader and the assignment
  creation tools switched off.
- Log-in: one shared password for students, another (32+ characters) for the instructor, who is the hub's
  admin (SharedPasswordAuthenticator). That is for a demonstration and for the course's tests only; a real
  class uses the university's log-in (see the README, "Running a class on JupyterHub").
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hub_settings import HubSettings  # noqa: E402

c = get_config()  # noqa: F821 - injected by JupyterHub when it loads this file
hub = HubSettings.from_environment()

# ----------------------------------------------------------------------------- network and state
c.JupyterHub.bind_url = f"http://{hub.ip}:{hub.port}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{hub.api_port}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{hub.proxy_api_port}"
c.ConfigurableHTTPProxy.command = [hub.proxy]
c.ConfigurableHTTPProxy.pid_file = str(hub.hub_dir / "jupyterhub-proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{hub.hub_dir / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(hub.hub_dir / "jupyterhub_cookie_secret")
# Stopping the hub stops the proxy and every user's server (the course's tests rely on it).
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# ----------------------------------------------------------------------------- who may log in
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ.get("CNN_HUB_STUDENT_PASSWORD", "")
c.SharedPasswordAuthenticator.admin_password = os.environ.get("CNN_HUB_INSTRUCTOR_PASSWORD", "")
c.Authenticator.allowed_users = set(hub.students)
c.Authenticator.admin_users = {hub.instructor}
if not (c.SharedPasswordAuthenticator.user_password and c.SharedPasswordAuthenticator.admin_password):
    raise SystemExit("set CNN_HUB_STUDENT_PASSWORD and CNN_HUB_INSTRUCTOR_PASSWORD (8+ and 32+ characters)")

# ----------------------------------------------------------------------------- each user's JupyterLab
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(hub.bin_dir / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
# A busy 2-core machine can take a while to start JupyterLab with its extensions.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 120
c.Spawner.environment = {
    "PATH": os.pathsep.join([str(hub.bin_dir), "/usr/local/bin", "/usr/bin", "/bin"]),
    "VIRTUAL_ENV": str(hub.python_env),
    "CNN_HUB_EXCHANGE": str(hub.exchange),
}
# The course's own variables pass through from the hub's environment when set (data folder, fast mode,
# device), as do the thread limits a shared machine needs.
c.Spawner.env_keep.extend(
    [
        "LANG",
        "LC_ALL",
        "CNN_COURSE_DATA",
        "CNN_COURSE_FAST",
        "CNN_COURSE_DEVICE",
        "OMP_NUM_THREADS",
        "MKL_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
    ]
)


def per_user_environment(spawner):
    """The role's Jupyter configuration, the course folder for the instructor, a private TMPDIR."""
    user = spawner.user.name
    tmp = hub.tmp_dir(user)
    if not tmp.is_dir():  # a user added after setup_hub.py ran
        import pwd

        account = pwd.getpwnam(user)
        tmp.mkdir(parents=True, mode=0o700)
        for folder in (tmp.parent, tmp):
            os.chown(folder, account.pw_uid, account.pw_gid)
    extra = {"JUPYTER_CONFIG_PATH": str(hub.role_config(user)), "TMPDIR": str(tmp)}
    if hub.role(user) == "instructor":
        extra["CNN_HUB_COURSE_DIR"] = str(hub.course_dir)
    spawner.environment = {**spawner.environment, **extra}


c.Spawner.pre_spawn_hook = per_user_environment
