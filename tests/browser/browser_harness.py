"""A real browser against the example: Debian's Chromium driven by playwright-core.

Shared by tests/browser and examples/vite-react/demo.py, so stdlib only and no
pytest: what is missing raises BrowserUnavailable with the reason.

- chromium(): /usr/bin/chromium from Debian's `chromium` package
  (tools/install-deps installs it). Playwright's own browser download does not
  work on these machines and is never tried.
- ensure_playwright_core(): playwright-core, pinned, installed with npm once
  into a cache folder outside the source tree ($SENTRY_SOURCEMAPS_CACHE, else
  $XDG_CACHE_HOME/sentry-sourcemaps, else ~/.cache/sentry-sourcemaps, folder
  npm-playwright-core), as tests/helpers/sentry_cli.py does for sentry-cli.
- StaticServer: dist/ over HTTP on 127.0.0.1, every requested path logged.
- drive(): runs drive.cjs (open, click, wait for the SDK's envelope,
  screenshot) with a timeout on every wait.
"""
import json
import os
import shutil
import subprocess
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
PLAYWRIGHT_CORE = "playwright-core"
PLAYWRIGHT_CORE_VERSION = "1.65.1"


class BrowserUnavailable(Exception):
    """Chromium, node/npm or playwright-core is missing (the message says which)."""


def cache_dir():
    base = os.environ.get("SENTRY_SOURCEMAPS_CACHE")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
        base = os.path.join(xdg, "sentry-sourcemaps")
    return Path(base) / "npm-playwright-core"


def chromium():
    if not os.access(CHROMIUM, os.X_OK):
        raise BrowserUnavailable("%s is missing: install Debian's chromium package "
                                 "(sudo tools/install-deps)" % CHROMIUM)
    return CHROMIUM


def node():
    found = shutil.which("node")
    if not found:
        raise BrowserUnavailable("node is not installed (sudo tools/install-deps)")
    return found


def _installed_version(module):
    try:
        return json.loads((module / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def ensure_playwright_core(timeout=600):
    """The playwright-core module folder (installed on first use, then reused)."""
    prefix = cache_dir()
    module = prefix / "node_modules" / PLAYWRIGHT_CORE
    if _installed_version(module) == PLAYWRIGHT_CORE_VERSION:
        return module
    npm = shutil.which("npm")
    if not npm:
        raise BrowserUnavailable("npm is not installed, so %s cannot be installed "
                                 "(sudo tools/install-deps)" % PLAYWRIGHT_CORE)
    prefix.mkdir(parents=True, exist_ok=True)
    spec = "%s@%s" % (PLAYWRIGHT_CORE, PLAYWRIGHT_CORE_VERSION)
    # playwright-core has no install script and downloads no browser.
    proc = subprocess.run([npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund",
                           "--save-exact", spec],
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0 or _installed_version(module) != PLAYWRIGHT_CORE_VERSION:
        raise BrowserUnavailable("installing %s with npm into %s failed (exit %d): %s" % (
            spec, prefix, proc.returncode, (proc.stderr or proc.stdout)[-2000:]))
    return module


class StaticServer:
    """Serves `root` on 127.0.0.1 (a free port); `paths` lists every request path."""

    def __init__(self, root):
        self.paths = []
        log = self.paths

        class Handler(SimpleHTTPRequestHandler):
            def log_message(self, fmt, *args):
                pass

            def send_head(self):
                log.append(self.path)
                return super().send_head()

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                          partial(Handler, directory=str(root)))
        self._httpd.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.1}, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._httpd.shutdown()
        self._thread.join(timeout=10)
        self._httpd.server_close()


def drive(url, envelope_url, screenshot, click="#checkout", status="#sentry-status",
          timeout=60):
    """Opens `url` in headless Chromium, clicks `click`, waits for the answer to
    the SDK's event POST (starting with `envelope_url`), screenshots the page.

    Returns drive.cjs's report: requests, console, pageErrors, envelope, status.
    Raises BrowserUnavailable when a tool is missing, RuntimeError on failure.
    """
    executable = chromium()
    node_bin = node()
    module = ensure_playwright_core()
    with tempfile.TemporaryDirectory(prefix="sentry-sourcemaps-chromium-") as profile:
        options = Path(profile + ".json")
        options.write_text(json.dumps({
            "playwrightCore": str(module), "executablePath": str(executable),
            "userDataDir": profile, "url": url, "click": click, "status": status,
            "envelopeUrl": envelope_url, "screenshot": str(screenshot),
            "timeoutMs": int(timeout * 1000)}))
        try:
            proc = subprocess.run([node_bin, str(HERE / "drive.cjs"), str(options)],
                                  capture_output=True, text=True, timeout=timeout * 3)
        except subprocess.TimeoutExpired as e:
            raise RuntimeError("drive.cjs did not finish in %d s: %s" % (
                timeout * 3, (e.stderr or b"")[-4000:])) from None
        finally:
            options.unlink(missing_ok=True)
    if proc.returncode != 0:
        raise RuntimeError("drive.cjs failed (exit %d):\n%s" % (proc.returncode,
                                                                proc.stderr[-6000:]))
    return json.loads(proc.stdout.strip().splitlines()[-1])
