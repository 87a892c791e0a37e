"""sentry_sourcemaps_add_upload() end to end: the real uploader, the stand-in.

Asserts what the issue promises: inject -> upload -> delete in that order;
maps deleted only after Sentry's ok; failures keep (FAIL) or park (WARN)
every map; no token in any file or output; a no-op rebuild sends nothing.
"""
import json
import re

import pytest

from cmake_harness import (BUNDLE_MAPS, SKIPPED_LINE, TOKEN, account,
                           configure_with_env_file, maps_under)
from helpers.deletion import assert_deleted_only_after_confirmation
from helpers.process import clean_env

DEBUG_ID_COMMENT = re.compile(r"^//# debugId=[0-9a-fA-F-]{36}\s*$", re.M)
MAPPING_URL = re.compile(r"^//# sourceMappingURL=", re.M)


def configure(cmake_project, uploader, tmp_path, *args, **env_values):
    """The e2e project with an env file holding `env_values` (the token etc.)."""
    return configure_with_env_file(cmake_project(), uploader,
                                   tmp_path / ".env.sentry-build-plugin", *args, **env_values)


def test_inject_upload_then_delete(cmake_project, uploader, fake, tmp_path):
    project = configure(cmake_project, uploader, tmp_path, **account(fake))
    dist = project.binary / "web" / "dist"
    fake.watch(dist)  # which maps exist as each answer goes out

    result = project.build("sentry-upload")
    assert result.returncode == 0, result.output

    # Upload: one bundle in acme/web holding both scripts and both maps...
    assert len(fake.bundles) == 1, fake.requests
    bundle = fake.bundles[0]
    assert (bundle["org"], bundle["projects"]) == ("acme", ["web"])
    types = sorted(info["type"] for info in bundle["manifest"]["files"].values())
    assert types == ["minified_source", "minified_source", "source_map", "source_map"]
    # ...injected before the upload: every uploaded script and map has its debug ID.
    assert len(bundle["debug_ids"]) == 4
    for name, data in bundle["files"].items():
        text = data.decode("utf-8")
        if name.endswith(".js.map") or '"mappings"' in text:
            parsed = json.loads(text)
            assert parsed.get("debug_id") or parsed.get("debugId"), name
        else:
            assert DEBUG_ID_COMMENT.search(text), name
    # Delete only after Sentry's ok: every answer, the assemble `ok`
    # included, went out while all maps were still there.
    assert_deleted_only_after_confirmation(fake, dist, BUNDLE_MAPS)
    # Then the maps are gone, and so are the comments that pointed at them;
    # the debug IDs stay.
    assert maps_under(dist) == []
    for script in ("app.js", "vendor.js"):
        text = (dist / "assets" / script).read_text()
        assert not MAPPING_URL.search(text), script
        assert DEBUG_ID_COMMENT.search(text), script


def test_unchanged_rebuild_sends_no_request(cmake_project, uploader, fake, tmp_path):
    project = configure(cmake_project, uploader, tmp_path, **account(fake))
    assert project.build("sentry-upload").returncode == 0
    assert fake.bundles
    fake.clear_requests()

    again = project.build("sentry-upload")
    assert again.returncode == 0, again.output
    assert fake.requests == []


def test_token_is_in_no_file_and_no_output(cmake_project, uploader, fake, tmp_path):
    project = configure(cmake_project, uploader, tmp_path, **account(fake))
    assert project.build("sentry-upload").returncode == 0
    # The other way in: the token in the build's environment, not the file.
    (project.binary / "sentry-sourcemaps" / "web" / "stamp").unlink(missing_ok=True)
    assert project.build("sentry-upload", env=clean_env(SENTRY_AUTH_TOKEN=TOKEN)).returncode == 0
    for name, text in project.files_written().items():
        assert TOKEN not in text, "the token is in %s" % name
    for state_file in (project.binary / "sentry-sourcemaps").rglob("*"):
        if state_file.is_file():
            assert TOKEN.encode() not in state_file.read_bytes(), state_file


