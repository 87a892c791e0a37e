"""What issue 15 asks the Windows build to prove, run under Wine against the
stand-in: inject gives sentry-cli's bytes, an upload waits for Sentry and
only then deletes the maps, a failed upload keeps every map, and the token
shows in no output. Paths are the Linux ones: Wine maps / to Z:\\, so the
uploader sees Windows paths with backslashes and a drive letter."""
import shutil
from pathlib import Path

from helpers.deletion import assert_deleted_only_after_confirmation
from helpers.dist import snapshot, write_dist
from helpers.process import clean_env, run
from helpers.sentry_cli import ensure_sentry_cli

from integration.conftest import UPLOAD_TOKEN

VITE_DIST = Path(__file__).resolve().parent.parent / "conformance/fixtures/vite-react-dist"


def files_of(root):
    return {str(p.relative_to(root)): p.read_bytes()
            for p in sorted(Path(root).rglob("*")) if p.is_file()}


def maps_of(root):
    return sorted(str(p.relative_to(root)) for p in Path(root).rglob("*.map"))


def test_inject_on_the_vite_build_is_byte_identical_to_sentry_cli(cli, case_dir):
    theirs, ours = case_dir / "theirs", case_dir / "ours"
    shutil.copytree(VITE_DIST, theirs)
    shutil.copytree(VITE_DIST, ours)
    env = clean_env(HOME=str(case_dir), SENTRY_LOAD_DOTENV="0")
    result = run([ensure_sentry_cli(), "sourcemaps", "inject", "."], cwd=theirs, env=env)
    assert result.returncode == 0, result.output
    result = cli("inject", ".", cwd=ours, env=env)
    assert result.returncode == 0, result.output

    injected = files_of(theirs)
    assert files_of(ours) == injected
    # The comparison means something: sentry-cli changed the build.
    assert injected != files_of(VITE_DIST)
    assert any(b"//# debugId=" in data for name, data in injected.items()
               if name.endswith(".js"))


def test_upload_waits_for_sentry_then_deletes_the_maps(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist with spaces")
    maps = maps_of(dist)
    sentry.watch(dist)
    result = upload("-o", "acme", "-p", "web", "-r", "1.0", "--inject", "--delete-after",
                    "dist with spaces")
    assert result.returncode == 0, result.output
    assert "Sentry confirmed the upload" in result.stderr

    assert len(sentry.bundles) == 1
    urls = {f["url"] for f in sentry.bundles[0]["manifest"]["files"].values()}
    assert urls == {"~/assets/index-abc123.js", "~/assets/index-abc123.js.map",
                    "~/assets/chunks/vendor-def456.js",
                    "~/assets/chunks/vendor-def456.js.map"}
    assert_deleted_only_after_confirmation(sentry, dist, maps)
    for js in dist.rglob("*.js"):
        text = js.read_text()
        assert "sourceMappingURL" not in text, js
        assert "//# debugId=" in text, js


def test_a_failed_upload_keeps_every_map(upload, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    sentry.script_fault("POST", "chunk", [500] * 4)
    result = upload("-o", "acme", "-p", "web", "-r", "1.0", "--delete-after",
                    "--max-retries", "1", "dist",
                    env={"SENTRY_SOURCEMAPS_RETRY_DELAY_MS": "0"})
    assert result.returncode == 1, result.output
    assert "sentry-sourcemaps: error: " in result.stderr
    assert "try again later or check the server's logs" in result.stderr
    assert len(sentry.requests_to("chunk")) == 2  # the first try and one retry
    assert sentry.bundles == []
    assert snapshot(dist) == before, "a failed upload must leave every file as it was"


def test_the_token_shows_in_no_output(upload, sentry, case_dir):
    write_dist(case_dir / "dist")
    sentry.script_fault("POST", "assemble", [{"status": 500, "body": {
        "detail": "boom " + UPLOAD_TOKEN}}] * 10)
    failed = upload("-o", "acme", "-p", "web", "-r", "1.0", "--verbose", "--max-retries",
                    "1", "dist", env={"SENTRY_SOURCEMAPS_RETRY_DELAY_MS": "0"})
    assert failed.returncode == 1, failed.output
    sentry.faults.clear()
    passed = upload("-o", "acme", "-p", "web", "-r", "1.0", "--verbose", "--json", "dist")
    assert passed.returncode == 0, passed.output

    for result in (failed, passed):
        assert UPLOAD_TOKEN not in result.stdout
        assert UPLOAD_TOKEN not in result.stderr
    verbose = failed.stderr + passed.stderr
    # The headers really were traced, through WinHTTP, with the token hidden.
    assert "> Authorization: [REDACTED]" in verbose
    assert "< HTTP/1.1 200" in verbose
    assert "[REDACTED]" in failed.stderr
    # Every request authenticated (the stand-in checked the token itself and
    # logs it redacted).
    assert sentry.requests
    assert {r["headers"].get("authorization") for r in sentry.requests} == {
        "Bearer [REDACTED]"}
    assert all(r["status"] != 401 for r in sentry.requests)
