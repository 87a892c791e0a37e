"""What `upload` does to the folder after Sentry answered: delete exactly the
uploaded maps and the comments pointing at them, only after `ok`; park the
maps outside the folder on failure with --on-failure warn; skip unchanged
folders with a stamp."""
import os

from helpers.dist import snapshot, write_dist

BASE = ["-o", "acme", "-p", "web", "-r", "1"]


def maps_in(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.map"))


def test_delete_after_removes_uploaded_maps_and_their_comments(upload, sentry, tmp_path):
    dist = write_dist(tmp_path / "dist")
    (dist / "other.map").write_text("not uploaded: not a map extension match? it is")
    result = upload(*BASE, "--delete-after", "--ext", "js", "--ext", "map", "dist")
    # other.map is not a source map, so the upload refuses it before sending.
    assert result.returncode == 1 and "malformed source map" in result.stderr
    (dist / "other.map").unlink()
    result = upload(*BASE, "--delete-after", "dist")
    assert result.returncode == 0, result.output
    assert maps_in(dist) == []
    for js in dist.rglob("*.js"):
        assert "sourceMappingURL" not in js.read_text()
    stored = {f["url"] for f in sentry.bundles[0]["manifest"]["files"].values()}
    assert "~/assets/index-abc123.js.map" in stored
    assert "deleted 2 source maps; removed 2 sourceMappingURL comments" in result.stderr
    # Deletion happened after the last assemble answered ok.
    assert sentry.requests[-1]["endpoint"] == "assemble"


def test_keep_source_mapping_url(upload, sentry, tmp_path):
    dist = write_dist(tmp_path / "dist")
    result = upload(*BASE, "--delete-after", "--keep-source-mapping-url", "dist")
    assert result.returncode == 0, result.output
    assert maps_in(dist) == []
    assert "sourceMappingURL=index-abc123.js.map" in \
        (dist / "assets/index-abc123.js").read_text()


def test_failed_upload_deletes_nothing(upload, sentry, tmp_path):
    dist = write_dist(tmp_path / "dist")
    before = snapshot(dist)
    sentry.config.assemble_error = "internal server error"
    result = upload(*BASE, "--delete-after", "dist")
    assert result.returncode == 1
    assert "nothing was deleted" in result.stderr
    assert snapshot(dist) == before


def test_delete_glob_is_confined_to_the_folder(upload, sentry, tmp_path):
    dist = write_dist(tmp_path / "dist")
    outside = tmp_path / "outside.map"
    outside.write_text("{}")
    os.symlink(outside, dist / "link.map")
    (dist / "notes.txt").write_text("keep me")
    result = upload(*BASE, "--ext", "js", "--delete-after", "--delete-glob", "**/*.map",
                    "--delete-glob", "*.map", "dist")
    assert result.returncode == 0, result.output
    assert outside.exists(), "a symlink out of the folder must never be followed"
    assert (dist / "link.map").is_symlink()
    assert "not deleting" in result.stderr and "link.map" in result.stderr
    assert not (dist / "assets/index-abc123.js.map").exists()
    assert (dist / "notes.txt").exists()


def test_delete_glob_rejects_escapes(upload, sentry, tmp_path):
    dist = write_dist(tmp_path / "dist")
    before = snapshot(dist)
    for glob in ("../*.map", "/etc/*"):
        result = upload(*BASE, "--delete-after", "--delete-glob", glob, "dist")
        assert result.returncode == 2, result.output
        assert f"delete glob '{glob}' must be relative" in result.stderr
    assert snapshot(dist) == before


def test_on_failure_warn_parks_maps_and_next_run_uploads_them(upload, sentry, tmp_path):
    dist = write_dist(tmp_path / "dist")
    pending = tmp_path / "build" / "pending"
    sentry.script_fault("*", "assemble", [500] * 20)
    result = upload(*BASE, "--delete-after", "--on-failure", "warn", "--pending-dir",
                    str(pending), "--max-retries", "0", "dist")
    assert result.returncode == 0, result.output
    assert "upload failed" in result.stderr and "moved 2 source maps" in result.stderr
    assert maps_in(dist) == [], "maps must not stay in the deploy folder"
    parked = sorted(str(p.relative_to(pending)).split("/", 1)[1]
                    for p in pending.rglob("*.map"))
    assert parked == ["files/assets/chunks/vendor-def456.js.map",
                      "files/assets/index-abc123.js.map"]
    assert "sourceMappingURL" not in (dist / "assets/index-abc123.js").read_text()
    assert sentry.bundles == []

    sentry.faults.clear()
    sentry.clear_requests()
    write_dist(tmp_path / "dist2", {"app.js": ["run();"]})
    result = upload(*BASE, "--delete-after", "--on-failure", "warn", "--pending-dir",
                    str(pending), "dist2")
    assert result.returncode == 0, result.output
    assert "parked maps confirmed" in result.stderr
    assert list(pending.rglob("*.map")) == []
    urls = {f["url"] for b in sentry.bundles for f in b["manifest"]["files"].values()}
    assert {"~/assets/index-abc123.js.map", "~/assets/index-abc123.js",
            "~/app.js", "~/app.js.map"} <= urls
    assert all(b["manifest"]["release"] == "1" for b in sentry.bundles)


def test_on_failure_fail_keeps_maps_in_place(upload, sentry, tmp_path):
    dist = write_dist(tmp_path / "dist")
    before = snapshot(dist)
    sentry.script_fault("*", "chunk", [{"drop": True}] * 20)
    result = upload(*BASE, "--delete-after", "--max-retries", "1", "dist")
    assert result.returncode == 1
    assert "cannot reach Sentry" in result.stderr or "failed" in result.stderr
    assert snapshot(dist) == before


def test_stamp_skips_unchanged_folder_without_requests(upload, sentry, tmp_path):
    write_dist(tmp_path / "dist")
    stamp = tmp_path / "stamp"
    assert upload(*BASE, "--delete-after", "--stamp-file", str(stamp), "dist").returncode == 0
    sentry.clear_requests()
    result = upload(*BASE, "--delete-after", "--stamp-file", str(stamp), "dist")
    assert result.returncode == 0, result.output
    assert sentry.requests == []
    assert "nothing changed since the last upload" in result.stderr
    # A new build (new files) is uploaded again.
    write_dist(tmp_path / "dist")
    result = upload(*BASE, "--delete-after", "--stamp-file", str(stamp), "dist")
    assert result.returncode == 0 and sentry.requests
    # So is the same folder for another release.
    sentry.clear_requests()
    result = upload("-o", "acme", "-p", "web", "-r", "2", "--stamp-file", str(stamp), "dist")
    assert result.returncode == 0 and sentry.requests
