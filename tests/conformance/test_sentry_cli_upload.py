"""The official sentry-cli 3.x against fake_sentry: proves the stand-in is faithful.

What sentry-cli 3.8.0 was observed to do against the stand-in (kept up to date here):
  * Headers on every call: Host, Accept: */*, User-Agent: sentry-cli/3.8.0,
    Authorization: Bearer <token>. No Expect/Connection/TE headers reach the server
    (curl drops the empty "Expect:"). JSON bodies: Content-Type application/json.
  * Order for `sourcemaps upload --wait`: GET chunk-upload options -> POST assemble
    (all chunks, answered not_found + missingChunks) -> POST chunk-upload (one multipart
    request; parts named `file_gzip`, filename = SHA-1 of the uncompressed chunk,
    part Content-Type application/octet-stream, no Content-Encoding) -> POST assemble
    (answered created) -> POST assemble about 1 s later (ok). The assemble body is
    {"checksum","chunks","projects","version","dist"} in that order.
  * With an absolute chunk URL it still sends Authorization on the chunk POST.
  * A 401 on the options call ends the run with a non-zero exit before any upload.
  * An assemble `error` ends the run with exit 1 and prints the server's detail.
  * 502 on a chunk POST is retried after about a second, and the upload succeeds.
"""
import hashlib
import json
import os
import re
import subprocess

import pytest

from fake_sentry import FakeSentry

TOKEN = "tok-upload"
TOKENS = {TOKEN: ["project:releases", "org:read"]}
ORGS = {"acme": ["web", "api"]}
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def vlq(value):
    """Base64 VLQ of one integer (source map v3)."""
    v = (-value << 1) | 1 if value < 0 else value << 1
    out = ""
    while True:
        digit, v = v & 31, v >> 5
        out += B64[digit | (32 if v else 0)]
        if not v:
            return out


def mappings(lines):
    """lines: per generated line, list of (gen_col, src_line, src_col) into source 0."""
    out, prev_line, prev_col = [], 0, 0
    for segments in lines:
        gen_prev, segs = 0, []
        for gen_col, src_line, src_col in segments:
            segs.append(vlq(gen_col - gen_prev) + vlq(0) + vlq(src_line - prev_line)
                        + vlq(src_col - prev_col))
            gen_prev, prev_line, prev_col = gen_col, src_line, src_col
        out.append(",".join(segs))
    return ";".join(out)


