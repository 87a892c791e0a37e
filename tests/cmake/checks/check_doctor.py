#!/usr/bin/env python3
"""Checks the sentry-doctor_<name> targets of tests/cmake/projects/include: the doctor
command carries the upload's non-secret settings, and the aggregate runs every one.

usage: check_doctor.py BINARY_DIR
"""
import os
import shlex
import subprocess
import sys


def commands(ninja, b, target):
    out = subprocess.run([ninja, "-C", b, "-t", "commands", target],
                         capture_output=True, text=True, check=True).stdout
    return [shlex.split(line.split("&&")[-1].strip()) for line in out.splitlines()
            if " doctor " in line]


def main():
    b = os.path.realpath(sys.argv[1])
    src = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", "projects", "include"))
    with open(os.path.join(b, "CMakeCache.txt")) as f:
        ninja = next(line.split("=", 1)[1].strip() for line in f
                     if line.startswith("CMAKE_MAKE_PROGRAM:"))
    failures = []
    expected = {
        "web": ["doctor", "--org", "acme", "--url", "http://127.0.0.1:9/", "--project", "web",
                "--project", "api", "--ignore", "**/vendor.*", "--expect-inject",
                "--env-file", os.path.join(src, "config", "sentry.env"),
                os.path.join(b, "web", "dist")],
        "admin": ["doctor", os.path.join(b, "admin", "dist")],
        "docs": ["doctor", "--expect-inject", os.path.join(b, "docs", "dist")],
    }
    for name, argv in expected.items():
        found = commands(ninja, b, "sentry-doctor_" + name)
        if len(found) != 1 or found[0][1:] != argv:
            failures.append("%s: got %s\n  expected %s" % (name, found, argv))
    everything = commands(ninja, b, "sentry-doctor")
    if len(everything) != 3:
        failures.append("sentry-doctor runs %d doctor commands, not 3" % len(everything))
    if any("upload" in argv for argv in everything):
        failures.append("a doctor target uploads")
    for failure in failures:
        print("FAIL: " + failure)
    print("check_doctor: " + ("FAILED" if failures else "OK"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
