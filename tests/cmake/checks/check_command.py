#!/usr/bin/env python3
"""Checks that sentry-upload_web would run UPLOADER (a path suffix or an
absolute path) with the default flags, and that the bundle was built.

usage: check_command.py UPLOADER BINARY_DIR
"""
import os
import shlex
import subprocess
import sys


def main():
    uploader, b = sys.argv[1], sys.argv[2]
    with open(os.path.join(b, "CMakeCache.txt")) as f:
        ninja = next(line.split("=", 1)[1].strip() for line in f
                     if line.startswith("CMAKE_MAKE_PROGRAM:"))
    out = subprocess.run([ninja, "-C", b, "-t", "commands", "sentry-upload_web"],
                         capture_output=True, text=True, check=True).stdout
    lines = [line for line in out.splitlines() if " upload " in line and "--stamp-file" in line]
    if len(lines) != 1:
        print("FAIL: expected one upload command, got:\n" + out)
        return 1
    # The line runs `cd <dir> && mkdir && upload && install` (the deployable
    # copy): take the upload's part.
    argv = next(shlex.split(part.strip()) for part in lines[0].split("&&")
                if " upload " in part)
    ok = True
    if not argv[0].endswith(uploader):
        print("FAIL: the upload runs %s, not %s" % (argv[0], uploader))
        ok = False
    for flag in ("--inject", "--delete-after", "--skip-without-token"):
        if flag not in argv:
            print("FAIL: %s missing from %s" % (flag, argv))
            ok = False
    if argv[-1] != os.path.join(os.path.realpath(b), "web", "dist"):
        print("FAIL: DIRECTORY is %s" % argv[-1])
        ok = False
    if not os.path.exists(os.path.join(b, "web", "dist", "assets", "app.js.map")):
        print("FAIL: the bundle target did not run")
        ok = False
    print("check_command: " + ("OK" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
