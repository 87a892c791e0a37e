"""SDK event ingestion: POST /api/<project_id>/envelope/ (envelopes.py)."""
import gzip
import json
from urllib.parse import urlsplit

from selftest_helpers import call

EVENT = {"event_id": "9ec79c33ec9942ab8353589fcb2e04dc", "platform": "javascript",
         "exception": {"values": [{"type": "Error", "value": "boom"}]},
         "debug_meta": {"images": [{"type": "sourcemap", "code_file": "http://x/a.js",
                                    "debug_id": "c941d872-af1f-4f0c-a7ff-ad3d295fe153"}]}}


def envelope(event=EVENT, with_length=True, extra_items=()):
    payload = json.dumps(event).encode()
    item = {"type": "event"}
    if with_length:
        item["length"] = len(payload)
    parts = [json.dumps({"event_id": event["event_id"], "sent_at": "2026-01-01T00:00:00Z"}),
             json.dumps(item)]
    out = ("\n".join(parts) + "\n").encode() + payload + b"\n"
    for h, p in extra_items:
        out += json.dumps(h).encode() + b"\n" + p + b"\n"
    return out


def path_and_key(fake, org="acme", project="web"):
    dsn = urlsplit(fake.dsn(org, project))
    return "/api%s/envelope/" % dsn.path, dsn.username


def test_dsn_points_at_the_stand_in_with_a_numeric_project_id(fake):
    dsn = urlsplit(fake.dsn("acme", "web"))
    assert "%s://%s" % (dsn.scheme, dsn.hostname) == "http://127.0.0.1"
    assert dsn.port == urlsplit(fake.url).port
    assert dsn.path.strip("/").isdigit()
    assert len(dsn.username) == 32 and dsn.username != urlsplit(fake.dsn("acme", "api")).username


def test_event_via_sentry_key_query_is_stored_with_cors(fake):
    path, key = path_and_key(fake)
    r = call(fake.url, "POST", path + "?sentry_key=%s&sentry_version=7" % key,
             body=envelope(), headers={"Content-Type": "text/plain;charset=UTF-8",
                                       "Origin": "http://127.0.0.1:1"})
    assert r.status == 200, r.body
    assert r.json() == {"id": EVENT["event_id"]}
    assert r.headers["access-control-allow-origin"] == "*"
    assert fake.events == [EVENT]
    assert fake.envelopes[0]["project"] == "web"
    assert fake.envelopes[0]["items"][0]["header"]["type"] == "event"


def test_gzip_body_x_sentry_auth_and_items_without_length(fake):
    path, key = path_and_key(fake, project="api")
    body = envelope(with_length=False,
                    extra_items=[({"type": "client_report"}, b'{"discarded_events":[]}')])
    r = call(fake.url, "POST", path, body=gzip.compress(body),
             headers={"Content-Encoding": "gzip",
                      "X-Sentry-Auth": "Sentry sentry_version=7, sentry_key=%s" % key})
    assert r.status == 200, r.body
    assert fake.events == [EVENT]
    assert [i["header"]["type"] for i in fake.envelopes[0]["items"]] == ["event",
                                                                       "client_report"]


def test_preflight_allows_a_cross_origin_post(fake):
    path, _ = path_and_key(fake)
    r = call(fake.url, "OPTIONS", path, headers={
        "Origin": "http://127.0.0.1:1", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert r.status == 200
    assert r.headers["access-control-allow-origin"] == "*"
    assert "POST" in r.headers["access-control-allow-methods"]
    assert "content-type" in r.headers["access-control-allow-headers"]


def test_bad_key_project_or_envelope_is_refused_and_nothing_stored(fake):
    path, key = path_and_key(fake)
    assert call(fake.url, "POST", path, body=envelope()).status == 401
    assert call(fake.url, "POST", path + "?sentry_key=" + "0" * 32, body=envelope()).status == 401
    assert call(fake.url, "POST", "/api/999999/envelope/?sentry_key=" + key,
                body=envelope()).status == 400
    bad = call(fake.url, "POST", path + "?sentry_key=" + key, body=b"{not json\n")
    assert bad.status == 400 and "invalid envelope" in bad.json()["detail"]
    cut = call(fake.url, "POST", path + "?sentry_key=" + key,
               body=b'{}\n{"type":"event","length":999}\n{}')
    assert cut.status == 400
    assert fake.events == []


def test_listing_endpoints(fake):
    path, key = path_and_key(fake)
    call(fake.url, "POST", path + "?sentry_key=" + key, body=envelope())
    events = call(fake.url, "GET", "/api/0/fake-sentry/events/").json()
    assert [e["event_id"] for e in events] == [EVENT["event_id"]]
    projects = call(fake.url, "GET", "/api/0/fake-sentry/projects/").json()
    assert {(p["org"], p["slug"]): p["dsn"] for p in projects}[("acme", "web")] == \
        fake.dsn("acme", "web")
