"""upload sends WebAssembly modules that carry DWARF as Sentry debug
information files (chunks, then the DIF assemble endpoint of each project,
then the wait for `ok`), reports them in --json, and leaves the rest alone."""
import hashlib
import json

from helpers.dist import snapshot
from helpers.emscripten import build_module, custom_sections

ARGS = ["-o", "acme", "-r", "1.0", "--json"]


def summary_of(result):
    assert result.returncode == 0, result.output
    return json.loads(result.stdout)


def test_a_module_with_dwarf_reaches_every_project_as_a_debug_file(upload, sentry, case_dir):
    dist = case_dir / "dist"
    wasm = build_module("divide.cpp", dist)
    summary = summary_of(upload(*ARGS, "-p", "web", "-p", "api", "--inject", "dist"))

    [sent] = summary["debug_files"]
    assert sent["name"] == "divide.wasm"
    assert sent["projects"] == ["web", "api"]
    assert sent["state"] == "ok"
    data = wasm.read_bytes()  # now with its build ID
    assert sent["size"] == len(data)
    stored = sentry.debug_files
    assert [f["project"] for f in stored] == ["web", "api"]
    for dif in stored:
        assert dif["raw"] == data
        assert dif["name"] == "divide.wasm"
        assert dif["debugId"] == dif["claimed_debug_id"] == sent["debug_id"]
        assert dif["codeId"] == sent["code_id"]
        assert dif["data"] == {"type": "lib", "features": ["symtab", "debug"]}
    # The chunks went once, before the first confirmed assemble.
    chunk_posts = sentry.requests_to("chunk")
    assert len(chunk_posts) == 2  # the JS bundle's and the module's
    assembles = sentry.requests_to("dif_assemble")
    assert assembles[0]["body"] == {sent["checksum"]: {
        "name": "divide.wasm", "debug_id": sent["debug_id"],
        "chunks": [sent["checksum"]]}}
    # Without --delete-after the deployed module keeps its DWARF.
    assert ".debug_info" in custom_sections(wasm)


def test_a_module_without_dwarf_is_named_and_left_alone(upload, sentry, case_dir):
    wasm = build_module("divide.cpp", case_dir / "dist", flags=("-O1",))
    assert not any(name.startswith(".debug_") for name in custom_sections(wasm))
    result = upload(*ARGS, "-p", "web", "--inject", "dist")
    summary = summary_of(result)
    assert summary["debug_files"] == []
    assert "divide.wasm has no DWARF (.debug_* sections)" in result.stderr
    assert sentry.requests_to("dif_assemble") == []


def test_a_module_without_a_build_id_is_not_sent(upload, sentry, case_dir):
    build_module("divide.cpp", case_dir / "dist")
    result = upload(*ARGS, "-p", "web", "dist")
    assert summary_of(result)["debug_files"] == []
    assert "divide.wasm has no build ID" in result.stderr
    assert "run inject first, or upload --inject" in result.stderr
    assert sentry.requests_to("dif_assemble") == []


def test_a_failed_debug_file_upload_fails_the_run_and_keeps_everything(cli, upload, sentry,
                                                                     case_dir):
    dist = case_dir / "dist"
    build_module("divide.cpp", dist)
    assert cli("inject", str(dist)).returncode == 0
    before = snapshot(dist)
    sentry.script_fault("POST", "dif_assemble", [500] * 4)
    result = upload("-o", "acme", "-p", "web", "-r", "1.0", "--delete-after",
                    "--max-retries", "1", "dist", env={"SENTRY_SOURCEMAPS_RETRY_DELAY_MS": "0"})
    assert result.returncode == 1, result.output
    assert "sentry-sourcemaps: error: " in result.stderr
    assert "/files/difs/assemble/" in result.stderr
    assert len(sentry.requests_to("dif_assemble")) == 2  # the first try and one retry
    assert sentry.debug_files == []
    assert snapshot(dist) == before, "a failed upload must leave every file as it was"


def test_sentry_rejecting_the_file_is_reported_with_its_detail(cli, upload, sentry, case_dir):
    dist = case_dir / "dist"
    wasm = build_module("divide.cpp", dist)
    assert cli("inject", str(dist)).returncode == 0
    before = snapshot(dist)
    checksum = hashlib.sha1(wasm.read_bytes()).hexdigest()
    sentry.script_fault("POST", "dif_assemble", [{"status": 200, "body": {checksum: {
        "state": "error", "detail": "Invalid debug information file: divide.wasm",
        "missingChunks": []}}}])
    result = upload("-o", "acme", "-p", "web", "-r", "1.0", "--delete-after", "dist")
    assert result.returncode == 1, result.output
    assert ("Sentry could not process the debug file divide.wasm: Invalid debug "
            "information file: divide.wasm; nothing was deleted") in result.stderr
    assert snapshot(dist) == before