def write_js(root, rel, minified, original, segments, reference=True):
    """A minified file and its external map with real mappings and sourcesContent."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    name = path.name
    text = minified + "\n"
    if reference:
        text += "//# sourceMappingURL=%s.map\n" % name
    path.write_text(text)
    src = "../src/" + name.replace(".min.js", ".js").replace(".js", ".ts")
    (path.parent / (name + ".map")).write_text(json.dumps({
        "version": 3, "file": name, "sources": [src], "sourcesContent": [original],
        "names": [], "mappings": mappings([segments])}))


@pytest.fixture
def dist(tmp_path):
    root = tmp_path / "dist"
    write_js(root, "app.js", 'function greet(n){return"hi "+n}console.log(greet("x"));',
             'function greet(name: string) {\n  return "hi " + name;\n}\n'
             'console.log(greet("x"));\n', [(0, 0, 0), (18, 1, 2), (33, 3, 0)])
    write_js(root, "sub/lazy.js", "export const lazy=()=>import('./app.js');",
             "export const lazy = () => import('./app.js');\n", [(0, 0, 0), (13, 0, 13)])
    # No sourceMappingURL: sentry-cli has to guess vendor.min.js.map from the name.
    write_js(root, "sub/vendor.min.js", "var v=function(){return 42};",
             "var v = function () {\n  return 42;\n};\n", [(0, 0, 0), (18, 1, 2)],
             reference=False)
    return root


def run_cli(cli, fake, args, tmp_path, token=TOKEN):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SENTRY_") and k.lower() != "http_proxy"}
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env.update(SENTRY_URL=fake.url + "/", SENTRY_AUTH_TOKEN=token, HOME=str(home),
               SENTRY_LOAD_DOTENV="0", SENTRY_DISABLE_UPDATE_CHECK="1",
               SENTRY_NO_PROGRESS_BAR="1", SENTRY_LOG_LEVEL="info")
    return subprocess.run([str(cli)] + args, cwd=str(tmp_path), env=env, capture_output=True,
                          text=True, timeout=300)


UPLOAD = ["sourcemaps", "upload", "--wait", "--release", "R", "--dist", "D", "-o", "acme",
          "-p", "web", "dist"]


def injected_debug_id(path):
    ids = re.findall(r"^//# debugId=([0-9a-f-]+)\s*$", path.read_text(), re.M)
    assert len(ids) == 1, path
    return ids[0]


def test_inject_then_upload(sentry_cli, dist, tmp_path):
    with FakeSentry(tokens=TOKENS, orgs=ORGS) as fake:
        inject = run_cli(sentry_cli, fake, ["sourcemaps", "inject", "dist"], tmp_path)
        assert inject.returncode == 0, inject.stderr
        assert fake.requests == []  # inject is local only
        p = run_cli(sentry_cli, fake, UPLOAD, tmp_path)
        assert p.returncode == 0, p.stdout + p.stderr

        (bundle,) = fake.bundles
        assert bundle["raw"][:8] == b"SYSB\x02\x00\x00\x00"
        assert (bundle["org"], bundle["projects"]) == ("acme", ["web"])
        assert (bundle["version"], bundle["dist"]) == ("R", "D")
        m = bundle["manifest"]
        assert (m["org"], m["project"], m["release"], m["dist"]) == ("acme", "web", "R", "D")
        files = {info["url"]: (name, info) for name, info in m["files"].items()}
        assert sorted(files) == ["~/app.js", "~/app.js.map", "~/sub/lazy.js",
                                 "~/sub/lazy.js.map", "~/sub/vendor.min.js",
                                 "~/sub/vendor.min.js.map"]
        for rel, ref in [("app.js", "app.js.map"), ("sub/lazy.js", "lazy.js.map"),
                         ("sub/vendor.min.js", "vendor.min.js.map")]:
            debug_id = injected_debug_id(dist / rel)
            name, js = files["~/" + rel]
            assert js["type"] == "minified_source"
            assert js["headers"] == {"debug-id": debug_id, "sourcemap": ref}
            assert bundle["files"][name] == (dist / rel).read_bytes()
            map_name, smap = files["~/" + rel + ".map"]
            assert smap["type"] == "source_map" and smap["headers"] == {"debug-id": debug_id}
            uploaded_map = json.loads(bundle["files"][map_name])
            assert uploaded_map["debugId"] == debug_id
            assert uploaded_map["sourcesContent"][0]
            assert json.loads((dist / (rel + ".map")).read_text())["debugId"] == debug_id

        log = fake.requests
        assert [r["endpoint"] for r in log[:4]] == ["options", "assemble", "chunk", "assemble"]
        assert all(r["endpoint"] == "assemble" for r in log[4:])
        assert log[-1]["status"] == 200
        for r in log:
            assert r["headers"]["user-agent"].startswith("sentry-cli/3.")
            assert r["headers"]["authorization"] == "Bearer [REDACTED]"
        body = log[1]["body"]
        assert list(body) == ["checksum", "chunks", "projects", "version", "dist"]
        assert body["projects"] == ["web"] and (body["version"], body["dist"]) == ("R", "D")
        assert body["checksum"] == hashlib.sha1(bundle["raw"]).hexdigest()
        parts = log[2]["body"]
        assert parts and all(pt["name"] == "file_gzip" and pt["gzip"] for pt in parts)
        assert [pt["filename"] for pt in parts] == [pt["sha1"] for pt in parts] == body["chunks"]
        assert "content-encoding" not in log[2]["headers"]
        assert all(r["body"] == body for r in log[3:])


def test_wrong_token_fails_with_401(sentry_cli, dist, tmp_path):
    with FakeSentry(tokens=TOKENS, orgs=ORGS) as fake:
        p = run_cli(sentry_cli, fake, UPLOAD, tmp_path, token="not-a-token")
        assert p.returncode != 0
        assert fake.requests[0]["status"] == 401
        assert "Invalid token" in p.stderr
        assert fake.bundles == [] and fake.chunks == {}


def test_assemble_error_fails_upload(sentry_cli, dist, tmp_path):
    with FakeSentry(tokens=TOKENS, orgs=ORGS, assemble_error="forced by the test") as fake:
        p = run_cli(sentry_cli, fake, UPLOAD, tmp_path)
        assert p.returncode == 1
        assert "forced by the test" in p.stderr
        assert fake.requests[-1]["endpoint"] == "assemble" and fake.bundles == []


def test_retries_502_on_chunk_upload(sentry_cli, dist, tmp_path):
    with FakeSentry(tokens=TOKENS, orgs=ORGS) as fake:
        fake.script_fault("POST", "chunk", [502])
        p = run_cli(sentry_cli, fake, UPLOAD, tmp_path)
        assert p.returncode == 0, p.stderr
        assert [r["status"] for r in fake.requests_to("chunk")] == [502, 200]
        assert len(fake.bundles) == 1
        # The retried request carried the same gzip parts.
        first, second = fake.requests_to("chunk")
        assert first["body"] == second["body"]


def test_vlq_helper_roundtrip():
    # Guards the fixture generator itself: known encodings from the spec examples.
    assert [vlq(n) for n in (0, 1, -1, 15, 16, 123)] == ["A", "C", "D", "e", "gB", "2H"]


def test_upload_with_small_chunks_no_compression_relative_url(sentry_cli, dist, tmp_path):
    # Other server options a client must honour: relative chunk URL, no gzip,
    # several chunks split over several requests.
    options = {"chunkSize": 1024, "chunksPerRequest": 2, "compression": []}
    with FakeSentry(tokens=TOKENS, orgs=ORGS, chunk_url="relative",
                    chunk_options=options) as fake:
        assert run_cli(sentry_cli, fake, ["sourcemaps", "inject", "dist"], tmp_path).returncode == 0
        p = run_cli(sentry_cli, fake, UPLOAD, tmp_path)
        assert p.returncode == 0, p.stderr
        (bundle,) = fake.bundles
        chunk_posts = fake.requests_to("chunk")
        parts = [pt for r in chunk_posts for pt in r["body"]]
        assert len(parts) == -(-len(bundle["raw"]) // 1024) >= 3
        assert all(len(r["body"]) <= 2 for r in chunk_posts)
        assert all(pt["name"] == "file" and not pt["gzip"] for pt in parts)
        assert all(r["path"] == "/api/0/organizations/acme/chunk-upload/" for r in chunk_posts)
