"""The uploader and the module as packages (cmake/Packaging.cmake).

One fresh Release build of the uploader alone (no tests, unity build), shared
by every test here, packaged with `cpack -G DEB` and `cpack -G TGZ`. The
.deb's control fields and file list are checked; each package is unpacked
into a scratch folder, never onto the system, and a consumer project built
against it with find_package(SentrySourceMaps) uploads through the installed
uploader to the local Sentry stand-in (the fake bundle of
tests/cmake/projects/common). The module's PATH lookup finds the unpacked
archive's uploader without find_package().
"""
import json
import os
import re
import shutil
import tarfile
from pathlib import Path

import pytest

from cmake_harness import BUNDLE_MAPS, PROJECTS, REPO, TOKEN, CMakeProject, maps_under
from helpers.deletion import assert_deleted_only_after_confirmation
from helpers.npm_tools import unavailable
from helpers.process import clean_env, run

VERSION = re.search(r"project\(SentrySourceMaps VERSION ([0-9.]+)",
                    (REPO / "CMakeLists.txt").read_text()).group(1)
CONFIG_DIR = "share/cmake/SentrySourceMaps"
DOC_DIR = "share/doc/sentry-sourcemaps"
# Every regular file of the installed tree, relative to its prefix (/usr in
# the .deb, the top-level folder in the archive): nothing from tests/.
INSTALLED_FILES = sorted([
    "bin/sentry-sourcemaps",
    CONFIG_DIR + "/SentrySourceMaps.cmake",
    CONFIG_DIR + "/SentrySourceMapsConfig.cmake",
    CONFIG_DIR + "/SentrySourceMapsConfigVersion.cmake",
    DOC_DIR + "/README.md",
    DOC_DIR + "/copyright",
    DOC_DIR + "/docs/compatibility.md",
    DOC_DIR + "/docs/installing.md",
    DOC_DIR + "/docs/reliability.md",
])
TEST_HOOK_VARIABLE = b"SENTRY_SOURCEMAPS_TEST_EXIT_AFTER_RENAMES"

# A project that uses the installed package as a user's would: the module
# from find_package() (or, with CONSUMER_LOAD=path, only the module by path
# and the uploader from the PATH), one upload of the shared fake bundle
# (tests/cmake/projects/common: two scripts and their maps).
CONSUMER_CMAKE = """\
cmake_minimum_required(VERSION 3.25)
project(PackageConsumer NONE)
set(CONSUMER_LOAD find_package CACHE STRING "find_package, or path")
if(CONSUMER_LOAD STREQUAL "find_package")
  find_package(SentrySourceMaps %(version)s CONFIG REQUIRED)
  message(STATUS "consumer: package ${SentrySourceMaps_DIR}")
else()
  list(APPEND CMAKE_MODULE_PATH "${CONSUMER_MODULE_DIR}")
  include(SentrySourceMaps)
endif()
include("%(fake_bundle)s")
add_fake_bundle(web_bundle web/dist)
sentry_sourcemaps_add_upload(web BUNDLE_TARGET web_bundle DIRECTORY web/dist)
get_target_property(uploader Sentry::sourcemaps IMPORTED_LOCATION)
message(STATUS "consumer: uploader ${uploader}")
""" % {"version": VERSION, "fake_bundle": (PROJECTS / "common" / "fake_bundle.cmake").as_posix()}
# An emulator that must not run: the package's uploader is a host program.
EMULATOR = "#!/bin/sh\necho \"emulator ran: $*\" >&2\nexit 97\n"


def checked(cmd, timeout=600, **kwargs):
    result = run(cmd, timeout=timeout, **kwargs)
    assert result.returncode == 0, "%s failed:\n%s" % (" ".join(map(str, cmd)), result.output)
    return result


@pytest.fixture(scope="module")
def dpkg_deb():
    path = shutil.which("dpkg-deb")
    if not path:
        unavailable("dpkg-deb is not installed (not a Debian system)")
    return path


