"""sentry_sourcemaps_install() and the deployable copy: whatever happened at
build time, `cmake --install`, DESTDIR installs, `cpack -G TGZ` and an
embedding step (a generated C++ source and a tar archive) carry no source
map and no sourceMappingURL comment. Without a confirmed upload the install
warns once, naming the bundle; with SENTRY_SOURCEMAPS_REQUIRED=ON it fails
and installs nothing. The build folder keeps its maps for a later upload."""
import re
import tarfile

import pytest

from cmake_harness import (BUNDLE_MAPS, PROJECTS, account, configure_with_env_file,
                           maps_under)
from helpers.process import clean_env, run

MAPPING_URL = re.compile(r"sourceMappingURL")
WARNING = "warning: bundle 'web' ("
UNCONFIRMED = "is not confirmed by Sentry"


def configure(cmake_project, uploader, tmp_path, *args, **env_values):
    return configure_with_env_file(cmake_project(PROJECTS / "install"), uploader,
                                   tmp_path / ".env.sentry-build-plugin", *args, **env_values)


def assert_deployable(files):
    """`files`: {relative path: bytes}. No map, no map comment."""
    assert files, "nothing was installed"
    assert [p for p in files if p.endswith(".map")] == []
    assert [p for p, data in files.items() if MAPPING_URL.search(data.decode())] == []
    assert sorted(files) == ["assets/app.js", "assets/vendor.js", "index.html"]


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def install(project, *args, env=None):
    return run(["cmake", "--install", str(project.binary), *args],
               env=env or clean_env(), timeout=300)


def cpack_listing(project):
    """{member path below the package root: bytes} of `cpack -G TGZ`."""
    packed = run(["cpack", "-G", "TGZ", "-B", str(project.binary / "packages")],
                 cwd=project.binary, env=clean_env(), timeout=300)
    assert packed.returncode == 0, packed.output
    [archive] = (project.binary / "packages").glob("*.tar.gz")
    with tarfile.open(archive) as tar:
        files = {m.name.split("/", 1)[1]: tar.extractfile(m).read()
                 for m in tar.getmembers() if m.isfile()}
    return files, packed.output


def www(files):
    return {p[len("share/www/"):]: d for p, d in files.items() if p.startswith("share/www/")}


def test_without_a_token_the_install_leaves_the_maps_out_and_warns(cmake_project, uploader,
                                                                   tmp_path):
    project = configure(cmake_project, uploader, tmp_path)
    built = project.build()
    assert built.returncode == 0, built.output
    dist = project.binary / "web" / "dist"

    prefix = tmp_path / "prefix"
    done = install(project, "--prefix", str(prefix))
    assert done.returncode == 0, done.output
    assert done.output.count(WARNING) == 1 and UNCONFIRMED in done.output, done.output
    assert "it was never uploaded" in done.output
    assert "-- Installing: %s" % (prefix / "share/www/assets/app.js") in done.output
    assert_deployable(tree(prefix / "share/www"))
    # The manifest lists what was installed (for uninstall and packagers).
    manifest = (project.binary / "install_manifest.txt").read_text().split()
    assert sorted(manifest) == sorted(str(prefix / "share/www" / p) for p in
                                      ["assets/app.js", "assets/vendor.js", "index.html"])
    # The build folder is untouched: a later upload still has every map.
    assert maps_under(dist) == BUNDLE_MAPS
    assert MAPPING_URL.search((dist / "assets/app.js").read_text())

    # DESTDIR, as distribution packagers install.
    staged = tmp_path / "stage"
    done = install(project, "--prefix", "/opt/shop", env=clean_env(DESTDIR=str(staged)))
    assert done.returncode == 0, done.output
    assert_deployable(tree(staged / "opt/shop/share/www"))

    files, output = cpack_listing(project)
    assert_deployable(www(files))
    assert output.count(WARNING) == 1, output


def test_after_a_confirmed_upload_the_install_is_quiet(cmake_project, uploader, fake,
                                                       tmp_path):
    project = configure(cmake_project, uploader, tmp_path, **account(fake))
    uploaded = project.build("sentry-upload")
    assert uploaded.returncode == 0, uploaded.output
    assert len(fake.bundles) == 1

    prefix = tmp_path / "prefix"
    done = install(project, "--prefix", str(prefix))
    assert done.returncode == 0, done.output
    assert WARNING not in done.output and "warning" not in done.output.lower(), done.output
    assert_deployable(tree(prefix / "share/www"))
    files, output = cpack_listing(project)
    assert_deployable(www(files))
    assert WARNING not in output

    # A bundle changed since is not what Sentry confirmed: the install says so.
    (project.binary / "web/dist/assets/app.js").write_text("console.log(2);\n")
    again = install(project, "--prefix", str(tmp_path / "again"))
    assert again.returncode == 0, again.output
    assert "its files changed since the last confirmed upload" in again.output


