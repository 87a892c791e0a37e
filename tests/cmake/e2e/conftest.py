"""Fixtures for the CMake module with the real uploader against the stand-in.

Each test configures a mini-project (tests/cmake/projects/e2e, or the Vite
example) with Ninja into its own temporary folder and builds sentry-upload
with the environment a user or CI would have.
"""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cmake_harness import (ORGS, PROJECTS, TOKENS, CMakeProject,  # noqa: E402
                           find_make_program)
from fake_sentry import FakeSentry  # noqa: E402


@pytest.fixture(scope="session")
def make_program(request):
    """Ninja: the one the outer build uses, else the PATH's."""
    found = find_make_program(request.config.getoption("--build-dir"))
    if not found:
        pytest.fail("ninja not found")
    return found


@pytest.fixture
def fake():
    with FakeSentry(tokens=TOKENS, orgs=ORGS) as s:
        yield s


@pytest.fixture
def cmake_project(tmp_path, make_program):
    def factory(source=PROJECTS / "e2e", binary=None, generator="Ninja"):
        return CMakeProject(source, binary or tmp_path / "build", make_program, generator)
    return factory


