"""`sentry-sourcemaps issues`: the project's issues read with the read token (table,
JSON, pagination, query), and --check-symbolication on their latest events."""
import json

import pytest

from fake_sentry import FakeSentry
from fake_sentry.projects import add_issue
from helpers.process import clean_env

UPLOAD = "tok-issues-upload-0123456789"
READ = "tok-issues-read-0123456789"

# A frame as Sentry stores it after applying the source map, and one it left minified.
RESOLVED = {"filename": "src/checkout.js", "abs_path": "webpack:///src/checkout.js",
            "lineno": 8, "colno": 11, "function": "checkout", "in_app": True,
            "context_line": "    throw new Error(`checkout failed`);",
            "pre_context": ["  if (total > 0) {"], "post_context": ["  }"],
            "data": {"sourcemap": "https://shop.example.com/assets/index-rJfmT7nG.js.map"}}
MINIFIED = {"filename": "/assets/index-rJfmT7nG.js",
            "abs_path": "https://shop.example.com/assets/index-rJfmT7nG.js",
            "lineno": 9, "colno": 50688, "function": "d", "in_app": True}
LINE_ONE = {"filename": "/assets/app.js", "abs_path": "https://shop.example.com/assets/app.js",
            "lineno": 1, "colno": 14231, "function": "t", "in_app": True}
VENDOR = {"filename": "/node_modules/react-dom/cjs/react-dom.js",
          "abs_path": "https://shop.example.com/assets/vendor-1a2b3c4d.js",
          "lineno": 1, "colno": 90210, "function": "Hx", "in_app": False}


@pytest.fixture
def server():
    with FakeSentry(tokens={UPLOAD: ["project:releases", "org:read"],
                            READ: ["event:read", "project:read"]},
                    orgs={"acme": ["web", "api"]}) as fake:
        yield fake


@pytest.fixture
def issues(cli, server, case_dir):
    def invoke(*args, env=None):
        variables = {"SENTRY_URL": server.url, "SENTRY_AUTH_TOKEN": UPLOAD,
                     "SENTRY_READ_TOKEN": READ, "SENTRY_ORG": "acme",
                     "SENTRY_PROJECT": "web", "HOME": str(case_dir)}
        variables.update(env or {})
        environment = clean_env(**{k: v for k, v in variables.items() if v is not None})
        return cli("issues", *args, env=environment, cwd=case_dir)
    return invoke


def seed(server, title="Error: checkout failed", frames=(VENDOR, RESOLVED), **kwargs):
    return add_issue(server.store, "acme", kwargs.pop("project", "web"), title, list(frames),
                     **kwargs)


def test_table_lists_unresolved_issues_with_the_read_token(issues, server):
    seed(server, count=12, user_count=3)
    seed(server, "TypeError: x is undefined", level="warning")
    seed(server, "Error: fixed already", status="resolved")
    seed(server, "Error: other project", project="api")
    result = issues()
    assert result.returncode == 0, result.output
    rows = result.stdout.splitlines()
    assert rows[0].split() == ["ID", "LEVEL", "EVENTS", "USERS", "LAST", "SEEN", "TITLE"]
    assert len(rows) == 3
    assert any(r.split()[:4] == ["WEB-1", "error", "12", "3"] and
               r.endswith("Error: checkout failed") for r in rows)
    assert any(r.startswith("WEB-2") and "warning" in r for r in rows)
    request = server.requests_to("issues")[0]
    assert request["path"] == "/api/0/projects/acme/web/issues/"
    assert request["query"] == {"query": "is:unresolved", "limit": "25"}
    assert {r["headers"]["authorization"] for r in server.requests} == {"Bearer [REDACTED]"}
    assert all(r["status"] == 200 for r in server.requests)
    assert READ not in result.output and UPLOAD not in result.output


def test_read_token_is_used_never_the_upload_token(issues, server):
    seed(server)
    assert issues().returncode == 0
    # The stand-in logs a redacted header; the scopes prove which token it was:
    # the upload token (project:releases, org:read) would get 403 from the issues list.
    assert server.requests_to("issues")[0]["status"] == 200


def test_json_has_the_dashboard_fields(issues, server):
    seed(server, count=5, user_count=2, release="web@1.0")
    result = issues("--json")
    assert result.returncode == 0, result.output
    [issue] = json.loads(result.stdout)
    assert set(issue) == {"id", "shortId", "title", "culprit", "permalink", "level", "status",
                          "count", "userCount", "firstSeen", "lastSeen", "project",
                          "metadata"}
    assert issue["shortId"] == "WEB-1" and issue["count"] == 5 and issue["userCount"] == 2
    assert issue["project"] == "web" and issue["status"] == "unresolved"
    assert issue["metadata"] == {"type": "Error", "value": "checkout failed"}
    assert issue["permalink"] == f"{server.url}/organizations/acme/issues/{issue['id']}/"
    assert issue["culprit"] == "checkout(src/checkout.js)"


def test_query_and_limit_are_passed_and_pages_followed(issues, server):
    for i in range(120):
        seed(server, f"Error: number {i}", frames=[RESOLVED])
    result = issues("--json", "--limit", "110")
    assert result.returncode == 0, result.output
    assert len(json.loads(result.stdout)) == 110
    pages = server.requests_to("issues")
    assert [r["query"].get("cursor") for r in pages] == [None, "0:100:0"]
    assert all(r["query"]["limit"] == "100" for r in pages)
    server.clear_requests()
    result = issues("--json", "--query", "is:unresolved 117", "--limit", "5")
    assert result.returncode == 0, result.output
    assert [i["title"] for i in json.loads(result.stdout)] == ["Error: number 117"]
    request = server.requests_to("issues")[0]
    assert request["query"] == {"query": "is:unresolved 117", "limit": "5"}


