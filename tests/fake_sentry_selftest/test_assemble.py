"""Artifact-bundle assemble: state machine, validation and the assemble task's errors."""
import io
import json
import zipfile

import pytest

from selftest_helpers import (DEBUG_ID, ORG, assemble_body, call, make_bundle, sample_bundle,
                              sha1, split, upload_chunks)

ASSEMBLE = ORG + "/artifactbundle/assemble/"


def assemble(fake, body, token="tok-upload"):
    r = call(fake.url, "POST", ASSEMBLE, token, body)
    return r.status, r.json()


def upload_and_assemble(fake, data, chunk_size=8 * 1024 * 1024, **extra):
    body = assemble_body(data, chunk_size, **extra)
    status, first = assemble(fake, body)
    assert status == 200 and first["state"] == "not_found"
    assert upload_chunks(fake.url, "tok-upload", split(data, chunk_size)).status == 200
    assert assemble(fake, body) == (200, {"state": "created", "missingChunks": []})
    return body


def test_end_to_end_with_several_chunks(fake):
    data = sample_bundle(release="1.0")
    body = assemble_body(data, 512, version="1.0", dist="web")
    assert len(body["chunks"]) > 1
    status, first = assemble(fake, body)
    assert status == 200
    assert first == {"state": "not_found", "missingChunks": body["chunks"]}
    assert upload_chunks(fake.url, "tok-upload", split(data, 512)).status == 200
    assert assemble(fake, body) == (200, {"state": "created", "missingChunks": []})
    assert assemble(fake, body) == (200, {"state": "ok", "detail": None, "missingChunks": []})
    (b,) = fake.bundles
    assert b["checksum"] == sha1(data) and b["raw"] == data and b["sysb"] is True
    assert (b["org"], b["projects"], b["version"], b["dist"]) == ("acme", ["web"], "1.0", "web")
    assert b["manifest"]["files"]["files/_/_/app.js"]["headers"]["sourcemap"] == "app.js.map"
    assert b["files"]["files/_/_/app.js"].startswith(b"console.log(1)")
    assert (DEBUG_ID, "minified_source") in b["debug_ids"]


def test_only_missing_chunks_are_reported(fake):
    data = sample_bundle()
    parts = split(data, 300)
    upload_chunks(fake.url, "tok-upload", parts[:1])
    status, r = assemble(fake, assemble_body(data, 300))
    assert r["missingChunks"] == [sha1(c) for c in parts[1:]]


def test_assembling_polls_before_ok(make_fake):
    s = make_fake(assemble_polls=2)
    body = upload_and_assemble(s, sample_bundle())
    states = [assemble(s, body)[1]["state"] for _ in range(3)]
    assert states == ["assembling", "assembling", "ok"]


def test_cached_state_is_returned_without_reassembling(fake):
    data = sample_bundle()
    body = upload_and_assemble(fake, data)
    assert assemble(fake, body)[1]["state"] == "ok"
    # Same checksum again (e.g. a re-run): chunks are there, the state is cached.
    assert assemble(fake, body)[1] == {"state": "ok", "detail": None, "missingChunks": []}
    assert len(fake.bundles) == 1


def test_empty_chunks_without_state_is_not_found(fake):
    body = {"checksum": "a" * 40, "chunks": [], "projects": ["web"]}
    assert assemble(fake, body) == (200, {"state": "not_found", "missingChunks": []})


@pytest.mark.parametrize("patch, message", [
    ({"extra": 1}, "Additional properties are not allowed ('extra' was unexpected)"),
    ({"checksum": "ABC"}, "The checksum field is required and must be a 40-character "
                          "hexadecimal string."),
    ({"chunks": ["x"]}, "The chunks field is required and must be provided as an array of "
                        "40-character hexadecimal strings."),
    ({"projects": "web"}, "The projects field is required and must be provided as an array "
                          "of strings."),
    ({"version": ""}, 'The version field cannot be empty and cannot contain any "/" characters.'),
    ({"version": "a/b"}, 'The version field cannot be empty and cannot contain any "/" '
                         'characters.'),
    ({"dist": 5}, "The dist field must be a string."),
    ({"projects": []}, "You need to specify at least one project"),
    ({"projects": ["nope"]}, "One or more projects are invalid"),
    ({"projects": ["web", "web"]}, "One or more projects are invalid"),
    ({"projects": ["web", "1001"]}, "One or more projects are invalid"),  # slug + id of web
])
def test_validation_errors(fake, patch, message):
    body = {"checksum": "a" * 40, "chunks": ["a" * 40], "projects": ["web"]}
    body.update(patch)
    assert assemble(fake, body) == (400, {"error": message})


def test_missing_required_field_and_bad_json(fake):
    assert assemble(fake, {"chunks": [], "projects": ["web"]}) == (
        400, {"error": "'checksum' is a required property"})
    r = call(fake.url, "POST", ASSEMBLE, "tok-upload", b"{not json",
             {"Content-Type": "application/json"})
    assert (r.status, r.json()) == (400, {"error": "Invalid json body"})


def test_projects_by_numeric_id(fake):
    data = sample_bundle()
    upload_and_assemble(fake, data, projects=("1002",))
    assert assemble(fake, assemble_body(data, projects=("1002",)))[1]["state"] == "ok"
    assert fake.bundles[0]["projects"] == ["api"]


