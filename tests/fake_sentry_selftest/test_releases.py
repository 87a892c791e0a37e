"""Release, deploy, repo, organization and project endpoints."""
from urllib.parse import quote

import pytest

from selftest_helpers import ORG, call

REL = ORG + "/releases/"


def post(fake, body, token="tok-upload"):
    r = call(fake.url, "POST", REL, token, body)
    return r.status, r.json()


def test_create_is_201_then_208_then_201_for_new_project(fake):
    status, rel = post(fake, {"version": "app@1.0+42", "projects": ["web"]})
    assert status == 201
    assert rel["version"] == "app@1.0+42" and [p["slug"] for p in rel["projects"]] == ["web"]
    assert rel["versionInfo"]["package"] == "app" and rel["dateReleased"] is None
    assert post(fake, {"version": "app@1.0+42", "projects": ["web"]})[0] == 208
    assert post(fake, {"version": "app@1.0+42", "projects": [1002]})[0] == 201
    assert fake.releases[("acme", "app@1.0+42")]["projects"] == ["web", "api"]


def test_projects_as_int_and_numeric_string(fake):
    status, rel = post(fake, {"version": "v2", "projects": [1001, "1002"]})
    assert status == 201 and {p["slug"] for p in rel["projects"]} == {"web", "api"}


@pytest.mark.parametrize("version, message", [
    ("", "This field may not be blank."),
    ("a/b", "Release with name a/b is not allowed"),
    ("a\\b", "Release with name a\\b is not allowed"),
    ("latest", "Release with name latest is not allowed"),
    ("..", "Release with name .. is not allowed"),
    ("x" * 201, "Ensure this field has no more than 200 characters."),
])
def test_invalid_versions(fake, version, message):
    assert post(fake, {"version": version, "projects": ["web"]}) == (400, {"version": [message]})


def test_unknown_or_missing_projects(fake):
    assert post(fake, {"version": "1", "projects": ["nope"]}) == (
        400, {"projects": ["Invalid project ids or slugs"]})
    assert post(fake, {"version": "1", "projects": ["site"]})[0] == 400  # other org's project
    assert post(fake, {"version": "1"}) == (400, {"projects": ["This field is required."]})


def test_get_and_finalize_with_percent_encoded_version(fake):
    version = "my app@1.0+build"
    path = REL + quote(version, safe="@") + "/"
    assert call(fake.url, "GET", path, "tok-upload").status == 404
    post(fake, {"version": version, "projects": ["web"]})
    r = call(fake.url, "PUT", path, "tok-upload", {"dateReleased": "2026-01-02T03:04:05Z",
                                                  "url": "https://example.invalid"})
    assert r.status == 200 and r.json()["dateReleased"] == "2026-01-02T03:04:05Z"
    assert call(fake.url, "GET", path, "tok-upload").json()["url"] == "https://example.invalid"


def test_set_refs_checks_repositories(fake):
    post(fake, {"version": "1", "projects": ["web"]})
    ok = {"refs": [{"repository": "acme/web", "commit": "a" * 40, "previousCommit": None}]}
    assert call(fake.url, "PUT", REL + "1/", "tok-upload", ok).status == 200
    bad = {"refs": [{"repository": "acme/nope", "commit": "a" * 40}]}
    r = call(fake.url, "PUT", REL + "1/", "tok-upload", bad)
    assert (r.status, r.json()) == (400, {"detail": "Invalid repository names: acme/nope"})


def test_deploys(fake):
    deploys = REL + "1/deploys/"
    assert call(fake.url, "POST", deploys, "tok-upload", {"environment": "prod"}).status == 404
    post(fake, {"version": "1", "projects": ["web"]})
    r = call(fake.url, "POST", deploys, "tok-upload",
             {"environment": "production", "name": "d1", "url": None, "dateStarted": None,
              "dateFinished": None})
    assert r.status == 201
    d = r.json()
    assert set(d) == {"id", "environment", "dateStarted", "dateFinished", "name", "url"}
    assert d["environment"] == "production" and d["dateFinished"]
    assert fake.deploys[0]["version"] == "1"
    r = call(fake.url, "POST", deploys, "tok-upload", {"name": "x"})
    assert (r.status, r.json()) == (400, {"environment": ["This field is required."]})
    r = call(fake.url, "POST", deploys, "tok-upload", {"environment": "e" * 65})
    assert r.status == 400


def test_repos_previous_with_commits_org_and_project(fake):
    repos = call(fake.url, "GET", ORG + "/repos/", "tok-upload").json()
    assert [r["name"] for r in repos] == ["acme/web"]
    post(fake, {"version": "1", "projects": ["web"]})
    assert call(fake.url, "GET", REL + "1/previous-with-commits/", "tok-upload").json() == {}
    org = call(fake.url, "GET", ORG + "/", "tok-upload").json()
    assert org["slug"] == "acme" and org["id"] == "1"
    r = call(fake.url, "GET", "/api/0/projects/acme/web/", "tok-read")
    assert r.json()["slug"] == "web" and r.json()["id"] == "1001"
    assert call(fake.url, "GET", "/api/0/projects/acme/nope/", "tok-read").status == 404


def test_field_validation_like_drf(fake):
    bad_date = {"dateReleased": ["Datetime has wrong format. Use one of these formats "
                                 "instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."]}
    assert post(fake, {"version": "1", "projects": ["web"], "dateReleased": "now"}) == (
        400, bad_date)
    assert post(fake, {"version": "1", "projects": ["web"], "url": "not a url"}) == (
        400, {"url": ["Enter a valid URL."]})
    # chrono's nanoseconds and plain seconds both pass; an existing release keeps its
    # fields (get_or_create), so a second POST does not finalize it.
    assert post(fake, {"version": "1", "projects": ["web"], "url": ""})[0] == 201
    assert post(fake, {"version": "1", "projects": ["web"],
                       "dateReleased": "2026-11-28T23:27:50.197425031Z"})[0] == 208
    assert fake.releases[("acme", "1")]["dateReleased"] is None
    r = call(fake.url, "PUT", REL + "1/", "tok-upload", {"dateReleased": "yesterday"})
    assert (r.status, r.json()) == (400, bad_date)
    r = call(fake.url, "PUT", REL + "1/", "tok-upload", {"projects": ["api"],
                                                        "dateReleased": "2026-01-02T03:04Z"})
    assert r.status == 200 and [p["slug"] for p in r.json()["projects"]] == ["web"]
    r = call(fake.url, "PUT", REL + "1/", "tok-upload", {"refs": [{"repository": "acme/web"}]})
    assert r.status == 400


def test_deploy_field_validation(fake):
    post(fake, {"version": "1", "projects": ["web"]})
    deploys = REL + "1/deploys/"
    for body, field in [({"dateStarted": "1700000000"}, "dateStarted"),
                        ({"dateFinished": "Tue, 14 Nov 2023 22:13:20 +0000"}, "dateFinished"),
                        ({"url": "example"}, "url"), ({"projects": ["nope"]}, "projects"),
                        ({"projects": []}, "projects")]:
        r = call(fake.url, "POST", deploys, "tok-upload", dict(body, environment="prod"))
        assert r.status == 400 and list(r.json()) == [field], body
    r = call(fake.url, "POST", deploys, "tok-upload",
             {"environment": "prod", "projects": [1001], "url": "https://d.invalid",
              "dateStarted": "2023-11-14T22:13:20Z", "dateFinished": None})
    assert r.status == 201 and r.json()["dateFinished"]
