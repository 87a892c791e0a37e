"""Options shared by every pytest suite: where the built uploader is."""
import os
import sys

import pytest

# The stand-in and shared helpers are imported as top-level packages.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def pytest_addoption(parser):
    parser.addoption("--uploader", default=os.environ.get("SENTRY_SOURCEMAPS_BIN"),
                     help="path to the built sentry-sourcemaps executable")
    parser.addoption("--build-dir", default=None,
                     help="the CMake build tree the tests run from")


@pytest.fixture(scope="session")
def uploader(request):
    """Path to the built sentry-sourcemaps; a suite that needs it fails without it."""
    path = request.config.getoption("--uploader")
    if not path or not os.access(path, os.X_OK):
        pytest.fail(f"--uploader must name the built sentry-sourcemaps (got {path!r})")
    return os.path.abspath(path)
