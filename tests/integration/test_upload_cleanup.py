"""What `upload` does to the folder after Sentry answered: delete exactly the
uploaded maps and the comments pointing at them, only after `ok`; park the
maps outside the folder on failure with --on-failure warn; skip unchanged
folders with a stamp."""
import os

from helpers.deletion import assert_deleted_only_after_confirmation, state
from helpers.dist import snapshot, write_dist

BASE = ["-o", "acme", "-p", "web", "-r", "1"]


def maps_in(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.map"))


def test_delete_after_removes_uploaded_maps_and_their_comments(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    (dist / "other.map").write_text("not uploaded: not a map extension match? it is")
    before = snapshot(dist)
    result = upload(*BASE, "--delete-after", "--ext", "js", "--ext", "map", "dist")
    # other.map is not a source map, so the upload refuses it before sending.
    assert result.returncode == 1 and "malformed source map" in result.stderr
    assert sentry.requests == [] and snapshot(dist) == before
    (dist / "other.map").unlink()
    maps = maps_in(dist)
    sentry.config.assemble_polls = 1  # created, assembling, then ok
    sentry.watch(dist)
    result = upload(*BASE, "--delete-after", "dist")
    assert result.returncode == 0, result.output
    for js in dist.rglob("*.js"):
        assert "sourceMappingURL" not in js.read_text()
    stored = {f["url"] for f in sentry.bundles[0]["manifest"]["files"].values()}
    assert "~/assets/index-abc123.js.map" in stored
    assert "deleted 2 source maps; removed 2 sourceMappingURL comments" in result.stderr
    # Every answer, `ok` included, went out while both maps were there; then
    # they were deleted.
    assert list(map(state, sentry.requests_to("assemble"))) == [
        "not_found", "created", "assembling", "ok"]
    assert_deleted_only_after_confirmation(sentry, dist, maps)


def test_keep_source_mapping_url(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    maps = maps_in(dist)
    sentry.watch(dist)
    result = upload(*BASE, "--delete-after", "--keep-source-mapping-url", "dist")
    assert result.returncode == 0, result.output
    assert_deleted_only_after_confirmation(sentry, dist, maps)
    assert "sourceMappingURL=index-abc123.js.map" in \
        (dist / "assets/index-abc123.js").read_text()


def test_failed_upload_deletes_nothing(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    sentry.config.assemble_error = "internal server error"
    result = upload(*BASE, "--delete-after", "dist")
    assert result.returncode == 1
    assert "nothing was deleted" in result.stderr
    assert snapshot(dist) == before


def test_delete_glob_is_confined_to_the_folder(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    outside = case_dir / "outside.map"
    outside.write_text("{}")
    os.symlink(outside, dist / "link.map")
    (dist / "notes.txt").write_text("keep me")
    matched = [m for m in maps_in(dist) if m != "link.map"]
    sentry.watch(dist)
    result = upload(*BASE, "--ext", "js", "--delete-after", "--delete-glob", "**/*.map",
                    "--delete-glob", "*.map", "dist")
    assert result.returncode == 0, result.output
    assert outside.exists(), "a symlink out of the folder must never be followed"
    assert (dist / "link.map").is_symlink()
    assert "not deleting" in result.stderr and "link.map" in result.stderr
    assert matched == ["assets/chunks/vendor-def456.js.map", "assets/index-abc123.js.map"]
    assert_deleted_only_after_confirmation(sentry, dist, matched)
    assert (dist / "notes.txt").exists()


def test_delete_glob_rejects_escapes(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    for glob in ("../*.map", "/etc/*"):
        result = upload(*BASE, "--delete-after", "--delete-glob", glob, "dist")
        assert result.returncode == 2, result.output
        assert f"delete glob '{glob}' must be relative" in result.stderr
    assert snapshot(dist) == before


def test_on_failure_warn_parks_maps_and_next_run_uploads_them(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    pending = case_dir / "build" / "pending"
    sentry.script_fault("*", "assemble", [500] * 20)
    sentry.watch(case_dir)
    result = upload(*BASE, "--delete-after", "--on-failure", "warn", "--pending-dir",
                    str(pending), "--max-retries", "0", "dist")
    assert result.returncode == 0, result.output
    assert "upload failed" in result.stderr and "moved 2 source maps" in result.stderr
    assert maps_in(dist) == [], "maps must not stay in the deploy folder"
    # Moved only once the failure was known: the last answer still saw them.
    assert sentry.requests[-1]["status"] == 500
    assert all(r["watched"] == ["dist/assets/chunks/vendor-def456.js.map",
                                "dist/assets/index-abc123.js.map"] for r in sentry.requests)
    parked = sorted(str(p.relative_to(pending)).split("/", 1)[1]
                    for p in pending.rglob("*.map"))
    assert parked == ["files/assets/chunks/vendor-def456.js.map",
                      "files/assets/index-abc123.js.map"]
    assert "sourceMappingURL" not in (dist / "assets/index-abc123.js").read_text()
    assert sentry.bundles == []

    sentry.faults.clear()
    sentry.clear_requests()
    write_dist(case_dir / "dist2", {"app.js": ["run();"]})
    parked_maps = [str(p.relative_to(case_dir)) for p in pending.rglob("*.map")]
    result = upload(*BASE, "--delete-after", "--on-failure", "warn", "--pending-dir",
                    str(pending), "dist2")
    assert result.returncode == 0, result.output
    assert "parked maps confirmed" in result.stderr
    # The parked maps go once their own bundle is confirmed, the new one at the end.
    assert_deleted_only_after_confirmation(sentry, case_dir, parked_maps, until="confirmed")
    assert_deleted_only_after_confirmation(sentry, case_dir, ["dist2/app.js.map"])
    assert list(pending.rglob("*.map")) == []
    urls = {f["url"] for b in sentry.bundles for f in b["manifest"]["files"].values()}
    assert {"~/assets/index-abc123.js.map", "~/assets/index-abc123.js",
            "~/app.js", "~/app.js.map"} <= urls
    assert all(b["manifest"]["release"] == "1" for b in sentry.bundles)


def test_on_failure_fail_keeps_maps_in_place(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    sentry.script_fault("*", "chunk", [{"drop": True}] * 20)
    result = upload(*BASE, "--delete-after", "--max-retries", "1", "dist")
    assert result.returncode == 1
    assert "cannot reach Sentry" in result.stderr or "failed" in result.stderr
    assert snapshot(dist) == before


def test_stamp_skips_unchanged_folder_without_requests(upload, sentry, case_dir):
    write_dist(case_dir / "dist")
    stamp = case_dir / "stamp"
    assert upload(*BASE, "--delete-after", "--stamp-file", str(stamp), "dist").returncode == 0
    sentry.clear_requests()
    result = upload(*BASE, "--delete-after", "--stamp-file", str(stamp), "dist")
    assert result.returncode == 0, result.output
    assert sentry.requests == []
    assert "nothing changed since the last upload" in result.stderr
    # A new build (new files) is uploaded again.
    write_dist(case_dir / "dist")
    result = upload(*BASE, "--delete-after", "--stamp-file", str(stamp), "dist")
    assert result.returncode == 0 and sentry.requests
    # So is the same folder for another release.
    sentry.clear_requests()
    result = upload("-o", "acme", "-p", "web", "-r", "2", "--stamp-file", str(stamp), "dist")
    assert result.returncode == 0 and sentry.requests