def test_required_without_a_token_fails_the_install_and_installs_nothing(
        cmake_project, uploader, tmp_path):
    project = configure(cmake_project, uploader, tmp_path, "-DSENTRY_SOURCEMAPS_REQUIRED=ON")
    built = project.build()  # the bundle; the upload target is not part of it
    assert built.returncode == 0, built.output
    prefix = tmp_path / "prefix"
    done = install(project, "--prefix", str(prefix))
    assert done.returncode != 0
    assert UNCONFIRMED in done.output
    assert "SENTRY_SOURCEMAPS_REQUIRED is ON: nothing installed" in done.output
    assert "sentry_sourcemaps_install(web): the bundle was not installed" in done.output
    assert not (prefix / "share/www").exists()


@pytest.mark.parametrize("with_token", [False, True])
def test_embedded_resources_are_made_from_the_deployable_copy(cmake_project, uploader, fake,
                                                              tmp_path, with_token):
    values = account(fake) if with_token else {}
    project = configure(cmake_project, uploader, tmp_path, **values)
    built = project.build("embedded")
    assert built.returncode == 0, built.output
    assert len(fake.bundles) == (1 if with_token else 0)
    # The maps are in the build folder only without a token...
    dist = project.binary / "web" / "dist"
    assert maps_under(dist) == ([] if with_token else BUNDLE_MAPS)
    # ...and in neither the archive nor the generated source.
    with tarfile.open(project.binary / "www.tar") as tar:
        members = {m.name[2:]: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
    assert_deployable(members)
    source = (project.binary / "www_resources.cpp").read_text()
    assert '{"assets/app.js", std::string("' in source
    assert ".map" not in source
    assert "sourceMappingURL" not in bytes.fromhex(
        "".join(re.findall(r"\\x([0-9a-f]{2})", source))).decode()

    # Nothing changed: the upload target runs, the embedding does not.
    before = (project.binary / "www_resources.cpp").stat().st_mtime_ns
    again = project.build("embedded")
    assert again.returncode == 0, again.output
    assert "Generating www_resources.cpp" not in again.output
    assert (project.binary / "www_resources.cpp").stat().st_mtime_ns == before


def test_multi_config_installs_the_configuration_asked_for(cmake_project, uploader, fake,
                                                          tmp_path):
    project = configure_with_env_file(
        cmake_project(PROJECTS / "install", generator="Ninja Multi-Config"), uploader,
        tmp_path / ".env.sentry-build-plugin", "-DINSTALL_TEST_DIRECTORY=web/$<CONFIG>/dist",
        **account(fake))
    for config in ("Debug", "Release"):
        built = project.build(config=config)
        assert built.returncode == 0, built.output
    uploaded = project.build("sentry-upload", config="Release")
    assert uploaded.returncode == 0, uploaded.output
    assert len(fake.bundles) == 1

    release = install(project, "--config", "Release", "--prefix", str(tmp_path / "release"))
    assert release.returncode == 0, release.output
    assert WARNING not in release.output, release.output
    assert_deployable(tree(tmp_path / "release/share/www"))
    # Debug was never uploaded: its own stamp says so.
    debug = install(project, "--config", "Debug", "--prefix", str(tmp_path / "debug"))
    assert debug.returncode == 0, debug.output
    assert debug.output.count(WARNING) == 1 and "web/Debug/dist" in debug.output
    assert_deployable(tree(tmp_path / "debug/share/www"))
    assert maps_under(project.binary / "web/Debug/dist") == BUNDLE_MAPS


@pytest.mark.parametrize("call, message", [
    ("no-such-bundle", 'sentry_sourcemaps_install(shop): no bundle named "shop"'),
    ("no-destination", "sentry_sourcemaps_install(web) given no DESTINATION."),
])
def test_bad_calls_are_configure_errors(cmake_project, uploader, tmp_path, call, message):
    project = cmake_project(PROJECTS / "install")
    result = project.configure("-DSENTRY_SOURCEMAPS_EXECUTABLE=%s" % uploader,
                               "-DINSTALL_TEST_CALL=" + call)
    assert result.returncode != 0
    assert message in result.output
    assert "The signature is" in result.output or call == "no-such-bundle"
