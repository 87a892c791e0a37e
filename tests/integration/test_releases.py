"""`sentry-sourcemaps releases new|finalize|set-commits|deploy` against fake_sentry.

Asserts exit codes, the one-line messages and the recorded request bodies (dates
only by shape, or exactly when given on the command line).
"""
import json
import os
import re
import shutil
import subprocess
from datetime import datetime, timedelta, timezone

import pytest

from fake_sentry import FakeSentry

TOKEN = "tok-releases-0123456789"
TOKENS = {TOKEN: ["project:releases", "org:read"], "tok-read-only-0123": ["project:read"]}
ORGS = {"acme": ["web", "api"]}
REPOS = {"acme": ["acme/web", "acme/api"]}
DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6})?Z\Z")
REL = "/api/0/organizations/acme/releases/"


def parse_date(text):
    assert DATE.match(text), text
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def recent(text):
    return abs(datetime.now(timezone.utc) - parse_date(text)) < timedelta(minutes=5)


@pytest.fixture
def sentry():
    with FakeSentry(tokens=TOKENS, orgs=ORGS, repos=REPOS) as s:
        yield s


@pytest.fixture
def workdir(case_dir):
    """A folder outside any git checkout, with an empty HOME."""
    (case_dir / "home").mkdir()
    (case_dir / "work").mkdir()
    return case_dir / "work"


@pytest.fixture
def releases(cli, sentry, workdir):
    """Runs `releases ...` with only the variables a test names (no CI ones)."""
    def invoke(*args, env=None, cwd=None, token=TOKEN, org="acme"):
        base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "HOME": str(workdir.parent / "home"), "SENTRY_URL": sentry.url,
                "SENTRY_AUTH_TOKEN": token, "SENTRY_ORG": org}
        base.update(env or {})
        return cli("releases", *args, cwd=cwd or workdir,
                   env={k: v for k, v in base.items() if v is not None})
    return invoke


def bodies(sentry, endpoint):
    return [r["body"] for r in sentry.requests_to(endpoint)]


def calls(sentry):
    return [(r["method"], r["path"]) for r in sentry.requests]


def create(sentry, version="1.0", projects=("web",)):
    from urllib.request import Request, urlopen
    req = Request(sentry.url + REL, method="POST",
                  data=json.dumps({"version": version, "projects": list(projects)}).encode(),
                  headers={"Authorization": "Bearer " + TOKEN,
                           "Content-Type": "application/json"})
    urlopen(req).read()
    sentry.clear_requests()


# --- releases new

def test_new_creates_release_with_numeric_project_ids(releases, sentry):
    result = releases("new", "1.0", "-p", "web", "-p", "1002", "--url", "https://r.invalid/1")
    assert result.returncode == 0, result.output
    assert result.stdout == "Created release 1.0 in acme for web, 1002 (201)\n"
    [body] = bodies(sentry, "release_new")
    assert recent(body.pop("dateStarted"))
    assert body == {"version": "1.0", "projects": ["web", 1002], "url": "https://r.invalid/1"}
    assert sentry.releases[("acme", "1.0")]["projects"] == ["web", "api"]


def test_new_again_says_208_and_changes_nothing(releases, sentry):
    assert releases("new", "1.0", "-p", "web").returncode == 0
    result = releases("new", "1.0", "-p", "web")
    assert result.returncode == 0, result.output
    assert result.stdout == ("Release 1.0 already exists in acme with these projects; "
                             "nothing changed (208 Already Reported)\n")


def test_new_finalize_sends_date_released(releases, sentry):
    result = releases("new", "2.0", "--finalize", env={"SENTRY_PROJECT": "web"})
    assert result.returncode == 0, result.output
    assert result.stdout == "Created release 2.0 in acme for web (201, finalized)\n"
    [body] = bodies(sentry, "release_new")
    assert set(body) == {"version", "projects", "dateStarted", "dateReleased"}
    assert recent(body["dateReleased"]) and body["projects"] == ["web"]
    assert sentry.releases[("acme", "2.0")]["dateReleased"] == body["dateReleased"]


