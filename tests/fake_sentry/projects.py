"""Reading endpoints for doctor, issues and resolve: organizations, projects,
issues, latest events, and the artifact lookup.

Response shapes follow the real web API (camelCase, `count` as a string,
frames serialized as the event API does: absPath, lineNo, colNo, inApp,
context [[n, line]], map/mapUrl for frames resolved with a source map).
Tests seed data with add_issue(); events are given in the SDK's form
(snake_case frames with data.sourcemap), the way Sentry stores them.

artifact-lookup is Sentry's real endpoint (the one its symbolicator uses,
ProjectArtifactLookupEndpoint), simplified: bundles only, no legacy release
files, and `?download=<id>` serves the stored bundle bytes to any token that
may read releases.
"""
import hashlib
import itertools
from urllib.parse import parse_qs

from fake_sentry import auth
from fake_sentry.state import now_iso

ORG = r"(?P<org>[^/]+)"
PROJECT = r"(?P<project>[^/]+)"
# ProjectEventPermission: reading issues and events.
EVENT_SCOPES = {"GET": ["event:read", "event:write", "event:admin"]}
NOT_FOUND = (404, {"detail": auth.NOT_FOUND}, {})

_ids = itertools.count(4001)


def _query(req):
    return {k: v[-1] for k, v in parse_qs(req.query).items()}


def _project_json(p):
    return {"id": p["id"], "slug": p["slug"], "name": p["name"], "platform": p["platform"],
            "dateCreated": "2020-01-01T00:00:00.000000Z", "isBookmarked": False,
            "isMember": True, "features": [], "firstEvent": None, "hasAccess": True}


def _link(req, path, offset, limit, more):
    """Sentry's Link header: previous and next cursors, results="true" when a page exists."""
    base = req.base_url + path

    def item(rel, cursor_offset, results):
        cursor = "0:%d:%d" % (cursor_offset, 1 if rel == "previous" else 0)
        return '<%s?cursor=%s>; rel="%s"; results="%s"; cursor="%s"' % (
            base, cursor, rel, "true" if results else "false", cursor)
    return {"Link": ", ".join([item("previous", max(offset - limit, 0), offset > 0),
                               item("next", offset + limit, more)])}


def paginate(req, items, path, default_limit=100):
    q = _query(req)
    try:
        limit = max(1, min(int(q.get("limit", default_limit)), 100))
        offset = int(q.get("cursor", "0:0:0").split(":")[1])
    except (ValueError, IndexError):
        return (400, {"detail": "Invalid cursor parameter."}, {}), None
    page = items[offset:offset + limit]
    return None, (page, _link(req, path, offset, limit, offset + limit < len(items)))


def list_organizations(req):
    """GET /api/0/organizations/: the organizations the token can see."""
    bound = (req.store.tokens.get(req.token) or {}).get("org") if req.token else None
    orgs = [o for o in req.store.orgs.values() if not bound or o["slug"] == bound]
    return 200, [{"id": o["id"], "slug": o["slug"], "name": o["name"],
                  "dateCreated": "2020-01-01T00:00:00.000000Z",
                  "status": {"id": "active", "name": "active"}} for o in orgs], {}


def list_org_projects(req):
    """GET /api/0/organizations/{org}/projects/."""
    items = [_project_json(p) for p in req.org["projects"].values()]
    error, result = paginate(req, items, req.path)
    if error:
        return error
    page, headers = result
    return 200, page, headers


def _issues(store):
    """The seeded issues (created on first use: the store knows nothing of them)."""
    if not hasattr(store, "issues"):
        store.issues = []
    return store.issues


def _issue_json(base_url, org, issue):
    p = org["projects"][issue["project"]]
    return {
        "id": issue["id"], "shortId": issue["shortId"], "title": issue["title"],
        "culprit": issue["culprit"], "level": issue["level"], "status": issue["status"],
        "permalink": "%s/organizations/%s/issues/%s/" % (base_url, org["slug"], issue["id"]),
        "count": str(issue["count"]), "userCount": issue["userCount"],
        "firstSeen": issue["firstSeen"], "lastSeen": issue["lastSeen"],
        "project": {"id": p["id"], "name": p["name"], "slug": p["slug"],
                    "platform": p["platform"]},
        "metadata": issue["metadata"], "type": "error", "issueType": "error",
        "issueCategory": "error", "isUnhandled": True, "numComments": 0,
        "assignedTo": None, "isBookmarked": False, "isSubscribed": False,
        "hasSeen": False, "annotations": [], "shareId": None, "logger": None,
        "platform": "javascript", "substatus": "ongoing" if issue["status"] == "unresolved"
        else None,
    }


