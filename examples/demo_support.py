"""What the demos (examples/*/demo.py) share, stdlib only: the local Sentry
stand-in, started as its own process on 127.0.0.1 with a demo token that
only it accepts and read back through its inspection API, and the click in
headless Chromium whose error the page's SDK reports to it."""
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))
import browser_harness  # noqa: E402  (stdlib only)


class DemoFailed(Exception):
    """A demo step failed; the message says which."""


def start(store, token, org, project):
    """(process, URL) of a stand-in with one org and project; `token` has the
    upload scopes (project:releases, org:read) and, for `resolve
    --from-server`, project:read."""
    url_file = store / "url"
    url_file.unlink(missing_ok=True)
    server = subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "fake_sentry" / "server.py"), "--port", "0",
         "--token", "%s=project:releases,org:read,project:read" % token,
         "--org", "%s=%s" % (org, project),
         "--store-dir", str(store), "--url-file", str(url_file)],
        stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not url_file.exists():
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            sys.exit("demo: the Sentry stand-in did not start")
        time.sleep(0.05)
    return server, url_file.read_text().strip()


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


def dsn_of(url, org, project):
    """The DSN the stand-in gives the demo project."""
    for p in get_json(url + "/api/0/fake-sentry/projects/"):
        if (p["org"], p["slug"]) == (org, project):
            return p["dsn"]
    sys.exit("demo: the stand-in has no project %s/%s" % (org, project))


def event(url, event_id):
    """The event the SDK sent, as the stand-in stored it, or None."""
    found = [e for e in get_json(url + "/api/0/fake-sentry/events/")
             if e.get("event_id") == event_id]
    return found[0] if found else None


def _browser_available():
    """Whether Chromium, node and playwright-core are there (else says why)."""
    try:
        browser_harness.chromium()
        browser_harness.node()
        browser_harness.ensure_playwright_core()
    except browser_harness.BrowserUnavailable as e:
        print("== real browser: skipped (%s)" % e)
        return False
    return True


def click_in_chromium(url, dsn, dist, store, button):
    """Serves `dist` on loopback, clicks #checkout in headless Chromium and
    returns (the SDK's event as the stand-in got it, the file it is saved in,
    the paths the page asked the web server for); None, saying why, when the
    browser tools are missing. Raises DemoFailed."""
    if not _browser_available():
        return None
    envelope_url = "%s/api/%s/envelope/" % (url, urlsplit(dsn).path.strip("/"))
    with browser_harness.StaticServer(dist) as static:
        print("== headless Chromium: %s/, click \"%s\"" % (static.url, button), flush=True)
        try:
            report = browser_harness.drive(static.url + "/", envelope_url,
                                           store / "page.png", timeout=60)
        except RuntimeError as e:
            raise DemoFailed("the browser step failed: %s" % e) from None
    event_id = json.loads(report["envelope"]["body"])["id"]
    found = event(url, event_id)
    if found is None:
        raise DemoFailed("event %s did not reach the stand-in" % event_id)
    event_file = store / "event.json"
    event_file.write_text(json.dumps(found, indent=2))
    print_event(found, event_file, store / "page.png")
    return found, event_file, static.paths


def print_event(found, event_file, screenshot):
    exception = found["exception"]["values"][-1]
    print("== the SDK reported event %s (saved as %s; screenshot %s)"
          % (found["event_id"], event_file, screenshot))
    print("    %s: %s" % (exception.get("type"), exception.get("value")))
    for image in found.get("debug_meta", {}).get("images", []):
        print("    debug_meta image %-9s %s  %s" % (
            image.get("type"), image.get("code_id") or image.get("debug_id"),
            image.get("code_file")))
    print("    as the browser saw it (newest frame first):")
    for f in reversed(exception.get("stacktrace", {}).get("frames", [])):
        where = ("%s %s" % (f.get("filename"), f["instruction_addr"]) if "instruction_addr" in f
                 else "%s:%s:%s" % (f.get("filename"), f.get("lineno"), f.get("colno")))
        print("      at %s (%s)" % (f.get("function", "?"), where))


def sentry_env(**values):
    """This process's environment without any SENTRY_* variable of the user's,
    plus `values` (SENTRY_URL=..., SENTRY_AUTH_TOKEN=...)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    env.update(values)
    return env


def resolve_event(uploader, event_file, *args, env=None):
    """Runs `sentry-sourcemaps resolve --event <file> <args>`, prints its
    stack trace and returns it. Raises DemoFailed when it fails."""
    print("== sentry-sourcemaps resolve --event %s %s" % (event_file.name, " ".join(args)),
          flush=True)
    resolved = subprocess.run([str(uploader), "resolve", "--event", str(event_file), *args],
                              capture_output=True, text=True, env=env, timeout=120)
    sys.stdout.write(resolved.stdout)
    if resolved.returncode != 0:
        raise DemoFailed("resolve failed (exit %d): %s" % (resolved.returncode,
                                                          resolved.stderr.strip()))
    return resolved.stdout