def test_new_finalize_of_an_existing_release_warns(releases, sentry):
    create(sentry, "2.0")
    result = releases("new", "2.0", "-p", "web", "--finalize")
    assert result.returncode == 0, result.output
    assert "warning: Sentry kept release 2.0 unfinalized because it existed already; " \
        "run 'sentry-sourcemaps releases finalize 2.0'" in result.stderr


def test_new_json(releases, sentry):
    result = releases("new", "1.0", "-p", "web", "--json")
    assert result.returncode == 0, result.output
    out = json.loads(result.stdout)
    assert out == {"action": "new", "organization": "acme", "release": "1.0",
                   "releaseSource": "the VERSION argument", "created": True, "status": 201,
                   "projects": ["web"], "dateReleased": None}
    assert json.loads(releases("new", "1.0", "-p", "web", "--json").stdout)["status"] == 208


def test_new_needs_a_project(releases, sentry):
    result = releases("new", "1.0")
    assert result.returncode == 2
    assert "releases new needs a project: set --project, SENTRY_PROJECT" in result.stderr
    assert sentry.requests == []


def test_new_with_unknown_project_is_explained(releases, sentry):
    result = releases("new", "1.0", "-p", "web", "-p", "nope")
    assert result.returncode == 2, result.output
    assert ("Sentry rejected the projects 'web', 'nope' (400: Invalid project ids or slugs): "
            "one of them does not exist in organization 'acme' or the token cannot see it; "
            "check --project or SENTRY_PROJECT" in result.stderr)


# --- releases finalize

def test_finalize_now(releases, sentry):
    create(sentry)
    result = releases("finalize", "1.0")
    assert result.returncode == 0, result.output
    [body] = bodies(sentry, "release_update")
    assert set(body) == {"dateReleased"} and recent(body["dateReleased"])
    assert result.stdout == "Finalized release 1.0 in acme (released %s)\n" % body["dateReleased"]


@pytest.mark.parametrize("given, sent", [
    ("1700000000", "2023-11-14T22:13:20Z"),
    ("2023-11-14T23:13:20.25+01:00", "2023-11-14T22:13:20.250Z"),
    ("Tue, 14 Nov 2023 22:13:20 +0000", "2023-11-14T22:13:20Z"),
])
def test_finalize_released_time_forms(releases, sentry, given, sent):
    create(sentry)
    result = releases("finalize", "1.0", "--released", given, "-p", "web",
                      "--url", "https://r.invalid")
    assert result.returncode == 0, result.output
    assert bodies(sentry, "release_update") == [
        {"projects": ["web"], "url": "https://r.invalid", "dateReleased": sent}]
    assert sentry.releases[("acme", "1.0")]["dateReleased"] == sent


def test_finalize_bad_time_is_a_usage_error(releases, sentry):
    result = releases("finalize", "1.0", "--released", "yesterday")
    assert result.returncode == 2
    assert "option '--released' needs a time: Unix seconds, RFC 3339" in result.stderr
    assert "not 'yesterday'" in result.stderr
    assert sentry.requests == []


def test_finalize_missing_release_explains_the_404(releases, sentry):
    result = releases("finalize", "nope")
    assert result.returncode == 2, result.output
    assert ("release 'nope' not found in organization 'acme' at %s/ (404 on PUT "
            "%s/api/0/organizations/acme/releases/nope/); create it first with "
            "'sentry-sourcemaps releases new nope'" % (sentry.url, sentry.url)) in result.stderr


def test_finalize_percent_encodes_the_version(releases, sentry):
    create(sentry, "my app@1.0+b#1")
    result = releases("finalize", "my app@1.0+b#1")
    assert result.returncode == 0, result.output
    assert calls(sentry) == [("PUT", REL + "my%20app@1.0%2Bb%231/")]


# --- releases set-commits

def test_set_commits_with_commit_specs(releases, sentry):
    create(sentry)
    result = releases("set-commits", "1.0", "--commit", "acme/web@abc..def",
                      "-c", "acme/api@fff")
    assert result.returncode == 0, result.output
    assert result.stdout == "Set commits of release 1.0: acme/web abc..def, acme/api fff\n"
    assert calls(sentry) == [("GET", "/api/0/organizations/acme/repos/"), ("PUT", REL + "1.0/")]
    assert bodies(sentry, "release_update") == [{"refs": [
        {"repository": "acme/web", "commit": "def", "previousCommit": "abc"},
        {"repository": "acme/api", "commit": "fff", "previousCommit": None}]}]
    assert sentry.releases[("acme", "1.0")]["refs"][0]["commit"] == "def"