@pytest.fixture(scope="module")
def packages(tmp_path_factory, make_program):
    """The .deb and the .tar.gz of one Release build of the uploader; with
    dpkg-shlibdeps also a .deb with the fallback Depends list."""
    build = tmp_path_factory.mktemp("package-build")
    out = build / "packages"
    cmake = ["cmake", "-S", REPO, "-B", build, "-G", "Ninja",
             "-DCMAKE_MAKE_PROGRAM=" + make_program, "-DCMAKE_BUILD_TYPE=Release",
             "-DSENTRY_SOURCEMAPS_BUILD_TESTS=OFF", "-DSENTRY_SOURCEMAPS_UNITY_BUILD=ON"]
    checked(cmake, timeout=300)
    # The uploader alone (all there is to build without the tests); cpack
    # builds nothing, it installs what is built.
    checked(["cmake", "--build", build, "--target", "sentry-sourcemaps", "--parallel", "2"],
            timeout=1200)
    def cpack(generator, folder):
        checked(["cpack", "--config", build / "CPackConfig.cmake", "-G", generator,
                 "-B", folder], cwd=build)

    cpack("DEB", out)
    cpack("TGZ", out)
    debs, archives = list(out.glob("*.deb")), list(out.glob("*.tar.gz"))
    assert len(debs) == 1 and len(archives) == 1, sorted(p.name for p in out.iterdir())

    fallback_deb = None
    if "SENTRY_SOURCEMAPS_DPKG_SHLIBDEPS:FILEPATH=/" in (build / "CMakeCache.txt").read_text():
        # The Depends list a machine without dpkg-dev gets: a new configure
        # of the same tree changes only the CPack files, so the built
        # uploader is packaged again as it is.
        checked(cmake + ["-DSENTRY_SOURCEMAPS_DEB_SHLIBDEPS=OFF"], timeout=300)
        cpack("DEB", build / "fallback")
        fallback_deb, = (build / "fallback").glob("*.deb")
    return {"build": build, "deb": debs[0], "tgz": archives[0], "fallback_deb": fallback_deb}


def control_fields(dpkg_deb, deb):
    """The .deb's control file as {field: value}; a multi-line value keeps its
    continuation lines."""
    text = checked([dpkg_deb, "--field", deb]).stdout
    fields, last = {}, None
    for line in text.splitlines():
        if line.startswith(" ") and last:
            fields[last] += "\n" + line[1:]
        elif ":" in line:
            last, value = line.split(":", 1)
            fields[last] = value.strip()
    return fields


def depends_names(depends):
    """Package names of a Depends value ("libc6 (>= 2.34), libcurl4" ...)."""
    names = set()
    for part in depends.split(","):
        match = re.fullmatch(r"\s*([a-z0-9][a-z0-9+.-]+)(\s*\([<>=]+ [^)]+\))?\s*", part)
        assert match, "malformed entry %r in Depends: %s" % (part, depends)
        names.add(match.group(1))
    return sorted(names)


def owning_package(library):
    """The Debian package that installed `library` (a path from ldd). dpkg
    knows each file by the path its package names, /lib/... or /usr/lib/...
    on a merged /usr, so both are asked."""
    real = os.path.realpath(library)
    candidates = [library, real]
    for path in (library, real):
        if path.startswith("/usr/"):
            candidates.append(path[len("/usr"):])
        else:
            candidates.append("/usr" + path)
    for path in candidates:
        found = run(["dpkg-query", "-S", path])
        if found.returncode == 0:
            return found.stdout.split(":", 1)[0].strip()
    raise AssertionError("no package owns %s (tried %s)" % (library, candidates))


