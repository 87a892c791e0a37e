"""`releases new|finalize|set-commits|deploy`: sentry-cli 3 and ours send the same requests.

Each scenario runs sentry-cli and sentry-sourcemaps against fresh, identically prepared
fake_sentry instances and compares the recorded requests: method, path, query,
Content-Type and JSON body. Dates the tools take from the clock are compared by shape
(RFC 3339 in UTC, within minutes of now); dates given on the command line exactly.

Observed, and matched on purpose: `projects` are JSON numbers for digit-only values in
POST .../releases/ only; finalize's PUT sends them as strings (sentry-cli's UpdatedRelease
has no numeric serializer). A deploy carries `projects` only from -p flags, never from
SENTRY_PROJECT, and `dateFinished` defaults to now. set-commits POSTs
{"version","projects"} (no dateStarted) before its PUT when a project is configured.

Differences on purpose (asserted below, not hidden):
  * `set-commits --clear`: sentry-cli first lists the organization's repositories
    (GET .../repos/) although a clear names none; we send only the PUT, so a token
    without org:read can clear.
  * Clock dates: sentry-cli writes chrono's nanoseconds ("...57.123456789Z"), we write
    microseconds ("...57.123456Z"), which is what the server stores; dates given on the
    command line are byte-identical.
  * Exit codes on errors: sentry-cli exits 1 for everything; we exit 2 for a missing
    release (404) or an unknown repository, as for any other configuration error, and 3
    for auth errors.
  * `set-commits --auto` when the remote matches no repository of the organization:
    sentry-cli falls back to walking local git history (`--local`, sending `commits`);
    we fail and name the known repositories (not compared here).
"""
import os
import re
import shutil
import subprocess
from datetime import datetime, timedelta, timezone

import pytest

from fake_sentry import FakeSentry

TOKEN = "tok-releases-0123456789"
TOKENS = {TOKEN: ["project:releases", "org:read"]}
ORGS = {"acme": ["web", "api"]}
REPOS = {"acme": ["acme/web", "acme/api"]}
DATE_KEYS = ("dateStarted", "dateReleased", "dateFinished")
CLOCK_DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.(\d{3}|\d{6}|\d{9}))?Z\Z")


@pytest.fixture(scope="module")
def ours(request):
    path = request.config.getoption("--uploader")
    if not path or not os.access(path, os.X_OK):
        pytest.fail("--uploader must name the built sentry-sourcemaps (got %r)" % path)
    return os.path.abspath(path)