def test_set_commits_creates_the_release_when_a_project_is_configured(releases, sentry):
    result = releases("set-commits", "3.0", "-c", "acme/web@abc", env={"SENTRY_PROJECT": "web"})
    assert result.returncode == 0, result.output
    assert calls(sentry) == [("GET", "/api/0/organizations/acme/repos/"), ("POST", REL),
                             ("PUT", REL + "3.0/")]
    assert bodies(sentry, "release_new") == [{"version": "3.0", "projects": ["web"]}]


def test_set_commits_unknown_repository_lists_the_known_ones(releases, sentry):
    create(sentry)
    result = releases("set-commits", "1.0", "-c", "acme/nope@abc")
    assert result.returncode == 2, result.output
    assert ("repository 'acme/nope' is not connected to organization 'acme' (known: "
            "acme/web, acme/api)" in result.stderr)
    assert calls(sentry) == [("GET", "/api/0/organizations/acme/repos/")]


def test_set_commits_clear(releases, sentry):
    create(sentry)
    result = releases("set-commits", "1.0", "--clear", "--json")
    assert result.returncode == 0, result.output
    assert json.loads(result.stdout)["cleared"] is True
    assert calls(sentry) == [("PUT", REL + "1.0/")]
    assert bodies(sentry, "release_update") == [{"refs": []}]


def test_set_commits_needs_exactly_one_mode(releases, sentry):
    for args in ([], ["--auto", "--clear"], ["-c", "acme/web@a", "--auto"]):
        result = releases("set-commits", "1.0", *args)
        assert result.returncode == 2, (args, result.output)
        assert "needs exactly one of --commit REPO@[PREV..]SHA (repeatable), --auto or " \
            "--clear" in result.stderr
    result = releases("set-commits", "1.0", "-c", "acme/web")
    assert result.returncode == 2
    assert "--commit 'acme/web' names no commit; write REPO@SHA" in result.stderr
    assert sentry.requests == []


def git(cwd, *args):
    subprocess.run(["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t", *args],
                   cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def checkout(workdir):
    if not shutil.which("git"):
        pytest.skip("git is not installed")
    git(workdir, "init", "-q")
    git(workdir, "commit", "-q", "--allow-empty", "-m", "one")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=workdir, capture_output=True,
                          text=True, check=True).stdout.strip()
    return head


def test_set_commits_auto_uses_head_and_the_remote(releases, sentry, workdir, checkout):
    git(workdir, "remote", "add", "origin", "git@github.com:acme/web.git")
    create(sentry)
    result = releases("set-commits", "1.0", "--auto")
    assert result.returncode == 0, result.output
    assert bodies(sentry, "release_update") == [
        {"refs": [{"repository": "acme/web", "commit": checkout, "previousCommit": None}]}]


def test_set_commits_auto_with_foreign_remote_fails(releases, sentry, workdir, checkout):
    git(workdir, "remote", "add", "origin", "https://gitlab.com/other/thing.git")
    result = releases("set-commits", "1.0", "--auto")
    assert result.returncode == 2
    assert ("--auto: the git remote 'origin' points to gitlab.com/other/thing, which is no "
            "repository of the organization (known: acme/web, acme/api)" in result.stderr)


def test_set_commits_auto_from_ci_variables_without_checkout(releases, sentry):
    create(sentry)
    result = releases("set-commits", "1.0", "--auto",
                      env={"GITHUB_SHA": "c0ffee", "GITHUB_REPOSITORY": "acme/api"})
    assert result.returncode == 0, result.output
    assert bodies(sentry, "release_update") == [
        {"refs": [{"repository": "acme/api", "commit": "c0ffee", "previousCommit": None}]}]


