#!/usr/bin/env python3
"""Checks tests/cmake/projects/include after `cmake --build --target sentry-upload`.

usage: check_include.py [--required] [--token TOKEN] BINARY_DIR
"""
import argparse
import json
import os
import re
import sys

failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)


def load(binary_dir, name):
    path = os.path.join(binary_dir, "sentry-sourcemaps", name, "invocation.json")
    expect(os.path.exists(path), "%s: the uploader did not run (%s missing)" % (name, path))
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--required", action="store_true")
    ap.add_argument("--token")
    ap.add_argument("binary_dir")
    a = ap.parse_args()
    b = os.path.realpath(a.binary_dir)
    src = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", "projects", "include"))
    skip = [] if a.required else ["--skip-without-token"]

    def state(name, leaf):
        return os.path.join(b, "sentry-sourcemaps", name, leaf)

    expected = {
        "web": ["upload", "--org", "acme", "--url", "http://127.0.0.1:9/", "--release", "1.2.3",
                "--dist", "7", "--url-prefix", "~/static/", "--project", "web", "--project", "api",
                "--ignore", "**/vendor.*", "--source-root", src, "--strip-prefix", "../..",
                "--strip-prefix", "webpack://", "--strip-common-prefix", "--create-release", "--set-commits", "auto",
                "--finalize", "--deploy", "production", "--inject", "--delete-after",
                "--wait", "--on-failure", "fail", "--pending-dir", state("web", "pending"),
                "--stamp-file", state("web", "stamp"),
                "--env-file", os.path.join(src, "config", "sentry.env")] + skip
               + [os.path.join(b, "web", "dist")],
        "admin": ["upload", "--source-root", os.path.realpath(os.path.join(src, "..", "common")), "--set-commits", "acme/admin@1a2b..3c4d", "--delete-after", "--delete-glob", "assets/*.map",
                  "--delete-glob", "*.html", "--keep-source-mapping-url",
                  "--wait", "--on-failure", "warn", "--pending-dir", state("admin", "pending"),
                  "--stamp-file", state("admin", "stamp")] + skip
                 + [os.path.join(b, "admin", "dist")],
        "docs": ["upload", "--no-rewrite", "--inject",
                 "--wait", "--on-failure", "fail", "--pending-dir", state("docs", "pending"),
                 "--stamp-file", state("docs", "stamp")] + skip
                + [os.path.join(b, "docs", "dist")],
    }
    bundle = ["assets/app.js", "assets/app.js.map", "assets/vendor.js", "assets/vendor.js.map",
              "index.html"]
    for name, argv in expected.items():
        inv = load(b, name)
        if inv is None:
            continue
        expect(inv["argv"] == argv, "%s: argv\n  got      %s\n  expected %s"
               % (name, inv["argv"], argv))
        # The bundle target ran before the upload target.
        expect(inv["files_in_directory"] == bundle, "%s: DIRECTORY held %s when the uploader ran"
               % (name, inv["files_in_directory"]))
        # The default env file is read from the uploader's working directory.
        cwd = b if name == "web" else src
        expect(os.path.realpath(inv["cwd"]) == cwd, "%s: cwd %s" % (name, inv["cwd"]))

    # One job pool, depth 2 by default, used by every upload target.
    with open(os.path.join(b, "build.ninja")) as f:
        ninja = f.read()
    with open(os.path.join(b, "CMakeFiles", "rules.ninja")) as f:
        ninja += f.read()
    expect(re.search(r"^pool sentry_sourcemaps_upload\n\s+depth = 2$", ninja, re.M),
           "build.ninja/rules.ninja have no 'pool sentry_sourcemaps_upload' of depth 2")
    expect(len(re.findall(r"^\s+pool = sentry_sourcemaps_upload$", ninja, re.M)) == 3,
           "not exactly 3 edges in the sentry_sourcemaps_upload pool")

    # The token appears nowhere CMake or the build wrote it.
    if a.token:
        for leaf in ("CMakeCache.txt", "build.ninja", "CMakeFiles/rules.ninja", "configure-output.log",
                     "build-output.log"):
            with open(os.path.join(b, leaf), errors="replace") as f:
                expect(a.token not in f.read(), "the token is in %s" % leaf)
        for name in expected:
            with open(state(name, "invocation.json")) as f:
                expect(a.token not in f.read(), "the token reached %s's argv" % name)
        inv = load(b, "web")
        expect(inv and "SENTRY_AUTH_TOKEN" in inv["env_names"],
               "the build environment's SENTRY_AUTH_TOKEN did not reach the uploader")

    for f in failures:
        print("FAIL:", f)
    print("check_include: " + ("FAILED" if failures else "OK"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
