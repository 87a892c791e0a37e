"""Event ingestion as a browser SDK sees it: `POST /api/<project_id>/envelope/`.

What the real ingest endpoint (Relay) does, as far as an SDK can tell:
- the body is an envelope: a JSON header line, then items, each an item
  header line (JSON, with an optional byte `length`) and its payload (that
  many bytes, else up to the next newline); `Content-Encoding: gzip` (or
  deflate) bodies are decompressed first;
- the client authenticates with its DSN's public key, as the `sentry_key`
  query parameter (browsers) or in `X-Sentry-Auth: Sentry sentry_key=...`
  (servers); an unknown key or project gets 401/403, a bad envelope 400;
- it answers cross-origin pages: CORS preflight (OPTIONS) and
  `Access-Control-Allow-Origin` on every answer, so `fetch` from any page
  may post;
- 200 `{"id": <event_id>}` on success.

Each project of the stand-in has a fixed DSN: public key = md5 of
"fake-sentry:<org>/<project>" (32 hex digits, like real keys), project id =
the project's numeric id. Stored: every envelope (`store.envelopes`) and every
event item's payload (`store.events`), newest last. Loopback-only listing for
demos, no auth: `GET /api/0/fake-sentry/events/` and `.../projects/`.
"""
import gzip
import hashlib
import json
import re
import time
import zlib
from urllib.parse import parse_qs

# Relay's CORS answer, trimmed to what a browser checks.
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": ("content-type, content-encoding, x-sentry-auth, "
                                     "authorization, sentry-trace, baggage"),
    "Access-Control-Expose-Headers": "x-sentry-error, x-sentry-rate-limits, retry-after",
    "Access-Control-Max-Age": "3600",
}
# Item types whose payload is an event (Sentry's event-like items).
EVENT_ITEM_TYPES = ("event", "transaction")


class EnvelopeError(ValueError):
    pass


def public_key(org_slug, project_slug):
    return hashlib.md5(("fake-sentry:%s/%s" % (org_slug, project_slug)).encode()).hexdigest()


def projects(store):
    """[(org slug, project dict, public key)] for every project of the stand-in."""
    return [(slug, p, public_key(slug, p["slug"]))
            for slug, org in store.orgs.items() for p in org["projects"].values()]


def dsn(base_url, store, org_slug, project_slug):
    """The DSN an SDK would be given for this project, on this stand-in."""
    project = store.orgs[org_slug]["projects"][project_slug]
    scheme, _, host = base_url.partition("://")
    return "%s://%s@%s/%s" % (scheme, public_key(org_slug, project_slug), host.rstrip("/"),
                              project["id"])


def parse(body):
    """Splits an envelope into (header, [(item header, payload bytes)])."""
    lines = body.split(b"\n", 1)
    try:
        header = json.loads(lines[0] or b"{}")
    except ValueError as e:
        raise EnvelopeError("invalid envelope header: %s" % e) from None
    rest, items = (lines[1] if len(lines) > 1 else b""), []
    while rest.strip():
        line, _, rest = rest.partition(b"\n")
        if not line.strip():
            continue
        try:
            item_header = json.loads(line)
        except ValueError as e:
            raise EnvelopeError("invalid item header: %s" % e) from None
        length = item_header.get("length")
        if length is not None:
            if not isinstance(length, int) or length < 0 or length > len(rest):
                raise EnvelopeError("item length %r past the end of the envelope" % (length,))
            payload, rest = rest[:length], rest[length:]
            if rest[:1] == b"\n":
                rest = rest[1:]
        else:
            payload, _, rest = rest.partition(b"\n")
        items.append((item_header, payload))
    return header, items


def _decode_body(req):
    encoding = (req.headers.get("content-encoding") or "").strip().lower()
    try:
        if encoding in ("gzip", "x-gzip"):
            return gzip.decompress(req.body)
        if encoding == "deflate":
            return zlib.decompress(req.body)
    except (OSError, EOFError, zlib.error) as e:
        raise EnvelopeError("cannot decompress %s body: %s" % (encoding, e)) from None
    if encoding not in ("", "identity"):
        raise EnvelopeError("unsupported content encoding %r" % encoding)
    return req.body


def _client_key(req):
    """The public key from `sentry_key=` in the query or in X-Sentry-Auth."""
    key = (parse_qs(req.query).get("sentry_key") or [None])[-1]
    if key:
        return key
    auth = req.headers.get("x-sentry-auth") or ""
    m = re.search(r"sentry_key\s*=\s*([^,\s]+)", auth)
    return m.group(1) if m else None


def preflight(req):
    return 200, None, dict(CORS)


def post_envelope(req):
    store = req.store
    project_id = req.params["project_id"]
    found = [(slug, p, key) for slug, p, key in projects(store) if p["id"] == project_id]
    key = _client_key(req)
    if not key:
        return 401, {"detail": "missing authorization information"}, dict(CORS)
    if not found:
        return 400, {"detail": "invalid project id %s" % project_id}, dict(CORS)
    org_slug, project, expected = found[0]
    if key != expected:
        return 401, {"detail": "invalid api key"}, dict(CORS)
    try:
        header, items = parse(_decode_body(req))
    except EnvelopeError as e:
        return 400, {"detail": "invalid envelope: %s" % e}, dict(CORS)

    received = time.time()
    record = {"project_id": project_id, "org": org_slug, "project": project["slug"],
              "header": header, "received": received,
              "items": [{"header": h, "size": len(p)} for h, p in items]}
    events = []
    for item_header, payload in items:
        if item_header.get("type") in EVENT_ITEM_TYPES:
            try:
                event = json.loads(payload)
            except ValueError as e:
                return 400, {"detail": "invalid event payload: %s" % e}, dict(CORS)
            if isinstance(event, dict):
                event.setdefault("event_id", header.get("event_id"))
                events.append(event)
    with store.lock:
        store.envelopes.append(record)
        store.events.extend(events)
    event_id = header.get("event_id") or (events[0].get("event_id") if events else None)
    return 200, {"id": event_id}, dict(CORS)


def list_events(req):
    with req.store.lock:
        events = list(req.store.events)
    return 200, events, dict(CORS)


def list_projects(req):
    return 200, [{"org": slug, "slug": p["slug"], "id": p["id"], "public_key": key,
                  "dsn": dsn(req.base_url, req.store, slug, p["slug"])}
                 for slug, p, key in projects(req.store)], dict(CORS)


# (path regex, {method: (endpoint name, handler)}, scope map, needs org), as in
# server.ROUTES. No scopes: these use DSN keys, or are the stand-in's own.
ROUTES = [
    (r"/api/(?P<project_id>\d+)/envelope/",
     {"POST": ("envelope", post_envelope), "OPTIONS": ("envelope_preflight", preflight)},
     None, False),
    (r"/api/0/fake-sentry/events/", {"GET": ("fake_events", list_events)}, None, False),
    (r"/api/0/fake-sentry/projects/", {"GET": ("fake_projects", list_projects)}, None, False),
]