def _matches(issue, query):
    for term in query.split():
        key, sep, value = term.partition(":")
        if sep and key == "is":
            if value in ("unresolved", "resolved", "ignored") and issue["status"] != value:
                return False
        elif sep:
            continue  # other filters (level:, release:) are not modelled
        elif term.lower() not in issue["title"].lower():
            return False
    return True


def list_project_issues(req):
    """GET /api/0/projects/{org}/{project}/issues/?query=&limit=&cursor=."""
    p = req.org["projects"].get(req.params["project"])
    if p is None:
        return NOT_FOUND
    query = _query(req).get("query", "is:unresolved")
    with req.store.lock:
        issues = [i for i in _issues(req.store)
                  if i["org"] == req.org["slug"] and i["project"] == p["slug"]
                  and _matches(i, query)]
    issues.sort(key=lambda i: i["lastSeen"], reverse=True)
    error, result = paginate(req, [_issue_json(req.base_url, req.org, i) for i in issues], req.path,
                          default_limit=25)
    if error:
        return error
    page, headers = result
    return 200, page, headers


def _api_frame(frame):
    """A stored (SDK-form) frame as the event API serializes it."""
    out = {"filename": frame.get("filename"), "absPath": frame.get("abs_path"),
           "module": frame.get("module"), "package": None, "platform": None,
           "instructionAddr": None, "symbolAddr": None, "function": frame.get("function"),
           "rawFunction": None, "symbol": None, "context": [],
           "lineNo": frame.get("lineno"), "colNo": frame.get("colno"),
           "inApp": frame.get("in_app"), "trust": None, "errors": None, "lock": None,
           "sourceLink": None, "vars": None}
    if frame.get("context_line") is not None:
        pre, post = frame.get("pre_context") or [], frame.get("post_context") or []
        first = (frame.get("lineno") or 0) - len(pre)
        lines = pre + [frame["context_line"]] + post
        out["context"] = [[first + i, line] for i, line in enumerate(lines)]
    sourcemap = (frame.get("data") or {}).get("sourcemap")
    if sourcemap:
        out["map"] = sourcemap.rsplit("/", 1)[-1]
        out["mapUrl"] = sourcemap
    return out


def _api_event(org, issue):
    event = issue["event"]
    entries = []
    for value in (event.get("exception") or {}).get("values", []):
        frames = [_api_frame(f) for f in (value.get("stacktrace") or {}).get("frames", [])]
        entries.append({"type": "exception", "data": {
            "values": [{"type": value.get("type"), "value": value.get("value"),
                        "mechanism": {"type": "onerror", "handled": False},
                        "threadId": None, "module": None, "rawStacktrace": None,
                        "stacktrace": {"frames": frames, "framesOmitted": None,
                                       "registers": None, "hasSystemFrames": True}}],
            "hasSystemFrames": True, "excOmitted": None}})
    images = (event.get("debug_meta") or {}).get("images")
    if images:
        entries.append({"type": "debugmeta", "data": {"images": images}})
    release = event.get("release")
    return {
        "id": event["event_id"], "eventID": event["event_id"], "groupID": issue["id"],
        "projectID": org["projects"][issue["project"]]["id"], "title": issue["title"],
        "message": "", "platform": "javascript", "type": "error",
        "dateCreated": issue["lastSeen"], "dateReceived": issue["lastSeen"],
        "culprit": issue["culprit"], "location": issue["culprit"],
        "release": {"version": release} if release else None, "dist": event.get("dist"),
        "tags": [{"key": "level", "value": issue["level"]}],
        "metadata": issue["metadata"], "entries": entries, "contexts": {},
        "sdk": {"name": "sentry.javascript.react", "version": "10.0.0"},
        "errors": [], "size": 2048, "user": None, "fingerprints": [issue["fingerprint"]],
    }


def latest_event(req):
    """GET /api/0/issues/{issue_id}/events/latest/."""
    bound = (req.store.tokens.get(req.token) or {}).get("org") if req.token else None
    with req.store.lock:
        for issue in _issues(req.store):
            if issue["id"] == req.params["issue_id"] and (not bound or bound == issue["org"]):
                return 200, _api_event(req.store.orgs[issue["org"]], issue), {}
    return NOT_FOUND