def test_dist_without_version_is_400_and_leaves_created(fake):
    # The real server caches "created" before this check; polls keep seeing it.
    data = sample_bundle()
    upload_chunks(fake.url, "tok-upload", [data])
    body = assemble_body(data, dist="web")
    assert assemble(fake, body) == (
        400, {"error": "You need to specify a release together with a dist"})
    assert assemble(fake, body)[1] == {"state": "created", "detail": None, "missingChunks": []}
    assert fake.bundles == []


def finish(fake, data, **extra):
    body = upload_and_assemble(fake, data, **extra)
    return assemble(fake, body)[1]


def test_chunks_of_any_size_up_to_chunk_size_join_in_listed_order(make_fake):
    # Sentry's chunk endpoint rejects only a chunk larger than chunkSize, and
    # assemble_from_file_blob_ids adds each blob's own size: chunks cut where
    # the client likes (between zip entries, say) assemble as long as their
    # concatenation in the listed order has the checksum.
    s = make_fake(chunk_options={"chunkSize": 256})
    data = sample_bundle()
    cuts = [0, 1, 9, 265, 300, 301, 557, len(data)]
    parts = [data[a:b] for a, b in zip(cuts, cuts[1:])]
    assert max(len(p) for p in parts) == 256 and min(len(p) for p in parts) == 1
    assert upload_chunks(s.url, "tok-upload", parts).status == 200
    shuffled = dict(checksum=sha1(data), chunks=[sha1(p) for p in reversed(parts)],
                    projects=["web"])
    assert assemble(s, shuffled)[1]["state"] == "created"
    assert assemble(s, shuffled)[1] == {"state": "error", "detail": "Reported checksum mismatch",
                                        "missingChunks": []}
    body = dict(shuffled, chunks=[sha1(p) for p in parts])
    # The error is cached under the checksum, as Sentry caches its assemble
    # status: a fresh server assembles the right order.
    s2 = make_fake(chunk_options={"chunkSize": 256})
    assert upload_chunks(s2.url, "tok-upload", parts).status == 200
    assert assemble(s2, body)[1]["state"] == "created"
    assert assemble(s2, body)[1]["state"] == "ok"
    (b,) = s2.bundles
    assert b["raw"] == data
    too_large = data[:257]
    r = upload_chunks(s2.url, "tok-upload", [too_large])
    assert (r.status, r.json()) == (400, {"error": "Chunk size too large"})
    assert sha1(too_large) not in s2.chunks


def test_error_checksum_mismatch(fake):
    data = sample_bundle()
    body = assemble_body(data)
    body["checksum"] = "b" * 40
    upload_chunks(fake.url, "tok-upload", [data])
    assert assemble(fake, body)[1]["state"] == "created"
    assert assemble(fake, body)[1] == {"state": "error", "detail": "Reported checksum mismatch",
                                       "missingChunks": []}


def test_error_without_debug_ids_or_release(fake):
    r = finish(fake, sample_bundle(debug_ids=False))
    assert r["state"] == "error"
    assert r["detail"] == "uploading a bundle without debug ids or release is prohibited"
    # With a release (request or manifest) the same files are fine.
    assert finish(fake, sample_bundle(debug_ids=False, release="2.0"))["state"] == "ok"
    assert fake.bundles[0]["release"] == "2.0"


@pytest.mark.parametrize("data", [
    b"SYSB\x02\x00\x00\x00not a zip at all",
    make_bundle({}, sysb=False),                 # no SYSB header (strict mode)
    make_bundle({}, version=1),                  # wrong bundle version
])
def test_error_invalid_bundle(fake, data):
    r = finish(fake, data, version="1.0")
    assert (r["state"], r["detail"]) == ("error", "the bundle is invalid")


def test_error_manifest_lists_missing_file(fake):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("manifest.json", json.dumps({"files": {"files/_/_/a.js": {
            "type": "minified_source", "url": "~/a.js", "headers": {}}}}))
    r = finish(fake, b"SYSB\x02\x00\x00\x00" + buf.getvalue(), version="1.0")
    assert r["detail"] == "the bundle is invalid"


def test_lenient_mode_accepts_bare_zip_like_real_server(make_fake):
    s = make_fake(strict_bundle=False)
    assert finish(s, sample_bundle(sysb=False))["state"] == "ok"
    assert s.bundles[0]["sysb"] is False


def test_empty_bundle_is_discarded_but_ok(fake):
    assert finish(fake, make_bundle({}), version="1.0")["state"] == "ok"
    assert fake.bundles == [] and len(fake.store.discarded_bundles) == 1


def test_error_too_large(make_fake):
    s = make_fake(chunk_options={"maxFileSize": 100})
    data = sample_bundle()
    r = finish(s, data)
    assert r["state"] == "error"
    assert r["detail"].startswith("File bundle-artifacts-")
    assert r["detail"].endswith("exceeds maximum size (%d > 100)" % len(data))


def test_forced_error_detail(make_fake):
    s = make_fake(assemble_error="internal server error")
    assert finish(s, sample_bundle()) == {"state": "error", "detail": "internal server error",
                                          "missingChunks": []}


def test_same_bundle_id_replaces_bundle(fake):
    finish(fake, sample_bundle(debug_id=DEBUG_ID, release="1"))
    finish(fake, sample_bundle(debug_id=DEBUG_ID, release="2"))
    assert len(fake.bundles) == 1 and fake.bundles[0]["release"] == "2"


def test_no_v2_mode_skips_missing_chunk_check(make_fake):
    s = make_fake(server_mode="no_v2")
    data = sample_bundle()
    body = assemble_body(data)
    assert assemble(s, body)[1] == {"state": "created", "missingChunks": []}
    assert assemble(s, body)[1]["detail"] == "Not all chunks available for assembling"
