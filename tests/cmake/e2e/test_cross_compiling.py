"""Cross-compiling for Windows (as with mingw-w64 and Wine): the upload and
doctor commands run a Windows uploader (sentry-sourcemaps.exe, built in the
tree or given) through CMAKE_CROSSCOMPILING_EMULATOR, which
add_custom_target() does not prepend by itself for $<TARGET_FILE:...> or an
imported target, and run a host uploader directly.

The toolchain is a fake: CMAKE_SYSTEM_NAME Windows, and an emulator that
records what it was asked to run and runs it. The Windows uploader is the
fake uploader under a .exe name."""
import json
import os
import shutil

import pytest

from cmake_harness import FAKE_UPLOADER, PROJECTS
from helpers.process import clean_env

EMULATOR = """#!/bin/sh
# Stands in for wine: records (appends) what it is asked to run, then runs it.
printf '%s\\n' "$@" >> "$(dirname "$0")/emulated.txt"
exec "$@"
"""
NO_EMULATOR_WARNING = "CMAKE_CROSSCOMPILING_EMULATOR is not set"


@pytest.fixture
def emulator(tmp_path):
    path = tmp_path / "emulator dir" / "wine stand-in"
    path.parent.mkdir()
    path.write_text(EMULATOR)
    path.chmod(0o755)
    return path


@pytest.fixture
def windows_uploader(tmp_path):
    path = tmp_path / "windows bin" / "sentry-sourcemaps.exe"
    path.parent.mkdir()
    shutil.copy(FAKE_UPLOADER, path)
    return path


def toolchain(folder, emulator=None, cxx=None):
    lines = ["set(CMAKE_SYSTEM_NAME Windows)"]
    if cxx:
        lines.append('set(CMAKE_CXX_COMPILER "%s")' % cxx)
    if emulator:
        lines.append('set(CMAKE_CROSSCOMPILING_EMULATOR "%s")' % emulator)
    path = folder / "toolchain.cmake"
    path.write_text("\n".join(lines) + "\n")
    return path


def configure(cmake_project, tmp_path, *args, emulator=None, cxx=None, env=None):
    project = cmake_project(PROJECTS / "cross")
    result = project.configure("--toolchain", toolchain(tmp_path, emulator, cxx), *args,
                               env=env)
    assert result.returncode == 0, result.output
    return project, " ".join(result.output.split())


def command(project, verb):
    found = [argv for argv in project.commands("sentry-%s_web" % verb)
             if verb in argv[1:3]]
    assert len(found) == 1, project.commands("sentry-%s_web" % verb)
    return found[0]


def invocation(project):
    path = project.binary / "sentry-sourcemaps" / "web" / "invocation.json"
    assert path.exists(), "the uploader did not run"
    return json.loads(path.read_text())


@pytest.mark.parametrize("given", ["path", "path_without_exe", "on_the_path"])
def test_windows_uploader_runs_through_the_emulator(cmake_project, tmp_path, emulator,
                                                    windows_uploader, given):
    env = None
    if given == "path":
        args = ["-DSENTRY_SOURCEMAPS_EXECUTABLE=%s" % windows_uploader]
    elif given == "path_without_exe":
        args = ["-DSENTRY_SOURCEMAPS_EXECUTABLE=%s" % windows_uploader.with_suffix("")]
    else:
        if shutil.which("sentry-sourcemaps"):
            pytest.skip("a sentry-sourcemaps on the PATH would be found first")
        args = []
        env = clean_env(PATH=os.pathsep.join([str(windows_uploader.parent),
                                              os.environ["PATH"]]))
    project, output = configure(cmake_project, tmp_path, *args, emulator=emulator, env=env)
    assert NO_EMULATOR_WARNING not in output
    if given == "on_the_path":
        assert "SENTRY_SOURCEMAPS_EXECUTABLE:FILEPATH=%s\n" % windows_uploader in \
            (project.binary / "CMakeCache.txt").read_text()

    for verb in ("upload", "doctor"):
        argv = command(project, verb)
        assert argv[:3] == [str(emulator), str(windows_uploader), verb], argv

    result = project.build("sentry-upload_web")
    assert result.returncode == 0, result.output
    assert (emulator.parent / "emulated.txt").read_text().splitlines()[:2] == [
        str(windows_uploader), "upload"]
    assert invocation(project)["argv"][0] == "upload"


def test_host_uploader_runs_directly(cmake_project, tmp_path, emulator):
    project, output = configure(cmake_project, tmp_path,
                                "-DSENTRY_SOURCEMAPS_EXECUTABLE=%s" % FAKE_UPLOADER,
                                emulator=emulator)
    assert NO_EMULATOR_WARNING not in output
    for verb in ("upload", "doctor"):
        assert command(project, verb)[:2] == [str(FAKE_UPLOADER), verb]
    result = project.build("sentry-upload_web")
    assert result.returncode == 0, result.output
    assert not (emulator.parent / "emulated.txt").exists()
    assert invocation(project)["argv"][0] == "upload"


MINGW_CXX = shutil.which("x86_64-w64-mingw32-g++-posix") or shutil.which("x86_64-w64-mingw32-g++")


@pytest.mark.skipif(not MINGW_CXX, reason="mingw-w64 (g++-mingw-w64-x86-64) is not installed")
def test_uploader_built_in_the_tree_runs_through_the_emulator(cmake_project, tmp_path,
                                                              emulator):
    """Sentry::sourcemaps an ALIAS of an executable this tree cross-compiles,
    as with add_subdirectory() or FetchContent of this repository."""
    project, output = configure(cmake_project, tmp_path, "-DCROSS_BUILD_UPLOADER=ON",
                                emulator=emulator, cxx=MINGW_CXX)
    assert NO_EMULATOR_WARNING not in output
    for verb in ("upload", "doctor"):
        argv = command(project, verb)
        assert argv[:3] == [str(emulator), str(project.binary / "sentry-sourcemaps.exe"),
                            verb], argv


@pytest.mark.parametrize("uploader", ["windows", "host"])
def test_warns_when_a_windows_uploader_has_no_emulator(cmake_project, tmp_path,
                                                       windows_uploader, uploader):
    path = windows_uploader if uploader == "windows" else FAKE_UPLOADER
    project, output = configure(cmake_project, tmp_path,
                                "-DSENTRY_SOURCEMAPS_EXECUTABLE=%s" % path)
    assert (NO_EMULATOR_WARNING in output) == (uploader == "windows"), output
    assert command(project, "upload")[0] == str(path)