def artifact_lookup(req):
    """GET /api/0/projects/{org}/{project}/artifact-lookup/?debug_id=&url=&release=&dist=
    (list) or ?download=<id> (the bundle bytes)."""
    p = req.org["projects"].get(req.params["project"])
    if p is None:
        return NOT_FOUND
    q = _query(req)
    with req.store.lock:
        bundles = [b for b in req.store.bundles
                   if b.get("org") == req.org["slug"] and p["slug"] in b.get("projects", [])]
    if "download" in q:
        for b in bundles:
            if b["bundle_id"] == q["download"]:
                return 200, b["raw"], {}
        return NOT_FOUND
    found, debug_id, url = [], (q.get("debug_id") or "").lower(), q.get("url")
    for b in bundles:
        urls = [f.get("url") for f in b["manifest"].get("files", {}).values()
                if isinstance(f, dict)]
        if debug_id and any(d == debug_id for d, _ in b.get("debug_ids", [])):
            found.append((b, "debug-id"))
        elif url and q.get("release") and b.get("release") == q["release"] and (
                url in urls or any(u and u.endswith(url.lstrip("~")) for u in urls)):
            found.append((b, "release"))
    base = "%s/api/0/projects/%s/%s/artifact-lookup/" % (req.base_url, req.org["slug"], p["slug"])
    return 200, [{"id": b["bundle_id"], "type": "bundle",
                  "url": base + "?download=" + b["bundle_id"], "resolved_with": how}
                 for b, how in found], {}


def add_issue(store, org, project, title, frames, *, level="error", status="unresolved",
              count=1, user_count=1, culprit=None, release=None, dist=None, debug_images=(),
              exception_type="Error", exception_value=None, last_seen=None):
    """Seeds one issue with its latest event. `frames` are SDK-form frames (abs_path,
    lineno, colno, function, in_app, filename, context_line, data.sourcemap, ...), oldest
    call first. `debug_images` are (code_file, debug_id) pairs. Returns the issue dict."""
    with store.lock:
        issues = _issues(store)
        issue_id = str(next(_ids))
        number = 1 + sum(1 for i in issues if i["org"] == org and i["project"] == project)
        value = exception_value if exception_value is not None else title.partition(": ")[2]
        event_id = hashlib.md5(issue_id.encode()).hexdigest()
        last = frames[-1] if frames else {}
        issue = {
            "id": issue_id, "org": org, "project": project,
            "shortId": "%s-%d" % (project.upper(), number), "title": title,
            "culprit": culprit or "%s(%s)" % (last.get("function") or "?",
                                              last.get("filename") or "?"),
            "level": level, "status": status, "count": count, "userCount": user_count,
            "firstSeen": now_iso(), "lastSeen": last_seen or now_iso(),
            "metadata": {"type": exception_type, "value": value,
                         "filename": last.get("filename"), "function": last.get("function")},
            "fingerprint": hashlib.md5(title.encode()).hexdigest(),
            "event": {"event_id": event_id, "release": release, "dist": dist,
                      "exception": {"values": [{"type": exception_type, "value": value,
                                                "stacktrace": {"frames": list(frames)}}]},
                      "debug_meta": {"images": [{"type": "sourcemap", "code_file": f,
                                                 "debug_id": d} for f, d in debug_images]}},
        }
        issues.append(issue)
        return issue


ROUTES = [
    (r"/api/0/organizations/", {"GET": ("organization_list", list_organizations)},
     auth.ORG_SCOPES, False),
    (r"/api/0/organizations/%s/projects/" % ORG,
     {"GET": ("organization_projects", list_org_projects)}, auth.ORG_SCOPES, True),
    (r"/api/0/projects/%s/%s/issues/" % (ORG, PROJECT),
     {"GET": ("issues", list_project_issues)}, EVENT_SCOPES, True),
    (r"/api/0/issues/(?P<issue_id>\d+)/events/latest/",
     {"GET": ("latest_event", latest_event)}, EVENT_SCOPES, False),
    (r"/api/0/projects/%s/%s/artifact-lookup/" % (ORG, PROJECT),
     {"GET": ("artifact_lookup", artifact_lookup)}, auth.RELEASE_SCOPES, True),
]
