"""`sentry-sourcemaps upload` against the local Sentry: the protocol, the
bundle that arrives, configuration and every bad input (exit code, message,
request log, files untouched)."""
import json
import re
import zipfile
from io import BytesIO

import pytest

from helpers.dist import org_token, snapshot, write_dist
from conftest import UPLOAD_TOKEN


def endpoints(sentry):
    return [r["endpoint"] for r in sentry.requests]


def only_bundle(sentry):
    assert len(sentry.bundles) == 1, [b["checksum"] for b in sentry.bundles]
    return sentry.bundles[0]


def test_upload_sends_options_assemble_missing_chunks_assemble(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    result = upload("-o", "acme", "-p", "web", "--release", "app@1.0", "--dist", "web",
                    "dist")
    assert result.returncode == 0, result.output
    assert endpoints(sentry)[:4] == ["options", "assemble", "chunk", "assemble"]
    assert set(endpoints(sentry)) == {"options", "assemble", "chunk"}
    first, second = sentry.requests_to("assemble")[:2]
    assert first["body"]["projects"] == ["web"]
    assert first["body"]["version"] == "app@1.0" and first["body"]["dist"] == "web"
    assert list(first["body"]) == ["checksum", "chunks", "projects", "version", "dist"]
    chunk_post = sentry.requests_to("chunk")[0]
    assert [p["filename"] for p in chunk_post["body"]] == first["body"]["chunks"]
    assert all(p["name"] == "file" and p["sha1"] == p["filename"] for p in chunk_post["body"])
    # The chunk URL is absolute and still carries the token.
    assert chunk_post["headers"]["authorization"].startswith("Bearer ")
    assert re.fullmatch(r"sentry-sourcemaps/\d+\.\d+\.\d+",
                        chunk_post["headers"]["user-agent"])
    assert "content-encoding" not in chunk_post["headers"]
    bundle = only_bundle(sentry)
    manifest = bundle["manifest"]
    assert bundle["raw"][:8] == b"SYSB\x02\x00\x00\x00"
    assert manifest["org"] == "acme" and manifest["project"] == "web"
    assert manifest["release"] == "app@1.0" and manifest["dist"] == "web"
    assert manifest["files"]["files/_/_/assets/index-abc123.js"] == {
        "type": "minified_source", "url": "~/assets/index-abc123.js",
        "headers": {"sourcemap": "index-abc123.js.map"}}
    assert manifest["files"]["files/_/_/assets/chunks/vendor-def456.js.map"] == {
        "type": "source_map", "url": "~/assets/chunks/vendor-def456.js.map"}
    assert list(zipfile.ZipFile(BytesIO(bundle["raw"][8:])).namelist())[-1] == "manifest.json"
    assert snapshot(dist) == before, "upload must not modify its input"
    assert "Sentry confirmed the upload" in result.stderr


def test_bundle_bytes_and_id_are_deterministic(upload, sentry, case_dir):
    write_dist(case_dir / "dist")
    for out in ("a.bundle", "b.bundle"):
        result = upload("--release", "1", "--dry-run", "--bundle-out", out, "dist",
                        env={"SENTRY_AUTH_TOKEN": None})
        assert result.returncode == 0, result.output
    a, b = (case_dir / "a.bundle").read_bytes(), (case_dir / "b.bundle").read_bytes()
    assert a == b and a.startswith(b"SYSB\x02\x00\x00\x00")
    infos = zipfile.ZipFile(BytesIO(a[8:])).infolist()
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert [i.filename for i in infos] == sorted(i.filename for i in infos[:-1]) + ["manifest.json"]
    assert sentry.requests == [], "--dry-run makes no request"


def test_second_upload_sends_no_chunk(upload, sentry, case_dir):
    write_dist(case_dir / "dist")
    assert upload("-o", "acme", "-p", "web", "-r", "1", "dist").returncode == 0
    sentry.clear_requests()
    result = upload("-o", "acme", "-p", "web", "-r", "1", "dist")
    assert result.returncode == 0, result.output
    assert "chunk" not in endpoints(sentry)
    assert "already on the server" in result.stderr


def test_compression_level_trades_cpu_for_bytes(upload, sentry, case_dir):
    write_dist(case_dir / "dist", {"assets/app-a1.js": [
        "export const value%d = 'text %d repeats in every line';" % (i, i % 7)
        for i in range(3000)]})
    sizes = {}
    for level in ("1", "12"):
        result = upload("-r", "1", "--dry-run", "--no-cache", "--compression-level", level,
                        "--bundle-out", level + ".bundle", "dist",
                        env={"SENTRY_AUTH_TOKEN": None})
        assert result.returncode == 0, result.output
        data = (case_dir / (level + ".bundle")).read_bytes()
        with zipfile.ZipFile(BytesIO(data[8:])) as bundle:
            assert bundle.testzip() is None
            names = bundle.namelist()
        sizes[level] = len(data)
    assert sizes["12"] < sizes["1"]
    assert "files/_/_/assets/app-a1.js.map" in names


def test_only_missing_chunks_are_sent_in_bounded_batches(upload, sentry, case_dir):
    sentry.config.chunk_options = {"chunkSize": 128, "chunksPerRequest": 3,
                                   "maxRequestSize": 300, "concurrency": 2}
    write_dist(case_dir / "dist")
    result = upload("-o", "acme", "-p", "web", "-r", "1", "dist")
    assert result.returncode == 0, result.output
    posts = sentry.requests_to("chunk")
    chunks = sentry.requests_to("assemble")[0]["body"]["chunks"]
    assert len(posts) > 1
    for post in posts:
        assert 1 <= len(post["body"]) <= 3
        assert len(post["body"]) == 1 or sum(p["size"] for p in post["body"]) <= 300
    sent = [p["filename"] for post in posts for p in post["body"]]
    assert sorted(sent) == sorted(set(chunks))


def test_projects_are_deduplicated(upload, sentry, case_dir):
    write_dist(case_dir / "dist")
    result = upload("-o", "acme", "-p", "web", "-p", "api", "-p", "web", "-r", "1", "dist")
    assert result.returncode == 0, result.output
    assert sentry.requests_to("assemble")[0]["body"]["projects"] == ["web", "api"]
    assert "project" not in only_bundle(sentry)["manifest"]


def test_bundle_over_max_file_size_is_split(upload, sentry, case_dir):
    sentry.config.chunk_options = {"maxFileSize": 4000}
    write_dist(case_dir / "dist", {f"assets/c{i}.js": [f"var v{i} = {i};" * 40]
                                   for i in range(6)})
    result = upload("-o", "acme", "-p", "web", "-r", "1", "dist")
    assert result.returncode == 0, result.output
    assert len(sentry.bundles) >= 2
    urls = [f["url"] for b in sentry.bundles for f in b["manifest"]["files"].values()]
    assert sorted(urls) == sorted(set(urls)) and len(urls) == 12
    assert "splitting into" in result.stderr


def test_waits_until_ok_and_no_wait_returns_early(upload, sentry, case_dir):
    sentry.config.assemble_polls = 2
    write_dist(case_dir / "dist")
    result = upload("-o", "acme", "-p", "web", "-r", "1", "dist")
    assert result.returncode == 0, result.output
    assert len(sentry.requests_to("assemble")) >= 4  # pre, post, >=2 polls
    sentry.clear_requests()
    write_dist(case_dir / "dist2", {"a.js": ["let x = 1;"]})
    result = upload("-o", "acme", "-p", "web", "-r", "1", "--no-wait", "--json", "dist2")
    assert result.returncode == 0, result.output
    assert len(sentry.requests_to("assemble")) == 2
    assert json.loads(result.stdout)["bundles"][0]["state"] in ("created", "assembling")


def test_wait_timeout_fails_and_says_what_to_do(upload, sentry, case_dir):
    sentry.config.assemble_polls = 1000
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    result = upload("-o", "acme", "-p", "web", "-r", "1", "--wait-timeout", "1", "dist")
    assert result.returncode == 1
    assert "did not finish processing the bundle within 1 s" in result.stderr
    assert "raise --wait-timeout" in result.stderr
    assert snapshot(dist) == before


def test_assemble_error_is_reported_with_the_servers_detail(upload, sentry, case_dir):
    sentry.config.assemble_error = "the bundle is invalid"
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    result = upload("-o", "acme", "-p", "web", "-r", "1", "dist")
    assert result.returncode == 1
    assert "Sentry could not process the bundle: the bundle is invalid" in result.stderr
    assert snapshot(dist) == before


def test_json_summary(upload, sentry, case_dir):
    write_dist(case_dir / "dist")
    result = upload("-o", "acme", "-p", "web", "-r", "1", "--json", "dist")
    assert result.returncode == 0, result.output
    summary = json.loads(result.stdout)
    bundle = summary["bundles"][0]
    assert bundle["checksum"] == only_bundle(sentry)["checksum"]
    assert bundle["state"] == "ok" and bundle["bytes_sent"] > 0
    assert {f["url"] for f in bundle["files"]} == {
        "~/assets/index-abc123.js", "~/assets/index-abc123.js.map",
        "~/assets/chunks/vendor-def456.js", "~/assets/chunks/vendor-def456.js.map"}
    assert summary["release"] == "1" and summary["outcome"] == "ok"
    assert isinstance(summary["duration_ms"], int)


def test_debug_ids_are_read_into_headers_and_allow_upload_without_release(
        upload, cli, sentry, case_dir):
    write_dist(case_dir / "dist")
    assert cli("inject", str(case_dir / "dist")).returncode == 0
    js = (case_dir / "dist/assets/index-abc123.js").read_text()
    debug_id = re.findall(r"//# debugId=([0-9a-f-]+)", js)[-1]
    result = upload("-o", "acme", "-p", "web", "dist")
    assert result.returncode == 0, result.output
    files = only_bundle(sentry)["manifest"]["files"]
    assert files["files/_/_/assets/index-abc123.js"]["headers"]["debug-id"] == debug_id
    assert files["files/_/_/assets/index-abc123.js.map"]["headers"]["debug-id"] == debug_id
    assert "release" not in only_bundle(sentry)["manifest"]


def test_no_release_and_no_debug_ids_is_refused_before_any_request(upload, sentry, case_dir):
    write_dist(case_dir / "dist")
    result = upload("-o", "acme", "-p", "web", "dist")
    assert result.returncode == 2
    assert "carry no debug IDs and no release is given" in result.stderr
    assert "sentry-sourcemaps inject" in result.stderr
    assert sentry.requests == []


def test_discovery_ext_ignore_hidden_explicit_and_prefix(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    (dist / "index.html").write_text("<html></html>")
    (dist / ".cache").mkdir()
    (dist / ".cache" / "x.js").write_text("hidden();")
    (dist / "legacy").mkdir()
    (dist / "legacy" / "old.js").write_text("old();")
    (case_dir / "extra.txt").write_text("explicit files are always taken")
    result = upload("-o", "acme", "-p", "web", "-r", "1", "--ignore", "legacy",
                    "--url-prefix", "https://cdn.example.com/static/", "dist", "extra.txt")
    assert result.returncode == 0, result.output
    urls = sorted(f["url"] for f in only_bundle(sentry)["manifest"]["files"].values())
    assert urls == ["https://cdn.example.com/static/assets/chunks/vendor-def456.js",
                    "https://cdn.example.com/static/assets/chunks/vendor-def456.js.map",
                    "https://cdn.example.com/static/assets/index-abc123.js",
                    "https://cdn.example.com/static/assets/index-abc123.js.map",
                    "https://cdn.example.com/static/extra.txt"]


def test_ext_replaces_defaults(upload, sentry, case_dir):
    write_dist(case_dir / "dist")
    result = upload("-o", "acme", "-p", "web", "-r", "1", "--ext", ".map", "dist")
    assert result.returncode == 0, result.output
    types = {f["type"] for f in only_bundle(sentry)["manifest"]["files"].values()}
    assert types == {"source_map"}


def test_map_is_guessed_when_no_comment(upload, sentry, case_dir):
    dist = case_dir / "dist"
    dist.mkdir()
    (dist / "app.min.js").write_text("run();\n")
    (dist / "app.min.js.map").write_text(json.dumps(
        {"version": 3, "sources": ["a.ts"], "names": [], "mappings": "AAAA"}))
    result = upload("-o", "acme", "-p", "web", "-r", "1", "dist")
    assert result.returncode == 0, result.output
    files = only_bundle(sentry)["manifest"]["files"]
    assert files["files/_/_/app.min.js"]["headers"] == {"sourcemap": "app.min.js.map"}


def test_non_utf8_file_is_skipped_with_a_warning(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    (dist / "binary.js").write_bytes(b"\xff\xfe\x00bad")
    result = upload("-o", "acme", "-p", "web", "-r", "1", "dist")
    assert result.returncode == 0, result.output
    assert "skipping" in result.stderr and "binary.js: not valid UTF-8" in result.stderr
    assert all("binary" not in k for k in only_bundle(sentry)["manifest"]["files"])


def test_configuration_from_env_file_and_sentryclirc(upload, sentry, case_dir):
    write_dist(case_dir / "dist")
    (case_dir / ".env.sentry-build-plugin").write_text(
        f"SENTRY_AUTH_TOKEN={UPLOAD_TOKEN}\nSENTRY_ORG=acme\nSENTRY_PROJECT=api\n")
    (case_dir / ".sentryclirc").write_text(f"[defaults]\nurl={sentry.url}\norg=wrong\n")
    result = upload("-r", "1", "dist", env={"SENTRY_AUTH_TOKEN": None, "SENTRY_URL": None})
    assert result.returncode == 0, result.output
    assert sentry.requests_to("assemble")[0]["body"]["projects"] == ["api"]
    assert sentry.requests[0]["path"] == "/api/0/organizations/acme/chunk-upload/"


def test_flags_beat_environment(upload, sentry, case_dir):
    write_dist(case_dir / "dist")
    result = upload("-o", "acme", "-p", "web", "-r", "1", "dist",
                    env={"SENTRY_ORG": "nope", "SENTRY_PROJECT": "nope"})
    assert result.returncode == 0, result.output


def test_org_token_supplies_org_and_url(upload, sentry, case_dir):
    write_dist(case_dir / "dist")
    token = org_token("acme", sentry.url)
    sentry.store.tokens[token] = {"scopes": ["org:ci"], "org": "acme"} \
        if hasattr(sentry.store, "tokens") else None
    result = upload("-p", "web", "-r", "1", "dist",
                    env={"SENTRY_AUTH_TOKEN": token, "SENTRY_URL": None})
    assert token not in result.output
    assert sentry.requests and sentry.requests[0]["path"] == \
        "/api/0/organizations/acme/chunk-upload/"


def test_auth_token_flag_works_but_warns(upload, sentry, case_dir):
    write_dist(case_dir / "dist")
    result = upload("-o", "acme", "-p", "web", "-r", "1", "--auth-token", UPLOAD_TOKEN,
                    "dist", env={"SENTRY_AUTH_TOKEN": None})
    assert result.returncode == 0, result.output
    assert "--auth-token puts the token on the command line" in result.stderr
    assert UPLOAD_TOKEN not in result.output


@pytest.mark.parametrize("args, env, message", [
    (["-p", "web "], {}, "project 'web ' (from --project) has leading or trailing "
                         "whitespace; remove it (did you mean 'web'?)"),
    ([], {"SENTRY_ORG": " acme"}, "organization ' acme' (from SENTRY_ORG) has leading"),
    (["--dist", "web"], {}, "dist 'web' (from --dist) needs a release"),
    ([], {"SENTRY_URL": "https://sentry.example.com/sub/"}, "has a path"),
    (["-r", "1", "--compression-level", "13"], {},
     "option '--compression-level' needs a level from 1 (fastest) to 12 (smallest), not '13'"),
    (["-r", "1", "--compression-level", "0"], {}, "from 1 (fastest) to 12 (smallest), not '0'"),
])
def test_bad_configuration_exits_2_before_any_request(upload, sentry, case_dir, args, env,
                                                     message):
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    base = ["-o", "acme"] if "SENTRY_ORG" not in env else []
    if not any(a.startswith("web") for a in args):
        base += ["-p", "web"]
    result = upload(*base, *args, "dist", env=env)
    assert result.returncode == 2, result.output
    assert message in result.stderr
    assert sentry.requests == []
    assert snapshot(dist) == before


def test_missing_token_exits_3_and_names_the_scopes(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    result = upload("-o", "acme", "-p", "web", "-r", "1", "dist",
                    env={"SENTRY_AUTH_TOKEN": None})
    assert result.returncode == 3
    assert "no auth token: set SENTRY_AUTH_TOKEN" in result.stderr
    assert "project:releases and org:read" in result.stderr
    assert sentry.requests == [] and snapshot(dist) == before


def test_skip_without_token_succeeds_and_touches_nothing(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    result = upload("-r", "1", "--skip-without-token", "--delete-after", "dist",
                    env={"SENTRY_AUTH_TOKEN": None})
    assert result.returncode == 0
    assert result.stderr == "skipped: no SENTRY_AUTH_TOKEN; maps left untouched\n"
    assert sentry.requests == [] and snapshot(dist) == before


def test_wrong_token_exits_3(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    result = upload("-o", "acme", "-p", "web", "-r", "1", "dist",
                    env={"SENTRY_AUTH_TOKEN": "tok-wrong-0123456789"})
    assert result.returncode == 3
    assert "rejected the auth token (401" in result.stderr
    assert "project:releases and org:read" in result.stderr
    assert "tok-wrong-0123456789" not in result.output
    assert endpoints(sentry) == ["options"] and snapshot(dist) == before


def test_token_without_scopes_exits_3(upload, sentry, case_dir):
    write_dist(case_dir / "dist")
    result = upload("-o", "acme", "-p", "web", "-r", "1", "dist",
                    env={"SENTRY_AUTH_TOKEN": "tok-read-only-0123456"})
    assert result.returncode == 3
    assert "may not access organization 'acme' (403" in result.stderr
    assert "it needs the scopes project:releases and org:read" in result.stderr


def test_unknown_org_exits_2_with_not_found(upload, sentry, case_dir):
    write_dist(case_dir / "dist")
    result = upload("-o", "acme-typo", "-p", "web", "-r", "1", "dist")
    assert result.returncode == 2
    assert f"organization 'acme-typo' not found at {sentry.url}/" in result.stderr
    # The organization lookup tells a wrong slug from a server without chunk upload.
    assert endpoints(sentry) == ["options", "organization"]


def test_unknown_project_exits_2_with_not_found(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    result = upload("-o", "acme", "-p", "wbe", "-r", "1", "dist")
    assert result.returncode == 2, result.output
    assert "project 'wbe' not found in organization 'acme'" in result.stderr
    assert "chunk" not in endpoints(sentry) and snapshot(dist) == before


def test_server_errors_are_retried_then_reported(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    busy = {"status": 503, "headers": {"Retry-After": "0"}}
    sentry.script_fault("POST", "chunk", [busy] * 10)
    result = upload("-o", "acme", "-p", "web", "-r", "1", "--max-retries", "2", "dist")
    assert result.returncode == 1
    assert "Sentry failed with 503" in result.stderr and "after 2 retries" in result.stderr
    assert len(sentry.requests_to("chunk")) == 3
    assert snapshot(dist) == before


def test_transient_errors_recover(upload, sentry, case_dir):
    write_dist(case_dir / "dist")
    sentry.script_fault("POST", "chunk", [{"status": 502, "headers": {"Retry-After": "0"}}])
    sentry.script_fault("GET", "options", [{"status": 429, "headers": {"Retry-After": "0"}}])
    result = upload("-o", "acme", "-p", "web", "-r", "1", "dist")
    assert result.returncode == 0, result.output
    assert len(sentry.requests_to("chunk")) == 2
    assert len(sentry.requests_to("options")) == 2


def test_server_down_exits_1_and_says_so(cli, case_dir):
    write_dist(case_dir / "dist")
    from helpers.process import clean_env
    result = cli("upload", "-o", "acme", "-p", "web", "-r", "1", "--max-retries", "0",
                 "dist", cwd=case_dir,
                 env=clean_env(SENTRY_URL="http://127.0.0.1:9", SENTRY_AUTH_TOKEN=UPLOAD_TOKEN,
                               HOME=str(case_dir)))
    assert result.returncode == 1
    assert "cannot reach Sentry at http://127.0.0.1:9/" in result.stderr


def test_missing_folder_and_empty_folder(upload, sentry, case_dir):
    result = upload("-o", "acme", "-p", "web", "-r", "1", "nope")
    assert result.returncode == 1
    assert "cannot search nope: no such file or directory" in result.stderr
    (case_dir / "empty").mkdir()
    result = upload("-o", "acme", "-p", "web", "-r", "1", "empty")
    assert result.returncode == 1
    assert "no JavaScript files or source maps found in empty" in result.stderr
    assert sentry.requests == []


def test_malformed_map_names_file_and_offset(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    (dist / "assets/index-abc123.js.map").write_text('{"version": 3, "mappings": ')
    before = snapshot(dist)
    result = upload("-o", "acme", "-p", "web", "-r", "1", "dist")
    assert result.returncode == 1
    assert re.search(r"malformed source map .*index-abc123\.js\.map: .* at byte \d+",
                     result.stderr), result.stderr
    assert sentry.requests == [] and snapshot(dist) == before


def test_referenced_map_that_is_absent_is_named(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    (dist / "assets/index-abc123.js.map").unlink()
    result = upload("-o", "acme", "-p", "web", "-r", "1", "dist")
    assert result.returncode == 0, result.output
    assert "index-abc123.js references the source map index-abc123.js.map, which is " \
           "not among the uploaded files" in result.stderr


def test_no_argument_is_a_usage_error(upload):
    result = upload("-o", "acme")
    assert result.returncode == 2
    assert "upload needs the folder or files to upload" in result.stderr


def test_inject_then_upload_in_one_process(upload, cli, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    reference = write_dist(case_dir / "reference")
    assert cli("inject", str(reference)).returncode == 0
    result = upload("-o", "acme", "-p", "web", "--inject", "dist")
    assert result.returncode == 0, result.output
    assert "injected debug IDs into 2 JavaScript files and 2 source maps" in result.stderr
    assert snapshot(dist) == snapshot(reference), "same bytes as the inject command"
    files = only_bundle(sentry)["manifest"]["files"]
    js_id = files["files/_/_/assets/index-abc123.js"]["headers"]["debug-id"]
    assert f"//# debugId={js_id}" in (dist / "assets/index-abc123.js").read_text()
    # A second run injects nothing new and uploads nothing new.
    sentry.clear_requests()
    result = upload("-o", "acme", "-p", "web", "--inject", "dist")
    assert result.returncode == 0 and "(2 already had one)" in result.stderr
    assert "chunk" not in endpoints(sentry)


def test_inject_failure_changes_nothing_and_sends_nothing(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    (dist / "assets/index-abc123.js.map").write_text('{"version":3,"sources":[],'
                                                     '"names":[],"mappings":"!!"}')
    before = snapshot(dist)
    result = upload("-o", "acme", "-p", "web", "--inject", "dist")
    assert result.returncode == 1
    assert "cannot inject debug IDs, no file was changed" in result.stderr
    assert "index-abc123.js.map" in result.stderr
    assert snapshot(dist) == before and sentry.requests == []


def test_ignore_file_leaves_out_what_it_names(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    (case_dir / "upload.ignore").write_text("# maps of chunks stay home\ndist/assets/chunks/*.map\n")
    result = upload("-o", "acme", "-p", "web", "--release", "app@1.0",
                    "--ignore-file", "upload.ignore", "dist")
    assert result.returncode == 0, result.output
    urls = sorted(f["url"] for f in only_bundle(sentry)["manifest"]["files"].values())
    assert urls == ["~/assets/chunks/vendor-def456.js", "~/assets/index-abc123.js",
                    "~/assets/index-abc123.js.map"]
    assert (dist / "assets/chunks/vendor-def456.js.map").exists()


def test_missing_ignore_file_is_a_usage_error(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    result = upload("-o", "acme", "-p", "web", "--release", "app@1.0",
                    "--ignore-file", "nope.ignore", "--delete-after", "dist")
    assert result.returncode == 2
    assert "error: cannot read --ignore-file: cannot read nope.ignore: " \
           "No such file or directory" in result.stderr
    assert sentry.requests == []
    assert snapshot(dist) == before


def test_no_rewrite_uploads_maps_unchanged(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    result = upload("-o", "acme", "-p", "web", "--release", "app@1.0", "--no-rewrite",
                    "--strip-prefix", "../..", "--strip-common-prefix", "dist")
    assert result.returncode == 0, result.output
    assert "warning: --no-rewrite: the maps are uploaded unchanged" in result.stderr
    bundle = only_bundle(sentry)
    path = next(p for p, f in bundle["manifest"]["files"].items()
                if f["url"] == "~/assets/index-abc123.js.map")
    assert bundle["files"][path] == (dist / "assets/index-abc123.js.map").read_bytes()


def test_header_reaches_every_request_and_never_the_output(upload, sentry, case_dir):
    write_dist(case_dir / "dist")
    secret = "proxy-secret-0123456789"
    result = upload("-o", "acme", "-p", "web", "--release", "app@1.0", "--verbose",
                    "--header", "X-Proxy-Id: gateway", "dist",
                    env={"SENTRY_SOURCEMAPS_HEADERS": "X-Proxy-Secret: " + secret + "\n"})
    assert result.returncode == 0, result.output
    assert sentry.requests
    for request in sentry.requests:
        assert request["headers"].get("x-proxy-id") == "gateway", request["endpoint"]
        assert request["headers"].get("x-proxy-secret") == secret, request["endpoint"]
    assert secret not in result.output and "gateway" not in result.output
    assert "X-Proxy-Secret: [REDACTED]" in result.stderr


@pytest.mark.parametrize("header, message", [
    ("no-colon", "invalid header 'no-colon' in --header: write KEY:VALUE"),
    ("Bad Key: x", "invalid header 'Bad Key: x' in --header: write KEY:VALUE"),
    ("Authorization: Bearer x", "a header cannot set Authorization (--header): "
                                "the token goes in SENTRY_AUTH_TOKEN"),
])
def test_bad_header_is_a_usage_error(upload, sentry, case_dir, header, message):
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    result = upload("-o", "acme", "-p", "web", "--release", "app@1.0", "--delete-after",
                    "--header", header, "dist")
    assert result.returncode == 2
    assert message in result.stderr
    assert sentry.requests == []
    assert snapshot(dist) == before


def test_no_sourcemap_reference_leaves_out_the_header(upload, sentry, case_dir):
    write_dist(case_dir / "dist")
    result = upload("-o", "acme", "-p", "web", "--release", "app@1.0",
                    "--no-sourcemap-reference", "dist")
    assert result.returncode == 0, result.output
    files = only_bundle(sentry)["manifest"]["files"].values()
    assert [f for f in files if f["type"] == "minified_source"]
    assert all("sourcemap" not in f.get("headers", {}) for f in files)


def test_wait_for_is_wait_with_a_timeout(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    result = upload("-o", "acme", "-p", "web", "--release", "app@1.0", "--wait-for", "60",
                    "dist")
    assert result.returncode == 0, result.output
    assert "Sentry confirmed the upload" in result.stderr
    before = snapshot(dist)
    result = upload("-o", "acme", "-p", "web", "--release", "app@1.0", "--wait-for", "60",
                    "--no-wait", "dist")
    assert result.returncode == 2
    assert "--wait-for SECONDS already means --wait --wait-timeout SECONDS" in result.stderr
    assert snapshot(dist) == before


def test_changing_the_ignore_file_changes_what_is_uploaded(upload, sentry, case_dir):
    """The local cache of plans and bundles is keyed by the ignore file's
    lines too: a cached plan from before the change must not be reused."""
    write_dist(case_dir / "dist")
    rules = case_dir / "upload.ignore"
    rules.write_text("*.map\n")
    args = ("-o", "acme", "-p", "web", "--release", "app@1.0", "--ignore-file", "upload.ignore",
            "dist")
    assert upload(*args).returncode == 0
    first = sorted(f["url"] for f in sentry.bundles[-1]["manifest"]["files"].values())
    rules.write_text("*.map\n!vendor-*.map\n")
    result = upload(*args)
    assert result.returncode == 0, result.output
    second = sorted(f["url"] for f in sentry.bundles[-1]["manifest"]["files"].values())
    assert "~/assets/chunks/vendor-def456.js.map" not in first
    assert second == sorted(first + ["~/assets/chunks/vendor-def456.js.map"])


def test_no_sourcemap_reference_is_not_served_from_the_cache(upload, sentry, case_dir):
    write_dist(case_dir / "dist")
    args = ("-o", "acme", "-p", "web", "--release", "app@1.0")
    assert upload(*args, "dist").returncode == 0
    assert upload(*args, "--no-sourcemap-reference", "dist").returncode == 0
    headers = [f.get("headers", {}) for f in sentry.bundles[-1]["manifest"]["files"].values()]
    assert len(sentry.bundles) == 2
    assert all("sourcemap" not in h for h in headers)


def test_debug_id_reference_lends_each_js_file_its_maps_id(upload, sentry, case_dir):
    """Maps with debug IDs, JS files without: refused without a release,
    unless --debug-id-reference gives each JS file its map's ID."""
    dist = write_dist(case_dir / "dist")
    ids = {}
    for path in dist.rglob("*.js.map"):
        sourcemap = json.loads(path.read_text())
        sourcemap["debugId"] = ids[path.name[:-4]] = "0f1e2d3c-4b5a-4968-8776-%012d" % len(ids)
        path.write_text(json.dumps(sourcemap))
    before = snapshot(dist)
    result = upload("-o", "acme", "-p", "web", "dist")
    assert result.returncode == 2
    assert "carry no debug IDs and no release is given" in result.stderr
    assert sentry.requests == []
    result = upload("-o", "acme", "-p", "web", "--debug-id-reference", "dist")
    assert result.returncode == 0, result.output
    files = only_bundle(sentry)["manifest"]["files"].values()
    lent = {f["url"].rsplit("/", 1)[-1]: f["headers"].get("debug-id")
            for f in files if f["type"] == "minified_source"}
    assert lent == ids
    assert snapshot(dist) == before
