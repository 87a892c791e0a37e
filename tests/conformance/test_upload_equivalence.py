"""The same build uploaded by the official sentry-cli and by sentry-sourcemaps
arrives at Sentry as equivalent bundles: same files, URLs, types, debug IDs,
`sourcemap` headers, release, dist, org and projects.

Known, intended differences:
  * sentry-cli re-serialises every map before upload (its "rewrite" step:
    sources and names renumbered by first use, unused ones dropped,
    `ignoreList` dropped); our upload rewrite edits only `sources`,
    `sourceRoot` and missing `sourcesContent` (and flattens index maps),
    keeping every other field as built. The maps are compared as JSON values
    on the fields Sentry reads, on builds whose maps use all their sources.
  * Source names: sentry-cli keeps them as built (`../../src/index-abc123.ts`);
    we name them relative to the source root (`--source-root`, default the
    working directory) by the rule in rewrite_rule.py (a relative source is
    resolved against the map's folder; leading `../` of a path outside the
    root dropped), so `src/index-abc123.ts` for dist/assets/ and
    `dist/src/vendor-def456.ts` for dist/assets/chunks/. Our names are checked
    against that rule, sentry-cli's against the map on disk. A source that
    --strip-prefix / --strip-common-prefix shortened keeps the shortened name
    in both tools, and with --no-rewrite both upload the maps as built, so
    there the sources are compared as they are.
  * Missing `sourcesContent`: sentry-cli reads sources relative to its working
    directory, we relative to the map's folder (test_uploaded_maps_resolve.py;
    the maps here carry their sourcesContent).

Also compared: `--ignore-file` (gitignore syntax, relative to the working
directory, `!` re-includes), `--strip-common-prefix`, hidden files and folders,
`--no-rewrite`, and `--debug-id-reference` (where sentry-cli only links guessed
maps; we also link maps named by a sourceMappingURL, see the test)."""
import json
import shutil

import pytest

from fake_sentry import FakeSentry
from helpers.dist import write_dist
from helpers.process import clean_env, run
from rewrite_rule import expected_source_name

TOKEN = "tok-conformance-0123456789"
# `sources` is compared on its own (see the docstring).
MAP_FIELDS = ("version", "sourcesContent", "names", "mappings", "debugId")


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
    # sentry-cli takes hidden files with a wanted extension, but no hidden
    # folder.
    (dist / "assets/.prefetch.js").write_text("prefetch();\n")
    (dist / ".cache").mkdir()
    (dist / ".cache/stale.js").write_text("stale();\n")
    return dist


def upload_with(command, sentry, cwd, tmp_path):
    env = clean_env(SENTRY_URL=sentry.url, SENTRY_AUTH_TOKEN=TOKEN, HOME=str(tmp_path),
                    SENTRY_LOAD_DOTENV="0", SENTRY_DISABLE_UPDATE_CHECK="1")
    return run(command, cwd=cwd, env=env, timeout=300)


def received(sentry):
    assert len(sentry.bundles) == 1
    bundle = sentry.bundles[0]
    files, sources = {}, {}
    for path, info in bundle["manifest"]["files"].items():
        data = bundle["files"][path]
        if info["type"] == "source_map":
            parsed = json.loads(data)
            data = {k: parsed.get(k) for k in MAP_FIELDS}
            sources[info["url"]] = parsed.get("sources")
            data["sourceRoot"] = parsed.get("sourceRoot")
        files[info["url"]] = (info["type"], info.get("headers", {}), data)
    attributes = {k: v for k, v in bundle["manifest"].items()
                  if k not in ("files", "debug_id")}
    assemble = sentry.requests_to("assemble")[0]["body"]
    target = {k: assemble.get(k) for k in ("projects", "version", "dist")}
    return files, attributes, target, sources


def absolute_sources(dist):
    """Sources as a CI machine's absolute paths, for --strip-common-prefix."""
    for path in dist.rglob("*.map"):
        sourcemap = json.loads(path.read_text())
        sourcemap["sources"] = ["/home/ci/shop/" + s.replace("../", "")
                                for s in sourcemap["sources"]]
        # A second file, so that the sources share only their folders (a
        # lone source is its own common prefix, and nothing is stripped). A
        # last token uses it: sentry-cli's rewrite drops unused sources.
        sourcemap["sources"].append("/home/ci/shop/src/shared/util.ts")
        sourcemap["sourcesContent"].append("export const util = 1;\n")
        sourcemap["mappings"] += ",CCAA"
        path.write_text(json.dumps(sourcemap))


IGNORE_FILE = """# relative to the working directory, gitignore syntax
legacy/
*.js.map
!dist/assets/chunks/vendor-*.map
"""

