"""resolve maps WebAssembly frames, as @sentry/wasm reports them
(`instruction_addr` with `addr_mode: rel:N` naming a `wasm` image whose
code_id is the build ID), through the DWARF of the module's debug file: the
one in a folder, or the one Sentry holds (--from-server). llvm-symbolizer-14
is the oracle for every code offset."""
import json

import pytest

from conftest import UPLOAD_TOKEN
from fake_sentry.debug_files import sections, wasm_ids
from helpers.dist import snapshot
from helpers.emscripten import (build_module, code_payload_start, custom_sections,
                                llvm_symbolizer)
from helpers.process import clean_env

READ_TOKEN = "tok-read-only-0123456"  # conftest's sentry: project:read, event:read
PAGE = "http://localhost:8000/"


@pytest.fixture
def resolve(cli, case_dir):
    def invoke(*args, env=None):
        return cli("resolve", *args, env=clean_env(HOME=str(case_dir), **(env or {})),
                   cwd=case_dir)
    return invoke


def build_id_of(wasm):
    return next(c for _, name, c, _ in sections(wasm.read_bytes()) if name == "build_id")


def wasm_image(wasm):
    """The image @sentry/wasm's registry writes for a module."""
    debug_id, code_id = wasm_ids(build_id_of(wasm))
    return {"type": "wasm", "code_id": code_id, "code_file": PAGE + wasm.name,
            "debug_file": None, "debug_id": debug_id.replace("-", "") + "0"}


def wasm_event(wasm, offsets, *, images=None):
    frames = [{"filename": PAGE + wasm.name, "function": "wasm-function", "in_app": True,
               "instruction_addr": hex(offset), "addr_mode": "rel:0", "platform": "native"}
              for offset in offsets]
    return {"platform": "javascript",
            "exception": {"values": [{"type": "RuntimeError", "value": "unreachable",
                                      "stacktrace": {"frames": frames}}]},
            "debug_meta": {"images": images or [wasm_image(wasm)]}}


def write_event(case_dir, data, name="event.json"):
    (case_dir / name).write_text(json.dumps(data))
    return name


def injected_module(cli, case_dir, source, flags):
    dist = case_dir / "dist"
    wasm = build_module(source, dist, flags)
    done = cli("inject", str(dist), cwd=case_dir)
    assert done.returncode == 0, done.output
    return wasm


@pytest.mark.parametrize("source, flags", [("divide.cpp", ("-g", "-O1")),
                                           ("checkout.cpp", ("-g", "-O2"))])
def test_every_code_offset_maps_as_llvm_symbolizer_maps_it(resolve, cli, case_dir,
                                                           source, flags):
    wasm = injected_module(cli, case_dir, source, flags)
    start, end = code_payload_start(wasm.read_bytes())
    offsets = list(range(start, end))
    expected = llvm_symbolizer(wasm, [offset - start for offset in offsets])
    assert sum(answer is not None for answer in expected) > 10
    name = write_event(case_dir, wasm_event(wasm, offsets))
    result = resolve("--event", name, "--json", "dist")
    frames = json.loads(result.stdout)["exception"]["values"][0]["stacktrace"]["frames"]
    mismatches = []
    for offset, frame, answer in zip(offsets, frames, expected):
        got = None
        if frame.get("symbolicator_status") == "symbolicated":
            got = (frame["function"], frame["abs_path"], frame["lineno"], frame.get("colno", 0))
        if got != answer:
            mismatches.append((hex(offset), got, answer))
    assert mismatches == []
    resolved = [f for f in frames if f.get("symbolicator_status") == "symbolicated"]
    # `filename` is the path below the unit's folder (DW_AT_comp_dir: where
    # em++ ran), `abs_path` all of it; a file outside that folder keeps its
    # whole path in both.
    assert any(f["abs_path"].endswith("/wasm_programs/" + source) for f in resolved)
    assert all(f["abs_path"] == f["filename"] if f["filename"].startswith("/")
               else f["abs_path"].endswith("/" + f["filename"]) for f in resolved)
    assert all(f["package"] == PAGE + wasm.name for f in resolved)
    assert all(f["data"]["resolved_with"] == "build-id" for f in resolved)


def test_the_trap_maps_to_its_line_with_the_inlined_function(resolve, cli, case_dir):
    wasm = injected_module(cli, case_dir, "checkout.cpp", ("-g", "-O2"))
    data = wasm.read_bytes()
    start, end = code_payload_start(data)
    # The one `unreachable` of price_per_item, where checked_ratio traps.
    answers = llvm_symbolizer(wasm, [o - start for o in range(start, end)])
    trap = next(o for o, answer in zip(range(start, end), answers)
                if data[o] == 0x00 and answer and answer[2] == 7)
    name = write_event(case_dir, wasm_event(wasm, [trap]))
    result = resolve("--event", name, "--context", "1", "dist")
    assert result.returncode == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == "at wasm-function (%s 0x%x) [in app]" % (PAGE + wasm.name, trap)
    assert lines[2].startswith("   -> /") and lines[2].endswith(
        "wasm_programs/checkout.cpp:7:5 (checked_ratio) [build-id]")
    assert lines[3] == "      7 |     __builtin_trap();"
    assert "resolved 1 of 1 frames" in result.stderr


