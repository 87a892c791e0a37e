"""A consumer that takes this repository with FetchContent on a machine
without libdeflate, OpenSSL and an installed nlohmann/json: configure picks
zlib and the built-in SHA-1, takes nlohmann_json through FetchContent (a
local copy, as the test machines are offline), builds the uploader and
uploads through it. The stand-in checks every chunk's SHA-1 and the
bundle's checksum, and reads the zip (CRC-32 and DEFLATE) with Python."""
import json
import shutil
from pathlib import Path

from cmake_harness import PROJECTS, REPO, TOKEN
from helpers.process import clean_env

JSON_HEADERS = Path("/usr/include/nlohmann")


def local_nlohmann_json(folder):
    """A source tree with nlohmann/json's layout and target names, made from
    the installed headers: what FETCHCONTENT_SOURCE_DIR_NLOHMANN_JSON
    points at when a project vendors the release archive."""
    include = folder / "include" / "nlohmann"
    shutil.copytree(JSON_HEADERS, include)
    (folder / "CMakeLists.txt").write_text(
        "cmake_minimum_required(VERSION 3.14)\n"
        "project(nlohmann_json VERSION 3.11.2 LANGUAGES CXX)\n"
        "add_library(nlohmann_json INTERFACE)\n"
        "add_library(nlohmann_json::nlohmann_json ALIAS nlohmann_json)\n"
        "target_include_directories(nlohmann_json INTERFACE\n"
        "  \"${CMAKE_CURRENT_SOURCE_DIR}/include\")\n")
    return folder


def test_fetchcontent_consumer_without_optional_libraries(cmake_project, fake, tmp_path):
    json_copy = local_nlohmann_json(tmp_path / "nlohmann-json")
    project = cmake_project(PROJECTS / "fetchcontent")
    configured = project.configure(
        "-DSENTRY_SOURCEMAPS_REPO=%s" % REPO,
        "-DCMAKE_BUILD_TYPE=Release",
        "-DCMAKE_DISABLE_FIND_PACKAGE_libdeflate=ON",
        "-DCMAKE_DISABLE_FIND_PACKAGE_OpenSSL=ON",
        "-DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON",
        "-DFETCHCONTENT_FULLY_DISCONNECTED=ON",
        "-DFETCHCONTENT_SOURCE_DIR_NLOHMANN_JSON=%s" % json_copy)
    assert configured.returncode == 0, configured.output
    assert ("SentrySourceMaps: HTTP libcurl" in configured.output
            and "SHA-1 built-in, DEFLATE zlib" in configured.output
            and "JSON nlohmann_json (from %s)" % json_copy in configured.output), \
        configured.output

    env = clean_env(SENTRY_AUTH_TOKEN=TOKEN, SENTRY_URL=fake.url, SENTRY_ORG="acme",
                    SENTRY_PROJECT="web")
    built = project.build("sentry-upload", env=env, timeout=1200)
    assert built.returncode == 0, built.output
    # The uploader of this build, not one from the PATH, and linked without
    # the libraries that were hidden.
    uploader = project.binary / "_deps" / "sentrysourcemaps-build" / "uploader" / \
        "sentry-sourcemaps"
    assert uploader.exists()
    ninja = (project.binary / "build.ninja").read_text()
    assert "libdeflate" not in ninja and "libcrypto" not in ninja
    assert "libz." in ninja

    assert len(fake.bundles) == 1, built.output
    files = fake.bundles[0]["files"]
    maps = [json.loads(data) for data in files.values() if b'"mappings"' in data]
    assert maps and all(m["version"] == 3 for m in maps)
    for name, text in project.files_written().items():
        assert TOKEN not in text, "the token is in %s" % name
