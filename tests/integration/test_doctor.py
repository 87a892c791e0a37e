"""`sentry-sourcemaps doctor`: every checklist line in its passing and failing state,
exit codes, JSON, and that it never changes a file."""
import json
import subprocess
import threading
from http.server import HTTPServer, SimpleHTTPRequestHandler

import pytest

from fake_sentry import FakeSentry
from helpers.dist import snapshot
from helpers.process import clean_env
from helpers.vite import JS, copy_dist, source

UPLOAD = "tok-doctor-upload-0123456789"
ADMIN = "tok-doctor-admin-0123456789"
NARROW = "tok-doctor-narrow-0123456789"
READ = "tok-doctor-read-0123456789"
READ_WRITE = "tok-doctor-readwrite-012345"


@pytest.fixture
def server():
    tokens = {UPLOAD: ["project:releases", "org:read"],
              ADMIN: ["project:releases", "org:read", "org:admin", "project:write",
                      "event:admin"],
              NARROW: ["project:read"],
              READ: ["event:read", "project:read"],
              READ_WRITE: ["event:read", "project:read", "project:write"]}
    with FakeSentry(tokens=tokens, orgs={"acme": ["web", "api"], "other": ["site"]}) as fake:
        yield fake


@pytest.fixture
def doctor(cli, server, case_dir):
    """Runs doctor from case_dir with a good configuration; `env` overrides it."""
    def invoke(*args, env=None, cwd=None):
        variables = {"SENTRY_URL": server.url, "SENTRY_AUTH_TOKEN": UPLOAD,
                     "SENTRY_ORG": "acme", "SENTRY_PROJECT": "web", "HOME": str(case_dir)}
        variables.update(env or {})
        environment = clean_env(**{k: v for k, v in variables.items() if v is not None})
        return cli("doctor", *args, env=environment, cwd=cwd or case_dir)
    return invoke


def lines(result):
    """{check name: (status, text)} from --json output (the last line of a name wins)."""
    data = json.loads(result.stdout)
    return {c["name"]: (c["status"], c["message"] + " | " + c["hint"]) for c in data["checks"]}


def injected_dist(cli, case_dir):
    dist = copy_dist(case_dir / "dist")
    assert cli("inject", str(dist)).returncode == 0
    return dist


def test_everything_passes_on_an_injected_vite_build(doctor, cli, case_dir):
    dist = injected_dist(cli, case_dir)
    before = snapshot(dist)
    result = doctor("dist")
    assert result.returncode == 0, result.output
    for name in ("server", "upload token", "upload token scopes", "organization", "project",
                 "files", "source maps", "sources content", "debug ids"):
        assert f"[ok]   {name}: " in result.stdout, (name, result.stdout)
    assert "[skip] env file: no .env.sentry-build-plugin" in result.stdout
    assert "[skip] read token: SENTRY_READ_TOKEN is not set" in result.stdout
    assert result.stdout.rstrip().endswith("all checks passed")
    assert snapshot(dist) == before
    assert UPLOAD not in result.output


def test_json_lists_every_check(doctor, cli, case_dir):
    injected_dist(cli, case_dir)
    result = doctor("--json", "dist", env={"SENTRY_READ_TOKEN": READ})
    assert result.returncode == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] is True
    assert [c["name"] for c in data["checks"]] == [
        "env file", "server", "upload token", "upload token scopes", "read token",
        "organization", "project", "files", "source maps", "sources content", "debug ids"]
    assert {c["status"] for c in data["checks"]} == {"ok", "skip"}
    assert all(set(c) == {"name", "status", "message", "hint"} for c in data["checks"])


def test_without_folder_only_the_setup_is_checked(doctor):
    result = doctor("--json")
    assert result.returncode == 0, result.output
    assert "files" not in lines(result)


# --- env file ------------------------------------------------------------------------

