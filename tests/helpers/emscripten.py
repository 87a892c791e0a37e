"""Builds small C++ programs with Debian's Emscripten (em++) for the
WebAssembly tests; skips (or fails on CI) when em++ is missing.

build_module(source, folder, flags) compiles one source file into
folder/<stem>.js and folder/<stem>.wasm. Emscripten writes no build ID with
Debian 12's wasm-ld-14, so the module has none until inject gives it one."""
import shutil
import subprocess
from pathlib import Path

from helpers.npm_tools import unavailable

# The stand-in's reader: independent of the uploader's.
from fake_sentry.debug_files import sections

PROGRAMS = Path(__file__).resolve().parent.parent / "wasm_programs"


def em_plus_plus():
    found = shutil.which("em++")
    if not found:
        unavailable("em++ is not installed (Debian package emscripten; tools/install-deps)")
    return found


def emcmake():
    found = shutil.which("emcmake")
    if not found:
        unavailable("emcmake is not installed (Debian package emscripten; tools/install-deps)")
    return found


def configure_with_emcmake(project, *args, env):
    """Configures a cmake_harness CMakeProject through Emscripten's toolchain."""
    return project._run([emcmake(), "cmake", "-S", project.source, "-B", project.binary,
                         "-G", "Ninja", "-DCMAKE_MAKE_PROGRAM=" + project.make_program, *args],
                        env, 300)


def build_module(source, folder, flags=("-g", "-O1")):
    """Compiles tests/wasm_programs/<source> into `folder`; returns the
    .wasm path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = Path(source).stem
    out = folder / (stem + ".js")
    made = subprocess.run([em_plus_plus(), *flags, str(PROGRAMS / source), "-o", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert made.returncode == 0, made.stderr
    return folder / (stem + ".wasm")


def code_payload_start(data):
    """Where the Code section's payload starts: DWARF addresses in a module
    count from there (computed here, not by the uploader)."""
    at = 8
    for section_id, _, payload, whole in sections(data):
        if section_id == 10:  # the payload ends where the section does
            return at + len(whole) - len(payload), at + len(whole)
        at += len(whole)
    raise AssertionError("the module has no Code section")


def llvm_symbolizer(wasm, addresses):
    """llvm-symbolizer-14's innermost (function, file, line, column) for each
    DWARF address, or None where it knows no line: the independent oracle
    for resolve."""
    tool = shutil.which("llvm-symbolizer-14") or shutil.which("llvm-symbolizer")
    if not tool:
        unavailable("llvm-symbolizer-14 is not installed (Debian package llvm-14; "
                    "tools/install-deps)")
    run = subprocess.run([tool, "--obj=%s" % wasm, "--functions=short"],
                         input="".join("0x%x\n" % a for a in addresses),
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    blocks = [b.splitlines() for b in run.stdout.strip("\n").split("\n\n")]
    assert len(blocks) == len(addresses)
    answers = []
    for function, where, *_ in blocks:
        path, line, column = where.rsplit(":", 2)
        known = path != "??" and int(line) != 0
        answers.append((function, path, int(line), int(column)) if known else None)
    return answers


def _custom_sections(path):
    data = path if isinstance(path, bytes) else Path(path).read_bytes()
    for section_id, name, content, _ in sections(data):
        if section_id == 0:
            yield name, content


def without_dwarf(data):
    """A module's bytes without its .debug_* custom sections."""
    return data[:8] + b"".join(whole for _, name, _, whole in sections(data)
                               if not (name or "").startswith(".debug_"))


def custom_sections(path):
    """The names of a module's custom sections, in file order (`path` may
    also be the module's bytes)."""
    return [name for name, _ in _custom_sections(path)]


def section_payload(path, name):
    """The payload (after the name) of the first custom section `name`, or None."""
    return next((payload for found, payload in _custom_sections(path) if found == name), None)
