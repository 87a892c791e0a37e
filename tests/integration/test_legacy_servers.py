"""`upload` against older self-hosted Sentry (protocol doc §1.2, §4.8, §12): the
flow is chosen from the server's chunk-upload options, announced in one line,
and works with --delete-after, parking and stamps."""
import pytest

from helpers.deletion import assert_deleted_only_after_confirmation
from helpers.dist import snapshot, write_dist

UPLOAD = ["-o", "acme", "-p", "web"]


def endpoints(sentry):
    return [r["endpoint"] for r in sentry.requests]


def maps_in(root):
    return sorted(p for p in snapshot(root) if p.endswith(".map"))


@pytest.fixture
def mode(sentry):
    def use(name):
        sentry.config.server_mode = name
    return use


# --- artifact bundles without _v2 ---------------------------------------------

@pytest.mark.parametrize("server_mode", ["no_v2", "bundles_v1_oldest"])
def test_v1_bundles_upload_every_chunk_then_assemble(upload, sentry, mode, case_dir,
                                                     server_mode):
    mode(server_mode)
    sentry.config.chunk_options = {"chunkSize": 256}
    dist = write_dist(case_dir / "dist")
    maps = maps_in(dist)
    sentry.watch(dist)
    result = upload(*UPLOAD, "-r", "1.0", "--dist", "web", "--delete-after", "dist")
    assert result.returncode == 0, result.output
    announced = [line for line in result.stderr.splitlines() if "older Sentry server" in line]
    assert announced == ["> older Sentry server (artifact bundles without missing-chunk "
                         "check, about 23.4-23.7): uploading every chunk, then assembling"]
    # No missing-chunk pre-call: every chunk first, then assemble and poll.
    seen = endpoints(sentry)
    assert seen[0] == "options" and seen.index("assemble") > max(
        i for i, e in enumerate(seen) if e == "chunk")
    first = sentry.requests_to("assemble")[0]["body"]
    # The oldest variant rejects version/dist: left out, the manifest carries them.
    assert list(first) == ["checksum", "chunks", "projects"]
    sent = sorted(p["filename"] for r in sentry.requests_to("chunk") for p in r["body"])
    assert sent == sorted(set(first["chunks"])) and len(sent) > 1
    (stored,) = sentry.bundles
    assert (stored["release"], stored["release_dist"]) == ("1.0", "web")
    assert stored["manifest"]["release"] == "1.0"
    assert_deleted_only_after_confirmation(sentry, dist, maps)


# --- release bundles (before 23.6) ----------------------------------------------

def test_release_bundle_creates_release_and_assembles_into_it(upload, sentry, mode, case_dir):
    mode("release_bundles")
    sentry.config.assemble_polls = 1
    dist = write_dist(case_dir / "dist")
    maps = maps_in(dist)
    sentry.watch(dist)
    result = upload(*UPLOAD, "-r", "app@2", "--dist", "web", "--delete-after", "--json", "dist")
    assert result.returncode == 0, result.output
    assert ("older Sentry server (no artifact bundles, before 23.6): uploading a release "
            "bundle") in result.stderr
    seen = endpoints(sentry)
    assert seen[:2] == ["options", "release_new"]
    assert set(seen[2:]) == {"chunk", "release_assemble"}
    assert seen.index("release_assemble") > seen.index("chunk")
    assert "assemble" not in seen
    assemble = sentry.requests_to("release_assemble")
    assert assemble[0]["path"] == "/api/0/organizations/acme/releases/app@2/assemble/"
    assert list(assemble[0]["body"]) == ["checksum", "chunks"]
    assert len(assemble) >= 3  # created, assembling, ok: polled like a bundle
    assert sentry.requests_to("release_new")[0]["body"]["projects"] == ["web"]
    stored = sentry.release_files[("acme", "app@2")]
    assert sorted(f["name"] for f in stored) == [
        "~/assets/chunks/vendor-def456.js", "~/assets/chunks/vendor-def456.js.map",
        "~/assets/index-abc123.js", "~/assets/index-abc123.js.map"]
    assert {f["dist"] for f in stored} == {"web"}
    # Deleted only after the release bundle's `ok`.
    assert [r["response"]["state"] for r in assemble][-1] == "ok"
    assert_deleted_only_after_confirmation(sentry, dist, maps)
    assert '"flow": "release-bundle"' in result.stdout