@pytest.mark.parametrize("case", ["server_errors", "bad_token", "wrong_project"])
def test_failure_fails_the_build_and_keeps_every_map(cmake_project, uploader, fake, tmp_path,
                                                      case):
    values = account(fake)
    if case == "server_errors":
        fake.script_fault("*", "options", [500] * 50)
        fake.script_fault("*", "assemble", [500] * 50)
    elif case == "bad_token":
        values["auth_token"] = "sntrys_not_a_token_the_stand_in_knows"
    else:
        values["project"] = "no-such-project"
    project = configure(cmake_project, uploader, tmp_path, **values)
    dist = project.binary / "web" / "dist"

    result = project.build("sentry-upload", env=clean_env(SENTRY_HTTP_MAX_RETRIES="1"))
    assert result.returncode != 0, result.output
    assert fake.requests, "failed before asking the server: " + result.output
    assert maps_under(dist) == BUNDLE_MAPS
    assert MAPPING_URL.search((dist / "assets" / "app.js").read_text())
    assert maps_under(project.binary / "sentry-sourcemaps") == []
    assert fake.bundles == []


def test_warn_parks_maps_then_uploads_them_next_run(cmake_project, uploader, fake, tmp_path):
    project = configure(cmake_project, uploader, tmp_path, "-DE2E_ON_FAILURE=WARN",
                        **account(fake))
    dist = project.binary / "web" / "dist"
    pending = project.binary / "sentry-sourcemaps" / "web" / "pending"
    fake.script_fault("*", "options", [500] * 50)
    fake.script_fault("*", "assemble", [500] * 50)

    result = project.build("sentry-upload", env=clean_env(SENTRY_HTTP_MAX_RETRIES="1"))
    assert result.returncode == 0, result.output
    assert "warning" in result.output.lower()
    assert maps_under(dist) == []  # not deployed...
    assert len(maps_under(pending)) == 2  # ...but kept for the next run
    assert fake.bundles == []

    fake.faults.clear()
    result = project.build("sentry-upload")
    assert result.returncode == 0, result.output
    # The parked maps went up (with their scripts, in one bundle or more).
    uploaded = [info["url"] for b in fake.bundles for info in b["manifest"]["files"].values()
                if info["type"] == "source_map"]
    assert sorted(uploaded) == ["~/assets/app.js.map", "~/assets/vendor.js.map"], \
        [b["manifest"] for b in fake.bundles]
    assert maps_under(pending) == []


def test_without_token_skips_and_keeps_the_maps(cmake_project, uploader, fake, tmp_path):
    values = account(fake)
    del values["auth_token"]
    project = configure(cmake_project, uploader, tmp_path, **values)
    result = project.build("sentry-upload")
    assert result.returncode == 0, result.output
    assert result.output.count(SKIPPED_LINE) == 1
    assert maps_under(project.binary / "web" / "dist") == BUNDLE_MAPS
    assert fake.requests == []


def test_without_token_fails_when_required(cmake_project, uploader, fake, tmp_path):
    values = account(fake)
    del values["auth_token"]
    project = configure(cmake_project, uploader, tmp_path, "-DSENTRY_SOURCEMAPS_REQUIRED=ON",
                        **values)
    result = project.build("sentry-upload")
    assert result.returncode != 0, result.output
    assert "SENTRY_AUTH_TOKEN" in result.output
    assert "unknown option" not in result.output
    assert maps_under(project.binary / "web" / "dist") == BUNDLE_MAPS


def test_two_bundles_two_orgs_in_one_build(cmake_project, uploader, fake, tmp_path):
    project = configure(cmake_project, uploader, tmp_path, "-DE2E_SECOND_BUNDLE=ON",
                        "-DSENTRY_SOURCEMAPS_MAX_PARALLEL=3", **account(fake))
    rules = (project.binary / "CMakeFiles" / "rules.ninja").read_text()
    rules += (project.binary / "build.ninja").read_text()
    assert re.search(r"^pool sentry_sourcemaps_upload\n\s+depth = 3$", rules, re.M)

    result = project.build("sentry-upload")
    assert result.returncode == 0, result.output
    assert sorted((b["org"], tuple(b["projects"])) for b in fake.bundles) == [
        ("acme", ("web",)), ("other", ("site",))]
    assert maps_under(project.binary / "web" / "dist") == []
    assert maps_under(project.binary / "site" / "dist") == []