def needed_packages(binary):
    """The packages of the libraries `binary` links directly (its NEEDED
    entries, resolved to files by ldd)."""
    dynamic = checked(["objdump", "-p", binary]).stdout
    needed = re.findall(r"^\s*NEEDED\s+(\S+)", dynamic, re.M)
    assert needed, dynamic
    resolved = dict(re.findall(r"^\s*(\S+) => (/\S+)", checked(["ldd", binary]).stdout, re.M))
    missing = [soname for soname in needed if soname not in resolved]
    assert not missing, "ldd cannot resolve %s" % missing
    return sorted({owning_package(resolved[soname]) for soname in needed})


@pytest.fixture(scope="module")
def deb_root(packages, dpkg_deb, tmp_path_factory):
    """The .deb unpacked into a scratch root. `dpkg -i` would need root,
    write the machine's /usr and its package database (a second run, or a
    copy the developer installed, would collide), and could not be undone by
    deleting a folder; `dpkg-deb -x` unpacks only the package's files."""
    root = tmp_path_factory.mktemp("deb-root")
    checked([dpkg_deb, "-x", packages["deb"], root])
    return root


def files_under(prefix):
    return sorted(p.relative_to(prefix).as_posix() for p in Path(prefix).rglob("*")
                  if p.is_file() or p.is_symlink())


def configure_consumer(case_dir, make_program, *args, env=None):
    """The consumer project, configured with Ninja in case_dir; returns the
    CMakeProject and the configure Result."""
    source = case_dir / "consumer"
    source.mkdir()
    (source / "CMakeLists.txt").write_text(CONSUMER_CMAKE)
    project = CMakeProject(source, case_dir / "consumer-build", make_program)
    return project, project.configure(*args, env=env or clean_env())


def reported(output, what):
    """The value the consumer printed as `consumer: <what> <value>`."""
    found = re.findall(r"consumer: %s (.*)$" % what, output, re.M)
    assert len(found) == 1, output
    return found[0].strip()


def upload_through(project, fake, uploader):
    """Builds sentry-upload of the configured consumer against the stand-in,
    the token in the environment (never on a command line), and checks that
    `uploader` ran, the bundle with both maps arrived in acme/web and the maps
    went only after Sentry's ok."""
    dist = project.binary / "web" / "dist"
    fake.watch(dist)
    env = clean_env(SENTRY_AUTH_TOKEN=TOKEN, SENTRY_URL=fake.url, SENTRY_ORG="acme",
                    SENTRY_PROJECT="web")
    built = project.build("sentry-upload", env=env, timeout=300)
    assert built.returncode == 0, built.output
    assert str(uploader) + " upload" in built.output, built.output
    assert len(fake.bundles) == 1, fake.requests
    bundle = fake.bundles[0]
    assert (bundle["org"], bundle["projects"]) == ("acme", ["web"])
    files = bundle["manifest"]["files"]
    urls = sorted(info["url"] for info in files.values())
    assert urls == ["~/assets/app.js", "~/assets/app.js.map",
                    "~/assets/vendor.js", "~/assets/vendor.js.map"], files
    # The maps' own content arrived, with a debug ID added (and the mappings
    # shifted past the lines the debug ID took in the script).
    sent = {files[name]["url"]: json.loads(data) for name, data in bundle["files"].items()
            if files[name]["type"] == "source_map"}
    original = json.loads((PROJECTS / "common" / "bundle" / "assets" / "app.js.map").read_text())
    app_map = sent["~/assets/app.js.map"]
    assert app_map["sourcesContent"] == original["sourcesContent"]
    assert app_map["mappings"].lstrip(";") == original["mappings"]
    assert app_map.get("debug_id") or app_map.get("debugId"), app_map.keys()
    assert_deleted_only_after_confirmation(fake, dist, BUNDLE_MAPS)
    assert maps_under(dist) == []
    for script in ("app.js", "vendor.js"):
        assert "sourceMappingURL" not in (dist / "assets" / script).read_text(), script
    for name, text in project.files_written().items():
        assert TOKEN not in text, "the token is in %s" % name


# --- The .deb ---------------------------------------------------------------

