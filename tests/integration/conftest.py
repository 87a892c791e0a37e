import os

import pytest

from helpers.process import run


@pytest.fixture(scope="session")
def uploader(request):
    """Path to the built sentry-sourcemaps; the suite is useless without it."""
    path = request.config.getoption("--uploader")
    if not path or not os.access(path, os.X_OK):
        pytest.fail(f"--uploader must name the built sentry-sourcemaps (got {path!r})")
    return path


@pytest.fixture
def cli(uploader):
    """Runs the uploader with arguments; returns helpers.process.Result."""
    def invoke(*args, **kwargs):
        return run([uploader, *args], **kwargs)
    return invoke