def _env(fake, tmp_path, extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SENTRY_") and k.lower() != "http_proxy"}
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env.update(SENTRY_URL=fake.url + "/", SENTRY_AUTH_TOKEN=TOKEN, SENTRY_ORG="acme",
               HOME=str(home), SENTRY_LOAD_DOTENV="0", SENTRY_DISABLE_UPDATE_CHECK="1",
               SENTRY_NO_PROGRESS_BAR="1")
    env.update(extra)
    return env


def _normalized_date(value):
    """A clock date becomes "<now>"; a fixed one stays as it is."""
    m = CLOCK_DATE.match(value)
    assert m, "not RFC 3339 UTC: %r" % value
    when = datetime.fromisoformat(value[:19] + "+00:00")
    if abs(datetime.now(timezone.utc) - when) < timedelta(minutes=5):
        return "<now>"
    return value


def recorded(fake):
    out = []
    for r in fake.requests:
        body = r["body"]
        if isinstance(body, dict):
            body = {k: (_normalized_date(v) if k in DATE_KEYS and isinstance(v, str) else v)
                    for k, v in body.items()}
        out.append({"method": r["method"], "path": r["path"], "query": r["query"],
                    "content-type": r["headers"].get("content-type"), "body": body,
                    "status": r["status"]})
    return out


def run_both(sentry_cli, ours, tmp_path, cli_args, our_args, setup=None, env=None, cwd=None):
    """Runs both tools on fresh stand-ins; returns ((proc, requests), (proc, requests))."""
    results = []
    for binary, args in ((sentry_cli, cli_args), (ours, our_args)):
        with FakeSentry(tokens=TOKENS, orgs=ORGS, repos=REPOS) as fake:
            if setup:
                setup(fake)
                fake.clear_requests()
            proc = subprocess.run([str(binary)] + args, cwd=str(cwd or tmp_path),
                                  env=_env(fake, tmp_path, env or {}), capture_output=True,
                                  text=True, timeout=300)
            results.append((proc, recorded(fake)))
    return results


def existing(version="1.0", projects=("web",)):
    def setup(fake):
        import json
        from urllib.request import Request, urlopen
        urlopen(Request(fake.url + "/api/0/organizations/acme/releases/", method="POST",
                        data=json.dumps({"version": version,
                                         "projects": list(projects)}).encode(),
                        headers={"Authorization": "Bearer " + TOKEN,
                                 "Content-Type": "application/json"})).read()
    return setup


SAME = [
    pytest.param(["releases", "new", "-p", "web", "-p", "1002", "--url", "https://r.invalid/1",
                  "1.0"],
                 ["releases", "new", "1.0", "-p", "web", "-p", "1002", "--url",
                  "https://r.invalid/1"], None, {}, id="new"),
    pytest.param(["releases", "new", "--finalize", "1.0"],
                 ["releases", "new", "--finalize", "1.0"], None, {"SENTRY_PROJECT": "web"},
                 id="new-finalize"),
    pytest.param(["releases", "new", "-p", "web", "1.0"],
                 ["releases", "new", "-p", "web", "1.0"], existing(), {}, id="new-208"),
    pytest.param(["releases", "finalize", "1.0"], ["releases", "finalize", "1.0"],
                 existing(), {}, id="finalize"),
    pytest.param(["releases", "finalize", "1.0"], ["releases", "finalize", "1.0"],
                 existing(), {"SENTRY_PROJECT": "web"}, id="finalize-env-project"),
    pytest.param(["releases", "finalize", "-p", "web", "-p", "1002", "--url", "https://u.invalid",
                  "--released", "1700000000", "1.0"],
                 ["releases", "finalize", "-p", "web", "-p", "1002", "--url",
                  "https://u.invalid", "--released", "1700000000", "1.0"],
                 existing(), {}, id="finalize-unix-time"),
    pytest.param(["releases", "finalize", "--released", "2023-11-14T23:13:20.25+01:00", "1.0"],
                 ["releases", "finalize", "--released", "2023-11-14T23:13:20.25+01:00", "1.0"],
                 existing(), {}, id="finalize-rfc3339"),
    pytest.param(["releases", "finalize", "--released", "Tue, 14 Nov 2023 22:13:20 +0000",
                  "1.0"],
                 ["releases", "finalize", "--released", "Tue, 14 Nov 2023 22:13:20 +0000",
                  "1.0"], existing(), {}, id="finalize-rfc2822"),
    pytest.param(["releases", "finalize", "nope"], ["releases", "finalize", "nope"],
                 None, {}, id="finalize-missing"),
    pytest.param(["releases", "set-commits", "1.0", "--commit", "acme/web@abc..def",
                  "--commit", "acme/api@fff"],
                 ["releases", "set-commits", "1.0", "--commit", "acme/web@abc..def",
                  "--commit", "acme/api@fff"], existing(), {}, id="set-commits"),
    pytest.param(["releases", "set-commits", "-p", "web", "2.0", "--commit", "acme/web@abc"],
                 ["releases", "set-commits", "-p", "web", "2.0", "--commit", "acme/web@abc"],
                 None, {}, id="set-commits-creates-release"),
    pytest.param(["releases", "set-commits", "1.0", "--commit", "acme/nope@abc"],
                 ["releases", "set-commits", "1.0", "--commit", "acme/nope@abc"],
                 existing(), {}, id="set-commits-unknown-repo"),
    pytest.param(["deploys", "new", "-r", "1.0", "-e", "production"],
                 ["releases", "deploy", "1.0", "-e", "production"], existing(), {},
                 id="deploy"),
    pytest.param(["deploys", "new", "-r", "1.0", "-e", "staging", "-n", "d1", "-u",
                  "https://d.invalid", "--started", "1700000000", "--finished",
                  "2023-11-14T23:20:00+01:00"],
                 ["releases", "deploy", "1.0", "-e", "staging", "-n", "d1", "-u",
                  "https://d.invalid", "--started", "1700000000", "--finished",
                  "2023-11-14T23:20:00+01:00"], existing(), {}, id="deploy-everything"),
    pytest.param(["deploys", "new", "-r", "1.0", "-e", "prod", "-p", "web", "-t", "60"],
                 ["releases", "deploy", "1.0", "-e", "prod", "-p", "web", "-t", "60"],
                 existing(), {}, id="deploy-time-projects"),
    pytest.param(["deploys", "new", "-r", "1.0", "-e", "prod"],
                 ["releases", "deploy", "1.0", "-e", "prod"], existing(),
                 {"SENTRY_PROJECT": "web"}, id="deploy-env-project"),
    pytest.param(["deploys", "new", "-r", "nope", "-e", "prod"],
                 ["releases", "deploy", "nope", "-e", "prod"], None, {}, id="deploy-missing"),
]


@pytest.mark.parametrize("cli_args, our_args, setup, env", SAME)
def test_same_requests(sentry_cli, ours, tmp_path, cli_args, our_args, setup, env):
    (cli_proc, cli_requests), (our_proc, our_requests) = run_both(
        sentry_cli, ours, tmp_path, cli_args, our_args, setup, env)
    assert cli_requests, cli_proc.stderr
    assert our_requests == cli_requests, (cli_proc.stderr, our_proc.stderr)
    if cli_proc.returncode == 0:
        assert our_proc.returncode == 0, our_proc.stderr
    else:
        assert our_proc.returncode != 0, our_proc.stdout


def test_set_commits_auto_in_a_checkout(sentry_cli, ours, tmp_path):
    if not shutil.which("git"):
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    for args in (["init", "-q"], ["commit", "-q", "--allow-empty", "-m", "one"],
                 ["remote", "add", "origin", "git@github.com:acme/web.git"]):
        subprocess.run(["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t",
                        *args], cwd=repo, check=True, capture_output=True)
    args = ["releases", "set-commits", "1.0", "--auto"]
    (cli_proc, cli_requests), (our_proc, our_requests) = run_both(
        sentry_cli, ours, tmp_path, args, args, existing(), cwd=repo)
    assert cli_proc.returncode == 0 and our_proc.returncode == 0, our_proc.stderr
    assert our_requests == cli_requests
    assert cli_requests[-1]["body"]["refs"][0]["repository"] == "acme/web"


def test_set_commits_clear_skips_the_repository_list(sentry_cli, ours, tmp_path):
    args = ["releases", "set-commits", "1.0", "--clear"]
    (cli_proc, cli_requests), (our_proc, our_requests) = run_both(
        sentry_cli, ours, tmp_path, args, args, existing())
    assert cli_proc.returncode == 0 and our_proc.returncode == 0, our_proc.stderr
    # The one difference: sentry-cli's needless GET .../repos/ first.
    assert [r["path"] for r in cli_requests] == ["/api/0/organizations/acme/repos/",
                                                 "/api/0/organizations/acme/releases/1.0/"]
    assert our_requests == cli_requests[1:]
    assert our_requests[0]["body"] == {"refs": []}


def test_clock_dates_differ_only_in_precision(sentry_cli, ours, tmp_path):
    args = ["releases", "finalize", "1.0"]
    with FakeSentry(tokens=TOKENS, orgs=ORGS) as fake:
        existing()(fake)
        for binary in (sentry_cli, ours):
            proc = subprocess.run([str(binary)] + args, cwd=str(tmp_path),
                                  env=_env(fake, tmp_path, {}), capture_output=True, text=True,
                                  timeout=300)
            assert proc.returncode == 0, proc.stderr
        cli_date, our_date = [r["body"]["dateReleased"] for r in fake.requests_to("release_update")]
    assert re.fullmatch(r"\S+T\S+\.\d{9}Z", cli_date), cli_date
    assert re.fullmatch(r"\S+T\S+(\.\d{3}|\.\d{6})?Z", our_date), our_date
