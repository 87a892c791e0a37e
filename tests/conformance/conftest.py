"""Conformance tests: the official sentry-cli against the fake_sentry stand-in.

Puts tests/ on sys.path and provides a `sentry_cli` fixture that installs
@sentry/cli@3 with npm into a cache folder outside the source tree.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

NPM_PACKAGE = "@sentry/cli@3"


def _cache_dir():
    base = os.environ.get("SENTRY_SOURCEMAPS_CACHE")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
        base = os.path.join(xdg, "sentry-sourcemaps")
    return Path(base) / "npm-sentry-cli"


def _unavailable(reason):
    # On CI a missing client is a failure: the suite must not go green by skipping.
    if os.environ.get("CI") == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def _version(binary):
    try:
        out = subprocess.run([str(binary), "--version"], capture_output=True, text=True,
                             timeout=60)
    except OSError:
        return None
    return out.stdout.strip() if out.returncode == 0 else None


@pytest.fixture(scope="session")
def sentry_cli():
    """Path to a sentry-cli 3.x binary (installed once, then reused)."""
    prefix = _cache_dir()
    binary = prefix / "node_modules" / ".bin" / "sentry-cli"
    version = _version(binary) if binary.exists() else None
    if not (version or "").startswith("sentry-cli 3."):
        npm = shutil.which("npm")
        if not npm:
            _unavailable("npm is not installed, so sentry-cli cannot be installed")
        prefix.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run([npm, "install", "--prefix", str(prefix), "--no-audit",
                               "--no-fund", NPM_PACKAGE],
                              capture_output=True, text=True, timeout=900)
        version = _version(binary) if proc.returncode == 0 else None
        if not (version or "").startswith("sentry-cli 3."):
            _unavailable("installing %s with npm into %s failed (exit %d): %s" % (
                NPM_PACKAGE, prefix, proc.returncode, (proc.stderr or proc.stdout)[-2000:]))
    return binary
