"""Scripted faults and connection behaviour."""
import http.client
import json
import socket
import time
from urllib.parse import urlsplit

import pytest

from fake_sentry.faults import normalize
from selftest_helpers import (ORG, assemble_body, call, multipart_body, sample_bundle, sha1,
                              upload_chunks)

OPTIONS = ORG + "/chunk-upload/"
ASSEMBLE = ORG + "/artifactbundle/assemble/"


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


# --- answers cut short ------------------------------------------------------


def raw_request(method, path, body=b"", content_type="application/json"):
    head = ("%s %s HTTP/1.1\r\nHost: fake\r\nAuthorization: Bearer tok-upload\r\n"
            "Content-Type: %s\r\nContent-Length: %d\r\n\r\n"
            % (method, path, content_type, len(body)))
    return head.encode() + body


def exchange_until_close(base_url, request):
    """Sends raw request bytes and returns every byte that came back before the
    stand-in closed the connection (a timeout here means it never closed)."""
    u = urlsplit(base_url)
    with socket.create_connection((u.hostname, u.port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while True:
            got = sock.recv(65536)
            if not got:
                return data
            data += got


def split_answer(data):
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return lines[0], headers, body


def chunk_post(data):
    body, ctype = multipart_body([("file", sha1(data), data)])
    return raw_request("POST", OPTIONS, body, ctype)


def test_cut_headers_closes_inside_the_header_block(fake):
    fake.script_fault("GET", "options", [{"cut_headers": True}])
    data = exchange_until_close(fake.url, raw_request("GET", OPTIONS))
    assert data.startswith(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
    assert b"\r\n\r\n" not in data, "the header block must not end"
    assert data.endswith(b"Content-L"), data  # half of "Content-Length: NNN"
    assert fake.requests[-1]["status"] == "cut off"
    assert call(fake.url, "GET", OPTIONS, "tok-upload").status == 200


def test_cut_headers_on_chunks_still_stores_them(fake):
    fake.script_fault("POST", "chunk", [{"cut_headers": True}])
    data = exchange_until_close(fake.url, chunk_post(b"chunk one"))
    assert b"\r\n\r\n" not in data
    assert fake.chunks[sha1(b"chunk one")] == b"chunk one"


def test_cut_body_announces_the_whole_answer_and_sends_part(fake):
    whole = call(fake.url, "GET", OPTIONS, "tok-upload").body
    fake.script_fault("GET", "options", [{"cut_body": 10}])
    status, headers, body = split_answer(
        exchange_until_close(fake.url, raw_request("GET", OPTIONS)))
    assert status == "HTTP/1.1 200 OK"
    assert headers["Content-Length"] == str(len(whole)) and len(whole) > 10
    assert body == whole[:10]
    assert fake.requests[-1]["status"] == "cut off"
    assert fake.requests[-1]["response"] == json.loads(whole)
    with pytest.raises(http.client.IncompleteRead):  # what any client sees
        fake.script_fault("GET", "options", [{"cut_body": 10}])
        call(fake.url, "GET", OPTIONS, "tok-upload")


def test_cut_body_with_a_length_cuts_even_an_empty_answer(fake):
    fake.script_fault("POST", "chunk", [{"cut_body": 37, "length": 120}])
    status, headers, body = split_answer(exchange_until_close(fake.url, chunk_post(b"two")))
    assert (status, headers["Content-Length"], body) == ("HTTP/1.1 200 OK", "120", b" " * 37)
    assert fake.chunks[sha1(b"two")] == b"two"


def test_empty_body_keeps_status_and_connection(fake):
    data = sample_bundle(release="1.0")
    request = assemble_body(data, 8 * 1024 * 1024)
    assert upload_chunks(fake.url, "tok-upload", [data]).status == 200
    fake.script_fault("POST", "assemble", [{"empty_body": True}])
    u = urlsplit(fake.url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    headers = {"Authorization": "Bearer tok-upload", "Content-Type": "application/json"}
    conn.request("POST", ASSEMBLE, body=json.dumps(request), headers=headers)
    r = conn.getresponse()
    assert (r.status, r.getheader("Content-Length"), r.read()) == (200, "0", b"")
    # The request took effect (the bundle was assembled), and the connection
    # goes on serving.
    assert fake.requests[-1]["status"] == 200 and fake.requests[-1]["response"] is None
    assert [b["checksum"] for b in fake.bundles] == [sha1(data)]
    conn.request("POST", ASSEMBLE, body=json.dumps(request), headers=headers)
    again = conn.getresponse()
    assert (again.status, json.loads(again.read())["state"]) == (200, "ok")
    conn.close()
    assert len(fake.requests) == 3


def test_empty_body_takes_a_scripted_status(fake):
    fake.script_fault("GET", "options", [{"empty_body": True, "status": 201}])
    r = call(fake.url, "GET", OPTIONS, "tok-upload")
    assert (r.status, r.body) == (201, b"")


def test_cut_faults_are_checked():
    with pytest.raises(ValueError):
        normalize({"cut_body": 3, "empty_body": True})
    with pytest.raises(ValueError):
        normalize({"length": 3})
    assert normalize({"cut_body": 3, "length": 9}) == {"cut_body": 3, "length": 9}