def js_without_debug_ids(dist):
    """After inject: only the maps keep their debug IDs."""
    for path in dist.rglob("*.js"):
        lines = path.read_text().splitlines(keepends=True)
        path.write_text("".join(l for l in lines if not l.startswith("//# debugId=")))


CASES = {  # name: (extra arguments, before inject, after inject)
    "as-built": ([], None, None),
    "strip-prefix": (["--strip-prefix", "../.."], None, None),
    "strip-common-prefix": (["--strip-common-prefix"], absolute_sources, None),
    "ignore-file": (["--ignore-file", "upload.ignore"], None, None),
    "no-rewrite": (["--no-rewrite"], None, None),
    "debug-id-reference": (["--debug-id-reference"], None, js_without_debug_ids),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_build_arrives_the_same(sentry_cli, uploader, tmp_path, case):
    extra, prepare, after_inject = CASES[case]
    dist = build(tmp_path)
    if prepare:
        prepare(dist)
    # Debug IDs injected once, so both tools upload byte-identical inputs.
    assert run([sentry_cli, "sourcemaps", "inject", str(dist)]).returncode == 0
    if after_inject:
        after_inject(dist)
    ours_dir = tmp_path / "ours"
    shutil.copytree(dist, ours_dir / "dist")
    theirs_dir = tmp_path / "theirs"
    shutil.copytree(dist, theirs_dir / "dist")
    for cwd in (ours_dir, theirs_dir):
        (cwd / "upload.ignore").write_text(IGNORE_FILE)
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
    if case == "debug-id-reference":
        # Intended difference: sentry-cli looks the map of an explicit
        # sourceMappingURL up by the relative reference ("No debug id found
        # for vendor-def456.js.map to reference") and so only links guessed
        # maps; we link both. Where only we set an ID it must be the map's.
        for url in ("~/assets/index-abc123.js", "~/assets/chunks/vendor-def456.js"):
            kind, headers, data = ours[0][url]
            assert "debug-id" not in theirs[0][url][1]
            assert headers.pop("debug-id") == ours[0][url + ".map"][1]["debug-id"]
        assert theirs[0]["~/legacy/app.min.js"][1]["debug-id"] == \
            theirs[0]["~/legacy/app.min.js.map"][1]["debug-id"]
    assert sorted(ours[0]) == sorted(theirs[0])
    for url in theirs[0]:
        assert ours[0][url] == theirs[0][url], url
    assert ours[1] == theirs[1]
    assert ours[2] == theirs[2]
    # Sources: sentry-cli's as built (or as stripped); ours by the rule.
    assert sorted(ours[3]) == sorted(theirs[3])
    for url, names in theirs[3].items():
        on_disk = json.loads((ours_dir / "dist" / url[2:]).read_text())["sources"]
        if case in ("strip-prefix", "strip-common-prefix"):
            expected = names  # a stripped source keeps its stripped name
        else:
            assert names == on_disk, url
            if case == "no-rewrite":
                expected = names
            else:
                folder = (ours_dir / "dist" / url[2:]).parent.resolve()
                expected = [expected_source_name(s, folder, ours_dir.resolve())
                            for s in on_disk]
        assert ours[3][url] == expected, url
    sources = [s for names in ours[3].values() for s in names]
    if case == "strip-prefix":
        assert sources and not any(s.startswith("../") for s in sources)
    elif case == "strip-common-prefix":
        assert sorted(sources) == ["app.min.ts", "index-abc123.ts", "shared/util.ts",
                                   "shared/util.ts", "shared/util.ts",
                                   "vendor-def456.ts"]
    elif case == "ignore-file":
        assert sorted(ours[0]) == ["~/assets/.prefetch.js",
                                   "~/assets/chunks/vendor-def456.js",
                                   "~/assets/chunks/vendor-def456.js.map",
                                   "~/assets/index-abc123.js"]
    elif case == "no-rewrite":
        assert sources and all(s.startswith("../") for s in sources)
    else:
        assert sorted(sources) == ["dist/src/vendor-def456.ts", "src/app.min.ts",
                                   "src/index-abc123.ts"], sources
    assert "~/assets/.prefetch.js" in ours[0] and "~/.cache/stale.js" not in ours[0]
    debug_ids = {url: h.get("debug-id") for url, (kind, h, _) in ours[0].items()}
    if case == "debug-id-reference":
        assert debug_ids["~/assets/.prefetch.js"] is None  # it has no map
    else:
        assert None not in {debug_ids[u] for u in debug_ids if u != "~/assets/.prefetch.js"}
