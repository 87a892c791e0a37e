"""Authentication, scopes and routing errors, worded like real Sentry."""
from selftest_helpers import ORG, call

NOT_PROVIDED = {"detail": "Authentication credentials were not provided."}
NO_PERMISSION = {"detail": "You do not have permission to perform this action."}


def test_index_without_token(fake):
    r = call(fake.url, "GET", "/api/0/")
    assert r.status == 200
    assert r.json() == {"version": "0", "auth": None, "user": None}


def test_index_with_token_lists_scopes(fake):
    r = call(fake.url, "GET", "/api/0/", token="tok-upload")
    assert r.json() == {"version": "0", "auth": {"scopes": ["project:releases", "org:read"]},
                        "user": None}


def test_unknown_token_is_401_invalid_token(fake):
    r = call(fake.url, "GET", ORG + "/chunk-upload/", token="nope")
    assert r.status == 401
    assert r.json() == {"detail": "Invalid token"}
    assert r.headers["www-authenticate"] == 'xBasic realm="api"'
    # Even the index endpoint authenticates a token that is sent.
    assert call(fake.url, "GET", "/api/0/", token="nope").status == 401


def test_unknown_org_token_has_its_own_wording(fake):
    r = call(fake.url, "GET", ORG + "/chunk-upload/", token="sntrys_abc_def")
    assert (r.status, r.json()) == (401, {"detail": "Invalid org token"})


def test_bearer_without_credentials(fake):
    r = call(fake.url, "GET", ORG + "/chunk-upload/", headers={"Authorization": "Bearer"})
    assert r.status == 401
    assert r.json() == {"detail": "Invalid token header. No credentials provided."}


def test_missing_token_is_401_not_provided(fake):
    r = call(fake.url, "POST", ORG + "/artifactbundle/assemble/", body={})
    assert (r.status, r.json()) == (401, NOT_PROVIDED)


def test_insufficient_scope_is_403(fake):
    # project:read may GET release endpoints but not POST them.
    assert call(fake.url, "GET", ORG + "/chunk-upload/", token="tok-read").status == 200
    r = call(fake.url, "POST", ORG + "/artifactbundle/assemble/", token="tok-read", body={})
    assert (r.status, r.json()) == (403, NO_PERMISSION)


def test_scope_check_comes_before_org_lookup(fake):
    r = call(fake.url, "POST", "/api/0/organizations/nosuch/releases/", token="tok-read", body={})
    assert r.status == 403


def test_unknown_org_is_404(fake):
    r = call(fake.url, "GET", "/api/0/organizations/nosuch/chunk-upload/", token="tok-upload")
    assert (r.status, r.json()) == (404, {"detail": "The requested resource does not exist"})


def test_org_ci_scope_is_enough_for_upload_endpoints(fake):
    assert call(fake.url, "GET", ORG + "/chunk-upload/", token="tok-ci").status == 200
    r = call(fake.url, "POST", ORG + "/releases/", token="tok-ci",
             body={"version": "1.0", "projects": ["web"]})
    assert r.status == 201


def test_repos_need_org_read(fake):
    assert call(fake.url, "GET", ORG + "/repos/", token="tok-upload").status == 200
    assert call(fake.url, "GET", ORG + "/repos/", token="tok-releases-only").status == 403


def test_org_bound_token_cannot_use_another_org(fake):
    assert call(fake.url, "GET", ORG + "/chunk-upload/", token="tok-orgbound").status == 403
    r = call(fake.url, "GET", "/api/0/organizations/other/chunk-upload/", token="tok-orgbound")
    assert r.status == 200


def test_unknown_endpoint_and_method(fake):
    r = call(fake.url, "GET", "/api/0/nothing/here/", token="tok-upload")
    assert r.status == 404 and r.headers["content-type"] == "application/json"
    r = call(fake.url, "PATCH", ORG + "/chunk-upload/", token="tok-upload")
    assert (r.status, r.json()) == (405, {"detail": 'Method "PATCH" not allowed.'})


def test_authorization_is_redacted_in_log(fake):
    call(fake.url, "GET", ORG + "/chunk-upload/", token="tok-upload")
    rec = fake.requests[-1]
    assert rec["headers"]["authorization"] == "Bearer [REDACTED]"
    assert rec["endpoint"] == "options" and rec["status"] == 200