def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def repo(case_dir):
    root = case_dir / "repo"
    root.mkdir()
    git(root, "init", "-q")
    (root / ".env.sentry-build-plugin").write_text("SENTRY_ORG=acme\n")
    return root


def test_env_file_ignored_by_git_passes(doctor, repo):
    (repo / ".gitignore").write_text(".env.sentry-build-plugin\n")
    status, text = lines(doctor("--json", cwd=repo))["env file"]
    assert status == "ok" and "git ignores it" in text


def test_env_file_not_ignored_fails_and_says_how_to_fix(doctor, repo):
    before = snapshot(repo / ".git")
    result = doctor(cwd=repo)
    assert result.returncode == 1
    assert "[FAIL] env file: " in result.stdout and "is not ignored by git" in result.stdout
    assert "fix: add the line '.env.sentry-build-plugin' to .gitignore" in result.stdout
    assert snapshot(repo / ".git") == before, "doctor must not change the repository"
    assert not (repo / ".gitignore").exists()


def test_env_file_committed_fails(doctor, repo):
    git(repo, "add", ".env.sentry-build-plugin")
    status, text = lines(doctor("--json", cwd=repo))["env file"]
    assert status == "fail" and "is committed to git" in text and "git rm --cached" in text


# --- server and upload token ----------------------------------------------------------

def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_server_fails_and_skips_token(doctor):
    url = "http://127.0.0.1:%d" % free_port()
    result = doctor("--json", env={"SENTRY_URL": url})
    assert result.returncode == 1
    checks = lines(result)
    assert checks["server"][0] == "fail" and "cannot reach " + url in checks["server"][1]
    assert checks["upload token"][0] == "skip"
    assert checks["organization"][0] == "skip"


def test_a_server_that_is_not_sentry_fails(doctor, case_dir):
    (case_dir / "www").mkdir()
    handler = lambda *a: SimpleHTTPRequestHandler(*a, directory=str(case_dir / "www"))  # noqa: E731
    httpd = HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        result = doctor("--json", env={"SENTRY_URL": "http://127.0.0.1:%d" % httpd.server_port})
    finally:
        httpd.shutdown()
    assert result.returncode == 1
    status, text = lines(result)["server"]
    assert status == "fail" and "it is not a Sentry API" in text


def test_missing_token_fails_with_where_to_put_it(doctor):
    result = doctor(env={"SENTRY_AUTH_TOKEN": None})
    assert result.returncode == 1
    assert "[FAIL] upload token: no SENTRY_AUTH_TOKEN" in result.stdout
    assert "fix: set SENTRY_AUTH_TOKEN in the environment or in .env.sentry-build-plugin" \
        in result.stdout


def test_rejected_token_fails(doctor):
    result = doctor("--json", env={"SENTRY_AUTH_TOKEN": "tok-not-known-0123456789"})
    assert result.returncode == 1
    status, text = lines(result)["upload token"]
    assert status == "fail" and "Sentry rejects the auth token" in text and "401" in text
    assert "tok-not-known" not in result.output


def test_token_with_admin_scopes_warns_but_passes(doctor):
    result = doctor(env={"SENTRY_AUTH_TOKEN": ADMIN})
    assert result.returncode == 0, result.output
    assert ("[warn] upload token scopes: the token can do more than upload: org:admin, "
            "project:write, event:admin") in result.stdout
    assert "fix: a build only needs project:releases and org:read" in result.stdout


def test_token_without_release_scope_fails(doctor):
    result = doctor("--json", env={"SENTRY_AUTH_TOKEN": NARROW})
    assert result.returncode == 1
    status, text = lines(result)["upload token scopes"]
    assert status == "fail" and "lacks project:releases, org:read" in text


# --- read token ------------------------------------------------------------------------

