"""The official sentry-cli 3.x for tests that compare against it.

ensure_sentry_cli() installs @sentry/cli@3 with npm once (through
helpers/npm_tools.ensure_npm_package) into a cache folder outside the source
tree ($SENTRY_SOURCEMAPS_CACHE, else $XDG_CACHE_HOME/sentry-sourcemaps, else
~/.cache/sentry-sourcemaps; prefix npm-sentry-cli) and returns the binary.
Without npm, or when the install fails, the calling test is skipped, except on
CI (CI=true), where it fails: a suite must not go green by skipping.
"""
import subprocess
from pathlib import Path

from helpers.npm_tools import ensure_npm_package, prefix_for

NPM_NAME = "@sentry/cli"
NPM_VERSION = "3"  # any 3.x: the newest when first installed, then reused
NPM_PACKAGE = "%s@%s" % (NPM_NAME, NPM_VERSION)
FOLDER = "sentry-cli"


def cache_dir():
    """Where the npm prefix with sentry-cli lives."""
    return prefix_for(NPM_NAME, FOLDER)


def _binary():
    return cache_dir() / "node_modules" / ".bin" / "sentry-cli"


def _version(binary):
    try:
        out = subprocess.run([str(binary), "--version"], capture_output=True, text=True,
                             timeout=60)
    except OSError:
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def _is_3x(module):
    binary = _binary()
    return binary.exists() and (_version(binary) or "").startswith("sentry-cli 3.")


def ensure_sentry_cli() -> Path:
    """Path to a sentry-cli 3.x binary (installed on first use, then reused)."""
    ensure_npm_package(NPM_NAME, NPM_VERSION, folder=FOLDER, accept=_is_3x, exact=False)
    return _binary()