def test_an_event_in_the_api_form_is_resolved_in_that_form(resolve, cli, case_dir):
    wasm = injected_module(cli, case_dir, "divide.cpp", ("-g", "-O1"))
    start, _ = code_payload_start(wasm.read_bytes())
    image = wasm_image(wasm)
    api_image = {"type": "wasm", "codeId": image["code_id"], "codeFile": image["code_file"],
                 "debugId": image["debug_id"]}
    frame = {"filename": wasm.name, "absPath": PAGE + wasm.name, "function": "divide",
             "inApp": True, "instructionAddr": hex(start + 0xc), "addrMode": "rel:0",
             "lineNo": None, "colNo": None}
    event = {"entries": [{"type": "exception", "data": {"values": [
        {"stacktrace": {"frames": [frame]}}]}},
        {"type": "debugmeta", "data": {"images": [api_image]}}]}
    name = write_event(case_dir, event)
    result = resolve("--event", name, "--json", "dist")
    assert result.returncode == 0, result.output
    [out] = json.loads(result.stdout)["entries"][0]["data"]["values"][0]["stacktrace"]["frames"]
    assert out["absPath"].endswith("wasm_programs/divide.cpp")
    assert (out["lineNo"], out["colNo"], out["function"]) == (7, 5, "divide")
    assert out["symbolicatorStatus"] == "symbolicated"
    assert "abs_path" not in out and "lineno" not in out


def test_the_deployed_module_is_stripped_so_the_debug_file_comes_from_sentry(
        resolve, upload, sentry, case_dir):
    dist = case_dir / "dist"
    wasm = build_module("divide.cpp", dist)
    done = upload("-o", "acme", "-p", "web", "--inject", "--delete-after", "dist")
    assert done.returncode == 0, done.output
    assert not any(n.startswith(".debug_") for n in custom_sections(wasm))
    start, _ = code_payload_start(wasm.read_bytes())  # stripping keeps the code
    name = write_event(case_dir, wasm_event(wasm, [start + 0xc]))

    local = resolve("--event", name, "dist")
    assert local.returncode == 1, local.output
    assert ("not resolved: dist/divide.wasm has that build ID but no DWARF: it is the "
            "deployed, stripped module") in local.stdout

    sentry.clear_requests()
    result = resolve("--event", name, "--from-server", "-o", "acme", "-p", "web",
                     env={"SENTRY_URL": sentry.url, "SENTRY_READ_TOKEN": READ_TOKEN,
                          "SENTRY_AUTH_TOKEN": UPLOAD_TOKEN})
    assert result.returncode == 0, result.output
    assert "divide.cpp:7:5 (divide) [build-id]" in result.stdout
    [stored] = sentry.debug_files
    listing, download = sentry.requests_to("dsyms")
    assert listing["path"] == "/api/0/projects/acme/web/files/dsyms/"
    assert listing["query"] == {"query": stored["debugId"]}
    assert download["query"] == {"id": stored["id"]}
    assert "downloaded 1 WebAssembly debug file(s) from Sentry" in result.stderr
    assert READ_TOKEN not in result.output and UPLOAD_TOKEN not in result.output


def test_a_module_nobody_has_is_named_and_exits_1(resolve, cli, case_dir):
    wasm = injected_module(cli, case_dir, "divide.cpp", ("-g", "-O1"))
    image = dict(wasm_image(wasm), code_id="10" + "ab" * 16, debug_id="ab" * 16 + "0")
    name = write_event(case_dir, wasm_event(wasm, [0x1a3], images=[image]))
    result = resolve("--event", name, "dist")
    assert result.returncode == 1, result.output
    assert ("not resolved: no WebAssembly module with code ID 10%s (its build ID) was found"
            % ("ab" * 16)) in result.stdout


def test_malformed_dwarf_is_one_error_and_the_module_is_untouched(resolve, cli, case_dir):
    wasm = injected_module(cli, case_dir, "divide.cpp", ("-g", "-O1"))
    data = bytearray(wasm.read_bytes())
    # Ruin the first compile unit's header: a length past the section's end.
    at = 8
    for _, name, content, whole in sections(bytes(data)):
        if name == ".debug_info":
            content_at = at + len(whole) - len(content)
            data[content_at:content_at + 4] = b"\xf0\xff\xff\x7f"
        at += len(whole)
    wasm.write_bytes(bytes(data))
    before = snapshot(case_dir / "dist")
    start, _ = code_payload_start(bytes(data))
    name = write_event(case_dir, wasm_event(wasm, [start + 0xc]))
    result = resolve("--event", name, "dist")
    assert result.returncode == 1, result.output
    assert result.stderr.count("error:") == 1
    assert "error: the DWARF of dist/divide.wasm cannot be read (" in result.stderr
    assert snapshot(case_dir / "dist") == before


def test_an_event_with_no_frame_of_either_kind_is_refused(resolve, case_dir):
    name = write_event(case_dir, {"exception": {"values": [{"stacktrace": {"frames": [
        {"filename": "x.wasm", "instruction_addr": "0x10", "addr_mode": "rel:3"}]}}]}})
    result = resolve("--event", name, "dist")
    assert result.returncode == 1
    assert "has no JavaScript or WebAssembly exception frames" in result.stderr
