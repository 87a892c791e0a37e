"""Scripted faults and connection behaviour."""
import http.client
import socket
import time
from urllib.parse import urlsplit

import pytest

from selftest_helpers import ORG, call

OPTIONS = ORG + "/chunk-upload/"


def test_status_sequence_then_normal(fake):
    fake.script_fault("POST", ORG + "/artifactbundle/assemble/", [500, 502])
    body = {"checksum": "a" * 40, "chunks": [], "projects": ["web"]}
    statuses = [call(fake.url, "POST", ORG + "/artifactbundle/assemble/", "tok-upload",
                     body).status for _ in range(3)]
    assert statuses == [500, 502, 200]
    assert [r["status"] for r in fake.requests] == [500, 502, 200]


def test_retry_after_and_custom_body(fake):
    fake.script_fault("GET", "options", [{"status": 429, "headers": {"Retry-After": "2"},
                                           "body": {"detail": "slow down"}}])
    r = call(fake.url, "GET", OPTIONS, "tok-upload")
    assert (r.status, r.headers["retry-after"], r.json()) == (429, "2", {"detail": "slow down"})
    assert call(fake.url, "GET", OPTIONS, "tok-upload").status == 200


def test_fault_applies_before_auth(fake):
    fake.script_fault("*", "options", [503])
    assert call(fake.url, "GET", OPTIONS).status == 503


def test_drop_closes_without_response(fake):
    fake.script_fault("GET", "options", [{"drop": True}])
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        call(fake.url, "GET", OPTIONS, "tok-upload")
    assert fake.requests[-1]["status"] == "dropped"
    assert call(fake.url, "GET", OPTIONS, "tok-upload").status == 200


def test_delay_then_normal_answer(fake):
    fake.script_fault("GET", "options", [{"delay": 0.5}])
    t0 = time.monotonic()
    r = call(fake.url, "GET", OPTIONS, "tok-upload")
    assert r.status == 200 and time.monotonic() - t0 >= 0.5


def test_stall_sends_partial_body(fake):
    fake.script_fault("GET", "options", [{"stall": 60}])  # ends when the stand-in stops
    with pytest.raises(socket.timeout):
        call(fake.url, "GET", OPTIONS, "tok-upload", timeout=0.5)
    assert fake.requests[0]["status"] == "stalled"


def test_a_stall_ends_when_the_stand_in_stops(make_fake):
    s = make_fake()
    s.script_fault("GET", "options", [{"stall": 600}])
    u = urlsplit(s.url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    conn.request("GET", OPTIONS, headers={"Authorization": "Bearer tok-upload"})
    r = conn.getresponse()  # headers and half the body came
    s.stop()
    with pytest.raises(http.client.IncompleteRead):
        r.read()  # closed at the stop, long before 600 s
    conn.close()


def test_keep_alive_serves_several_requests_on_one_connection(fake):
    u = urlsplit(fake.url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=5)
    for _ in range(3):
        conn.request("GET", OPTIONS, headers={"Authorization": "Bearer tok-upload"})
        r = conn.getresponse()
        assert r.status == 200 and r.getheader("Content-Length") == str(len(r.read()))
    conn.close()
    assert len(fake.requests) == 3


def test_unknown_fault_key_is_rejected(fake):
    with pytest.raises(ValueError):
        fake.script_fault("GET", "options", [{"sttaus": 500}])
