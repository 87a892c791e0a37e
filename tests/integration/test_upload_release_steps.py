"""`upload --create-release --set-commits --finalize --deploy`: the release
requests around the upload, in order, and what a failure leaves behind."""
import time
from datetime import datetime

import pytest

from conftest import UPLOAD_TOKEN
from fake_sentry import FakeSentry
from helpers.deletion import assert_deleted_only_after_confirmation
from helpers.dist import snapshot, write_dist

UPLOAD = ["-o", "acme", "-p", "web"]
RELEASE_CALLS = {"repos", "release_new", "release_update", "deploy_new"}


@pytest.fixture
def sentry():
    """The shared stand-in, plus the organization's repositories."""
    with FakeSentry(tokens={UPLOAD_TOKEN: ["project:releases", "org:read"]},
                    orgs={"acme": ["web", "api"]},
                    repos={"acme": ["acme/web", "acme/api"]}) as server:
        yield server


def endpoints(sentry):
    return [r["endpoint"] for r in sentry.requests]


def stamped_during(text, started, request):
    """The tool's RFC 3339 time is no earlier than the run's start and no later
    than the stand-in's arrival time of the request that carried it (one wall
    clock; the tool keeps whole microseconds)."""
    when = datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    return started - 1e-3 <= when <= request["time"]


def maps_in(root):
    return sorted(p for p in snapshot(root) if p.endswith(".map"))


def test_every_step_in_order_around_the_upload(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    maps = maps_in(dist)
    sentry.watch(dist)
    started = time.time()
    result = upload(*UPLOAD, "-r", "app@1.0", "--create-release",
                    "--set-commits", "acme/web@abc123", "--finalize", "--deploy", "production",
                    "--delete-after", "dist")
    assert result.returncode == 0, result.output
    seen = endpoints(sentry)
    # Create and set commits before the upload; finalize after Sentry's ok; deploy last.
    assert seen[:5] == ["options", "repos", "release_new", "release_update", "assemble"]
    assert seen[-2:] == ["release_update", "deploy_new"]
    assert not RELEASE_CALLS & set(seen[4:-2])
    create, = sentry.requests_to("release_new")
    assert create["body"]["version"] == "app@1.0" and create["body"]["projects"] == ["web"]
    set_refs, finalize_request = sentry.requests_to("release_update")
    refs, finalize = set_refs["body"], finalize_request["body"]
    assert refs == {"refs": [{"repository": "acme/web", "commit": "abc123",
                              "previousCommit": None}]}
    assert set(finalize) == {"dateReleased", "projects"}
    assert stamped_during(finalize["dateReleased"], started, finalize_request)
    deploy_request, = sentry.requests_to("deploy_new")
    deploy = deploy_request["body"]
    assert deploy_request["path"] == "/api/0/organizations/acme/releases/app@1.0/deploys/"
    assert deploy["environment"] == "production"
    assert stamped_during(deploy["dateFinished"], started, deploy_request)
    release = sentry.releases[("acme", "app@1.0")]
    assert release["dateReleased"] and release["refs"][0]["commit"] == "abc123"
    assert sentry.bundles[0]["version"] == "app@1.0"
    # The maps outlived every answer, the finalize and the deploy included.
    assert_deleted_only_after_confirmation(sentry, dist, maps)
    for line in ("> created release app@1.0", "> finalized release app@1.0",
                 "> recorded a deploy of release app@1.0 to production"):
        assert line in result.stderr


def test_set_commits_auto_from_ci_and_release_detected(upload, sentry, case_dir):
    write_dist(case_dir / "dist")
    ci = {"GITHUB_SHA": "c0ffee1234", "GITHUB_REPOSITORY": "acme/api"}
    result = upload(*UPLOAD, "--set-commits", "auto", "dist", env=ci)
    assert result.returncode == 0, result.output
    assert "> release c0ffee1234 (from GITHUB_SHA)" in result.stderr
    # Setting commits needs the release: it is created first, as sentry-cli does.
    assert [e for e in endpoints(sentry) if e in RELEASE_CALLS] == [
        "repos", "release_new", "release_update"]
    assert sentry.requests_to("release_update")[0]["body"]["refs"] == [
        {"repository": "acme/api", "commit": "c0ffee1234", "previousCommit": None}]
    assert sentry.bundles[0]["version"] == "c0ffee1234"


def test_release_steps_without_release_or_detection_fail_clearly(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    result = upload(*UPLOAD, "--finalize", "--delete-after", "dist")
    assert result.returncode == 2
    assert "no release given and none detected: set --release or SENTRY_RELEASE" \
        in result.stderr
    assert sentry.requests == [] and snapshot(dist) == before


def test_finalize_failure_exits_1_and_deletes_nothing(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    sentry.script_fault("PUT", "release_update", [{"status": 400,
                                                   "body": {"detail": "nope"}}])
    result = upload(*UPLOAD, "-r", "1", "--finalize", "--deploy", "prod", "--delete-after",
                    "dist")
    assert result.returncode == 1, result.output
    assert "nope" in result.stderr
    assert len(sentry.bundles) == 1  # uploaded, but nothing deleted, no deploy
    assert snapshot(dist) == before and sentry.deploys == []


def test_create_failure_uploads_nothing(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    result = upload(*UPLOAD, "-p", "nope", "-r", "1", "--create-release", "--delete-after",
                    "dist")
    assert result.returncode == 2, result.output
    assert "Sentry rejected the projects" in result.stderr
    assert "chunk" not in endpoints(sentry) and "assemble" not in endpoints(sentry)
    assert snapshot(dist) == before


def test_unknown_repository_fails_before_the_release_exists(upload, sentry, case_dir):
    write_dist(case_dir / "dist")
    result = upload(*UPLOAD, "-r", "1", "--set-commits", "acme/typo@abc", "dist")
    assert result.returncode == 2
    assert "repository 'acme/typo' is not connected to organization 'acme' (known: " \
           "acme/web, acme/api)" in result.stderr
    assert sentry.releases == {} and sentry.bundles == []


def test_existing_release_is_reused(upload, sentry, case_dir):
    write_dist(case_dir / "dist")
    assert upload(*UPLOAD, "-r", "1", "--create-release", "dist").returncode == 0
    result = upload(*UPLOAD, "-r", "1", "--create-release", "--no-cache", "dist")
    assert result.returncode == 0, result.output
    assert "> using existing release 1" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["--set-commits", "nosha"], "--commit"),
    (["--deploy", "a/b"], "--deploy 'a/b' is not a valid Sentry environment"),
    (["--finalize", "--no-wait"], "--finalize and --deploy run only after Sentry confirmed"),
    (["--delete-after", "--no-wait"], "--delete-after deletes the maps only after Sentry confirmed"),
])
def test_usage_errors(upload, sentry, case_dir, args, message):
    write_dist(case_dir / "dist")
    result = upload(*UPLOAD, "-r", "1", *args, "dist")
    assert result.returncode == 2, result.output
    assert message in result.stderr and sentry.requests == []


def test_dry_run_makes_no_release_request(upload, sentry, case_dir):
    write_dist(case_dir / "dist")
    result = upload(*UPLOAD, "-r", "1", "--create-release", "--finalize", "--dry-run", "dist")
    assert result.returncode == 0, result.output
    assert sentry.requests == []
