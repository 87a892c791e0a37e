"""`sentry-sourcemaps install <DIR> <DESTINATION>`: the deployable copy that
sentry_sourcemaps_install() makes at install time. Every bad input with its
exit code, message and what happened to the files; the stamp of a real
upload confirms the folder; WebAssembly modules lose their DWARF."""
import pytest

from helpers.dist import snapshot
from helpers.emscripten import build_module, custom_sections
from helpers.vite import copy_dist

WARNING = "warning: bundle 'web' (dist) is not confirmed by Sentry"


@pytest.fixture
def dist(case_dir):
    return copy_dist(case_dir / "dist")


def installed(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_a_confirmed_upload_installs_quietly_and_a_changed_folder_warns(
        cli, upload, case_dir, dist):
    done = upload("-o", "acme", "-p", "web", "--inject", "--delete-after", "--stamp-file", "stamp",
                  "dist")
    assert done.returncode == 0, done.output
    result = cli("install", "--name", "web", "--stamp-file", "stamp", "dist", "www",
                 cwd=case_dir)
    assert result.returncode == 0, result.output
    assert "warning" not in result.stderr, result.stderr
    assert installed(case_dir / "www") == installed(dist)
    assert "-- Installing: www/" in result.stdout

    (dist / "index.html").write_text("<html>changed</html>")
    again = cli("install", "--name", "web", "--stamp-file", "stamp", "dist", "www",
                cwd=case_dir)
    assert again.returncode == 0, again.output
    assert again.stderr.count(WARNING) == 1
    assert "its files changed since the last confirmed upload" in again.stderr
    assert (case_dir / "www/index.html").read_text() == "<html>changed</html>"


def test_without_an_upload_the_copy_has_no_map_and_the_warning_says_why(cli, case_dir, dist):
    before = snapshot(dist)
    maps = [p for p in installed(dist) if p.endswith(".map")]
    assert maps
    result = cli("install", "--name", "web", "--stamp-file", "stamp", "dist", "www",
                 cwd=case_dir)
    assert result.returncode == 0, result.output
    assert result.stderr.count(WARNING) == 1
    assert "it was never uploaded" in result.stderr
    assert "Installed without its %d source map(s)" % len(maps) in result.stderr
    assert "build the target sentry-upload_web with SENTRY_AUTH_TOKEN set" in result.stderr
    assert installed(case_dir / "www") == [p for p in installed(dist) if p not in maps]
    for script in (case_dir / "www").rglob("*.js"):
        assert "sourceMappingURL" not in script.read_text(), script
    assert snapshot(dist) == before  # the folder is never changed


def test_require_upload_fails_and_installs_nothing(cli, case_dir, dist):
    before = snapshot(dist)
    result = cli("install", "--name", "web", "--stamp-file", "stamp", "--require-upload",
                 "dist", "www", cwd=case_dir)
    assert result.returncode == 1
    assert result.stderr.startswith("sentry-sourcemaps: error: bundle 'web' (dist) is not "
                                    "confirmed by Sentry: it was never uploaded")
    assert "SENTRY_SOURCEMAPS_REQUIRED is ON: nothing installed" in result.stderr
    assert not (case_dir / "www").exists()
    assert snapshot(dist) == before


@pytest.mark.parametrize("args, code, message", [
    (["dist"], 2, "install needs the bundle folder and the destination"),
    (["--require-upload", "dist", "www"], 2, "--require-upload needs --stamp-file FILE"),
    (["missing", "www"], 1, "the bundle folder missing does not exist: build the bundle "
                            "target first"),
])
def test_bad_input_is_one_message_and_changes_nothing(cli, case_dir, dist, args, code,
                                                      message):
    before = snapshot(dist)
    result = cli("install", *args, cwd=case_dir)
    assert result.returncode == code, result.output
    assert result.stderr.count("error:") == 1 and message in result.stderr, result.stderr
    assert not (case_dir / "www").exists()
    assert snapshot(dist) == before


def test_a_webassembly_module_is_installed_without_its_dwarf(cli, case_dir):
    wasm = build_module("divide.cpp", case_dir / "dist")
    assert ".debug_info" in custom_sections(wasm)
    result = cli("install", "dist", "www", cwd=case_dir)
    assert result.returncode == 0, result.output
    assert "warning" not in result.stderr  # no --stamp-file: a plain copy
    deployed = case_dir / "www" / "divide.wasm"
    assert custom_sections(deployed) == ["name"]
    assert deployed.stat().st_size < wasm.stat().st_size
    assert ".debug_info" in custom_sections(wasm)  # the build's copy keeps it