def test_no_issues_says_so(issues):
    result = issues()
    assert result.returncode == 0
    assert result.stdout == "no issues in acme/web match 'is:unresolved'\n"


def test_without_read_token_exits_3_and_sends_nothing(issues, server):
    result = issues(env={"SENTRY_READ_TOKEN": None})
    assert result.returncode == 3
    assert result.stderr.startswith("sentry-sourcemaps: error: no read token: set "
                                    "SENTRY_READ_TOKEN")
    assert "the upload token is never used to read issues" in result.stderr
    assert server.requests == []


def test_read_token_without_event_scope_exits_3(issues, server):
    result = issues(env={"SENTRY_READ_TOKEN": UPLOAD})
    assert result.returncode == 3
    assert "warning: SENTRY_READ_TOKEN is the upload token" in result.stderr
    assert "the auth token may not access project 'acme/web' (403" in result.stderr


def test_unknown_project_exits_2(issues):
    result = issues(env={"SENTRY_PROJECT": "nope"})
    assert result.returncode == 2
    assert "project 'acme/nope' not found" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["--limit", "0"], "--limit needs at least 1"),
    (["--limit", "x"], "option '--limit' needs a whole number"),
    (["extra"], "issues takes no arguments, got 'extra'"),
])
def test_usage_errors_exit_2_before_any_request(issues, server, args, message):
    result = issues(*args)
    assert result.returncode == 2 and message in result.stderr
    assert server.requests == []


def test_check_symbolication_passes_for_resolved_frames(issues, server):
    seed(server)
    seed(server, "Error: no js frames", frames=[])
    result = issues("--check-symbolication")
    assert result.returncode == 0, result.output
    assert "[ok]   WEB-1  Error: checkout failed" in result.stdout
    assert ("ok  src/checkout.js:8:11 in checkout: resolved with "
            "https://shop.example.com/assets/index-rJfmT7nG.js.map") in result.stdout
    assert "[skip] WEB-2" in result.stdout
    assert "point at original sources" in result.stderr
    assert sorted(r["path"] for r in server.requests_to("latest_event")) == sorted(
        "/api/0/issues/%s/events/latest/" % i["id"] for i in server.store.issues)


def test_check_symbolication_fails_for_minified_frames(issues, server):
    seed(server)
    seed(server, "Error: still minified", frames=[VENDOR, MINIFIED])
    seed(server, "Error: line one", frames=[LINE_ONE])
    result = issues("--check-symbolication")
    assert result.returncode == 1, result.output
    assert "[FAIL] WEB-2  Error: still minified" in result.stdout
    assert ("MIN /assets/index-rJfmT7nG.js:9:50688 in d: points at the minified file "
            "/assets/index-rJfmT7nG.js") in result.stdout
    assert "MIN /assets/app.js:1:14231 in t: line 1, column 14231 is a position in " \
           "minified code" in result.stdout
    assert "react-dom" not in result.stdout, "frames not in app are not judged"
    assert "sentry-sourcemaps doctor" in result.stderr


def test_check_symbolication_json(issues, server):
    seed(server, "Error: still minified", frames=[MINIFIED])
    result = issues("--check-symbolication", "--json")
    assert result.returncode == 1
    [issue] = json.loads(result.stdout)
    event = issue["latestEvent"]
    assert event["symbolicated"] is False and len(event["eventID"]) == 32
    assert event["frames"] == [{"location": "/assets/index-rJfmT7nG.js:9:50688",
                                "function": "d", "symbolicated": False,
                                "reason": "points at the minified file "
                                          "/assets/index-rJfmT7nG.js"}]


def test_latest_event_has_the_api_shape(server):
    import urllib.request
    issue = seed(server, debug_images=[(MINIFIED["abs_path"], "1" * 32)], release="web@1")
    request = urllib.request.Request(
        f"{server.url}/api/0/issues/{issue['id']}/events/latest/",
        headers={"Authorization": f"Bearer {READ}"})
    event = json.load(urllib.request.urlopen(request))
    frame = event["entries"][0]["data"]["values"][0]["stacktrace"]["frames"][1]
    assert frame["absPath"] == RESOLVED["abs_path"] and frame["lineNo"] == 8
    assert frame["context"] == [[7, "  if (total > 0) {"],
                                [8, "    throw new Error(`checkout failed`);"], [9, "  }"]]
    assert frame["mapUrl"].endswith(".js.map") and frame["map"] == "index-rJfmT7nG.js.map"
    assert event["entries"][1] == {"type": "debugmeta", "data": {"images": [
        {"type": "sourcemap", "code_file": MINIFIED["abs_path"], "debug_id": "1" * 32}]}}
    assert event["release"] == {"version": "web@1"}


def test_tokens_never_appear_even_verbose(issues, server):
    seed(server)
    result = issues("--verbose", "--check-symbolication")
    assert result.returncode == 0, result.output
    assert "GET" in result.stderr, "--verbose traces the requests"
    assert READ not in result.output and UPLOAD not in result.output