def test_deb_control_fields(packages, dpkg_deb):
    fields = control_fields(dpkg_deb, packages["deb"])
    assert fields["Package"] == "sentry-sourcemaps"
    assert fields["Version"] == VERSION
    arch = checked(["dpkg", "--print-architecture"]).stdout.strip()
    assert fields["Architecture"] == arch
    assert packages["deb"].name == "sentry-sourcemaps_%s_%s.deb" % (VERSION, arch)
    assert fields["Section"] == "devel"
    assert fields["Priority"] == "optional"
    assert re.fullmatch(r"[^<>]+ <[^@<>\s]+@[^@<>\s]+>", fields["Maintainer"]), fields
    assert re.fullmatch(r"https://\S+", fields["Homepage"]), fields
    summary, _, long_description = fields["Description"].partition("\n")
    assert summary == "Upload JavaScript source maps to Sentry from CMake, then delete them"
    assert "find_package(SentrySourceMaps)" in long_description, fields["Description"]


def test_deb_depends_on_exactly_what_the_uploader_links(packages, dpkg_deb, deb_root):
    fields = control_fields(dpkg_deb, packages["deb"])
    depends = depends_names(fields.get("Depends", ""))
    assert depends and any(name.startswith("libcurl") for name in depends), fields
    linked = needed_packages(deb_root / "usr" / "bin" / "sentry-sourcemaps")
    assert depends == linked, fields["Depends"]
    if packages["fallback_deb"] is None:
        pytest.skip("dpkg-shlibdeps is not installed: the package above has the fixed list")
    # Without dpkg-shlibdeps (no dpkg-dev), the fixed list names the same packages.
    fallback = control_fields(dpkg_deb, packages["fallback_deb"])["Depends"]
    assert depends_names(fallback) == linked, fallback


def test_deb_file_list(packages, dpkg_deb):
    listing = checked([dpkg_deb, "--contents", packages["deb"]]).stdout
    entries = [line.split(None, 5) for line in listing.splitlines()]
    files = {path: (mode, owner) for mode, owner, _, _, _, path in entries
             if not mode.startswith("d")}
    expected = ["./usr/" + f for f in INSTALLED_FILES]
    assert sorted(files) == expected, listing
    assert files["./usr/bin/sentry-sourcemaps"] == ("-rwxr-xr-x", "root/root")
    assert all(owner == "root/root" for _, owner in files.values()), listing
    assert all(mode == "-rw-r--r--" for path, (mode, _) in files.items()
               if "/bin/" not in path), listing


def test_installed_tree_is_relocatable_and_release_only(packages, deb_root):
    build = str(packages["build"])
    uploader = deb_root / "usr" / "bin" / "sentry-sourcemaps"
    # No installed text names the build tree, the checkout or CPack's
    # staging folder (the executable may name its sources, harmlessly).
    installed = files_under(deb_root / "usr")
    assert installed == INSTALLED_FILES
    for rel in (f for f in installed if not f.startswith("bin/")):
        data = (deb_root / "usr" / rel).read_bytes()
        for path in (build, str(REPO), "_CPack_Packages"):
            assert path.encode() not in data, "%s names %s" % (rel, path)
    dynamic = checked(["objdump", "-p", uploader]).stdout
    assert not re.search(r"^\s*(RPATH|RUNPATH)\s", dynamic, re.M), dynamic
    # No test hooks in a package build, and stripped.
    assert TEST_HOOK_VARIABLE not in uploader.read_bytes()
    assert ".symtab" not in checked(["readelf", "-S", uploader]).stdout
    version = checked([uploader, "--version"])
    assert version.stdout.strip() == "sentry-sourcemaps " + VERSION
    # The installed config locates the uploader relative to itself.
    config = (deb_root / "usr" / CONFIG_DIR / "SentrySourceMapsConfig.cmake").read_text()
    assert '"${PACKAGE_PREFIX_DIR}/bin/sentry-sourcemaps"' in config, config


