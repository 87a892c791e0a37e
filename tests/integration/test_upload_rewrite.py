"""The uploaded copy of each map, end to end: sources named relative to
--source-root, missing texts filled from the files the map names (from where
the bundler wrote it, even once parked), the byte-for-byte escape hatch, and
a stamp or cached bundle that notices when a source text it carries changed."""
import json
import os

from helpers.dist import snapshot

BASE = ["-o", "acme", "-p", "web", "-r", "1"]
MAP_URL = "~/assets/app.js.map"


def write_app(root, sources_content=False):
    """root/src/{a,b}.js and root/build/dist/assets/app.js(.map), the map
    naming its sources relative to its own folder, as bundlers do."""
    (root / "src").mkdir(parents=True, exist_ok=True)
    (root / "src" / "a.js").write_text("export const a = 1;\n")
    (root / "src" / "b.js").write_text("export const b = 2;\n")
    assets = root / "build" / "dist" / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    (assets / "app.js").write_text("a();b();\n//# sourceMappingURL=app.js.map\n")
    sourcemap = {"version": 3, "file": "app.js", "names": [],
                 "sources": ["../../../src/a.js", "webpack://app/../../../src/b.js"],
                 "mappings": "AAAA,GCAA"}
    if sources_content:
        sourcemap["sourcesContent"] = ["A", "B"]
    text = json.dumps(sourcemap)
    (assets / "app.js.map").write_text(text)
    return root / "build" / "dist", text


def uploaded_map(sentry, bundle=-1, url=MAP_URL):
    bundle = sentry.bundles[bundle]
    for path, info in bundle["manifest"]["files"].items():
        if info["url"] == url:
            return bundle["files"][path]
    raise AssertionError("%s not uploaded: %s" % (url, bundle["manifest"]["files"]))


def test_sources_relative_to_the_root_with_their_texts(upload, sentry, case_dir):
    dist, original = write_app(case_dir / "app")
    before = snapshot(case_dir / "app")
    result = upload(*BASE, "--source-root", "app", "app/build/dist")
    assert result.returncode == 0, result.output
    sent = json.loads(uploaded_map(sentry))
    assert sent["sources"] == ["src/a.js", "src/b.js"]
    assert sent["sourcesContent"] == ["export const a = 1;\n", "export const b = 2;\n"]
    assert sent["mappings"] == "AAAA,GCAA" and sent["file"] == "app.js"
    # Only the uploaded copy changed.
    assert snapshot(case_dir / "app") == before
    assert (dist / "assets" / "app.js.map").read_text() == original


def test_no_rewrite_sends_the_bytes_and_other_switches(upload, sentry, case_dir):
    _, original = write_app(case_dir / "app")
    result = upload(*BASE, "--source-root", "app", "--no-rewrite", "app/build/dist")
    assert result.returncode == 0, result.output
    assert "--no-rewrite: the maps are uploaded unchanged" in result.stderr
    assert uploaded_map(sentry).decode() == original

    result = upload(*BASE, "--source-root", "app", "--no-inline-sources", "app/build/dist")
    assert result.returncode == 0, result.output
    sent = json.loads(uploaded_map(sentry))
    assert sent["sources"] == ["src/a.js", "src/b.js"] and "sourcesContent" not in sent

    result = upload(*BASE, "--keep-source-paths", "app/build/dist")
    assert result.returncode == 0, result.output
    sent = json.loads(uploaded_map(sentry))
    assert sent["sources"] == ["../../../src/a.js", "webpack://app/../../../src/b.js"]
    assert sent["sourcesContent"][0] == "export const a = 1;\n"


def test_source_root_that_is_no_folder_is_a_usage_error(upload, sentry, case_dir):
    write_app(case_dir / "app")
    before = snapshot(case_dir / "app")
    result = upload(*BASE, "--source-root", "app/nope", "app/build/dist")
    assert result.returncode == 2, result.output
    assert "--source-root app/nope" in result.stderr
    assert sentry.requests == [] and snapshot(case_dir / "app") == before


def test_stamp_notices_a_changed_source_text(upload, sentry, case_dir):
    write_app(case_dir / "app")
    args = [*BASE, "--source-root", "app", "--stamp-file", "stamp", "app/build/dist"]
    assert upload(*args).returncode == 0
    assert upload(*args).stderr.count("nothing changed since the last upload") == 1
    assert len(sentry.bundles) == 1
    # The map did not change, the text its uploaded copy carries did.
    (case_dir / "app" / "src" / "b.js").write_text("export const b = 3;\n")
    result = upload(*args)
    assert result.returncode == 0, result.output
    assert "nothing changed" not in result.stderr
    assert json.loads(uploaded_map(sentry))["sourcesContent"][1] == "export const b = 3;\n"
    assert "nothing changed since the last upload" in upload(*args).stderr


def test_cached_bundle_is_rebuilt_when_a_source_text_changed(upload, sentry, case_dir):
    write_app(case_dir / "app")
    args = [*BASE, "--source-root", "app", "app/build/dist"]
    env = {"SENTRY_SOURCEMAPS_CACHE": str(case_dir / "cache")}
    assert upload(*args, env=env).returncode == 0
    again = upload(*args, env=env)
    assert "reusing bundle" in again.stderr, again.output
    (case_dir / "app" / "src" / "c.js").write_text("late\n")  # not named: no effect
    assert "reusing bundle" in upload(*args, env=env).stderr
    os.utime(case_dir / "app" / "src" / "a.js", (0, 0))
    rebuilt = upload(*args, env=env)
    assert rebuilt.returncode == 0, rebuilt.output
    assert "reusing bundle" not in rebuilt.stderr and "bundled 2 files" in rebuilt.stderr


def test_parked_map_keeps_its_source_paths_and_texts(upload, sentry, case_dir):
    write_app(case_dir / "app")
    pending = case_dir / "pending"
    sentry.script_fault("*", "assemble", [500] * 20)
    result = upload(*BASE, "--source-root", "app", "--delete-after", "--on-failure", "warn",
                    "--pending-dir", str(pending), "--max-retries", "0", "app/build/dist")
    assert result.returncode == 0, result.output
    assert list((case_dir / "app" / "build").rglob("*.map")) == []
    assert len(list(pending.rglob("app.js.map"))) == 1

    sentry.faults.clear()
    result = upload(*BASE, "--source-root", "app", "--delete-after", "--on-failure", "warn",
                    "--pending-dir", str(pending), "app/build/dist")
    assert result.returncode == 0, result.output
    assert "parked maps confirmed" in result.stderr
    sent = json.loads(uploaded_map(sentry, bundle=0))
    # Resolved from where the bundler wrote the map, not from the parking spot.
    assert sent["sources"] == ["src/a.js", "src/b.js"]
    assert sent["sourcesContent"] == ["export const a = 1;\n", "export const b = 2;\n"]
    assert list(pending.rglob("*.map")) == []
