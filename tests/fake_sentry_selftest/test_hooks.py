"""What the request log records about timing and answers, and the hooks a test
runs inside the stand-in: on_request, on_answer, watch, hold and wait_for."""
import http.client
import os
import socket
import threading
import time
from urllib.parse import urlsplit

import pytest

from fake_sentry import FakeSentry
from selftest_helpers import ORG, assemble_body, call, sample_bundle, sha1, upload_chunks

OPTIONS = ORG + "/chunk-upload/"
ASSEMBLE = ORG + "/artifactbundle/assemble/"


def in_background(function, *args, **kwargs):
    """Runs function on a thread; returns (thread, {"result"|"error": ...})."""
    out = {}

    def target():
        try:
            out["result"] = function(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - handed to the test
            out["error"] = e

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, out


# --- timestamps and answers in the log ----------------------------------------

def test_received_and_answered_lie_within_the_clients_own_readings(fake):
    wall, before = time.time(), time.monotonic()
    assert call(fake.url, "GET", OPTIONS, "tok-upload").status == 200
    after = time.monotonic()
    (r,) = fake.requests
    # Same clocks as every local process: the client's readings bracket them.
    assert before <= r["received"] <= r["answered"] <= after
    assert wall <= r["time"] <= time.time()


def test_answered_is_when_the_answer_started_not_when_the_request_came(fake):
    fake.script_fault("GET", "options", [{"delay": 0.3}])
    call(fake.url, "GET", OPTIONS, "tok-upload")
    call(fake.url, "GET", OPTIONS, "tok-upload")
    slow, quick = fake.requests
    assert slow["answered"] - slow["received"] >= 0.3
    assert slow["answered"] <= quick["received"]


def test_drops_stalls_and_faults_are_stamped_too(fake):
    fake.script_fault("GET", "options", [{"drop": True}, {"stall": 0.2}, 503])
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        call(fake.url, "GET", OPTIONS, "tok-upload")
    with pytest.raises(http.client.IncompleteRead):
        call(fake.url, "GET", OPTIONS, "tok-upload")
    assert call(fake.url, "GET", OPTIONS, "tok-upload").status == 503
    assert [r["status"] for r in fake.requests] == ["dropped", "stalled", 503]
    assert all(r["received"] <= r["answered"] for r in fake.requests)
    assert fake.requests[2]["response"] == {"detail": "Service Unavailable"}


def test_the_answer_body_is_recorded(fake):
    data = sample_bundle()
    body = assemble_body(data)
    first = call(fake.url, "POST", ASSEMBLE, "tok-upload", body).json()
    upload_chunks(fake.url, "tok-upload", [data])
    call(fake.url, "POST", ASSEMBLE, "tok-upload", body)
    last = call(fake.url, "POST", ASSEMBLE, "tok-upload", body).json()
    states = [r["response"]["state"] for r in fake.requests_to("assemble")]
    assert states == ["not_found", "created", "ok"]
    assert fake.requests_to("assemble")[0]["response"] == first
    assert fake.requests_to("assemble")[-1]["response"] == last
    assert fake.requests_to("chunk")[0]["response"] is None  # an empty 200


# --- on_request and on_answer --------------------------------------------------

def test_on_request_runs_before_and_on_answer_after_handling(fake):
    chunk = b"chunk for the hooks"
    seen = []
    fake.on_request(lambda r: seen.append(("request", r["status"], sha1(chunk) in fake.chunks)))
    fake.on_answer(lambda r: seen.append(("answer", r["status"], sha1(chunk) in fake.chunks)))
    assert upload_chunks(fake.url, "tok-upload", [chunk]).status == 200
    assert seen == [("request", None, False), ("answer", 200, True)]


def test_on_answer_runs_before_the_client_can_read_a_byte(fake):
    readable = []
    u = urlsplit(fake.url)
    client = socket.create_connection((u.hostname, u.port), timeout=10)
    # A second socket object without the timeout, whose recv would first wait
    # for data to come.
    peeker = socket.socket(fileno=os.dup(client.fileno()))
    assert not peeker.gettimeout()

    def peek(record):
        try:
            readable.append(peeker.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT))
        except BlockingIOError:
            readable.append(None)  # nothing sent yet

    fake.on_answer(peek)
    client.sendall(b"GET /api/0/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    answer = b""
    while True:
        data = client.recv(65536)
        if not data:
            break
        answer += data
    client.close()
    peeker.close()
    assert readable == [None]
    assert answer.startswith(b"HTTP/1.1 200 ")


def test_a_failing_hook_is_kept_and_raised_when_the_stand_in_closes():
    fake = FakeSentry(tokens={"tok": ["org:read"]}, orgs={"acme": ["web"]})
    with pytest.raises(AssertionError, match="ZeroDivisionError"):
        with fake:
            fake.on_answer(lambda r: 1 / 0)
            assert call(fake.url, "GET", "/api/0/", "tok").status == 200  # still answered
            assert len(fake.hook_errors) == 1 and "answer hook on GET /api/0/" in \
                fake.hook_errors[0]


def test_clear_hooks(fake):
    seen = []
    fake.on_request(seen.append)
    fake.on_answer(seen.append)
    fake.clear_hooks()
    call(fake.url, "GET", "/api/0/")
    assert seen == []


# --- watch -----------------------------------------------------------------------

def test_watch_records_the_files_there_at_each_answer(fake, tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("a.map", "sub/b.map", "c.js"):
        (tmp_path / name).write_text("x")
    (tmp_path / "link.map").symlink_to(tmp_path / "gone")  # dangling: still there
    fake.watch(tmp_path)
    call(fake.url, "GET", "/api/0/")
    (tmp_path / "a.map").unlink()
    call(fake.url, "GET", "/api/0/")
    fake.watch(tmp_path, "*.js")  # replaces the first watch
    call(fake.url, "GET", "/api/0/")
    assert [r["watched"] for r in fake.requests] == [
        ["a.map", "link.map", "sub/b.map"], ["link.map", "sub/b.map"], ["c.js"]]


def test_watch_sees_what_handling_changed_and_nothing_after(fake, tmp_path):
    (tmp_path / "a.map").write_text("x")
    # A handler-side change (here: a hook) is seen; the client's change after
    # it got the answer is only seen by the next answer.
    fake.on_answer(lambda r: (tmp_path / "new.map").write_text("y")
                   if len(fake.requests) == 1 else None)
    fake.watch(tmp_path)
    call(fake.url, "GET", "/api/0/")
    (tmp_path / "a.map").unlink()
    call(fake.url, "GET", "/api/0/")
    assert [r["watched"] for r in fake.requests] == [["a.map", "new.map"], ["new.map"]]


# --- hold and wait_for -------------------------------------------------------------

def test_a_held_request_waits_for_release(fake):
    chunk = b"held chunk"
    fake.script_fault("POST", "chunk", [{"hold": True}])
    thread, out = in_background(upload_chunks, fake.url, "tok-upload", [chunk])
    fake.wait_for(lambda: fake.held())
    (held,) = fake.held()
    assert held["answered"] is None and sha1(chunk) not in fake.chunks
    assert "result" not in out
    fake.release_held()
    thread.join(10)
    assert out["result"].status == 200
    assert held["status"] == 200 and held["answered"] >= held["received"]
    assert sha1(chunk) in fake.chunks and fake.held() == []


def test_a_held_request_then_answers_as_its_entry_says(fake):
    fake.script_fault("GET", "options", [{"hold": True, "status": 503}])
    thread, out = in_background(call, fake.url, "GET", OPTIONS, "tok-upload")
    fake.wait_for(lambda: fake.held())
    fake.release_held()
    thread.join(10)
    assert out["result"].status == 503


def test_release_lets_only_requests_held_now_go(fake):
    fake.script_fault("GET", "options", [{"hold": True}, {"hold": True}])
    first, out1 = in_background(call, fake.url, "GET", OPTIONS, "tok-upload")
    fake.wait_for(lambda: len(fake.held()) == 1)
    fake.release_held()
    first.join(10)
    assert out1["result"].status == 200
    second, out2 = in_background(call, fake.url, "GET", OPTIONS, "tok-upload")
    fake.wait_for(lambda: len(fake.held()) == 1)
    assert "result" not in out2  # still held: the earlier release was not for it
    fake.release_held()
    second.join(10)
    assert out2["result"].status == 200


def test_a_held_request_is_dropped_when_the_stand_in_stops(make_fake):
    s = make_fake()
    s.script_fault("GET", "options", [{"hold": True}])
    thread, out = in_background(call, s.url, "GET", OPTIONS, "tok-upload")
    s.wait_for(lambda: s.held())
    s.stop()
    thread.join(10)
    assert isinstance(out["error"], (http.client.RemoteDisconnected, ConnectionError))
    assert s.requests[0]["status"] == "dropped"


def test_wait_for_wakes_at_a_request(fake):
    thread, _ = in_background(call, fake.url, "GET", "/api/0/")
    fake.wait_for(lambda: any(r["answered"] for r in fake.requests))
    thread.join(10)
    assert fake.requests[0]["endpoint"] == "auth"


def test_wait_for_gives_up_after_its_timeout(fake):
    with pytest.raises(TimeoutError, match="still waiting after 0.2 s"):
        fake.wait_for(lambda: False, timeout=0.2)
