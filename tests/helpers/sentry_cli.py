"""The official sentry-cli 3.x for tests that compare against it.

ensure_sentry_cli() installs @sentry/cli@3 with npm once into a cache folder
outside the source tree ($SENTRY_SOURCEMAPS_CACHE, else
$XDG_CACHE_HOME/sentry-sourcemaps, else ~/.cache/sentry-sourcemaps) and
returns the binary. Without npm, or when the install fails, the calling test
is skipped, except on CI (CI=true), where it fails: a suite must not go green
by skipping.
"""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

NPM_PACKAGE = "@sentry/cli@3"


def cache_dir():
    """Where the npm prefix with sentry-cli lives."""
    base = os.environ.get("SENTRY_SOURCEMAPS_CACHE")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
        base = os.path.join(xdg, "sentry-sourcemaps")
    return Path(base) / "npm-sentry-cli"


def _unavailable(reason):
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


def ensure_sentry_cli() -> Path:
    """Path to a sentry-cli 3.x binary (installed on first use, then reused)."""
    prefix = cache_dir()
    binary = prefix / "node_modules" / ".bin" / "sentry-cli"
    version = _version(binary) if binary.exists() else None
    if (version or "").startswith("sentry-cli 3."):
        return binary
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
