"""Fixtures for the CMake module with the real uploader against the stand-in.

Each test configures a mini-project (tests/cmake/projects/e2e, or the Vite
example) with Ninja into its own temporary folder and builds sentry-upload
with the environment a user or CI would have.
"""
import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cmake_harness import ORGS, PROJECTS, TOKENS, CMakeProject  # noqa: E402
from fake_sentry import FakeSentry  # noqa: E402


@pytest.fixture(scope="session")
def uploader(request):
    path = request.config.getoption("--uploader")
    if not path or not os.access(path, os.X_OK):
        pytest.fail(f"--uploader must name the built sentry-sourcemaps (got {path!r})")
    return Path(path)


@pytest.fixture(scope="session")
def make_program(request):
    """Ninja: the one the outer build uses, else the PATH's."""
    build_dir = request.config.getoption("--build-dir")
    cache = Path(build_dir or "/nonexistent") / "CMakeCache.txt"
    if cache.exists():
        for line in cache.read_text().splitlines():
            if line.startswith("CMAKE_MAKE_PROGRAM:"):
                return line.split("=", 1)[1]
    found = shutil.which("ninja")
    if not found:
        pytest.fail("ninja not found")
    return found


@pytest.fixture
def fake():
    with FakeSentry(tokens=TOKENS, orgs=ORGS) as s:
        yield s


@pytest.fixture
def cmake_project(tmp_path, make_program):
    def factory(source=PROJECTS / "e2e"):
        return CMakeProject(source, tmp_path / "build", make_program)
    return factory