def test_consumer_uploads_through_the_installed_deb(deb_root, make_program, fake, case_dir):
    prefix = deb_root / "usr"
    project, configured = configure_consumer(case_dir, make_program,
                                             "-DCMAKE_PREFIX_PATH=%s" % prefix,
                                             "-DSENTRY_SOURCEMAPS_REQUIRED=ON")
    assert configured.returncode == 0, configured.output
    assert reported(configured.output, "package") == str(prefix / CONFIG_DIR)
    uploader = prefix / "bin" / "sentry-sourcemaps"
    assert reported(configured.output, "uploader") == str(uploader)
    upload_through(project, fake, uploader)


# --- The .tar.gz -------------------------------------------------------------

def test_tgz_holds_the_same_tree(packages):
    top = "sentry-sourcemaps-%s-Linux-%s" % (VERSION, os.uname().machine)
    assert packages["tgz"].name == top + ".tar.gz"
    with tarfile.open(packages["tgz"]) as archive:
        members = archive.getmembers()
    assert {m.name.split("/", 1)[0] for m in members} == {top}
    files = sorted(m.name.split("/", 1)[1] for m in members if m.isfile())
    assert files == INSTALLED_FILES
    modes = {m.name.split("/", 1)[1]: m.mode for m in members if m.isfile()}
    assert modes["bin/sentry-sourcemaps"] & 0o111 == 0o111


def unpack_tgz(packages, case_dir):
    """The archive unpacked into case_dir, then moved elsewhere: nothing in it
    may remember where it was built or unpacked. Returns the new prefix."""
    unpacked = case_dir / "unpacked"
    unpacked.mkdir()
    checked(["tar", "-xzf", packages["tgz"], "-C", unpacked])
    top, = unpacked.iterdir()
    (case_dir / "tools").mkdir()
    return top.rename(case_dir / "tools" / "sentry")


def test_consumer_finds_the_tgz_unpacked_and_moved(packages, make_program, fake, case_dir):
    prefix = unpack_tgz(packages, case_dir)
    uploader = prefix / "bin" / "sentry-sourcemaps"
    project, configured = configure_consumer(case_dir, make_program,
                                             "-DCMAKE_PREFIX_PATH=%s" % prefix,
                                             "-DSENTRY_SOURCEMAPS_REQUIRED=ON")
    assert configured.returncode == 0, configured.output
    assert reported(configured.output, "package") == str(prefix / CONFIG_DIR)
    assert reported(configured.output, "uploader") == str(uploader)
    assert checked([uploader, "--version"]).stdout.strip() == "sentry-sourcemaps " + VERSION
    upload_through(project, fake, uploader)


def test_a_broken_install_is_not_found(packages, make_program, case_dir):
    # The package config checks that its uploader is there.
    prefix = unpack_tgz(packages, case_dir)
    (prefix / "bin" / "sentry-sourcemaps").unlink()
    _, configured = configure_consumer(case_dir, make_program,
                                       "-DCMAKE_PREFIX_PATH=%s" % prefix)
    assert configured.returncode != 0, configured.output
    assert "has no uploader: %s/bin/sentry-sourcemaps does not exist" % prefix in \
        " ".join(configured.output.split()), configured.output


# --- The PATH, without find_package() -----------------------------------------

def path_env(*folders):
    return clean_env(PATH=os.pathsep.join(str(f) for f in folders))


def cmake_folder():
    return Path(shutil.which("cmake")).resolve().parent