@pytest.mark.parametrize("token, status, text", [
    (READ, "ok", "valid and read-only"),
    (READ_WRITE, "warn", "the read token can write: project:write"),
    (UPLOAD, "warn", "SENTRY_READ_TOKEN is the upload token"),
    ("tok-read-unknown-01234567", "fail", "Sentry rejects the read token"),
    (NARROW, "fail", "the read token lacks event:read"),
])
def test_read_token_states(doctor, token, status, text):
    result = doctor("--json", env={"SENTRY_READ_TOKEN": token})
    assert lines(result)["read token"][0] == status
    assert text in lines(result)["read token"][1]
    assert result.returncode == (1 if status == "fail" else 0), result.output


def test_read_token_from_env_file(doctor, case_dir):
    (case_dir / ".env.sentry-build-plugin").write_text(f"SENTRY_READ_TOKEN={READ}\n")
    status, text = lines(doctor("--json"))["read token"]
    assert status == "ok" and "SENTRY_READ_TOKEN in .env.sentry-build-plugin" in text


# --- organization and project -------------------------------------------------------

@pytest.mark.parametrize("org, expected", [
    ("acmee", "organization 'acmee' (from SENTRY_ORG) does not exist (did you mean 'acme'?)"),
    ("ACME", "organization 'ACME' (from SENTRY_ORG) does not exist (did you mean 'acme'?)"),
    ("acme ", "has leading or trailing whitespace; remove it (did you mean 'acme'?)"),
])
def test_bad_organization_fails_with_did_you_mean(doctor, org, expected):
    result = doctor("--json", env={"SENTRY_ORG": org})
    assert result.returncode == 1
    checks = lines(result)
    assert checks["organization"][0] == "fail" and expected in checks["organization"][1]
    assert checks["project"][0] == "skip"


def test_missing_organization_fails(doctor):
    result = doctor(env={"SENTRY_ORG": None})
    assert result.returncode == 1
    assert "[FAIL] organization: no organization configured" in result.stdout


@pytest.mark.parametrize("project, expected", [
    ("web ", "project 'web ' (from SENTRY_PROJECT) has leading or trailing whitespace; "
             "remove it (did you mean 'web'?)"),
    ("Web", "project 'Web' (from SENTRY_PROJECT) does not exist in acme (did you mean 'web'?)"),
    ("wbe", "project 'wbe' (from SENTRY_PROJECT) does not exist in acme (did you mean 'web'?)"),
    ("mobile", "project 'mobile' (from SENTRY_PROJECT) does not exist in acme (known: web, api)"),
])
def test_bad_project_fails_with_did_you_mean(doctor, project, expected):
    result = doctor(env={"SENTRY_PROJECT": project})
    assert result.returncode == 1, result.output
    assert "[FAIL] project: " + expected in result.stdout


def test_project_with_trailing_space_from_env_file(doctor, case_dir):
    (case_dir / ".env.sentry-build-plugin").write_text('SENTRY_PROJECT="web "\n')
    result = doctor(env={"SENTRY_PROJECT": None})
    assert result.returncode == 1
    assert ("[FAIL] project: project 'web ' (from SENTRY_PROJECT in .env.sentry-build-plugin) "
            "has leading or trailing whitespace; remove it (did you mean 'web'?)") in result.stdout
    assert "fix: correct it in SENTRY_PROJECT in .env.sentry-build-plugin" in result.stdout


def test_each_project_gets_a_line(doctor):
    result = doctor("--json", "--project", "web", "--project", "nope")
    data = json.loads(result.stdout)
    projects = [c for c in data["checks"] if c["name"] == "project"]
    assert [c["status"] for c in projects] == ["ok", "fail"]
    assert result.returncode == 1


def test_project_exists_but_token_may_not_read_it_passes(doctor, server):
    # The upload token cannot GET the project (project:read); the org's list decides.
    result = doctor("--json")
    assert lines(result)["project"] == ("ok", "'web' exists in acme | ")
    assert [r["endpoint"] for r in server.requests if "project" in (r["endpoint"] or "")] == [
        "project", "organization_projects"]


