#!/usr/bin/env python3
"""Stands in for sentry-sourcemaps in the CMake module tests (CMake's fake_gtest).

Records how the build ran it: argv, working directory, the *names* of the
environment variables (never their values: a token must not reach a file),
and which files DIRECTORY held at that moment (proof the bundle target ran
first). The record goes to invocation.json next to --stamp-file, or to the
working directory; that of `install` to install-invocation.json next to
--done-file. Exits with $FAKE_UPLOADER_EXIT_CODE (default 0).
"""
import json
import os
import sys


def main(argv):
    args = argv[1:]
    if args == ["--version"]:
        print("sentry-sourcemaps 0.1.0 (fake)")
        return 0
    # `install` (the deployable copy after the upload) records apart, next to
    # its --done-file, so the upload's record stays.
    near = next((args[args.index(flag) + 1] for flag in ("--stamp-file", "--done-file")
                 if flag in args), None)
    out_dir = os.path.dirname(near) if near else os.getcwd()
    name = "install-invocation.json" if args[:1] == ["install"] else "invocation.json"
    directory = args[-1] if args else ""
    files = []
    if os.path.isdir(directory):
        for root, _, names in os.walk(directory):
            files += [os.path.relpath(os.path.join(root, n), directory).replace(os.sep, "/")
                      for n in names]
    record = {"argv": args, "cwd": os.getcwd(), "env_names": sorted(os.environ),
              "files_in_directory": sorted(files)}
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, name), "w") as f:
        json.dump(record, f, indent=2)
    code = int(os.environ.get("FAKE_UPLOADER_EXIT_CODE", "0"))
    print("fake uploader: %d argument(s), exit %d" % (len(args), code))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