def test_module_finds_the_unpacked_uploader_on_the_path(packages, make_program, fake,
                                                        case_dir):
    """A project that has the module from elsewhere (here: the archive's copy,
    by path) and no Sentry::sourcemaps target: the archive's bin/ on the PATH
    is enough."""
    prefix = unpack_tgz(packages, case_dir)
    project, configured = configure_consumer(
        case_dir, make_program, "-DCONSUMER_LOAD=path", "-DSENTRY_SOURCEMAPS_REQUIRED=ON",
        "-DCONSUMER_MODULE_DIR=%s" % (prefix / CONFIG_DIR),
        env=path_env(prefix / "bin", cmake_folder()))
    assert configured.returncode == 0, configured.output
    assert "consumer: package" not in configured.output
    uploader = prefix / "bin" / "sentry-sourcemaps"
    assert reported(configured.output, "uploader") == str(uploader)
    cache = (project.binary / "CMakeCache.txt").read_text()
    assert "SENTRY_SOURCEMAPS_EXECUTABLE:FILEPATH=%s\n" % uploader in cache
    upload_through(project, fake, uploader)


def test_without_the_package_on_the_path_the_module_finds_no_uploader(
        deb_root, make_program, case_dir):
    # The other half of the test above: it was the PATH that found it.
    if shutil.which("sentry-sourcemaps", path=str(cmake_folder())):
        pytest.skip("a sentry-sourcemaps is installed next to cmake")
    _, configured = configure_consumer(
        case_dir, make_program, "-DCONSUMER_LOAD=path",
        "-DCONSUMER_MODULE_DIR=%s" % (deb_root / "usr" / CONFIG_DIR),
        env=path_env(cmake_folder()))
    assert configured.returncode != 0, configured.output
    assert "Cannot find the sentry-sourcemaps uploader" in configured.output


# --- A consumer that cross-compiles ----------------------------------------------

def test_cross_compiling_consumer_runs_the_packaged_uploader_directly(
        deb_root, make_program, fake, case_dir):
    """A CI image with the .deb that builds for Windows under Wine: the
    package's uploader is a program of this host, not of the target, so it
    does not run through CMAKE_CROSSCOMPILING_EMULATOR (here one that fails)."""
    emulator = case_dir / "emulator"
    emulator.write_text(EMULATOR)
    emulator.chmod(0o755)
    toolchain = case_dir / "toolchain.cmake"
    toolchain.write_text('set(CMAKE_SYSTEM_NAME Windows)\n'
                         'set(CMAKE_CROSSCOMPILING_EMULATOR "%s")\n' % emulator)
    prefix = deb_root / "usr"
    project, configured = configure_consumer(case_dir, make_program,
                                             "--toolchain", toolchain,
                                             "-DCMAKE_PREFIX_PATH=%s" % prefix,
                                             "-DSENTRY_SOURCEMAPS_REQUIRED=ON")
    assert configured.returncode == 0, configured.output
    assert "CMAKE_CROSSCOMPILING_EMULATOR is not set" not in configured.output
    uploader = prefix / "bin" / "sentry-sourcemaps"
    upload = [argv for argv in project.commands("sentry-upload_web") if "upload" in argv[:3]]
    assert len(upload) == 1 and upload[0][:2] == [str(uploader), "upload"], upload
    upload_through(project, fake, uploader)
    assert "emulator ran" not in "\n".join(project.log)


# --- A build with test hooks is not packaged -----------------------------------

def test_cpack_refuses_a_build_with_test_hooks(make_program, case_dir):
    build = case_dir / "hooks-build"
    checked(["cmake", "-S", REPO, "-B", build, "-G", "Ninja",
             "-DCMAKE_MAKE_PROGRAM=" + make_program, "-DCMAKE_BUILD_TYPE=Release",
             "-DSENTRY_SOURCEMAPS_BUILD_TESTS=OFF", "-DSENTRY_SOURCEMAPS_TEST_HOOKS=ON"],
            timeout=300)
    # Refused before anything is built: no compile, no package.
    refused = run(["cpack", "--config", build / "CPackConfig.cmake", "-G", "TGZ",
                   "-B", build / "packages"], cwd=build, timeout=600)
    assert refused.returncode != 0, refused.output
    assert "has the test hooks compiled in" in " ".join(refused.output.split())
    assert not (build / "uploader" / "sentry-sourcemaps").exists()
    assert not list(build.rglob("*.tar.gz"))
