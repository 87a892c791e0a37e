"""server.py as a standalone process: URL announcement, store dir, clean exit."""
import json
import os
import signal
import subprocess
import sys

from selftest_helpers import ORG, assemble_body, call, sample_bundle, upload_chunks

SERVER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      "fake_sentry", "server.py")


def test_standalone_server(tmp_path):
    url_file, store = tmp_path / "url.txt", tmp_path / "store"
    proc = subprocess.Popen(
        [sys.executable, SERVER, "--port", "0", "--token", "tok=project:releases,org:read",
         "--org", "acme=web,api", "--store-dir", str(store), "--url-file", str(url_file)],
        stdout=subprocess.PIPE, text=True, cwd=str(tmp_path))
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("FAKE_SENTRY_URL=http://127.0.0.1:")
        url = line.split("=", 1)[1]
        assert url_file.read_text().strip() == url
        r = call(url, "GET", "/api/0/", "tok")
        assert r.json()["auth"] == {"scopes": ["project:releases", "org:read"]}
        data = sample_bundle(release="1.0")
        body = assemble_body(data)
        call(url, "POST", ORG + "/artifactbundle/assemble/", "tok", body)
        upload_chunks(url, "tok", [data])
        call(url, "POST", ORG + "/artifactbundle/assemble/", "tok", body)
        r = call(url, "POST", ORG + "/artifactbundle/assemble/", "tok", body)
        assert r.json()["state"] == "ok"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    checksum = body["checksum"]
    assert (store / (checksum + ".bundle")).read_bytes() == data
    manifest = json.loads((store / (checksum + ".manifest.json")).read_text())
    assert manifest["release"] == "1.0"
    log = [json.loads(x) for x in (store / "requests.jsonl").read_text().splitlines()]
    assert [r["endpoint"] for r in log] == ["auth", "assemble", "chunk", "assemble", "assemble"]
    assert [(r["response"] or {}).get("state") for r in log] == [
        None, "not_found", None, "created", "ok"]
    assert all(r["received"] <= r["answered"] for r in log)
    assert all(r["headers"].get("authorization") == "Bearer [REDACTED]" for r in log)
