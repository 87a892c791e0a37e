"""Faults survived, bad answers explained, files never harmed.

The fault matrix drives every endpoint the uploader calls through every kind
of failure and checks, for each: the exit code, a message that says what to
do, the request log (what was retried, how often) and that every input file
is byte-for-byte intact (with --delete-after: no map deleted unless Sentry
confirmed it). docs/reliability.md shows the same table; a test keeps them
in sync, and `python3 tests/integration/test_faults.py` rewrites it.

Retry delays are kept tiny with SENTRY_SOURCEMAPS_RETRY_DELAY_MS=0 (a test
aid) and `Retry-After: 0`.
"""
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path

if __name__ == "__main__":  # regenerating the doc: make the helpers importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pytest

from fake_sentry import FakeSentry
from helpers.deletion import assert_deleted_only_after_confirmation
from helpers.dist import snapshot, write_dist
from helpers.network import Proxy, make_certificate, no_proxy_env, serve_tls
from helpers.process import Child, clean_env

TOKEN = "tok-faults-0123456789abcdef"
FAST = {"SENTRY_SOURCEMAPS_RETRY_DELAY_MS": "0"}
UPLOAD = ["-o", "acme", "-p", "web", "-r", "1", "--delete-after", "--max-retries", "1",
          "--stall-timeout", "1"]
DOC = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"

# --- the matrix -------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    name: str
    entry: object      # a fake_sentry fault entry (see fake_sentry/faults.py)
    retried: bool
    exit_code: int
    hint: str          # part of the message that says what to do
    only: str = None   # the one endpoint this fault applies to


FAULTS = [
    Fault("401", 401, False, 3, "set SENTRY_AUTH_TOKEN"),
    Fault("403", 403, False, 3, "it needs the scopes project:releases"),
    Fault("404", 404, False, 2, "check the slug"),
    Fault("413", 413, False, 1, "lower --max-request-size"),
    Fault("429 + Retry-After: 0", {"status": 429, "headers": {"Retry-After": "0"}}, True, 1,
          "try again later"),
    Fault("500", 500, True, 1, "try again later or check the server's logs"),
    Fault("502", 502, True, 1, "try again later or check the server's logs"),
    Fault("dropped connection", {"drop": True}, True, 1, "try again later, or check a proxy"),
    # Sixty times --stall-timeout: only the tool's stall check can end it.
    Fault("stall > --stall-timeout", {"stall": 60}, True, 1, "raise --connect-timeout or "
          "--stall-timeout"),
    Fault("assemble state `error`",
          {"status": 200, "body": {"state": "error", "detail": "broken zip",
                                   "missingChunks": []}},
          False, 1, "fix what Sentry names", only="assemble"),
]

# (endpoint name in the request log, what the user runs, what runs before it)
ENDPOINTS = [
    ("options", "upload: GET chunk-upload options", []),
    ("assemble", "upload: POST assemble (first call)", ["options"]),
    ("chunk", "upload: POST chunks", ["options", "assemble"]),
    ("release_new", "releases new: POST release", []),
]
METHOD = {"options": "GET", "assemble": "POST", "chunk": "POST", "release_new": "POST"}

# A 404 on chunk-upload for an organization that exists is how a server
# without chunk upload answers: the upload falls back to release files
# (test_legacy_servers.py), so that pair is no fault.
CASES = [(endpoint, fault) for endpoint, _, _ in ENDPOINTS for fault in FAULTS
         if fault.only in (None, endpoint) and (endpoint, fault.name) != ("options", "404")]


def attempts(fault):
    """Attempts made with --max-retries 1 while the fault persists."""
    return 2 if fault.retried else 1


# libcurl itself re-sends a request once, at once and on a fresh connection,
# when a reused keep-alive connection closes without an answer. Every step
# after the first runs on a reused connection.
REUSED = {"assemble", "chunk"}


def requests_seen(endpoint, fault):
    """Requests the server sees while the fault persists."""
    return attempts(fault) + (1 if "drop" in str(fault.entry) and endpoint in REUSED else 0)


