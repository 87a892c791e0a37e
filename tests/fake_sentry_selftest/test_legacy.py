"""Older server generations: accept lists, the oldest assemble schema, the
release-bundle assemble and the per-file release artifacts (protocol doc §4.8, §12)."""
import pytest

from selftest_helpers import ORG, assemble_body, call, sample_bundle, sha1, split, upload_chunks

TOKEN = "tok-upload"
FILES = "/api/0/projects/acme/web/releases/1.0/files/"


def new_release(fake, version="1.0", projects=("web",)):
    r = call(fake.url, "POST", ORG + "/releases/", TOKEN,
             {"version": version, "projects": list(projects)})
    assert r.status in (201, 208), r.body


def release_assemble(fake, body, version="1.0"):
    r = call(fake.url, "POST", ORG + "/releases/%s/assemble/" % version, TOKEN, body)
    return r.status, r.json()


def form(fields, boundary="----legacy-test"):
    """fields: list of (name, filename or None, bytes)."""
    out = b""
    for name, filename, data in fields:
        disp = 'form-data; name="%s"' % name + ('; filename="%s"' % filename if filename else "")
        out += b"--%s\r\nContent-Disposition: %s\r\n\r\n%s\r\n" % (
            boundary.encode(), disp.encode(), data)
    out += b"--%s--\r\n" % boundary.encode()
    return out, {"Content-Type": "multipart/form-data; boundary=%s" % boundary}


def post_file(fake, name="~/app.js", data=b"x()", dist=None, headers=("Sourcemap:app.js.map",),
              path=FILES):
    fields = [("file", "app.js", data), ("name", None, name.encode())]
    if dist:
        fields.append(("dist", None, dist.encode()))
    fields += [("header", None, h.encode()) for h in headers]
    body, hdrs = form(fields)
    return call(fake.url, "POST", path, TOKEN, body, hdrs)


@pytest.mark.parametrize("mode,has,lacks", [
    ("bundles_v1_oldest", ["artifact_bundles", "release_files"], ["artifact_bundles_v2"]),
    ("release_bundles", ["release_files"], ["artifact_bundles", "artifact_bundles_v2"]),
])
def test_accept_lists_of_older_servers(make_fake, mode, has, lacks):
    accept = call(make_fake(server_mode=mode).url, "GET", ORG + "/chunk-upload/", TOKEN).json()["accept"]
    assert all(a in accept for a in has) and not any(a in accept for a in lacks)


def test_no_chunk_upload_mode_has_no_chunk_endpoints(make_fake):
    s = make_fake(server_mode="no_chunk_upload")
    assert call(s.url, "GET", ORG + "/chunk-upload/", TOKEN).status == 404
    assert call(s.url, "GET", ORG + "/", TOKEN).status == 200  # the org exists
    assert call(s.url, "POST", ORG + "/releases/1/assemble/", TOKEN, {}).status == 404


def test_oldest_assemble_rejects_version_and_dist(make_fake):
    s = make_fake(server_mode="bundles_v1_oldest")
    data = sample_bundle(release="1.0")
    r = call(s.url, "POST", ORG + "/artifactbundle/assemble/", TOKEN,
             assemble_body(data, version="1.0"))
    assert r.status == 400 and "'version' was unexpected" in r.json()["error"]
    assert upload_chunks(s.url, TOKEN, [data]).status == 200
    r = call(s.url, "POST", ORG + "/artifactbundle/assemble/", TOKEN, assemble_body(data))
    assert r.json() == {"state": "created", "missingChunks": []}


def test_release_bundles_mode_has_no_artifact_bundle_assemble(make_fake):
    s = make_fake(server_mode="release_bundles")
    data = sample_bundle()
    assert call(s.url, "POST", ORG + "/artifactbundle/assemble/", TOKEN,
                assemble_body(data)).status == 404


def test_release_assemble_needs_the_release_then_stores_release_files(make_fake):
    s = make_fake(server_mode="release_bundles", assemble_polls=1)
    data = sample_bundle(release="1.0", dist="web")
    body = {"checksum": sha1(data), "chunks": [sha1(c) for c in split(data, 512)]}
    assert release_assemble(s, body)[0] == 404  # the release must exist
    new_release(s)
    assert release_assemble(s, dict(body, projects=["web"]))[0] == 400  # schema
    assert upload_chunks(s.url, TOKEN, split(data, 512)).status == 200
    assert release_assemble(s, body) == (200, {"state": "created", "missingChunks": []})
    assert release_assemble(s, body)[1]["state"] == "assembling"
    assert release_assemble(s, body) == (200, {"state": "ok", "detail": None,
                                               "missingChunks": []})
    stored = s.release_files[("acme", "1.0")]
    assert sorted((f["name"], f["dist"]) for f in stored) == [("~/app.js", "web"),
                                                             ("~/app.js.map", "web")]
    assert s.bundles == []


def test_release_assemble_checks_manifest_org_and_release(make_fake):
    s = make_fake(server_mode="release_bundles")
    new_release(s)
    data = sample_bundle(release="2.0")
    body = {"checksum": sha1(data), "chunks": [sha1(data)]}
    assert upload_chunks(s.url, TOKEN, [data]).status == 200
    release_assemble(s, body)
    assert release_assemble(s, body)[1] == {"state": "error", "missingChunks": [],
                                            "detail": "organization or release does not match"}


def test_release_files_201_409_list_and_delete(make_fake):
    s = make_fake(server_mode="no_chunk_upload")
    assert post_file(s).status == 404  # no release yet
    new_release(s)
    r = post_file(s, dist="web")
    assert r.status == 201
    art = r.json()
    assert (art["name"], art["dist"], art["headers"]) == ("~/app.js", "web",
                                                          {"Sourcemap": "app.js.map"})
    assert art["sha1"] == sha1(b"x()") and "data" not in art
    r = post_file(s, dist="web")
    assert r.status == 409 and "already exists" in r.json()["detail"]
    assert post_file(s, dist="other").status == 201  # another dist is another file
    listed = call(s.url, "GET", FILES, TOKEN).json()
    assert [(f["name"], f["dist"]) for f in listed] == [("~/app.js", "web"), ("~/app.js", "other")]
    assert call(s.url, "DELETE", FILES + art["id"] + "/", TOKEN).status == 204
    assert call(s.url, "DELETE", FILES + art["id"] + "/", TOKEN).status == 404
    assert [f["dist"] for f in s.release_files[("acme", "1.0")]] == ["other"]
    assert post_file(s, headers=("no colon",)).status == 400


def test_release_files_need_a_release_of_the_project(make_fake):
    s = make_fake(server_mode="no_chunk_upload")
    new_release(s, projects=("api",))
    assert post_file(s).status == 404  # release exists, but not for project web
    org_files = ORG + "/releases/1.0/files/"
    assert post_file(s, path=org_files).status == 201