@pytest.mark.parametrize("server_mode", ["release_bundles", "no_chunk_upload"])
def test_legacy_server_without_release_names_the_fix(upload, sentry, mode, case_dir,
                                                     server_mode):
    mode(server_mode)
    dist = write_dist(case_dir / "dist")
    (dist / "assets/index-abc123.js").write_text(
        "x();\n//# debugId=ce0ad224-152a-59d0-9082-7209001ff0c9\n"
        "//# sourceMappingURL=index-abc123.js.map\n")
    (dist / "assets/chunks/vendor-def456.js").unlink()
    (dist / "assets/chunks/vendor-def456.js.map").unlink()
    map_path = dist / "assets/index-abc123.js.map"
    map_path.write_text(map_path.read_text()[:-1] +
                        ', "debug_id": "ce0ad224-152a-59d0-9082-7209001ff0c9"}')
    before = snapshot(dist)
    result = upload(*UPLOAD, "--delete-after", "dist")
    assert result.returncode == 2, result.output
    assert "error: this Sentry server needs a release: it is older than 23.6" in result.stderr
    assert "set --release or SENTRY_RELEASE (CMake: RELEASE <release>)" in result.stderr
    assert snapshot(dist) == before
    assert not {"release_new", "chunk", "release_file_upload"} & set(endpoints(sentry))


def test_release_bundle_processing_error_deletes_nothing(upload, sentry, mode, case_dir):
    mode("release_bundles")
    sentry.config.assemble_error = "broken zip"
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    result = upload(*UPLOAD, "-r", "1", "--delete-after", "dist")
    assert result.returncode == 1
    assert "Sentry could not process the bundle: broken zip" in result.stderr
    assert snapshot(dist) == before


# --- no chunk upload: one request per file --------------------------------------

def test_no_chunk_upload_sends_release_files(upload, sentry, mode, case_dir):
    mode("no_chunk_upload")
    dist = write_dist(case_dir / "dist")
    maps = maps_in(dist)
    sentry.watch(dist)
    result = upload(*UPLOAD, "-r", "1.0", "--dist", "web", "--delete-after", "--json", "dist")
    assert result.returncode == 0, result.output
    assert ("older Sentry server (no chunk upload): uploading the files one by one as "
            "release files") in result.stderr
    seen = endpoints(sentry)
    # 404 on chunk-upload, but the organization exists: an old server.
    assert seen[:5] == ["options", "organization", "release_new", "release_files",
                        "release_file_upload"]
    assert sentry.requests[0]["status"] == 404
    uploads = sentry.requests_to("release_file_upload")
    assert len(uploads) == 4
    assert all(r["path"] == "/api/0/projects/acme/web/releases/1.0/files/" for r in uploads)
    js = next(f for f in sentry.release_files[("acme", "1.0")]
              if f["name"] == "~/assets/index-abc123.js")
    assert js["dist"] == "web" and js["headers"] == {"Sourcemap": "index-abc123.js.map"}
    assert js["data"].startswith(b"function pay")
    # Sent in parallel, so in any order: find the JS file's request.
    js_upload = next(r for r in uploads
                     if ("file", "index-abc123.js") in {(p["name"], p["filename"])
                                                       for p in r["body"]})
    assert [p["name"] for p in js_upload["body"]] == ["file", "name", "dist", "header"]
    # Deleted only after every file was stored, each map's own upload included.
    assert [r["status"] for r in uploads] == [201] * 4
    assert_deleted_only_after_confirmation(sentry, dist, maps)
    assert '"release_files": {' in result.stdout and '"created": 4' in result.stdout