def render_table():
    rows = ["| Endpoint | Fault | Retried | Requests seen (`--max-retries 1`) | Exit | "
            "The message says | Fault once, then OK |",
            "|---|---|---|---|---|---|---|"]
    titles = {name: title for name, title, _ in ENDPOINTS}
    for endpoint, fault in CASES:
        once = "exit 0 after 1 retry" if fault.retried else f"exit {fault.exit_code}"
        seen = requests_seen(endpoint, fault)
        shown = f"{seen} (libcurl: +1)" if seen != attempts(fault) else str(seen)
        rows.append(f"| {titles[endpoint]} | {fault.name} | {'yes' if fault.retried else 'no'} "
                    f"| {shown} | {fault.exit_code} | \u2026{fault.hint}\u2026 "
                    f"| {once} |")
    return "\n".join(rows) + "\n"


BEGIN, END = "<!-- fault-matrix:begin -->\n", "<!-- fault-matrix:end -->"


def write_doc():
    text = DOC.read_text()
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    DOC.write_text(text[:start] + render_table() + text[end:])


# --- fixtures ---------------------------------------------------------------


@pytest.fixture
def sentry():
    with FakeSentry(tokens={TOKEN: ["project:releases", "org:read"]},
                    orgs={"acme": ["web", "api"]}) as server:
        yield server


@pytest.fixture
def run_tool(uploader, sentry, case_dir):
    """Runs the uploader from case_dir against `sentry` with fast retries."""
    def invoke(*args, env=None, timeout=120):
        environment = clean_env(SENTRY_URL=sentry.url, SENTRY_AUTH_TOKEN=TOKEN,
                                SENTRY_ORG="acme", HOME=str(case_dir), **FAST)
        for name, value in (env or {}).items():  # None removes a variable
            if value is None:
                environment.pop(name, None)
            else:
                environment[name] = value
        completed = subprocess.run([uploader, *args], cwd=case_dir, env=environment,
                                   capture_output=True, text=True, timeout=timeout)
        return completed
    return invoke


def faulted(sentry, endpoint):
    return [r for r in sentry.requests_to(endpoint) if "fault" in r]


def maps_of(root):
    return sorted(str(p.relative_to(root)) for p in Path(root).rglob("*.map"))


# --- the matrix tests -------------------------------------------------------


def test_reliability_doc_shows_the_matrix():
    text = DOC.read_text()
    assert BEGIN in text and END in text
    shown = text[text.index(BEGIN) + len(BEGIN):text.index(END)]
    assert shown == render_table(), \
        "docs/reliability.md is stale: run python3 tests/integration/test_faults.py"


@pytest.mark.parametrize("endpoint,fault", CASES,
                         ids=[f"{e}-{f.name.split()[0]}" for e, f in CASES])
def test_fault_persists(run_tool, sentry, case_dir, endpoint, fault):
    # Scripted more often than allowed: a tool that retried too often would
    # show it in the count.
    sentry.script_fault(METHOD[endpoint], endpoint, [fault.entry] * 4)
    if endpoint == "release_new":
        result = run_tool("releases", "new", "-p", "web", "--max-retries", "1",
                          "--stall-timeout", "1", "2.0")
        before = after = None
    else:
        dist = write_dist(case_dir / "dist")
        before = snapshot(dist)
        result = run_tool("upload", *UPLOAD, "dist")
        after = snapshot(dist)
    output = result.stdout + result.stderr
    assert result.returncode == fault.exit_code, output
    assert "sentry-sourcemaps: error: " in result.stderr
    assert fault.hint in result.stderr, result.stderr
    assert len(faulted(sentry, endpoint)) == requests_seen(endpoint, fault), sentry.requests
    assert len(sentry.requests_to(endpoint)) == requests_seen(endpoint, fault)
    # Nothing after the failed step was attempted.
    seen = {r["endpoint"] for r in sentry.requests}
    before_it = dict((e, b) for e, _, b in ENDPOINTS)[endpoint]
    assert seen == {endpoint, *before_it}, seen
    if endpoint == "release_new":
        assert sentry.releases == {}
    else:
        assert after == before, "a failed upload must leave every file as it was"
        assert sentry.bundles == []
        if fault.retried:
            assert "retry 1/1" in result.stderr


