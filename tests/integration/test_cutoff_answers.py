"""A cut-off answer is a transport failure.

An answer that stops inside its headers, before its announced Content-Length,
or a 2xx whose body is empty where the tool needs JSON, is not Sentry's word:
the tool treats it like a dropped connection. The assemble and chunk POSTs are
safe to repeat, so it retries them; when the retries run out it says what was
cut off, exits as for any transport failure (1) and leaves every map in place.

The stand-in's cut faults (fake_sentry/faults.py) let the request take effect
and lose only the answer, as a proxy dropping the connection would.
"""
import json
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from fake_sentry import FakeSentry
from helpers.deletion import assert_deleted_only_after_confirmation
from helpers.dist import snapshot, write_dist
from helpers.process import clean_env

TOKEN = "tok-cutoff-0123456789abcdef"
UPLOAD = ["-o", "acme", "-p", "web", "-r", "1", "--delete-after", "--max-retries", "1",
          "--verbose"]
TRANSPORT_FAILURE = 1  # cli/exit_codes.hpp: failure, as for a dropped connection

CUT_HEADERS = {"cut_headers": True}
CUT_BODY = {"cut_body": 20}
# The chunk upload's success is an empty 200: announce a body to cut.
CUT_CHUNK_BODY = {"cut_body": 37, "length": 120}
EMPTY = {"empty_body": True}


@pytest.fixture
def sentry():
    with FakeSentry(tokens={TOKEN: ["project:releases", "org:read"]},
                    orgs={"acme": ["web", "api"]}) as server:
        yield server


@pytest.fixture
def run_tool(uploader, sentry, case_dir):
    """Runs the uploader from case_dir against `sentry` with no retry delay."""
    def invoke(*args):
        env = clean_env(SENTRY_URL=sentry.url, SENTRY_AUTH_TOKEN=TOKEN, SENTRY_ORG="acme",
                        HOME=str(case_dir), SENTRY_SOURCEMAPS_RETRY_DELAY_MS="0")
        return subprocess.run([uploader, *args], cwd=case_dir, env=env,
                              capture_output=True, text=True, timeout=120)
    return invoke


def maps_of(root):
    return sorted(str(p.relative_to(root)) for p in Path(root).rglob("*.map"))


def faulted(sentry, endpoint):
    return [r for r in sentry.requests_to(endpoint) if "fault" in r]


def assert_no_token(result):
    output = result.stdout + result.stderr
    for secret in (TOKEN, quote(TOKEN, safe="")):
        assert secret not in output, "the token was shown"


def full_answer_size(sentry, endpoint):
    """The Content-Length the stand-in announced on its first cut answer."""
    return len(json.dumps(faulted(sentry, endpoint)[0]["response"]).encode())


# --- cut once: retried, then the upload succeeds ---------------------------


ONCE = [("assemble", CUT_HEADERS), ("assemble", CUT_BODY), ("assemble", EMPTY),
        ("chunk", CUT_HEADERS), ("chunk", CUT_CHUNK_BODY)]


@pytest.mark.parametrize("endpoint,fault", ONCE,
                         ids=[f"{e}-{next(iter(f))}" for e, f in ONCE])
def test_cut_once_is_retried_and_the_upload_succeeds(run_tool, sentry, case_dir, endpoint,
                                                     fault):
    dist = write_dist(case_dir / "dist")
    maps = maps_of(dist)
    sentry.watch(dist)
    sentry.script_fault("POST", endpoint, [fault])
    result = run_tool("upload", *UPLOAD, "dist")
    assert result.returncode == 0, result.stderr
    assert len(sentry.bundles) == 1
    assert len(faulted(sentry, endpoint)) == 1 and sentry.faults.pending() == 0
    # The cut answer was not taken for Sentry's: the same request went again.
    requests = sentry.requests_to(endpoint)
    cut = requests.index(faulted(sentry, endpoint)[0])
    assert requests[cut + 1]["body"] == requests[cut]["body"]
    assert "retry 1/1" in result.stderr
    assert "the answer was" in result.stderr, result.stderr
    assert_deleted_only_after_confirmation(sentry, dist, maps)
    assert_no_token(result)


