"""Conformance tests: the official sentry-cli against the fake_sentry stand-in.

Puts tests/ on sys.path and provides a `sentry_cli` fixture; the npm install
itself lives in helpers/sentry_cli.py so other suites can use it too.
"""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from helpers.sentry_cli import ensure_sentry_cli  # noqa: E402


@pytest.fixture(scope="session")
def sentry_cli():
    """Path to a sentry-cli 3.x binary (installed once, then reused)."""
    return ensure_sentry_cli()
