#!/usr/bin/env python3
"""The `demo` workflow preset's last step: upload the example to a local Sentry.

Starts the stand-in (tests/fake_sentry, loopback only), points the example's
Sentry SDK at it (VITE_REACT_SENTRY_DSN, set on the build tree), rebuilds the
example's bundle, runs `cmake --build <build> --target sentry-upload` with a
demo token for that stand-in in the environment (never in a file or on a
command line), then prints what Sentry received and what was deleted. Then,
when Debian's Chromium is installed, it serves dist/ on 127.0.0.1, clicks the
button that throws in headless Chromium, and prints the SDK's error as the
browser saw it and as `sentry-sourcemaps resolve --event` symbolicates it
through the uploaded bundle. Finally it stops the stand-in.

usage: demo.py --build-dir BUILD --example-build-dir BUILD/examples/vite-react
               [--uploader BUILD/uploader/sentry-sourcemaps]
"""
import argparse
import json
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ORG, PROJECT = "demo", "vite-react"
sys.path.insert(0, str(REPO / "examples"))
import demo_support  # noqa: E402  (stdlib only)


def browser_error(url, dsn, dist, store, uploader):
    """Clicks the throwing button in headless Chromium; prints the SDK's event
    and its stack trace symbolicated by `sentry-sourcemaps resolve --event`.
    Raises DemoFailed."""
    clicked = demo_support.click_in_chromium(url, dsn, dist, store, "Check out (throws)")
    if clicked is None:
        return
    _, event_file, paths = clicked
    map_requests = [p for p in paths if ".map" in p]
    print("    requests to the web server: %d, for a .map file: %d"
          % (len(paths), len(map_requests)))
    bundles = sorted(store.glob("*.bundle"))
    demo_support.resolve_event(uploader, event_file, "--bundle", str(bundles[-1]))
    if map_requests:
        raise demo_support.DemoFailed("the page asked for %s" % map_requests)


def files(dist, pattern):
    return sorted(p.relative_to(dist).as_posix() for p in dist.rglob(pattern) if p.is_file())


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", required=True, type=Path)
    ap.add_argument("--example-build-dir", required=True, type=Path)
    ap.add_argument("--uploader", type=Path,
                    help="the built sentry-sourcemaps (default: BUILD/uploader/...)")
    a = ap.parse_args()
    uploader = a.uploader or a.build_dir / "uploader" / "sentry-sourcemaps"
    dist = a.example_build_dir / "dist"
    store = a.build_dir / "demo-sentry"
    shutil.rmtree(store, ignore_errors=True)
    store.mkdir(parents=True)
    cmake = ["cmake", "--build", str(a.build_dir)]

    token = "demo_" + secrets.token_hex(16)  # accepted by this stand-in only
    server, url = demo_support.start(store, token, ORG, PROJECT)
    try:
        dsn = demo_support.dsn_of(url, ORG, PROJECT)
        print("== local Sentry stand-in at %s (org %s, project %s, DSN %s)"
              % (url, ORG, PROJECT, dsn))
        # The SDK's DSN is compiled into the bundle: set it on the build tree
        # (the stand-in's port changes from run to run).
        subprocess.run(["cmake", "-DVITE_REACT_SENTRY_DSN=" + dsn, str(a.build_dir)],
                       check=True, stdout=subprocess.DEVNULL)
        # A fresh bundle, so the demo shows maps being uploaded and deleted each time.
        shutil.rmtree(dist, ignore_errors=True)
        subprocess.run(cmake + ["--target", "frontend"], check=True, stdout=subprocess.DEVNULL)
        maps_before = files(dist, "*.map")
        print("== vite build wrote %d source map(s) to %s:" % (len(maps_before), dist))
        for m in maps_before:
            print("   ", m)

        env = demo_support.sentry_env(SENTRY_URL=url, SENTRY_AUTH_TOKEN=token,
                                      SENTRY_ORG=ORG, SENTRY_PROJECT=PROJECT)
        print("== cmake --build %s --target sentry-upload" % a.build_dir, flush=True)
        upload = subprocess.run(cmake + ["--target", "sentry-upload"], env=env)
        if upload.returncode != 0:
            sys.exit("demo: sentry-upload failed (exit %d)" % upload.returncode)
        report_upload(store, dist, maps_before)
        browser_error(url, dsn, dist, store, uploader)
    except demo_support.DemoFailed as e:
        sys.exit("demo: FAILED (the real browser's error: %s)" % e)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("== demo: OK")
    return 0


def report_upload(store, dist, maps_before):
    print("== Sentry received:")
    received = []
    for manifest in sorted(store.glob("*.manifest.json")):
        for info in json.loads(manifest.read_text())["files"].values():
            headers = {k.lower(): v for k, v in (info.get("headers") or {}).items()}
            received.append(info["url"])
            print("    %-16s %-40s debug id %s" % (info["type"], info["url"],
                                                    headers.get("debug-id", "-")))
    maps_after = files(dist, "*.map")
    deleted = sorted(set(maps_before) - set(maps_after))
    print("== deleted from %s:" % dist)
    for m in deleted:
        print("   ", m)
    comments = [f for f in files(dist, "*.js")
                if re.search(r"^//# sourceMappingURL=", (dist / f).read_text(), re.M)]
    print("== left in dist/: %d map(s), %d sourceMappingURL comment(s)"
          % (len(maps_after), len(comments)))

    missing = [m for m in maps_before if "~/" + m not in received]
    if missing or maps_after or comments:
        sys.exit("demo: FAILED (not uploaded: %s; maps left: %s; comments left in: %s)"
                 % (missing, maps_after, comments))


if __name__ == "__main__":
    sys.exit(main())
