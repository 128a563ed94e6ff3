"""Fixtures for the site tests: the small course and the real course each built once, headless Chromium.

The small course (``site_course.py``) takes a few seconds to build and the real one most of a
minute, so the static checks and the browser checks share one build of each per test worker.

Chromium is the ``chromium`` fixture of ``tests/conftest.py``, shared with ``tests/browser``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from cnninstructor.site import SiteReport, build_site
from site_course import REPO_ROOT, write_small_course

ARTIFACTS = REPO_ROOT / "test-artifacts" / "site"


@pytest.fixture(scope="session")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> SiteReport:
    """The small course built once per test worker, in fast mode."""
    root = tmp_path_factory.mktemp("small-course")
    course = write_small_course(root / "course")
    return build_site(course, root / "_site", fast=True, timeout=120)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> SiteReport:
    """The real course built once per test worker, in fast mode (its tests share an xdist group)."""
    jobs = 2 if (os.cpu_count() or 1) >= 2 else 1
    return build_site(REPO_ROOT, tmp_path_factory.mktemp("real-site") / "_site", fast=True, timeout=600, jobs=jobs)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where the site tests leave screenshots (git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


LOCAL = ("file:", "data:")


class OfflineTab:
    """A browser tab that records every request leaving the file system and blocks it.

    ``network`` lists the URL of each request that was not ``file:`` or ``data:``.
    """

    def __init__(self, browser) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.context.set_default_timeout(15_000)
        self.network: list[str] = []
        self.context.on("request", self._record)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()

    def _record(self, request) -> None:
        if not request.url.startswith(LOCAL):
            self.network.append(request.url)

    @staticmethod
    def _route(route) -> None:
        if route.request.url.startswith(LOCAL):
            route.continue_()
        else:
            route.abort()

    def open(self, path: Path) -> None:
        self.page.goto(path.resolve().as_uri())


@pytest.fixture()
def tab(chromium) -> Iterator[OfflineTab]:
    """A fresh offline tab (see ``OfflineTab``), closed after the test."""
    offline = OfflineTab(chromium)
    try:
        yield offline
    finally:
        offline.context.close()
