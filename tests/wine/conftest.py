"""The Windows uploader (sentry-sourcemaps.exe, cross-built with mingw-w64)
under Wine: --uploader names the wrapper the windows-cross build writes
(build/windows-cross/sentry-sourcemaps-emulated), so these tests drive it
exactly as tests/integration drives the native one, with the same stand-in
and fixtures."""
import pytest

# The integration suite's stand-in and runners, shared rather than copied.
from integration.conftest import UPLOAD_TOKEN, cli, sentry, upload  # noqa: F401

from helpers.process import run


@pytest.fixture(scope="session", autouse=True)
def wine_ready(uploader):
    """Wine makes its prefix on first use (seconds, and notes on stderr):
    done once here so that no test's output or timing carries it."""
    result = run([uploader, "--version"], timeout=300)
    assert result.returncode == 0, result.output
    assert result.stdout.startswith("sentry-sourcemaps "), result.output