RETRIED = [(e, f) for e, f in CASES if f.retried]


@pytest.mark.parametrize("endpoint,fault", RETRIED,
                         ids=[f"{e}-{f.name.split()[0]}" for e, f in RETRIED])
def test_fault_once_then_recovers(run_tool, sentry, case_dir, endpoint, fault):
    sentry.script_fault(METHOD[endpoint], endpoint, [fault.entry])
    if endpoint == "release_new":
        result = run_tool("releases", "new", "-p", "web", "--max-retries", "1",
                          "--stall-timeout", "1", "2.0")
        assert result.returncode == 0, result.stderr
        assert ("acme", "2.0") in sentry.releases
    else:
        dist = write_dist(case_dir / "dist")
        maps = maps_of(dist)
        assert maps
        sentry.watch(dist)
        result = run_tool("upload", *UPLOAD, "dist")
        assert result.returncode == 0, result.stderr
        assert len(sentry.bundles) == 1
        # The faulted answer and every other one went out while every map was
        # there; once Sentry confirmed, they were deleted.
        assert_deleted_only_after_confirmation(sentry, dist, maps)
    assert len(faulted(sentry, endpoint)) == 1
    assert sentry.faults.pending() == 0


# --- retry details ----------------------------------------------------------


# Timing is judged by the stand-in's own timestamps (fake_sentry records when
# each request was read and when its answer started), by what the tool says it
# will wait before it waits, and by requests that are held until the test lets
# them go: no upper bound on seconds, which a busy machine could break.
PLANNED = re.compile(r"retry 1/1 of 1 request\(s\) in (\d+) ms")


def test_retry_after_seconds_is_honoured(run_tool, sentry, case_dir):
    write_dist(case_dir / "dist")
    sentry.script_fault("GET", "options", [{"status": 429, "headers": {"Retry-After": "1"}}])
    result = run_tool("upload", *UPLOAD, "dist")
    assert result.returncode == 0, result.stderr
    refused, retried = sentry.requests_to("options")
    assert (refused["status"], retried["status"]) == (429, 200)
    # The tool cannot have seen the 429 before the stand-in started sending it,
    # so this gap is never shorter than the tool's wait.
    assert retried["received"] - refused["answered"] >= 1.0
    # ...and it waited exactly Retry-After, not its own (here 0 ms) backoff or more.
    assert "HTTP 429" in result.stderr
    assert PLANNED.findall(result.stderr) == ["1000"], result.stderr


def test_retry_after_http_date_is_honoured(run_tool, sentry, case_dir):
    write_dist(case_dir / "dist")
    when = int(time.time()) + 2  # an IMF-fixdate has whole seconds
    sentry.script_fault("POST", "chunk", [{"status": 503, "headers": {
        "Retry-After": formatdate(when, usegmt=True)}}])
    result = run_tool("upload", *UPLOAD, "dist")
    assert result.returncode == 0, result.stderr
    refused, retried = sentry.requests_to("chunk")
    assert (refused["status"], retried["status"]) == (503, 200)
    # Not before the named moment (wall clock, like the date; the tool counts
    # the wait in whole milliseconds).
    assert retried["time"] >= when - 0.01
    planned = [int(ms) for ms in PLANNED.findall(result.stderr)]
    assert len(planned) == 1 and 0 < planned[0] <= 2000, result.stderr


