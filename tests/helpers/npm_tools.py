"""npm packages that tests run (sentry-cli, trace-mapping), installed outside the tree.

ensure_npm_package(name, version) installs `name@version` with npm once into
its own prefix under a cache folder outside the source tree
($SENTRY_SOURCEMAPS_CACHE, else $XDG_CACHE_HOME/sentry-sourcemaps, else
~/.cache/sentry-sourcemaps; the prefix is `npm-<folder>`) and returns the
package's folder, prefix/node_modules/<name>. An installed copy that passes
`accept` (by default: its package.json has exactly `version`) is reused
without asking npm anything. Without npm, or when the install fails, the
calling test is skipped, except on CI (CI=true), where it fails: a suite must
not go green by skipping.

Nothing is ever installed into the source tree: the prefix is always the
cache folder, never the working directory.
"""
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest


def cache_base():
    """The folder that holds one npm prefix per package."""
    base = os.environ.get("SENTRY_SOURCEMAPS_CACHE")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
        base = os.path.join(xdg, "sentry-sourcemaps")
    return Path(base)


def prefix_for(name, folder=None):
    """The npm prefix of `name`: npm-<folder>, by default npm-<name without scope>."""
    folder = folder or re.sub(r"[^A-Za-z0-9_.-]+", "-", name.rsplit("/", 1)[-1])
    return cache_base() / ("npm-" + folder)


def unavailable(reason):
    """Skips the calling test, or fails it on CI."""
    __tracebackhide__ = True
    if os.environ.get("CI") == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def installed_version(module):
    """The version in module/package.json, or None."""
    try:
        return json.loads((Path(module) / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def node():
    """The node binary (skips, or fails on CI, without it)."""
    found = shutil.which("node")
    if not found:
        unavailable("node is not installed")
    return found


def ensure_npm_package(name, version, *, folder=None, accept=None, exact=True,
                       timeout=900) -> Path:
    """The folder of npm package `name` at `version`, installed on first use.

    version: an exact version ("0.3.31") or, with exact=False, any npm range
    ("3"). accept(module_folder) -> bool decides whether an installed copy is
    the wanted one; the default compares package.json's version with
    `version`."""
    __tracebackhide__ = True
    if accept is None:
        def accept(module):
            return installed_version(module) == version
    prefix = prefix_for(name, folder)
    module = prefix / "node_modules" / name
    if module.is_dir() and accept(module):
        return module
    npm = shutil.which("npm")
    if not npm:
        unavailable("npm is not installed, so %s cannot be installed" % name)
    prefix.mkdir(parents=True, exist_ok=True)
    spec = "%s@%s" % (name, version)
    command = [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund"]
    if exact:
        command.append("--save-exact")
    try:
        proc = subprocess.run(command + [spec], capture_output=True, text=True,
                              timeout=timeout, cwd=str(prefix))
        code, output = proc.returncode, proc.stderr or proc.stdout
    except (OSError, subprocess.TimeoutExpired) as error:
        code, output = -1, str(error)
    if code != 0 or not (module.is_dir() and accept(module)):
        unavailable("installing %s with npm into %s failed (exit %d): %s" % (
            spec, prefix, code, output[-2000:]))
    return module
