"""Proof in a real browser for WebAssembly: examples/emscripten (C++ built by
Emscripten through CMake, a page with @sentry/browser and @sentry/wasm) is
built with its DSN pointing at the stand-in, and its sentry-upload step
gives checkout.wasm a build ID, sends the module with its DWARF to the
stand-in as a debug file and deploys it without DWARF (app.js's map goes
the source-map way). Headless Chromium loads dist/ and clicks the button
that traps in C++; the SDK's event must name the deployed module's build ID,
and `sentry-sourcemaps resolve --event --from-server` must map the top
WebAssembly frame to the trap's line in src/checkout.cpp, through the debug
file the stand-in holds. The screenshot, the event and the resolved stack
trace are kept as artefacts."""
import json
import re
from urllib.parse import urlsplit

from cmake_harness import REPO, TOKEN, account, write_env_file
from helpers.emscripten import configure_with_emcmake, custom_sections, section_payload
from helpers.process import clean_env, run

EXAMPLE = REPO / "examples" / "emscripten"
SOURCE = EXAMPLE / "src" / "checkout.cpp"
TRAP_LINE = next(n for n, line in enumerate(SOURCE.read_text().splitlines(), 1)
                 if "__builtin_trap();" in line)
READ_TOKEN = "sntrys_read_only"  # conftest's stand-in: project:read




def test_a_trap_in_cpp_resolves_through_the_uploaded_debug_file(
        browser_tools, cmake_project_factory, uploader, fake, tmp_path, artefacts,
        click_checkout):
    project = cmake_project_factory(EXAMPLE)
    env_file = write_env_file(tmp_path / ".env.sentry-build-plugin", **account(fake))
    configured = configure_with_emcmake(
        project, "-DSENTRY_SOURCEMAPS_EXECUTABLE=%s" % uploader,
        "-DSENTRY_SOURCEMAPS_ENV_FILE=%s" % env_file,
        "-DEMSCRIPTEN_EXAMPLE_UPLOAD_ON_BUILD=ON", "-DSENTRY_SOURCEMAPS_REQUIRED=ON",
        "-DEMSCRIPTEN_EXAMPLE_SENTRY_DSN=%s" % fake.dsn("acme", "web"), env=clean_env())
    assert configured.returncode == 0, configured.output
    built = project.build(env=clean_env(), timeout=900)
    assert built.returncode == 0, built.output
    dist = project.binary / "dist"

    # Deployed: no map, and the module without DWARF but with its build ID...
    assert sorted(p.name for p in dist.rglob("*.map")) == []
    wasm = dist / "checkout.wasm"
    assert custom_sections(wasm) == ["name", "build_id"]
    # ...the one of the debug file Sentry got, which has the DWARF.
    [dif] = fake.debug_files
    assert (dif["org"], dif["project"], dif["name"]) == ("acme", "web", "checkout.wasm")
    assert ".debug_info" in custom_sections(dif["raw"])
    build_id = section_payload(wasm, "build_id").hex()
    assert build_id == dif["codeId"]
    (artefacts / "sizes.txt").write_text("uploaded %d bytes, deployed %d bytes\n" % (
        len(dif["raw"]), wasm.stat().st_size))
    assert len(fake.bundles) == 1  # app.js and its map

    _, paths, event = click_checkout(dist)
    assert "/checkout.wasm" in paths

    event_file = artefacts / "event.json"
    event_file.write_text(json.dumps(event, indent=2))
    exception = event["exception"]["values"][-1]
    assert exception["type"] == "RuntimeError", exception
    # The SDK names the deployed module by its build ID...
    images = event["debug_meta"]["images"]
    wasm_images = [i for i in images if i["type"] == "wasm"]
    assert [(i["code_id"], urlsplit(i["code_file"]).path) for i in wasm_images] == [
        (build_id, "/checkout.wasm")], images
    # ...and its newest frame is in the module, by offset and image index.
    top = exception["stacktrace"]["frames"][-1]
    assert top["platform"] == "native" and top["instruction_addr"].startswith("0x"), top
    assert images[int(top["addr_mode"].split(":")[1])]["code_id"] == build_id, top

    resolved = run([uploader, "resolve", "--event", event_file, "--from-server",
                    "-o", "acme", "-p", "web"],
                   env=clean_env(SENTRY_URL=fake.url, SENTRY_READ_TOKEN=READ_TOKEN),
                   timeout=120)
    (artefacts / "stacktrace.txt").write_text(resolved.stdout + resolved.stderr)
    assert resolved.returncode == 0, resolved.output
    lines = resolved.stdout.splitlines()
    assert lines[1].startswith("at ") and "/checkout.wasm 0x" in lines[1], lines
    assert re.fullmatch(r"   -> /.*/examples/emscripten/src/checkout\.cpp:%d:\d+ "
                        r"\(checked_share\) \[build-id\]" % TRAP_LINE, lines[2]), lines
    # Emscripten's glue, marked not in app by the page, is the only frame
    # left minified; the page's own frame resolves through app.js's map.
    assert "-> src/main.js:" in resolved.stdout
    assert "downloaded 1 WebAssembly debug file(s) from Sentry" in resolved.stderr
    assert TOKEN not in resolved.output and READ_TOKEN not in resolved.output
    print("symbolicated stack trace (%s):\n%s" % (artefacts / "stacktrace.txt", resolved.stdout))