def test_set_commits_auto_without_checkout_or_ci_fails_clearly(releases, sentry):
    result = releases("set-commits", "1.0", "--auto")
    assert result.returncode == 2
    assert "--auto found no git checkout here and no CI variables naming the commit" \
        in result.stderr


# --- releases deploy

def test_deploy_defaults(releases, sentry):
    create(sentry)
    result = releases("deploy", "1.0", "-e", "production")
    assert result.returncode == 0, result.output
    assert result.stdout == "Created deploy of release 1.0 to production\n"
    [body] = bodies(sentry, "deploy_new")
    assert recent(body.pop("dateFinished"))
    assert body == {"environment": "production", "name": None, "url": None,
                    "dateStarted": None}


def test_deploy_with_everything(releases, sentry):
    create(sentry)
    result = releases("deploy", "1.0", "--env", "staging", "-n", "d1", "-u", "https://d.invalid",
                      "--started", "1700000000", "--finished", "2023-11-14T23:20:00+01:00",
                      "-p", "web", "--json")
    assert result.returncode == 0, result.output
    assert bodies(sentry, "deploy_new") == [{
        "environment": "staging", "name": "d1", "url": "https://d.invalid",
        "dateStarted": "2023-11-14T22:13:20Z", "dateFinished": "2023-11-14T22:20:00Z",
        "projects": ["web"]}]
    out = json.loads(result.stdout)
    assert out["action"] == "deploy" and out["environment"] == "staging" and out["id"]
    assert sentry.deploys[0]["name"] == "d1"


def test_deploy_time_sets_both_ends(releases, sentry):
    create(sentry)
    assert releases("deploy", "1.0", "-e", "prod", "-t", "90").returncode == 0
    [body] = bodies(sentry, "deploy_new")
    delta = parse_date(body["dateFinished"]) - parse_date(body["dateStarted"])
    assert delta == timedelta(seconds=90)


def test_deploy_usage_errors(releases, sentry):
    cases = [
        ([], "releases deploy needs --env ENV"),
        (["-e", "a/b"], "--env 'a/b' is not a valid Sentry environment"),
        (["-e", "prod", "-t", "5", "--started", "0"], "--time sets both ends of the deploy"),
        (["-e", "prod", "-t", "soon"], "option '--time' needs a whole number"),
        (["-e", "prod", "--finalize"], "option '--finalize' does not apply to 'releases "
                                       "deploy'; it is for 'releases new'"),
    ]
    for args, message in cases:
        result = releases("deploy", "1.0", *args)
        assert result.returncode == 2, (args, result.output)
        assert message in result.stderr, (args, result.stderr)
    assert sentry.requests == []


def test_deploy_of_missing_release_explains_the_404(releases, sentry):
    result = releases("deploy", "nope", "-e", "prod")
    assert result.returncode == 2
    assert "release 'nope' not found in organization 'acme'" in result.stderr
    assert "create it first with 'sentry-sourcemaps releases new nope'" in result.stderr


# --- release names

def test_release_from_sentry_release_env(releases, sentry):
    create(sentry, "env@1")
    result = releases("finalize", env={"SENTRY_RELEASE": "env@1"})
    assert result.returncode == 0, result.output
    assert calls(sentry) == [("PUT", REL + "env@1/")]


def test_release_from_env_file(releases, sentry, workdir):
    create(sentry, "file@1")
    (workdir / ".env.sentry-build-plugin").write_text("SENTRY_RELEASE=file@1\n")
    assert releases("finalize").returncode == 0
    assert calls(sentry) == [("PUT", REL + "file@1/")]


def test_release_flag_wins_over_env_and_ci(releases, sentry):
    create(sentry, "flag@1")
    result = releases("finalize", "-r", "flag@1",
                      env={"SENTRY_RELEASE": "env@1", "GITHUB_SHA": "abc"})
    assert result.returncode == 0, result.output
    assert calls(sentry) == [("PUT", REL + "flag@1/")]


def test_release_from_ci_variable(releases, sentry):
    create(sentry, "abc123")
    result = releases("finalize", "--json", env={"CIRCLE_SHA1": "abc123", "GIT_COMMIT": "zzz"})
    assert result.returncode == 0, result.output
    assert json.loads(result.stdout)["releaseSource"] == "CIRCLE_SHA1"
    assert calls(sentry) == [("PUT", REL + "abc123/")]