def test_retry_after_beyond_the_deadline_gives_up_at_once(run_tool, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    # Retry-After 60 s (the most the tool honours) is beyond a 50 s deadline.
    sentry.script_fault("GET", "options", [{"status": 429, "headers": {"Retry-After": "60"}}])
    # A tool that waited for either would run 50 s or more and hit this guard.
    result = run_tool("upload", *UPLOAD, "--deadline", "50", "dist", timeout=40)
    assert result.returncode == 1
    assert "rate-limiting" in result.stderr and "not retried" in result.stderr
    # The tool announces every wait before a retry: it planned none.
    assert "retry" not in result.stderr.replace("not retried", "")
    assert len(sentry.requests_to("options")) == 1
    assert snapshot(dist) == before


def test_total_deadline_stops_a_slow_upload(run_tool, sentry, case_dir):
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    # The chunk request gets no answer until the test releases it: only the
    # deadline can end this run.
    sentry.script_fault("POST", "chunk", [{"hold": True}])
    started = time.monotonic()
    result = run_tool("upload", "-o", "acme", "-p", "web", "-r", "1", "dist",
                      env={"SENTRY_SOURCEMAPS_DEADLINE": "2"})
    ran = time.monotonic() - started
    (chunk,) = sentry.requests_to("chunk")
    assert chunk["status"] == "held" and chunk["answered"] is None, \
        "the tool ended on its own, before Sentry answered"
    assert ran >= 1.5, "it gave up long before the deadline"  # a lower bound
    assert result.returncode == 1
    assert "the total deadline passed" in result.stderr
    assert "raise --deadline" in result.stderr
    assert snapshot(dist) == before
    assert sentry.bundles == []


def test_env_settings_are_read_and_checked(run_tool, sentry, case_dir):
    write_dist(case_dir / "dist")
    sentry.script_fault("GET", "options", [500] * 3)
    result = run_tool("upload", "-o", "acme", "-p", "web", "-r", "1", "dist",
                      env={"SENTRY_HTTP_MAX_RETRIES": "3"})
    assert result.returncode == 0, result.stderr
    assert len(sentry.requests_to("options")) == 4
    bad = run_tool("upload", "-o", "acme", "-p", "web", "-r", "1", "dist",
                   env={"SENTRY_SOURCEMAPS_CONNECT_TIMEOUT": "soon"})
    assert bad.returncode == 2
    assert "SENTRY_SOURCEMAPS_CONNECT_TIMEOUT needs a whole number" in bad.stderr


def test_failed_chunk_batch_is_resent_on_its_own(run_tool, sentry, case_dir):
    sentry.config.chunk_options = {"chunkSize": 256, "chunksPerRequest": 1,
                                   "concurrency": 1}
    write_dist(case_dir / "dist")
    sentry.clear_requests()
    # The second batch fails once; only it is sent again.
    sentry.script_fault("POST", "chunk", [{"delay": 0}, 502])
    result = run_tool("upload", *UPLOAD, "dist")
    assert result.returncode == 0, result.stderr
    posts = sentry.requests_to("chunk")
    names = [p["body"][0]["filename"] for p in posts]
    failed = [p["body"][0]["filename"] for p in posts if p["status"] == 502]
    assert len(failed) == 1
    assert names.count(failed[0]) == 2
    assert len(names) == len(set(names)) + 1, "every other batch went once"


def test_deploys_are_not_sent_twice_blindly(run_tool, sentry):
    assert run_tool("releases", "new", "-p", "web", "3.0").returncode == 0
    sentry.script_fault("POST", "deploy_new", [502, {"drop": True}])
    result = run_tool("releases", "deploy", "--env", "prod", "3.0")
    assert result.returncode == 1
    assert len(sentry.requests_to("deploy_new")) == 1, "a deploy POST is not idempotent"
    # Refused before it reached the server (429): safe to send again.
    sentry.faults.clear()
    sentry.script_fault("POST", "deploy_new", [{"status": 429, "headers": {"Retry-After": "0"}}])
    result = run_tool("releases", "deploy", "--env", "prod", "3.0")
    assert result.returncode == 0, result.stderr
    assert len(sentry.deploys) == 1


def test_connection_refused_is_retried_then_explained(run_tool, case_dir):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    result = run_tool("upload", *UPLOAD, "dist", env={"SENTRY_URL": f"http://127.0.0.1:{port}"})
    assert result.returncode == 1
    assert "cannot reach Sentry" in result.stderr and "after 1 retry" in result.stderr
    assert "check the URL, the network and any proxy" in result.stderr
    assert snapshot(dist) == before


def test_bad_input_is_refused_with_usage_errors(run_tool, case_dir):
    write_dist(case_dir / "dist")
    for flag in ("--deadline", "--connect-timeout", "--stall-timeout", "--max-retries"):
        result = run_tool("upload", *UPLOAD, flag, "-1", "dist")
        assert result.returncode == 2, (flag, result.stderr)
        assert f"option '{flag}' needs a whole number" in result.stderr
    result = run_tool("releases", "new", "--deadline", "x", "1.0")
    assert result.returncode == 2 and "'--deadline' needs a whole number" in result.stderr


# --- resume -----------------------------------------------------------------


def chunked_dist(case_dir, sentry):
    """A dist whose bundle is many small chunks, sent one per request."""
    sentry.config.chunk_options = {"chunkSize": 512, "chunksPerRequest": 1,
                                   "concurrency": 1}
    files = {f"assets/c{i}.js": [f"var value{i} = '{os.urandom(300).hex()}';"]
             for i in range(6)}
    return write_dist(case_dir / "dist", files)


def assert_resume_sends_only_the_rest(run_tool, sentry, all_chunks, stored_first):
    """With the faults gone, the next upload succeeds sending only the chunks
    Sentry does not have yet."""
    sentry.faults.clear()
    sentry.clear_requests()
    result = run_tool("upload", *UPLOAD, "dist")
    assert result.returncode == 0, result.stderr
    sent_second = [p["filename"] for r in sentry.requests_to("chunk") for p in r["body"]]
    assert sorted(sent_second) == sorted(set(all_chunks) - stored_first)


def test_dropped_upload_resumes_with_only_the_missing_chunks(run_tool, sentry, case_dir):
    chunked_dist(case_dir, sentry)
    # Three batches arrive, then the connection drops for good.
    sentry.script_fault("POST", "chunk", [{"delay": 0}] * 3 + [{"drop": True}] * 50)
    result = run_tool("upload", *UPLOAD, "dist")
    assert result.returncode == 1
    assert "the connection to Sentry" in result.stderr
    all_chunks = sentry.requests_to("assemble")[0]["body"]["chunks"]
    stored_first = set(sentry.chunks) & set(all_chunks)
    assert len(stored_first) == 3 < len(set(all_chunks))
    assert_resume_sends_only_the_rest(run_tool, sentry, all_chunks, stored_first)
    assert len(sentry.bundles) == 1


def test_killed_upload_resumes_with_only_the_missing_chunks(uploader, run_tool, sentry,
                                                            case_dir):
    chunked_dist(case_dir, sentry)
    # The fourth batch is held unanswered: the process is killed while it waits.
    sentry.script_fault("POST", "chunk", [{"delay": 0}] * 3 + [{"hold": True}])
    env = clean_env(SENTRY_URL=sentry.url, SENTRY_AUTH_TOKEN=TOKEN, HOME=str(case_dir), **FAST)
    child = Child([uploader, "upload", *UPLOAD, "dist"], cwd=case_dir, env=env)
    sentry.wait_for(lambda: sentry.held() or not child.running())
    assert [r["status"] for r in sentry.requests_to("chunk")] == [200, 200, 200, "held"]
    child.kill()
    assert child.wait().returncode == -signal.SIGKILL
    all_chunks = sentry.requests_to("assemble")[0]["body"]["chunks"]
    stored_first = set(sentry.chunks) & set(all_chunks)
    assert len(stored_first) == 3
    assert_resume_sends_only_the_rest(run_tool, sentry, all_chunks, stored_first)


# --- kill -9 at any point: files are old or new, never half-written ---------


# What a kill may leave besides old or new files: temporary files, and the
# journal of an interrupted commit (the next run finishes and removes it).
TEMP = re.compile(r"\.[^/]+\.tmp-[A-Za-z0-9]+\Z|\.sentry-sourcemaps-commit\.journal\Z")


def big_dist(root, count=120):
    files = {f"assets/m{i}/chunk-{i}.js": [f"export const v{i}_{j} = {j} * {i};"
                                           for j in range(150)] for i in range(count)}
    return write_dist(root, files)


def contents(root):
    return {str(p.relative_to(root)): p.read_bytes()
            for p in Path(root).rglob("*") if p.is_file()}


def check_old_or_new(root, old, new, allowed_missing=()):
    now = contents(root)
    for name, data in now.items():
        if name not in old:
            assert TEMP.search(name), f"unexpected file {name} after a kill"
            continue
        assert data in (old[name], new.get(name)), f"{name} is neither old nor new"
    for name in old:
        if name not in now:
            assert name in allowed_missing, f"{name} vanished"


def inodes(root, prefix=""):
    """{relative path: inode} of every file, from the directory entries alone
    (cheap enough to look at a frozen run often): a file renamed over another
    shows up as a new inode."""
    found = {}
    with os.scandir(root) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                found.update(inodes(entry.path, prefix + entry.name + "/"))
            else:
                found[prefix + entry.name] = entry.inode()
    return found


def test_kill_during_inject_leaves_every_file_old_or_new(uploader, case_dir):
    reference = big_dist(case_dir / "reference")
    old = contents(reference)
    env = clean_env(HOME=str(case_dir))
    assert subprocess.run([uploader, "inject", str(reference)], env=env,
                          capture_output=True).returncode == 0
    new = contents(reference)
    changed = [name for name in old if new[name] != old[name]]
    assert changed
    interrupted = 0
    # Inject writes a temporary file per changed file, syncs, then renames each
    # over its target: progress (temporary files + 2 per renamed file) goes from
    # 0 to 2 * len(changed). The run is frozen (SIGSTOP) at every look, so each
    # kill lands exactly in a state seen past that share of the work.
    for i, share in enumerate((0.05, 0.2, 0.4, 0.6, 0.8, 0.95)):
        dist = big_dist(case_dir / f"run{i}")
        assert contents(dist) == old
        start = inodes(dist)

        def progress():
            now = inodes(dist)
            temporary = sum(1 for name in now if TEMP.search(name))
            renamed = sum(1 for name in changed if now.get(name) != start[name])
            return temporary + 2 * renamed

        child = Child([uploader, "inject", str(dist)], cwd=case_dir, env=env)
        child.kill_when(lambda: progress() >= share * 2 * len(changed))
        child.wait()
        check_old_or_new(dist, old, new)
        killed = {k: v for k, v in contents(dist).items() if not TEMP.search(k)}
        interrupted += contents(dist) not in (old, new)
        assert subprocess.run([uploader, "inject", str(dist)], env=env,
                              capture_output=True).returncode == 0
        done = {k: v for k, v in contents(dist).items() if not TEMP.search(k)}
        if killed == old or killed == new:
            # Killed before any rename (or after all): the next run finishes
            # the job with the same bytes as an uninterrupted one.
            assert done == new
        else:
            check_old_or_new(dist, old, new)
    assert interrupted, "no kill landed while inject was writing"


def test_inject_killed_between_renames_is_finished_by_the_next_run(uploader, case_dir):
    """A kill after the JS file was renamed but before its map was: the next
    run finds the journal and completes the map, instead of taking the JS as
    done and leaving the map without its debug ID and line shift."""
    reference = big_dist(case_dir / "reference", count=1)
    env = clean_env(HOME=str(case_dir))
    subprocess.run([uploader, "inject", str(reference)], env=env, check=True,
                   capture_output=True)
    dist = big_dist(case_dir / "dist", count=1)
    before = contents(dist)
    killed = subprocess.run([uploader, "inject", str(dist)], capture_output=True,
                            env={**env, "SENTRY_SOURCEMAPS_TEST_EXIT_AFTER_RENAMES": "1"})
    assert killed.returncode == 137
    half = contents(dist)
    js, sourcemap = "assets/m0/chunk-0.js", "assets/m0/chunk-0.js.map"
    assert half[js] == contents(reference)[js] and half[sourcemap] == before[sourcemap]
    assert (dist / ".sentry-sourcemaps-commit.journal").exists()
    result = subprocess.run([uploader, "inject", str(dist)], env=env, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert "finished 1 file replacement(s) of an earlier inject" in result.stderr
    assert contents(dist) == contents(reference)
    assert not (dist / ".sentry-sourcemaps-commit.journal").exists()
    assert not [p for p in dist.rglob(".*tmp-*")], "no temporary file is left"


def confirmed(sentry):
    """The assemble answers `ok` the stand-in had begun to send."""
    return [r for r in sentry.requests_to("assemble")
            if r["answered"] is not None and (r.get("response") or {}).get("state") == "ok"]


# Where upload --delete-after is killed. ("request", endpoint, n): when the
# n-th request to endpoint arrived, before the stand-in handles it; ("answer",
# endpoint, n or state): handled, but killed before the tool sees the answer;
# ("cleanup", what, n): after the `ok` answer the run is frozen at every look
# and killed once n maps are gone (what="maps") or n JS files were rewritten
# without their sourceMappingURL comment (what="scripts").
KILLS = [("request", "options", 1), ("request", "assemble", 1), ("request", "chunk", 1),
         ("answer", "chunk", 2), ("answer", "chunk", 4), ("answer", "assemble", "created"),
         ("answer", "assemble", "assembling"), ("answer", "assemble", "ok"),
         ("cleanup", "maps", 1), ("cleanup", "maps", 30), ("cleanup", "maps", 60),
         ("cleanup", "scripts", 1), ("cleanup", "scripts", 30)]


def test_kill_during_upload_delete_after_never_loses_an_unconfirmed_map(
        uploader, sentry, case_dir):
    # Chunks (at least four) sent one by one, and polls before `ok`: every step
    # is a request.
    sentry.config.chunk_options = {"chunkSize": 32768, "chunksPerRequest": 1,
                                   "concurrency": 1}
    sentry.config.assemble_polls = 1
    reference = big_dist(case_dir / "reference", count=60)
    old = contents(reference)
    env = clean_env(SENTRY_URL=sentry.url, SENTRY_AUTH_TOKEN=TOKEN, HOME=str(case_dir), **FAST)
    args = ["upload", "-o", "acme", "-p", "web", "-r", "1", "--delete-after", "--no-cache"]
    done = subprocess.run([uploader, *args, str(reference)], cwd=case_dir, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    sent = [r["endpoint"] for r in sentry.requests]
    chunks = sent.count("chunk")
    assert chunks >= 4
    assert sent == ["options", "assemble"] + ["chunk"] * chunks + ["assemble"] * 3
    new = contents(reference)
    maps = [name for name in old if name.endswith(".map")]
    scripts = [name for name in old if name.endswith(".js")]
    assert len(maps) == len(scripts) == 60
    mid_cleanup = 0
    for i, (kind, what, which) in enumerate(KILLS):
        for name in ("bundles", "assemble_jobs", "chunks", "chunk_owners"):
            getattr(sentry.store, name).clear()
        sentry.clear_requests()
        sentry.clear_hooks()
        dist = big_dist(case_dir / f"run{i}", count=60)
        start = inodes(dist)
        box, ready = {}, threading.Event()  # the Child, once it exists

        def at(record, what=what, which=which, box=box, ready=ready):
            ready.wait(60)
            if record["endpoint"] != what:
                return
            if isinstance(which, int):
                hit = len(sentry.requests_to(what)) == which
            else:
                hit = (record.get("response") or {}).get("state") == which
            if hit:  # the tool waits for this very answer: the kill lands here
                box["child"].signal(signal.SIGKILL)

        def freeze_at_ok(record, box=box, ready=ready):
            ready.wait(60)
            if (record.get("response") or {}).get("state") == "ok":
                box["child"].signal(signal.SIGSTOP)  # before the tool can read the ok

        if kind == "cleanup":
            sentry.on_answer(freeze_at_ok)
        else:
            (sentry.on_request if kind == "request" else sentry.on_answer)(at)
        child = box["child"] = Child([uploader, *args, str(dist)], cwd=case_dir, env=env)
        ready.set()
        if kind == "cleanup":
            assert child.wait_stopped(), "the upload never got Sentry's ok"
            if what == "maps":
                def done():
                    return sum(not (dist / m).exists() for m in maps)
            else:
                def done():  # a rewritten file is a new file renamed over the old
                    return sum((dist / s).lstat().st_ino != start[s] for s in scripts)
            child.kill_when(lambda: done() >= which)
        result = child.wait()
        if kind != "cleanup":
            assert result.returncode == -signal.SIGKILL, (kind, what, which, result.stderr)
        now = contents(dist)
        if kind != "cleanup":
            # The tool never saw `ok`: every file is as it was, nothing deleted.
            assert now == old, (kind, what, which)
            continue
        check_old_or_new(dist, old, new, allowed_missing=maps)
        assert confirmed(sentry), "a map was deleted before Sentry confirmed it"
        stored = {f["url"] for b in sentry.bundles for f in b["manifest"]["files"].values()}
        missing = [m for m in maps if m not in now]
        assert {"~/" + m for m in missing} <= stored, "a deleted map is not in Sentry"
        mid_cleanup += now not in (old, new)
    assert mid_cleanup, "no kill landed while upload was deleting"


# --- TLS and proxies ----------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def tls_sentry(certificate):
    """fake_sentry behind TLS with the self-signed certificate."""
    with FakeSentry(tokens={TOKEN: ["project:releases", "org:read"]},
                    orgs={"acme": ["web"]}) as server:
        yield serve_tls(server, certificate)


@pytest.fixture
def proxy():
    p = Proxy()
    yield p
    p.close()


@pytest.mark.parametrize("variable", ["http_proxy", "ALL_PROXY"])
def test_http_proxy_variables_are_used(run_tool, sentry, proxy, case_dir, variable):
    write_dist(case_dir / "dist")
    result = run_tool("upload", *UPLOAD, "dist", env=no_proxy_env(**{variable: proxy.url}))
    assert result.returncode == 0, result.stderr
    assert any(line.startswith("GET " + sentry.url + "/api/0/") for line in proxy.seen), \
        proxy.seen


def test_upper_case_http_proxy_is_ignored_as_libcurl_does(run_tool, sentry, proxy, case_dir):
    write_dist(case_dir / "dist")
    result = run_tool("upload", *UPLOAD, "dist", env=no_proxy_env(HTTP_PROXY=proxy.url))
    assert result.returncode == 0, result.stderr
    assert proxy.seen == []


def test_no_proxy_bypasses_the_proxy(run_tool, sentry, proxy, case_dir):
    write_dist(case_dir / "dist")
    result = run_tool("upload", *UPLOAD, "dist",
                      env=no_proxy_env(http_proxy=proxy.url, NO_PROXY="127.0.0.1"))
    assert result.returncode == 0, result.stderr
    assert proxy.seen == []


@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "https_proxy"])
def test_https_goes_through_connect(run_tool, tls_sentry, certificate, proxy, case_dir,
                                    variable):
    write_dist(case_dir / "dist")
    result = run_tool("upload", *UPLOAD, "--ca-file", str(certificate[0]), "dist",
                      env=no_proxy_env(SENTRY_URL=tls_sentry.url, **{variable: proxy.url}))
    assert result.returncode == 0, result.stderr
    port = tls_sentry.url.rsplit(":", 1)[1]
    assert proxy.seen and proxy.seen[0].startswith(f"CONNECT 127.0.0.1:{port} ")


def test_unreachable_proxy_is_explained(run_tool, sentry, case_dir):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    write_dist(case_dir / "dist")
    result = run_tool("upload", *UPLOAD, "dist",
                      env=no_proxy_env(http_proxy=f"http://user:secret-pw@127.0.0.1:{port}"))
    assert result.returncode == 1
    assert "HTTPS_PROXY" in result.stderr
    assert "secret-pw" not in result.stderr


if __name__ == "__main__":
    write_doc()
    print("wrote", DOC)
