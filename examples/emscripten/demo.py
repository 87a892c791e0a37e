#!/usr/bin/env python3
"""The `demo` workflow preset's WebAssembly step: examples/emscripten to a local Sentry.

Starts the stand-in (tests/fake_sentry, loopback only), configures the
example with Emscripten (`emcmake cmake`, its SDK's DSN pointing at the
stand-in), builds the page and the module, runs the `sentry-upload` target
with a demo token in the environment, and prints what Sentry received and
what is deployed: checkout.wasm with its build ID and without its DWARF.
When Debian's Chromium is installed, it clicks the button that traps in C++
in headless Chromium and prints the SDK's error as the browser saw it and
as `sentry-sourcemaps resolve --event --from-server` symbolicates it through
the uploaded debug file. Without Emscripten it says so and does nothing.

usage: demo.py --build-dir BUILD [--uploader BUILD/uploader/sentry-sourcemaps]
"""
import argparse
import json
import secrets
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
ORG, PROJECT = "demo", "emscripten"
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "examples"))
import demo_support  # noqa: E402  (stdlib only)
from fake_sentry.debug_files import sections  # noqa: E402  (stdlib only)


def custom_sections(path):
    return [name for section_id, name, _, _ in sections(path.read_bytes()) if section_id == 0]


def build_id_hex(path):
    return next((c.hex() for _, name, c, _ in sections(path.read_bytes())
                 if name == "build_id"), None)


def describe(wasm):
    return "%s: %d bytes, sections %s" % (wasm.name, wasm.stat().st_size,
                                          ", ".join(custom_sections(wasm)))


def sentry_debug_files(url, token):
    request = urllib.request.Request(
        "%s/api/0/projects/%s/%s/files/dsyms/" % (url, ORG, PROJECT),
        headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=10) as r:
        return json.loads(r.read())


def trap_line():
    lines = (HERE / "src" / "checkout.cpp").read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if "__builtin_trap();" in line)


def browser_error(url, dsn, dist, store, uploader, token):
    """Clicks the trapping button in headless Chromium; prints the SDK's event
    and its stack trace symbolicated from the debug file Sentry holds.
    Raises DemoFailed."""
    clicked = demo_support.click_in_chromium(url, dsn, dist, store, "Check out (traps)")
    if clicked is None:
        return
    _, event_file, _ = clicked
    stdout = demo_support.resolve_event(
        uploader, event_file, "--from-server",
        env=demo_support.sentry_env(SENTRY_URL=url, SENTRY_READ_TOKEN=token,
                                    SENTRY_ORG=ORG, SENTRY_PROJECT=PROJECT))
    expected = "src/checkout.cpp:%d:" % trap_line()
    if expected not in stdout.splitlines()[2]:
        raise demo_support.DemoFailed("the top frame did not resolve to %s" % expected)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", required=True, type=Path)
    ap.add_argument("--uploader", type=Path,
                    help="the built sentry-sourcemaps (default: BUILD/uploader/...)")
    a = ap.parse_args()
    emcmake = shutil.which("emcmake")
    if not emcmake:
        print("== WebAssembly demo: skipped (emcmake not found: sudo tools/install-deps "
              "installs Debian's emscripten)")
        return 0
    uploader = (a.uploader or a.build_dir / "uploader" / "sentry-sourcemaps").resolve()
    example_build = a.build_dir / "examples" / "emscripten"
    dist = example_build / "dist"
    store = a.build_dir / "demo-sentry-wasm"
    shutil.rmtree(store, ignore_errors=True)
    store.mkdir(parents=True)

    token = "demo_" + secrets.token_hex(16)  # accepted by this stand-in only
    server, url = demo_support.start(store, token, ORG, PROJECT)
    try:
        dsn = demo_support.dsn_of(url, ORG, PROJECT)
        print("== local Sentry stand-in at %s (org %s, project %s, DSN %s)"
              % (url, ORG, PROJECT, dsn))
        print("== emcmake cmake -S examples/emscripten -B %s" % example_build, flush=True)
        subprocess.run([emcmake, "cmake", "-S", str(HERE), "-B", str(example_build),
                        "-G", "Ninja", "-DSENTRY_SOURCEMAPS_EXECUTABLE=%s" % uploader,
                        "-DSENTRY_SOURCEMAPS_REQUIRED=ON",
                        "-DSENTRY_SOURCEMAPS_ENV_FILE=%s" % (store / ".env.sentry-build-plugin"),
                        "-DEMSCRIPTEN_EXAMPLE_SENTRY_DSN=" + dsn],
                       check=True, stdout=subprocess.DEVNULL)
        cmake = ["cmake", "--build", str(example_build)]
        # A fresh build, so the demo shows the module with its DWARF each time.
        shutil.rmtree(dist, ignore_errors=True)
        subprocess.run(cmake + ["--target", "page"], check=True, stdout=subprocess.DEVNULL)
        wasm = dist / "checkout.wasm"
        print("== em++ -g and esbuild wrote to %s:" % dist)
        print("    " + describe(wasm))
        print("    maps: %s" % ", ".join(p.name for p in sorted(dist.glob("*.map"))))

        env = demo_support.sentry_env(SENTRY_URL=url, SENTRY_AUTH_TOKEN=token,
                                      SENTRY_ORG=ORG, SENTRY_PROJECT=PROJECT)
        print("== cmake --build %s --target sentry-upload" % example_build, flush=True)
        upload = subprocess.run(cmake + ["--target", "sentry-upload"], env=env)
        if upload.returncode != 0:
            sys.exit("demo: sentry-upload failed (exit %d)" % upload.returncode)
        print("== Sentry holds these debug files:")
        held = sentry_debug_files(url, token)
        for f in held:
            print("    %s  %s  debug id %s  code id %s  %d bytes" % (
                f["objectName"], f["cpuName"], f["debugId"], f["codeId"], f["size"]))
        print("== deployed in %s:" % dist)
        print("    " + describe(wasm))
        left = sorted(p.name for p in dist.glob("*.map"))
        print("    maps: %s" % (", ".join(left) or "none"))
        dwarf = [n for n in custom_sections(wasm) if n.startswith(".debug_")]
        if dwarf or left or [f["codeId"] for f in held] != [build_id_hex(wasm)]:
            sys.exit("demo: FAILED (deployed DWARF: %s; maps left: %s; build IDs: %s, %s)"
                     % (dwarf, left, [f["codeId"] for f in held], build_id_hex(wasm)))
        browser_error(url, dsn, dist, store, uploader, token)
    except demo_support.DemoFailed as e:
        sys.exit("demo: FAILED (the browser's WebAssembly error: %s)" % e)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("== WebAssembly demo: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