def test_cut_chunk_answer_is_not_taken_for_success(run_tool, sentry, case_dir):
    # The cut answer stored nothing here: a tool that took it for success
    # would only learn at the next assemble that the chunks are missing.
    write_dist(case_dir / "dist")
    sentry.script_fault("POST", "chunk", [{"cut_headers": True}])

    def forget_chunks(record):
        if record.get("fault"):
            sentry.chunks.clear()
    sentry.on_answer(forget_chunks)
    result = run_tool("upload", *UPLOAD, "dist")
    assert result.returncode == 0, result.stderr
    assert len(sentry.bundles) == 1
    chunk_posts = sentry.requests_to("chunk")
    assert len(chunk_posts) == 2 and "fault" in chunk_posts[0]
    # No assemble found chunks missing after the first chunk POST.
    assemble_after = [r for r in sentry.requests if r["endpoint"] == "assemble"
                      and r["received"] > chunk_posts[0]["received"]]
    assert all(r["response"].get("missingChunks") == [] for r in assemble_after)


# --- cut every time: a transport failure, nothing lost ---------------------


PERSISTS = [
    ("assemble", CUT_HEADERS, "was cut off inside its headers; the connection dropped"),
    ("assemble", CUT_BODY, "was cut off after 20 of {size} bytes; the connection dropped"),
    ("assemble", EMPTY, "was 200 with an empty body where JSON was expected"),
    ("chunk", CUT_HEADERS, "was cut off inside its headers; the connection dropped"),
    ("chunk", CUT_CHUNK_BODY, "was cut off after 37 of 120 bytes; the connection dropped"),
]
PATHS = {"assemble": "/api/0/organizations/acme/artifactbundle/assemble/",
         "chunk": "/api/0/organizations/acme/chunk-upload/"}


@pytest.mark.parametrize("endpoint,fault,says", PERSISTS,
                         ids=[f"{e}-{next(iter(f))}" for e, f, _ in PERSISTS])
def test_cut_every_time_fails_as_a_transport_failure(run_tool, sentry, case_dir, endpoint,
                                                     fault, says):
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    # More than the tool may send: a tool that retried too often shows in the count.
    sentry.script_fault("POST", endpoint, [fault] * 4)
    result = run_tool("upload", *UPLOAD, "dist")
    assert result.returncode == TRANSPORT_FAILURE, result.stderr
    if "{size}" in says:
        says = says.format(size=full_answer_size(sentry, endpoint))
    error = [line for line in result.stderr.splitlines()
             if line.startswith("sentry-sourcemaps: error: ")]
    assert len(error) == 1, result.stderr
    assert f"Sentry's answer to POST {sentry.url}{PATHS[endpoint]} {says}" in error[0], error
    assert "after 1 retry" in error[0] and "try again later" in error[0]
    assert len(sentry.requests_to(endpoint)) == 2 == len(faulted(sentry, endpoint))
    assert snapshot(dist) == before, "every map stays on disk"
    assert_no_token(result)


def test_non_idempotent_request_cut_off_is_not_repeated(run_tool, sentry, case_dir):
    # A deploy POST records one more deploy each time: never sent twice blindly.
    assert run_tool("releases", "new", "-p", "web", "2.0").returncode == 0
    sentry.script_fault("POST", "deploy_new", [CUT_HEADERS] * 2)
    result = run_tool("releases", "deploy", "2.0", "--env", "production",
                      "--max-retries", "1")
    assert result.returncode == TRANSPORT_FAILURE, result.stderr
    assert "was cut off inside its headers" in result.stderr
    assert "not retried" in result.stderr
    assert len(sentry.requests_to("deploy_new")) == 1


# --- empty bodies where JSON is needed, elsewhere ---------------------------


def test_empty_options_answer_is_retried(run_tool, sentry, case_dir):
    write_dist(case_dir / "dist")
    sentry.script_fault("GET", "options", [EMPTY])
    result = run_tool("upload", *UPLOAD, "dist")
    assert result.returncode == 0, result.stderr
    assert len(sentry.requests_to("options")) == 2
    assert len(sentry.bundles) == 1


def test_empty_release_answer_fails_after_the_retries(run_tool, sentry, case_dir):
    sentry.script_fault("POST", "release_new", [EMPTY] * 4)
    result = run_tool("releases", "new", "-p", "web", "--max-retries", "1", "2.0")
    assert result.returncode == TRANSPORT_FAILURE, result.stderr
    # 201 for the first POST, 208 for the retry: the first had created it.
    assert ("releases/ was 208 with an empty body where JSON was expected (after 1 retry)"
            in result.stderr), result.stderr
    assert len(sentry.requests_to("release_new")) == 2
    assert_no_token(result)
