"""GET chunk-upload options."""
from selftest_helpers import ORG, call


def options(fake, ua=None):
    headers = {"User-Agent": ua} if ua else {}
    r = call(fake.url, "GET", ORG + "/chunk-upload/", token="tok-upload", headers=headers)
    assert r.status == 200
    return r.json()


def test_shape_matches_newest_server(fake):
    o = options(fake, "sentry-cli/3.8.0")
    assert o["url"] == fake.url + "/api/0/organizations/acme/chunk-upload/"
    assert o["chunkSize"] == 8388608 and o["chunksPerRequest"] == 64
    assert o["maxFileSize"] == 2 ** 32 and o["maxRequestSize"] == 33554432
    assert o["concurrency"] == 8 and o["hashAlgorithm"] == "sha1"
    assert o["compression"] == ["gzip", "zstd"]
    assert "artifact_bundles_v2" in o["accept"] and "release_files" in o["accept"]
    assert len(o["accept"]) == 12


def test_relative_url_only_for_old_sentry_cli(fake):
    assert options(fake, "sentry-cli/2.29.9")["url"] == "organizations/acme/chunk-upload/"
    assert options(fake, "sentry-cli/1.70.1")["url"] == "organizations/acme/chunk-upload/"
    for ua in ("sentry-cli/1.70.0", "sentry-cli/2.30.0", "curl/8.0", "sentry-sourcemaps/0.1"):
        assert options(fake, ua)["url"].startswith(fake.url + "/api/0/"), ua


def test_overrides_and_url_modes(make_fake):
    s = make_fake(chunk_options={"chunkSize": 1024, "compression": []}, chunk_url="relative")
    o = options(s, "sentry-cli/3.8.0")
    assert o["chunkSize"] == 1024 and o["compression"] == []
    assert o["url"] == "organizations/acme/chunk-upload/"
    s2 = make_fake(chunk_url="http://uploads.invalid/")
    assert options(s2)["url"] == "http://uploads.invalid/api/0/organizations/acme/chunk-upload/"


def test_no_v2_mode_drops_capability(make_fake):
    s = make_fake(server_mode="no_v2")
    accept = options(s)["accept"]
    assert "artifact_bundles" in accept and "artifact_bundles_v2" not in accept