def test_missing_project_fails(doctor):
    result = doctor(env={"SENTRY_PROJECT": None})
    assert result.returncode == 1
    assert "[FAIL] project: no project configured" in result.stdout


# --- the folder --------------------------------------------------------------------------

def test_missing_and_empty_folder_fail(doctor, case_dir):
    result = doctor("nope")
    assert result.returncode == 1
    assert "[FAIL] files: folder nope does not exist" in result.stdout
    (case_dir / "empty").mkdir()
    result = doctor("empty")
    assert result.returncode == 1 and "[FAIL] files: no JavaScript files in empty" in result.stdout


def test_js_without_maps_fails(doctor, case_dir):
    dist = copy_dist(case_dir / "dist")
    (dist / (JS + ".map")).unlink()
    result = doctor("dist")
    assert result.returncode == 1
    assert "[FAIL] files: 1 JavaScript files, 0 source maps, 0 paired: no JavaScript file " \
           "has a map" in result.stdout
    assert "rebuild" in result.stdout


def test_malformed_mappings_fail(doctor, case_dir):
    dist = copy_dist(case_dir / "dist")
    path = dist / (JS + ".map")
    data = json.loads(path.read_text())
    data["mappings"] = "AAAA,!!!!"
    path.write_text(json.dumps(data))
    before = snapshot(dist)
    status, text = lines(doctor("--json", "dist"))["source maps"]
    assert status == "fail" and "1 maps are malformed" in text and JS + ".map" in text
    assert snapshot(dist) == before


def test_malformed_map_json_fails_files(doctor, case_dir):
    dist = copy_dist(case_dir / "dist")
    (dist / (JS + ".map")).write_text('{"version":3,')
    status, text = lines(doctor("--json", "dist"))["files"]
    assert status == "fail" and "malformed source map" in text


def test_sources_without_content_fail(doctor, case_dir):
    dist = copy_dist(case_dir / "dist")
    path = dist / (JS + ".map")
    data = json.loads(path.read_text())
    data["sourcesContent"][data["sources"].index(source("src/checkout.js"))] = None
    path.write_text(json.dumps(data))
    result = doctor("dist")
    assert result.returncode == 1
    assert "[FAIL] sources content: 1 sources have no sourcesContent: " + \
        source("src/checkout.js") in result.stdout


def test_missing_debug_ids_fail_unless_the_upload_injects(doctor, case_dir):
    dist = copy_dist(case_dir / "dist")
    result = doctor("dist")
    assert result.returncode == 1
    assert "[FAIL] debug ids: 1 of 1 JS files with a map have no debug ID" in result.stdout
    assert "fix: run 'sentry-sourcemaps inject dist'" in result.stdout
    result = doctor("--expect-inject", "dist")
    assert result.returncode == 0, result.output
    assert "[ok]   debug ids: 1 JS files get their debug ID from upload --inject" \
        in result.stdout
    assert snapshot(dist) == snapshot(copy_dist(case_dir / "pristine"))


def test_debug_id_mismatch_fails(doctor, cli, case_dir):
    dist = injected_dist(cli, case_dir)
    path = dist / (JS + ".map")
    data = json.loads(path.read_text())
    data["debugId"] = data["debug_id"] = "00000000-0000-0000-0000-000000000001"
    path.write_text(json.dumps(data))
    status, text = lines(doctor("--json", "dist"))["debug ids"]
    assert status == "fail" and "JS file and map disagree on the debug ID" in text


def test_usage_errors(doctor):
    result = doctor("a", "b")
    assert result.returncode == 2
    assert "error: doctor checks one folder, got 'a' and 'b'" in result.stderr


def test_tokens_never_appear_even_verbose(doctor, cli, case_dir):
    injected_dist(cli, case_dir)
    result = doctor("--verbose", "dist", env={"SENTRY_READ_TOKEN": READ})
    assert result.returncode == 0, result.output
    assert "GET" in result.stderr, "--verbose traces the requests"
    assert UPLOAD not in result.output and READ not in result.output
