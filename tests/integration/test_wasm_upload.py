"""upload sends WebAssembly modules that carry DWARF as Sentry debug
information files (chunks, then the DIF assemble endpoint of each project,
then the wait for `ok`), reports them in --json, and leaves the rest alone."""
import hashlib
import json

from helpers.dist import snapshot
from helpers.emscripten import build_module, custom_sections, section_payload, without_dwarf

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


def test_delete_after_strips_the_dwarf_only_after_sentry_confirmed(upload, sentry, case_dir):
    dist = case_dir / "dist"
    wasm = build_module("divide.cpp", dist)
    answers = []  # (state of the module's assemble answer, DWARF still deployed)

    def at_answer(record):
        if record["endpoint"] == "dif_assemble":
            states = [v.get("state") for v in (record.get("response") or {}).values()]
            answers.append((states, ".debug_info" in custom_sections(wasm)))
    sentry.on_answer(at_answer)
    summary = summary_of(upload(*ARGS, "-p", "web", "--inject", "--delete-after", "dist"))
    [sent] = summary["debug_files"]
    assert summary["stripped_modules"] == [sent["path"]]

    deployed = wasm.read_bytes()
    uploaded = sentry.debug_files[0]["raw"]
    sections = custom_sections(wasm)
    assert sections == ["name", "build_id"], sections
    assert section_payload(wasm, "build_id").hex() == sent["code_id"]
    assert len(deployed) < len(uploaded) / 2, (len(deployed), len(uploaded))
    # The deployed module is the uploaded one without its DWARF: code,
    # names and build ID byte for byte.
    assert deployed == without_dwarf(uploaded)
    assert ["ok"] in [states for states, _ in answers]
    assert all(dwarf for _, dwarf in answers), "DWARF removed before Sentry's ok"


def test_a_source_map_of_the_module_goes_with_its_link(upload, sentry, case_dir):
    # -gsource-map: Emscripten maps the module to the sources and drops the
    # DWARF; the map is uploaded and deleted, so the link to it goes too.
    dist = case_dir / "dist"
    wasm = build_module("divide.cpp", dist, flags=("-g", "-gsource-map", "-O1"))
    assert "sourceMappingURL" in custom_sections(wasm)
    summary = summary_of(upload(*ARGS, "-p", "web", "--inject", "--delete-after", "dist"))
    assert summary["deleted"] == ["dist/divide.wasm.map"]
    assert summary["stripped_modules"] == [str(wasm.relative_to(case_dir))], summary
    assert not (dist / "divide.wasm.map").exists()
    assert "sourceMappingURL" not in custom_sections(wasm)
    assert "build_id" in custom_sections(wasm)


def test_on_failure_warn_parks_a_full_copy_and_the_next_run_uploads_it(cli, upload, sentry,
                                                                       case_dir):
    dist, pending = case_dir / "dist", case_dir / "pending"
    wasm = build_module("divide.cpp", dist)
    assert cli("inject", str(dist)).returncode == 0
    full = wasm.read_bytes()
    sentry.script_fault("POST", "chunk", [500] * 4)
    args = ["-o", "acme", "-p", "web", "-r", "1.0", "--delete-after", "--on-failure", "warn",
            "--pending-dir", str(pending), "--max-retries", "1", "dist"]
    env = {"SENTRY_SOURCEMAPS_RETRY_DELAY_MS": "0"}
    failed = upload(*args, env=env)
    assert failed.returncode == 0, failed.output
    assert "copied 1 WebAssembly modules' DWARF to " in failed.stderr
    assert sentry.debug_files == []
    # Deployed without DWARF; the full module waits outside the folder.
    assert custom_sections(wasm) == ["name", "build_id"]
    [parked] = [p for p in pending.rglob("*.wasm")]
    assert parked.read_bytes() == full

    sentry.faults.clear()
    again = upload(*args, "--json", env=env)
    summary = summary_of(again)
    assert "WebAssembly debug files parked by an earlier failed upload" in again.stderr
    [dif] = sentry.debug_files
    assert dif["raw"] == full
    assert [d["name"] for d in summary["debug_files"]] == ["divide.wasm"]
    assert not list(pending.rglob("*.wasm")), "the parked copy goes once Sentry has it"
