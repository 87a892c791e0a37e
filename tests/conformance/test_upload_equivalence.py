"""The same build uploaded by the official sentry-cli and by sentry-sourcemaps
arrives at Sentry as equivalent bundles: same files, URLs, types, debug IDs,
`sourcemap` headers, release, dist, org and projects.

Known, intended difference: sentry-cli re-serialises every map before upload
(its "rewrite" step); we upload the map bytes as built. The maps are compared
as JSON values on the fields Sentry reads."""
import json
import shutil

import pytest

from fake_sentry import FakeSentry
from helpers.dist import write_dist
from helpers.process import clean_env, run

TOKEN = "tok-conformance-0123456789"
MAP_FIELDS = ("version", "sources", "sourcesContent", "names", "mappings", "debugId")


def build(tmp_path):
    dist = write_dist(tmp_path / "build", {
        "assets/index-abc123.js": ["function pay(a) {", "  if (a < 0) {",
                                   "    throw new Error('neg');", "  }", "}"],
        "assets/chunks/vendor-def456.js": ["export const answer = 42;"],
        "legacy/app.min.js": ["legacy();"],
    })
    # A map found only by guessing its name, as sentry-cli guesses it.
    js = dist / "legacy/app.min.js"
    js.write_text(js.read_text().split("\n//#")[0] + "\n")
    return dist


def upload_with(command, sentry, cwd, tmp_path):
    env = clean_env(SENTRY_URL=sentry.url, SENTRY_AUTH_TOKEN=TOKEN, HOME=str(tmp_path),
                    SENTRY_LOAD_DOTENV="0", SENTRY_DISABLE_UPDATE_CHECK="1")
    return run(command, cwd=cwd, env=env, timeout=300)


def received(sentry):
    assert len(sentry.bundles) == 1
    bundle = sentry.bundles[0]
    files = {}
    for path, info in bundle["manifest"]["files"].items():
        data = bundle["files"][path]
        if info["type"] == "source_map":
            parsed = json.loads(data)
            data = {k: parsed.get(k) for k in MAP_FIELDS}
        files[info["url"]] = (info["type"], info.get("headers", {}), data)
    attributes = {k: v for k, v in bundle["manifest"].items()
                  if k not in ("files", "debug_id")}
    assemble = sentry.requests_to("assemble")[0]["body"]
    target = {k: assemble.get(k) for k in ("projects", "version", "dist")}
    return files, attributes, target


@pytest.mark.parametrize("extra", [[], ["--strip-prefix", "../.."]],
                         ids=["as-built", "strip-prefix"])
def test_same_build_arrives_the_same(sentry_cli, uploader, tmp_path, extra):
    dist = build(tmp_path)
    # Debug IDs injected once, so both tools upload byte-identical inputs.
    assert run([sentry_cli, "sourcemaps", "inject", str(dist)]).returncode == 0
    ours_dir = tmp_path / "ours"
    shutil.copytree(dist, ours_dir / "dist")
    theirs_dir = tmp_path / "theirs"
    shutil.copytree(dist, theirs_dir / "dist")
    args = ["--release", "shop@2.0.1", "--dist", "web", "-o", "acme", "-p", "web",
            "-p", "api", *extra, "dist"]

    results = {}
    for name, command, cwd in (
            ("sentry-cli", [sentry_cli, "sourcemaps", "upload", "--wait", *args], theirs_dir),
            ("ours", [uploader, "upload", *args], ours_dir)):
        with FakeSentry(tokens={TOKEN: ["project:releases", "org:read"]},
                        orgs={"acme": ["web", "api"]}) as sentry:
            result = upload_with(command, sentry, cwd, tmp_path)
            assert result.returncode == 0, f"{name}: {result.output}"
            results[name] = received(sentry)

    theirs, ours = results["sentry-cli"], results["ours"]
    assert sorted(ours[0]) == sorted(theirs[0])
    for url in theirs[0]:
        assert ours[0][url] == theirs[0][url], url
    assert ours[1] == theirs[1]
    assert ours[2] == theirs[2]
    sources = {tuple(data["sources"]) for kind, _, data in ours[0].values()
               if kind == "source_map"}
    assert all(not s.startswith("../") for srcs in sources for s in srcs) == bool(extra)
    debug_ids = {h.get("debug-id") for _, h, _ in ours[0].values()}
    assert None not in debug_ids and len(debug_ids) == 3