def test_release_files_replace_same_names_and_accept_409(upload, sentry, mode, case_dir):
    mode("no_chunk_upload")
    write_dist(case_dir / "dist")
    assert upload(*UPLOAD, "-r", "1.0", "--no-cache", "dist").returncode == 0
    first_ids = {f["id"] for f in sentry.release_files[("acme", "1.0")]}
    sentry.clear_requests()
    result = upload(*UPLOAD, "-r", "1.0", "--no-cache", "dist")
    assert result.returncode == 0, result.output
    # As sentry-cli 2.x: list, delete the same names, upload again.
    assert len(sentry.requests_to("release_file_delete")) == 4
    assert "replacing 4" in result.stderr
    stored = sentry.release_files[("acme", "1.0")]
    assert len(stored) == 4 and not first_ids & {f["id"] for f in stored}
    # A file that appears between the listing and the upload answers 409: stored.
    sentry.script_fault("POST", "release_file_upload", [
        {"status": 409, "body": {"detail": "A file matching this name already exists for "
                                           "the given release"}}])
    assert upload(*UPLOAD, "-r", "1.0", "--no-cache", "dist").returncode == 0


def test_no_chunk_upload_for_unknown_org_is_still_not_found(upload, sentry, mode, case_dir):
    mode("no_chunk_upload")
    write_dist(case_dir / "dist")
    result = upload("-o", "nope", "-p", "web", "-r", "1", "dist")
    assert result.returncode == 2
    assert f"organization 'nope' not found at {sentry.url}/" in result.stderr
    assert endpoints(sentry) == ["options", "organization"]


def test_release_file_failure_parks_with_on_failure_warn(upload, sentry, mode, case_dir):
    mode("no_chunk_upload")
    dist = write_dist(case_dir / "dist")
    pending = case_dir / "pending"
    sentry.script_fault("POST", "release_file_upload", [400] * 4)
    result = upload(*UPLOAD, "-r", "1.0", "--delete-after", "--on-failure", "warn",
                    "--pending-dir", str(pending), "dist")
    assert result.returncode == 0, result.output
    assert "upload failed" in result.stderr and maps_in(dist) == []
    sentry.clear_requests()
    result = upload(*UPLOAD, "-r", "1.0", "--delete-after", "--on-failure", "warn",
                    "--pending-dir", str(pending), "dist")
    assert result.returncode == 0, result.output
    assert "parked maps confirmed" in result.stderr
    names = {f["name"] for f in sentry.release_files[("acme", "1.0")]}
    assert "~/assets/index-abc123.js.map" in names


def test_stamp_skips_a_second_legacy_upload(upload, sentry, mode, case_dir):
    mode("release_bundles")
    write_dist(case_dir / "dist")
    args = [*UPLOAD, "-r", "1.0", "--stamp-file", str(case_dir / "stamp"), "dist"]
    assert upload(*args).returncode == 0
    sentry.clear_requests()
    result = upload(*args)
    assert result.returncode == 0 and sentry.requests == []
    assert "nothing changed since the last upload" in result.stderr


def test_release_steps_with_a_legacy_flow_create_once(upload, sentry, mode, case_dir):
    mode("no_chunk_upload")
    dist = write_dist(case_dir / "dist")
    maps = maps_in(dist)
    sentry.watch(dist)
    result = upload(*UPLOAD, "-r", "1.0", "--create-release", "--finalize", "--delete-after",
                    "dist")
    assert result.returncode == 0, result.output
    seen = endpoints(sentry)
    assert seen.count("release_new") == 1 and seen[-1] == "release_update"
    assert sentry.releases[("acme", "1.0")]["dateReleased"]
    # Deleted after the finalize answer too: a failed finalize keeps the maps.
    assert_deleted_only_after_confirmation(sentry, dist, maps)
