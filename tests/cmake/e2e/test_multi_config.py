"""Multi-config generators (Visual Studio, Xcode; here Ninja Multi-Config):
`cmake --build <dir> --config <cfg> --target sentry-upload` uploads that
configuration's bundle, $<CONFIG> in DIRECTORY and RELEASE is honoured, and
each configuration has its own stamp and pending folder, so Debug's upload
neither spoils Release's stamp nor takes its parked maps. CMAKE_BUILD_TYPE is
never set."""
import re

import pytest

from cmake_harness import BUNDLE_MAPS, account, configure_with_env_file, maps_under
from helpers.deletion import assert_deleted_only_after_confirmation
from helpers.process import clean_env

GENERATOR = "Ninja Multi-Config"


@pytest.fixture
def project(cmake_project, uploader, fake, tmp_path, request):
    """The e2e project, one bundle folder and one release per configuration."""
    extra = getattr(request, "param", ())
    return configure_with_env_file(
        cmake_project(generator=GENERATOR), uploader, tmp_path / ".env.sentry-build-plugin",
        "-DE2E_DIRECTORY=web/$<CONFIG>/dist", "-DE2E_RELEASE=1.0-$<CONFIG>", *extra,
        **account(fake))


def dist(project, config):
    return project.binary / "web" / config / "dist"


def state(project, config):
    return project.binary / "sentry-sourcemaps" / "web" / config


def source_maps_sent(fake):
    return sorted(info["url"] for b in fake.bundles for info in b["manifest"]["files"].values()
                  if info["type"] == "source_map")


def test_each_configuration_uploads_its_own_bundle(project, fake):
    cache = (project.binary / "CMakeCache.txt").read_text()
    assert not re.search(r"^CMAKE_BUILD_TYPE:\w+=.", cache, re.M)
    for config in ("Release", "Debug"):
        fake.clear_requests()
        fake.watch(dist(project, config))
        result = project.build("sentry-upload", config=config)
        assert result.returncode == 0, result.output
        # This configuration's bundle, under this configuration's release...
        assert fake.bundles[-1]["release"] == "1.0-" + config, fake.bundles
        assert_deleted_only_after_confirmation(fake, dist(project, config), BUNDLE_MAPS)
        assert maps_under(dist(project, config)) == []
        # ...and state of its own.
        assert (state(project, config) / "stamp").is_file(), result.output
    assert [b["release"] for b in fake.bundles] == ["1.0-Release", "1.0-Debug"]
    assert not (project.binary / "sentry-sourcemaps" / "web" / "stamp").exists()

    # Debug's upload left Release's stamp alone: a Release rebuild sends nothing.
    fake.clear_requests()
    again = project.build("sentry-upload", config="Release")
    assert again.returncode == 0, again.output
    assert fake.requests == [], again.output
    assert "nothing changed since the last upload" in again.output


@pytest.mark.parametrize("project", [("-DE2E_ON_FAILURE=WARN",)], indirect=True)
def test_parked_maps_stay_with_their_configuration(project, fake):
    fake.script_fault("*", "options", [500] * 50)
    fake.script_fault("*", "assemble", [500] * 50)
    failed = project.build("sentry-upload", config="Debug",
                           env=clean_env(SENTRY_HTTP_MAX_RETRIES="1"))
    assert failed.returncode == 0, failed.output
    assert maps_under(dist(project, "Debug")) == []
    assert len(maps_under(state(project, "Debug") / "pending")) == 2, failed.output

    # Release uploads its own maps only; Debug's stay parked for Debug.
    fake.faults.clear()
    fake.clear_requests()
    release = project.build("sentry-upload", config="Release")
    assert release.returncode == 0, release.output
    assert {b["release"] for b in fake.bundles} == {"1.0-Release"}, fake.bundles
    assert source_maps_sent(fake) == ["~/assets/app.js.map", "~/assets/vendor.js.map"]
    assert maps_under(dist(project, "Release")) == []
    assert len(maps_under(state(project, "Debug") / "pending")) == 2

    # The next Debug build sends them.
    sent = len(fake.bundles)
    debug = project.build("sentry-upload", config="Debug")
    assert debug.returncode == 0, debug.output
    assert len(fake.bundles) > sent, debug.output
    assert {b["release"] for b in fake.bundles[sent:]} == {"1.0-Debug"}, fake.bundles[sent:]
    assert maps_under(state(project, "Debug") / "pending") == []
