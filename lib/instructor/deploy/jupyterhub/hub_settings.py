"""One class on one JupyterHub: the settings the hub's configuration and the set-up script share.

Every setting is an environment variable with a default, so `setup_hub.py` (run as root once) and
`jupyterhub_config.py` (read by JupyterHub at start-up) always agree on who is who and where
things are:

    CNN_HUB_STATE        the class's own folder: the hub's database and secrets, the nbgrader exchange
                         (default /srv/cnn-hub)
    CNN_HUB_INSTRUCTOR   the instructor's system user (default cnn-instructor)
    CNN_HUB_STUDENTS     the students' system users, separated by commas or spaces
                         (default cnn-student1,cnn-student2)
    CNN_HUB_HOME_BASE    where the set-up script creates the users' home folders (default /home)
    CNN_HUB_COURSE_NAME  the course's folder in the instructor's home (default cnn-course)
    CNN_HUB_IP, CNN_HUB_PORT                the address students open (default 127.0.0.1:8000)
    CNN_HUB_API_PORT, CNN_HUB_PROXY_API_PORT  the hub's and the proxy's internal ports (8081, 8001)
    CNN_HUB_PROXY        the configurable-http-proxy executable (default: the one `setup_hub.py install`
                         puts under node_modules/ here, else the one on PATH)
    CNN_HUB_PYTHON_ENV   the Python environment every user's server and kernel runs in (default: the
                         environment running JupyterHub, i.e. the course's .venv)

Nothing here imports JupyterHub, so the set-up script runs before it is installed.
"""

from __future__ import annotations

import os
import pwd
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
COURSE_ID = "cnn-course"  # the course's nbgrader_config.py says so; the students' config must agree
LOCAL_PROXY = HERE / "node_modules" / ".bin" / "configurable-http-proxy"


def _names(text: str) -> tuple[str, ...]:
    return tuple(name for name in text.replace(",", " ").split() if name)


def _proxy() -> str:
    if os.environ.get("CNN_HUB_PROXY"):
        return os.environ["CNN_HUB_PROXY"]
    if LOCAL_PROXY.exists():
        return str(LOCAL_PROXY)
    return shutil.which("configurable-http-proxy") or "configurable-http-proxy"


@dataclass(frozen=True)
class HubSettings:
    state: Path
    instructor: str
    students: tuple[str, ...]
    home_base: Path
    course_name: str
    ip: str
    port: int
    api_port: int
    proxy_api_port: int
    proxy: str
    python_env: Path

    @classmethod
    def from_environment(cls) -> HubSettings:
        env = os.environ.get
        return cls(
            state=Path(env("CNN_HUB_STATE", "/srv/cnn-hub")),
            instructor=env("CNN_HUB_INSTRUCTOR", "cnn-instructor"),
            students=_names(env("CNN_HUB_STUDENTS", "cnn-student1,cnn-student2")),
            home_base=Path(env("CNN_HUB_HOME_BASE", "/home")),
            course_name=env("CNN_HUB_COURSE_NAME", "cnn-course"),
            ip=env("CNN_HUB_IP", "127.0.0.1"),
            port=int(env("CNN_HUB_PORT", "8000")),
            api_port=int(env("CNN_HUB_API_PORT", "8081")),
            proxy_api_port=int(env("CNN_HUB_PROXY_API_PORT", "8001")),
            proxy=_proxy(),
            python_env=Path(env("CNN_HUB_PYTHON_ENV", sys.prefix)),
        )

    # ------------------------------------------------------------------ folders

    @property
    def hub_dir(self) -> Path:
        """The hub's private folder (root only): its database, cookie secret, proxy pid file."""
        return self.state / "hub"

    @property
    def exchange(self) -> Path:
        """nbgrader's exchange: every user writes here (mode 1777), nbgrader sets the modes below it."""
        return self.state / "exchange"

    @property
    def users(self) -> tuple[str, ...]:
        return (self.instructor, *self.students)

    def home(self, user: str) -> Path:
        """The user's home folder (from the system once the user exists)."""
        try:
            return Path(pwd.getpwnam(user).pw_dir)
        except KeyError:
            return self.home_base / user

    @property
    def course_dir(self) -> Path:
        """The instructor's copy of the course: solutions, gradebook, submissions. Only root and the
        instructor can read it (the instructor's home is private)."""
        return self.home(self.instructor) / self.course_name

    def role(self, user: str) -> str:
        """'instructor' or 'student': which folder of Jupyter configuration the user's server reads."""
        return "instructor" if user == self.instructor else "student"

    def role_config(self, user: str) -> Path:
        return HERE / self.role(user)

    def tmp_dir(self, user: str) -> Path:
        """The user's own temporary folder (TMPDIR): the course's nbgrader_config.py keeps kernel
        sockets under the temporary folder, which must not be one another user created first."""
        return self.home(user) / ".cache" / "tmp"

    @property
    def python(self) -> Path:
        return self.python_env / "bin" / "python"

    @property
    def bin_dir(self) -> Path:
        return self.python_env / "bin"
