"""examples/vite-react end to end: npm ci, vite build, upload to the stand-in.

Afterwards dist/ holds no .map file and no sourceMappingURL comment, while
the stand-in holds a map for every script; `cmake --install` and
`cpack -G TGZ` of the example carry neither.
"""
import json
import os
import re
import shutil
import tarfile

import pytest

from cmake_harness import REPO, TOKEN
from helpers.process import clean_env, run

EXAMPLE = REPO / "examples" / "vite-react"


@pytest.fixture(scope="module")
def npm():
    path = shutil.which("npm")
    if not path:
        # On CI a missing npm is a failure: the example must really be built.
        if os.environ.get("CI") == "true":
            pytest.fail("npm is not installed", pytrace=False)
        pytest.skip("npm is not installed")
    return path


def test_example_builds_uploads_and_cleans_dist(npm, cmake_project, uploader, fake, tmp_path):
    project = cmake_project(EXAMPLE)
    configured = project.configure(
        "-DSENTRY_SOURCEMAPS_EXECUTABLE=%s" % uploader,
        "-DVITE_REACT_UPLOAD_ON_BUILD=ON", "-DSENTRY_SOURCEMAPS_REQUIRED=ON",
        # The `ci` preset's release steps; no SENTRY_RELEASE and no git
        # needed: the release falls back to package.json's name@version.
        "-DVITE_REACT_SENTRY_DEPLOY_ENV=production", "-DVITE_REACT_SENTRY_RELEASE=",
        # The environment alone, as on CI: no env file (and none of the
        # developer's in the checkout is read).
        "-DSENTRY_SOURCEMAPS_ENV_FILE=%s" % (tmp_path / ".env.sentry-build-plugin"))
    assert configured.returncode == 0, configured.output

    env = clean_env(SENTRY_AUTH_TOKEN=TOKEN, SENTRY_URL=fake.url, SENTRY_ORG="acme",
                    SENTRY_PROJECT="web")
    result = project.build(env=env, timeout=900)
    assert result.returncode == 0, result.output

    dist = project.binary / "dist"
    scripts = sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*.js"))
    assert scripts, "vite wrote no script"
    assert list(dist.rglob("*.map")) == []
    for f in dist.rglob("*"):
        if f.is_file():
            assert "sourceMappingURL" not in f.read_text(errors="replace"), f

    assert len(fake.bundles) == 1
    urls = {info["url"]: info for info in fake.bundles[0]["manifest"]["files"].values()}
    for script in scripts:
        assert "~/%s.map" % script in urls, sorted(urls)
        assert urls["~/%s" % script]["type"] == "minified_source"
    # The map names the app's own sources as they are in the source tree (the
    # default SOURCE_ROOT is the example's folder), not relative to the build
    # folder, and dependencies without a leading ../ or bundler prefix.
    maps = [json.loads(data) for data in fake.bundles[0]["files"].values()
            if b'"mappings"' in data]
    sources = [s for m in maps for s in m["sources"]]
    assert "src/checkout.js" in sources, sources
    assert [s for s in sources if s.startswith("../") or "://" in s] == [], sources
    assert any(s.startswith("node_modules/react-dom/") for s in sources), sources

    release = fake.releases[("acme", "sentry-sourcemaps-example-vite-react@0.1.0")]
    assert release["dateReleased"] and [d["environment"] for d in release["deploys"]] == [
        "production"]
    assert fake.bundles[0]["version"] == release["version"]

    for name, text in project.files_written().items():
        assert TOKEN not in text, "the token is in %s" % name
    # Nothing changed, nothing sent.
    fake.clear_requests()
    again = project.build(env=env)
    assert again.returncode == 0, again.output
    assert fake.requests == []
    # ...and the bundle is not rebuilt: the upload changed no input of it.
    assert not re.search(r"npm (ci|run build)", again.output), again.output

    # Installed and packaged as deployed: the app, no map, no map comment,
    # and no warning (Sentry confirmed this very folder).
    prefix = tmp_path / "prefix"
    installed = run(["cmake", "--install", str(project.binary), "--prefix", str(prefix)],
                    env=clean_env(), timeout=300)
    assert installed.returncode == 0, installed.output
    assert "warning" not in installed.output.lower(), installed.output
    www = prefix / "share" / "vite-react" / "www"
    assert sorted(p.relative_to(www).as_posix() for p in www.rglob("*.js")) == scripts
    packed = run(["cpack", "-G", "TGZ", "-B", str(tmp_path / "packages")],
                 cwd=project.binary, env=clean_env(), timeout=300)
    assert packed.returncode == 0, packed.output
    [archive] = (tmp_path / "packages").glob("*.tar.gz")
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if m.isfile()]
        listing = "\n".join("%8d  %s" % (m.size, m.name) for m in members)
        print("cpack -G TGZ of examples/vite-react (%s):\n%s" % (archive.name, listing))
        assert [m.name for m in members if m.name.endswith(".map")] == []
        assert any(m.name.endswith("/share/vite-react/www/index.html") for m in members)
        for m in members:
            assert b"sourceMappingURL" not in tar.extractfile(m).read(), m.name
