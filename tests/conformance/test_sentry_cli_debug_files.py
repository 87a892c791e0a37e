"""The official sentry-cli's `debug-files upload` and our `upload` send the
same WebAssembly module to two fresh stand-ins: what arrived must be the
same file under the same name and debug ID, assembled from the same chunks,
and `debug-files check` must read that ID from the file."""
import os
import subprocess
import sys

from fake_sentry import FakeSentry

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from helpers.emscripten import build_module  # noqa: E402

TOKEN = "tok-upload"
TOKENS = {TOKEN: ["project:releases", "org:read"]}
ORGS = {"acme": ["web"]}


def env_for(server, home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    env.update(SENTRY_URL=server.url, SENTRY_AUTH_TOKEN=TOKEN, SENTRY_LOAD_DOTENV="0",
               HOME=str(home))
    return env


def arrived(server):
    """What the stand-in stored, without fields that differ by design (ids, dates)."""
    return [{"name": f["name"], "debug_id": f["claimed_debug_id"], "sha1": f["sha1"],
             "size": f["size"], "raw": f["raw"], "chunks": f["chunks"],
             "debugId": f["debugId"], "codeId": f["codeId"], "data": f["data"]}
            for f in server.debug_files]


def test_our_upload_stores_what_sentry_cli_debug_files_upload_stores(sentry_cli, uploader,
                                                                     tmp_path):
    wasm = build_module("divide.cpp", tmp_path / "dist")
    injected = subprocess.run([uploader, "inject", str(wasm.parent)], capture_output=True,
                              text=True)
    assert injected.returncode == 0, injected.stderr

    with FakeSentry(tokens=TOKENS, orgs=ORGS) as theirs:
        result = subprocess.run([str(sentry_cli), "debug-files", "upload", "-o", "acme",
                                 "-p", "web", "--wait", str(wasm)],
                                env=env_for(theirs, tmp_path), capture_output=True,
                                text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "OK " in result.stdout and "(divide.wasm; wasm32 library)" in result.stdout
        expected = arrived(theirs)
        their_body = theirs.requests_to("dif_assemble")[0]["body"]

    with FakeSentry(tokens=TOKENS, orgs=ORGS) as ours:
        result = subprocess.run([uploader, "upload", "-o", "acme", "-p", "web", "-r", "1",
                                 str(wasm.parent)], env=env_for(ours, tmp_path),
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        got = arrived(ours)
        our_body = ours.requests_to("dif_assemble")[0]["body"]

    assert len(expected) == 1
    assert got == expected
    assert our_body == their_body
    assert got[0]["raw"] == wasm.read_bytes()

    check = subprocess.run([str(sentry_cli), "debug-files", "check", str(wasm)],
                           capture_output=True, text=True)
    assert f"Debug ID: {got[0]['debug_id']}" in check.stdout, check.stdout
    assert "Usable: yes" in check.stdout
