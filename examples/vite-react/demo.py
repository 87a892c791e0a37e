#!/usr/bin/env python3
"""The `demo` workflow preset's last step: upload the example to a local Sentry.

Starts the stand-in (tests/fake_sentry, loopback only), rebuilds the example's
bundle, runs `cmake --build <build> --target sentry-upload` with a demo token
for that stand-in in the environment (never in a file or on a command line),
then prints what Sentry received and what was deleted, and stops the stand-in.

usage: demo.py --build-dir BUILD --example-build-dir BUILD/examples/vite-react
"""
import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ORG, PROJECT = "demo", "vite-react"


def start_stand_in(store, token):
    url_file = store / "url"
    url_file.unlink(missing_ok=True)
    server = subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "fake_sentry" / "server.py"), "--port", "0",
         "--token", "%s=project:releases,org:read" % token, "--org", "%s=%s" % (ORG, PROJECT),
         "--store-dir", str(store), "--url-file", str(url_file)],
        stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not url_file.exists():
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            sys.exit("demo: the Sentry stand-in did not start")
        time.sleep(0.05)
    return server, url_file.read_text().strip()


def files(dist, pattern):
    return sorted(p.relative_to(dist).as_posix() for p in dist.rglob(pattern) if p.is_file())


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", required=True, type=Path)
    ap.add_argument("--example-build-dir", required=True, type=Path)
    a = ap.parse_args()
    dist = a.example_build_dir / "dist"
    store = a.build_dir / "demo-sentry"
    shutil.rmtree(store, ignore_errors=True)
    store.mkdir(parents=True)
    cmake = ["cmake", "--build", str(a.build_dir)]

    # A fresh bundle, so the demo shows maps being uploaded and deleted each time.
    shutil.rmtree(dist, ignore_errors=True)
    subprocess.run(cmake + ["--target", "frontend"], check=True, stdout=subprocess.DEVNULL)
    maps_before = files(dist, "*.map")
    print("== vite build wrote %d source map(s) to %s:" % (len(maps_before), dist))
    for m in maps_before:
        print("   ", m)

    token = "demo_" + secrets.token_hex(16)  # accepted by this stand-in only
    server, url = start_stand_in(store, token)
    try:
        print("== local Sentry stand-in at %s (org %s, project %s)" % (url, ORG, PROJECT))
        env = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
        env.update(SENTRY_URL=url, SENTRY_AUTH_TOKEN=token, SENTRY_ORG=ORG,
                   SENTRY_PROJECT=PROJECT)
        print("== cmake --build %s --target sentry-upload" % a.build_dir, flush=True)
        upload = subprocess.run(cmake + ["--target", "sentry-upload"], env=env)
    finally:
        server.terminate()
        server.wait(timeout=30)
    if upload.returncode != 0:
        sys.exit("demo: sentry-upload failed (exit %d)" % upload.returncode)

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
    print("== demo: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
