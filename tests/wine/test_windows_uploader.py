"""What issue 15 asks the Windows build to prove, run under Wine against the
stand-in: inject gives sentry-cli's bytes, an upload waits for Sentry and
only then deletes the maps, a failed upload keeps every map, and the token
shows in no output. Paths are the Linux ones: Wine maps / to Z:\\, so the
uploader sees Windows paths with backslashes and a drive letter."""
import io
import json
import shutil
import zipfile
from pathlib import Path

from helpers.deletion import assert_deleted_only_after_confirmation
from helpers.dist import snapshot, write_dist
from helpers.network import make_certificate, no_proxy_env
from helpers.process import clean_env, run
from helpers.sentry_cli import ensure_sentry_cli

from integration.conftest import UPLOAD_TOKEN

# Wine reads Unix file names and arguments in the locale's charset.
UTF8_LOCALE = {"LC_ALL": "C.UTF-8"}

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


def test_paths_outside_ascii_reach_sentry_intact(upload, sentry, case_dir):
    # A folder and files named outside ASCII, and a map whose source text
    # is read from disk: each is UTF-16 in the Windows API and must come
    # back as the same UTF-8 in urls, the journal and the bundle.
    root = case_dir / "projet-été ü"
    dist = write_dist(root / "dist", {"assets/prix-€ß.js": ["export const prix = 42;"]})
    source = root / "src" / "prix-€ß.ts"
    source.parent.mkdir(parents=True)
    source.write_text("export const prix = 42; // ünïcode\n", encoding="utf-8")
    map_path = dist / "assets" / "prix-€ß.js.map"
    sourcemap = json.loads(map_path.read_text())
    del sourcemap["sourcesContent"]
    map_path.write_text(json.dumps(sourcemap))
    sentry.watch(dist)

    result = upload("-o", "acme", "-p", "web", "-r", "1.0", "--inject", "--delete-after",
                    str(dist), env=UTF8_LOCALE)
    assert result.returncode == 0, result.output
    assert "Sentry confirmed the upload" in result.stderr

    assert len(sentry.bundles) == 1
    files = sentry.bundles[0]["manifest"]["files"]
    assert {f["url"] for f in files.values()} == {"~/assets/prix-€ß.js",
                                                  "~/assets/prix-€ß.js.map"}
    with zipfile.ZipFile(io.BytesIO(sentry.bundles[0]["raw"])) as bundle:
        name = next(n for n, f in files.items() if f["type"] == "source_map")
        uploaded = json.loads(bundle.read(name))
    assert uploaded["sourcesContent"] == [source.read_text(encoding="utf-8")]
    assert_deleted_only_after_confirmation(sentry, dist, ["assets/prix-€ß.js.map"])
    js = (dist / "assets" / "prix-€ß.js").read_text(encoding="utf-8")
    assert "//# debugId=" in js and "sourceMappingURL" not in js
    assert sorted(p.name for p in dist.rglob("*")) == ["assets", "prix-€ß.js"]


def test_tls_is_checked_against_the_ca_file_only(upload, tls_sentry, certificate, case_dir,
                                                 tmp_path_factory):
    # WinHTTP checks certificates against the system store, which does not
    # know this private CA: refused with nothing sent. With a CA file that
    # is not the server's, only a probe without the token arrives. With the
    # right one, everything goes through.
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    env = no_proxy_env(SENTRY_URL=tls_sentry.url, SENTRY_CA_FILE=None, SSL_CERT_FILE=None,
                       CURL_CA_BUNDLE=None)
    args = ["-o", "acme", "-p", "web", "-r", "1.0", "--delete-after", "--max-retries", "1"]
    refused = upload(*args, "dist", env=env)
    assert refused.returncode == 1, refused.output
    assert "cannot verify the TLS certificate of " + tls_sentry.url in refused.stderr
    assert "--ca-file" in refused.stderr
    assert tls_sentry.requests == [], "nothing may reach a server that is not trusted"

    other_ca = make_certificate(tmp_path_factory.mktemp("other-ca"))[0]
    refused = upload(*args, "--ca-file", str(other_ca), "dist", env=env)
    assert refused.returncode == 1, refused.output
    assert "does not chain up to a certificate of the CA file" in refused.stderr
    assert tls_sentry.requests, "the probe reached the server"
    assert all(r["method"] == "HEAD" and "authorization" not in r["headers"]
               for r in tls_sentry.requests), tls_sentry.requests
    assert snapshot(dist) == before

    accepted = upload(*args, "--ca-file", str(certificate[0]), "dist", env=env)
    assert accepted.returncode == 0, accepted.output
    assert len(tls_sentry.bundles) == 1
    assert not list(dist.rglob("*.map"))


def test_https_proxy_from_the_environment_is_used(upload, tls_sentry, certificate, proxy,
                                                 case_dir):
    write_dist(case_dir / "dist")
    result = upload("-o", "acme", "-p", "web", "-r", "1.0", "--ca-file", str(certificate[0]),
                    "--verbose", "dist",
                    env=no_proxy_env(SENTRY_URL=tls_sentry.url, https_proxy=proxy.url))
    assert result.returncode == 0, result.output
    server = tls_sentry.url.split("://", 1)[1].rstrip("/")
    assert proxy.seen and all(line.startswith(f"CONNECT {server} ")
                              for line in proxy.seen), proxy.seen
    assert f"Using proxy {proxy.url.split('://')[1]} (from the environment)" in result.stderr
    assert len(tls_sentry.bundles) == 1
