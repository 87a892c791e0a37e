"""Paths as Windows users have them: folders with spaces (source, build, dist,
env file, pending folder) reach the uploader as one argument each, and paths
written with backslashes are made CMake paths before anything uses them."""
import shutil

import pytest

from cmake_harness import (BUNDLE_MAPS, PROJECTS, REPO, account, configure_with_env_file,
                           maps_under, write_env_file)
from helpers.deletion import assert_deleted_only_after_confirmation


def windows(path):
    """`path` written the Windows way, with backslashes."""
    return str(path).replace("/", "\\")


def option(argv, flag):
    return argv[argv.index(flag) + 1]


def upload_command(project):
    found = [argv for argv in project.commands("sentry-upload_web") if "upload" in argv]
    assert len(found) == 1, found
    return found[0]


def assert_uploaded_and_deleted(project, fake, dist):
    fake.watch(dist)
    result = project.build("sentry-upload")
    assert result.returncode == 0, result.output
    assert len(fake.bundles) == 1, result.output
    types = sorted(info["type"] for info in fake.bundles[0]["manifest"]["files"].values())
    assert types == ["minified_source", "minified_source", "source_map", "source_map"]
    assert_deleted_only_after_confirmation(fake, dist, BUNDLE_MAPS)
    assert maps_under(dist) == []
    return result


# The default env file name makes the uploader run in the env file's folder;
# any other name is passed with --env-file.
@pytest.mark.parametrize("env_file_name", [".env.sentry-build-plugin", "sentry build.env"])
def test_spaces_in_every_folder(cmake_project, uploader, fake, tmp_path, env_file_name):
    app = tmp_path / "my app"
    shutil.copytree(PROJECTS, app / "source tree")
    env_file = app / "env files" / env_file_name
    env_file.parent.mkdir()
    project = configure_with_env_file(
        cmake_project(app / "source tree" / "e2e", binary=app / "build dir"), uploader,
        env_file, "-DSENTRY_SOURCEMAPS_REPO=%s" % REPO, "-DE2E_DIRECTORY=dist folder",
        "-DE2E_ON_FAILURE=WARN", **account(fake))
    dist = project.binary / "dist folder"
    state = project.binary / "sentry-sourcemaps" / "web"

    argv = upload_command(project)
    assert argv[-1] == str(dist)
    assert option(argv, "--source-root") == str(app / "source tree" / "e2e")
    assert option(argv, "--pending-dir") == str(state / "pending")
    assert option(argv, "--stamp-file") == str(state / "stamp")
    if env_file_name == "sentry build.env":
        assert option(argv, "--env-file") == str(env_file)
    else:
        assert "--env-file" not in argv

    assert_uploaded_and_deleted(project, fake, dist)
    assert (state / "stamp").is_file()


def test_backslash_paths_are_made_cmake_paths(cmake_project, uploader, fake, tmp_path):
    """DIRECTORY and SOURCE_ROOT written C:\\app\\dist-style in the CMakeLists
    (E2E_BACKSLASHES), the uploader and the env file given that way with -D,
    as a path taken from %VAR% on Windows would be. On this host a backslash
    is no separator: any left over names a folder that does not exist, or
    reads as an escape."""
    env_file = write_env_file(tmp_path / ".env.sentry-build-plugin", **account(fake))
    project = cmake_project()
    # Typed, as the cache entries are: an untyped relative FILEPATH given
    # with -D would be made absolute against the current folder first.
    configured = project.configure(
        "-DSENTRY_SOURCEMAPS_EXECUTABLE:FILEPATH=%s" % windows(uploader),
        "-DSENTRY_SOURCEMAPS_ENV_FILE:FILEPATH=%s" % windows(env_file),
        "-DE2E_BACKSLASHES=ON")
    assert configured.returncode == 0, configured.output
    dist = project.binary / "web" / "dist"

    argv = upload_command(project)
    assert [a for a in argv if "\\" in a] == [], argv
    assert argv[0] == uploader
    assert argv[-1] == str(dist)
    assert option(argv, "--source-root") == str(project.source)
    assert "--env-file" not in argv  # the default name: read in its folder
    for name, text in project.files_written().items():
        if name.endswith(".ninja"):
            assert windows(project.binary) not in text, name
            assert windows(project.source) not in text, name

    # The token came from the env file, in the folder it was given in.
    assert_uploaded_and_deleted(project, fake, dist)
