"""inject on Emscripten output: every WebAssembly module gets a build ID
derived from its bytes, the IDs agree with sentry-cli's reading of the
module, and a bad module stops the run before any file changes."""
import json
import shutil

from helpers.dist import snapshot, write_dist
from helpers.emscripten import build_module, custom_sections, section_payload
from helpers.process import run
from helpers.sentry_cli import ensure_sentry_cli


def inject_json(cli, *paths):
    result = cli("inject", "--json", *map(str, paths))
    assert result.returncode == 0, result.output
    return json.loads(result.stdout)


def test_each_module_gets_a_build_id_derived_from_its_bytes(cli, case_dir):
    dist = case_dir / "dist"
    wasm = build_module("divide.cpp", dist)
    original = wasm.read_bytes()
    assert "build_id" not in custom_sections(wasm)

    summary = inject_json(cli, dist)
    [module] = summary["modified_wasm_modules"]
    assert module["path"].endswith("divide.wasm")
    payload = section_payload(wasm, "build_id")
    # wasm-ld's layout: the length, then 16 bytes; the section goes last.
    assert payload[0] == 16 and len(payload) == 17
    assert custom_sections(wasm)[-1] == "build_id"
    assert module["build_id"] == payload.hex()
    hexed = payload[:16].hex()
    assert module["debug_id"] == "-".join(
        [hexed[:8], hexed[8:12], hexed[12:16], hexed[16:20], hexed[20:]])
    # Everything else is the module as Emscripten wrote it.
    assert wasm.read_bytes().startswith(original)

    # A second run keeps the ID and the bytes.
    injected = wasm.read_bytes()
    again = inject_json(cli, dist)
    assert again["modified_wasm_modules"] == []
    assert again["ignored_wasm_modules"] == [module]
    assert wasm.read_bytes() == injected

    # The same build elsewhere gets the same ID.
    other = build_module("divide.cpp", case_dir / "rebuilt")
    assert other.read_bytes() == original
    assert inject_json(cli, other.parent)["modified_wasm_modules"][0]["build_id"] == \
        module["build_id"]


def test_sentry_cli_reads_the_same_ids_and_finds_the_module_usable(cli, case_dir):
    wasm = build_module("divide.cpp", case_dir / "dist")
    before = run([ensure_sentry_cli(), "debug-files", "check", str(wasm)])
    assert "Usable: no (missing debug identifier, likely stripped)" in before.stdout, \
        before.output
    [module] = inject_json(cli, wasm.parent)["modified_wasm_modules"]
    after = run([ensure_sentry_cli(), "debug-files", "check", str(wasm)])
    assert after.returncode == 0, after.output
    assert "Usable: yes" in after.stdout, after.output
    assert f"Debug ID: {module['debug_id']}" in after.stdout, after.output
    assert f"Code ID:  {module['build_id']}" in after.stdout, after.output


def test_a_file_that_is_not_a_module_stops_inject_and_changes_nothing(cli, case_dir):
    dist = write_dist(case_dir / "dist")
    build_module("divide.cpp", dist / "wasm")
    (dist / "wasm" / "fake.wasm").write_text("<html>404</html>")
    good = (dist / "wasm" / "divide.wasm").read_bytes()
    (dist / "wasm" / "cut.wasm").write_bytes(good[:200])
    before = snapshot(dist)
    result = cli("inject", str(dist))
    assert result.returncode == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith(
        "sentry-sourcemaps: error: ")]
    assert len(errors) == 3, result.stderr
    assert any("fake.wasm: not a WebAssembly module (no \\0asm magic) at byte offset 0"
               in line for line in errors), result.stderr
    assert any("cut.wasm: section " in line and "runs past the end of the file at "
               "byte offset " in line for line in errors), result.stderr
    assert "no file was changed (2 files could not be processed; --skip-invalid skips " \
        "them)" in errors[-1]
    assert snapshot(dist) == before

    skipped = cli("inject", "--skip-invalid", str(dist))
    assert skipped.returncode == 0, skipped.output
    assert "warning: skipped " in skipped.stderr and "fake.wasm" in skipped.stderr
    assert "build_id" in custom_sections(dist / "wasm" / "divide.wasm")
    assert (dist / "wasm" / "fake.wasm").read_text() == "<html>404</html>"


def test_one_build_id_on_two_different_modules_is_an_error_naming_both(cli, case_dir):
    dist = case_dir / "dist"
    wasm = build_module("divide.cpp", dist)
    inject_json(cli, dist)
    # A copy with the same build ID whose code differs by one byte.
    data = bytearray(wasm.read_bytes())
    data[100] ^= 1
    (dist / "copy.wasm").write_bytes(bytes(data))
    shutil.copy(wasm, dist / "same.wasm")  # an identical copy is fine
    before = snapshot(dist)
    result = cli("inject", "--skip-invalid", str(dist))
    assert result.returncode == 1, result.output
    assert "have the same build ID " in result.stderr
    assert "copy.wasm" in result.stderr and "divide.wasm" in result.stderr
    assert "--skip-invalid" not in result.stderr.splitlines()[-1]
    assert snapshot(dist) == before