def test_release_from_git_head(releases, sentry, checkout):
    create(sentry, checkout)
    result = releases("finalize")
    assert result.returncode == 0, result.output
    assert calls(sentry) == [("PUT", REL + checkout + "/")]


def test_no_release_anywhere(releases, sentry):
    result = releases("finalize")
    assert result.returncode == 2
    assert result.stderr == ("sentry-sourcemaps: error: no release given and none detected: "
                             "set --release or SENTRY_RELEASE, or run inside a git checkout\n")


def test_invalid_and_conflicting_release_names(releases, sentry):
    result = releases("finalize", "a/b")
    assert result.returncode == 2
    assert "release 'a/b' (from the VERSION argument) contains '/'" in result.stderr
    result = releases("finalize", "1.0", "-r", "2.0")
    assert result.returncode == 2
    assert "got two releases: '1.0' and --release '2.0'" in result.stderr
    assert sentry.requests == []


# --- command line, configuration and server errors

def test_unknown_action_lists_the_accepted_ones(releases):
    result = releases("publish", "1.0")
    assert result.returncode == 2
    assert result.stderr == ("sentry-sourcemaps: error: unknown releases action 'publish'; "
                             "accepted: new, finalize, set-commits, deploy (see "
                             "'sentry-sourcemaps releases --help')\n")


def test_help_documents_the_actions(cli):
    result = cli("releases", "--help")
    assert result.returncode == 0
    for line in ("Usage: sentry-sourcemaps releases <new|finalize|set-commits|deploy>",
                 "sentry-sourcemaps releases set-commits (--commit REPO@[PREV..]SHA... | "
                 "--auto | --clear) [VERSION]",
                 "sentry-sourcemaps releases deploy --env ENV"):
        assert line in result.stdout


def test_missing_token_and_org(releases, sentry):
    result = releases("finalize", "1.0", token=None)
    assert result.returncode == 3
    assert "no auth token: set SENTRY_AUTH_TOKEN" in result.stderr
    result = releases("finalize", "1.0", org=None)
    assert result.returncode == 2
    assert "no organization: set --org, SENTRY_ORG" in result.stderr
    assert sentry.requests == []


def test_rejected_token_exits_3_without_showing_it(releases, sentry):
    token = "sntryu_" + "ab" * 32
    result = releases("new", "1.0", "-p", "web", "-v", token=token)
    assert result.returncode == 3, result.output
    assert "rejected the auth token (401" in result.stderr
    assert token not in result.output and "ab" * 32 not in result.output


def test_token_without_scopes_exits_3(releases, sentry):
    result = releases("new", "1.0", "-p", "web", token="tok-read-only-0123")
    assert result.returncode == 3
    assert "403" in result.stderr and "project:releases" in result.stderr


def test_unknown_org_exits_2_with_not_found(releases, sentry):
    result = releases("new", "1.0", "-p", "web", "-o", "nosuch")
    assert result.returncode == 2, result.output
    assert "organization 'nosuch' not found at %s/" % sentry.url in result.stderr
    result = releases("set-commits", "1.0", "-c", "a/b@c", "-o", "nosuch")
    assert result.returncode == 2
    assert "organization 'nosuch' not found" in result.stderr


def test_server_url_comes_from_sentry_url_flag(releases, sentry):
    create(sentry)
    result = releases("finalize", "1.0", "--sentry-url", sentry.url,
                      env={"SENTRY_URL": "http://127.0.0.1:9"})
    assert result.returncode == 0, result.output


def test_verbose_never_prints_the_token(releases, sentry):
    create(sentry)
    result = releases("finalize", "1.0", "-v", "--auth-token", TOKEN, token=None)
    assert result.returncode == 0, result.output
    assert TOKEN not in result.output
    assert "PUT %s/api/0/organizations/acme/releases/1.0/" % sentry.url in result.stderr


def test_quiet_prints_nothing(releases, sentry):
    create(sentry)
    result = releases("finalize", "1.0", "-q")
    assert result.returncode == 0 and result.output == ""
