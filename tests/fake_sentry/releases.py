"""Release, deploy, repository, organization and project endpoints (protocol doc §4.7)."""
import re

from fake_sentry.state import now_iso

MAX_VERSION_LENGTH = 200
BAD_RELEASE_CHARS = "\r\n\f\x0c\t/\\"
NOT_FOUND = (404, {"detail": "The requested resource does not exist"}, {})


def _is_valid_version(v):
    # Release.is_valid_version on the server.
    return bool(v) and not any(c in v for c in BAD_RELEASE_CHARS) and v not in (".", "..") \
        and v.lower() != "latest"


def _field_error(field, message):
    return 400, {field: [message]}, {}


# django.utils.dateparse.datetime_re, which DRF's DateTimeField uses: up to 6
# fraction digits count, 6 more are ignored (chrono's nanoseconds pass).
_DATETIME = re.compile(r"\d{4}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{1,2}(?::\d{1,2}(?:[.,]\d{1,6}\d{0,6})?)?"
                       r"\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?\Z")
_URL = re.compile(r"(?i)(?:https?|ftps?)://[^\s/?#]+(?:[/?#]\S*)?\Z")  # Django's URLValidator, roughly


def _check_fields(data, dates=(), urls=()):
    """DRF DateTimeField / URLField checks (null and, for URLs, blank allowed)."""
    for key in dates:
        v = data.get(key)
        if v is not None and not (isinstance(v, str) and _DATETIME.match(v)):
            return _field_error(key, "Datetime has wrong format. Use one of these formats "
                                "instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].")
    for key in urls:
        v = data.get(key)
        if v not in (None, "") and not (isinstance(v, str) and _URL.match(v)):
            return _field_error(key, "Enter a valid URL.")
    return None


def _project_json(p):
    return {"id": p["id"], "slug": p["slug"], "name": p["name"], "newGroups": 0,
            "platform": p["platform"], "platforms": [p["platform"]], "hasHealthData": False}


def release_json(org, rel):
    name, _, build = rel["version"].partition("+")
    package, _, ver = name.rpartition("@")
    return {
        "id": rel["id"], "version": rel["version"], "status": "open",
        "shortVersion": rel["version"],
        "versionInfo": {"package": package or None, "version": {"raw": ver or name},
                        "description": ver or name, "buildHash": build or None},
        "ref": rel.get("ref"), "url": rel.get("url"), "dateReleased": rel.get("dateReleased"),
        "dateCreated": rel["dateCreated"], "data": {}, "newGroups": 0, "owner": None,
        "commitCount": len(rel["commits"]),
        "lastCommit": rel["commits"][-1] if rel["commits"] else None,
        "deployCount": len(rel["deploys"]),
        "lastDeploy": rel["deploys"][-1] if rel["deploys"] else None,
        "authors": [], "projects": [_project_json(org["projects"][s]) for s in rel["projects"]],
        "firstEvent": None, "lastEvent": None, "currentProjectMeta": {}, "userAgent": None,
    }


def _resolve_projects(req, refs):
    """Slugs, int ids or numeric-string ids; None when any is unknown."""
    out = []
    for ref in refs:
        p = req.store.find_project(req.org, ref)
        if p is None or isinstance(ref, bool):
            return None
        out.append(p["slug"])
    return out


def _body(req):
    try:
        data = req.json_body()
    except ValueError:
        return None, (400, {"detail": "JSON parse error - Expecting value"}, {})
    if not isinstance(data, dict):
        return None, (400, {"non_field_errors": ["Invalid data. Expected a dictionary."]}, {})
    return data, None


def new_release(req):
    data, err = _body(req)
    if err:
        return err
    version = data.get("version")
    if version is None:
        return _field_error("version", "This field is required.")
    if not isinstance(version, str):
        return _field_error("version", "Not a valid string.")
    if version == "":
        return _field_error("version", "This field may not be blank.")
    if len(version) > MAX_VERSION_LENGTH:
        return _field_error("version", "Ensure this field has no more than %d characters."
                            % MAX_VERSION_LENGTH)
    if not _is_valid_version(version):
        return _field_error("version", "Release with name %s is not allowed" % version)
    if "projects" not in data:
        return _field_error("projects", "This field is required.")
    if not isinstance(data["projects"], list):
        return _field_error("projects", 'Expected a list of items but got type "%s".'
                            % type(data["projects"]).__name__)
    projects = _resolve_projects(req, data["projects"])
    if projects is None:
        return _field_error("projects", "Invalid project ids or slugs")
    err = _check_fields(data, dates=("dateReleased",), urls=("url",))
    if err:
        return err
    store = req.store
    with store.lock:
        key = (req.org["slug"], version)
        rel = store.releases.get(key)
        created = rel is None
        if created:
            rel = {"id": store.new_id(), "version": version, "projects": [], "commits": [],
                   "refs": [], "deploys": [], "dateCreated": now_iso(), "url": None,
                   "ref": None, "dateReleased": None, "org": req.org["slug"]}
            store.releases[key] = rel
        added = [p for p in projects if p not in rel["projects"]]
        rel["projects"].extend(added)
        # get_or_create(defaults=...): an existing release keeps its fields.
        for k in ("url", "ref", "dateReleased"):
            if data.get(k) is not None and created:
                rel[k] = data[k]
        # 201 when created or when it gained projects, 208 Already Reported otherwise.
        return (201 if created or added else 208), release_json(req.org, rel), {}


def _get_release(req):
    return req.store.releases.get((req.org["slug"], req.params["version"]))


def get_release(req):
    rel = _get_release(req)
    return NOT_FOUND if rel is None else (200, release_json(req.org, rel), {})


def update_release(req):
    rel = _get_release(req)
    if rel is None:
        return NOT_FOUND
    data, err = _body(req)
    if err:
        return err
    err = _check_fields(data, dates=("dateReleased",), urls=("url",))
    if err:
        return err
    for ref in data.get("refs") or []:
        if not isinstance(ref, dict) or not ref.get("repository") or not ref.get("commit"):
            return 400, {"refs": ["Each ref needs a repository and a commit."]}, {}
    store = req.store
    with store.lock:
        for k in ("ref", "url", "dateReleased"):
            if k in data:
                rel[k] = data[k]
        if "refs" in data:
            known = {r["name"] for r in store.repos.get(req.org["slug"], [])}
            bad = sorted({r.get("repository") for r in data["refs"]} - known)
            if bad:
                return 400, {"detail": "Invalid repository names: %s" % ",".join(map(str, bad))}, {}
            rel["refs"] = data["refs"]
        if "commits" in data:
            rel["commits"] = [{"id": c.get("id"), "message": c.get("message"),
                               "dateCreated": c.get("timestamp")} for c in data["commits"]]
        # "projects" is no field of the PUT serializer: the server ignores it.
    return 200, release_json(req.org, rel), {}


def delete_release(req):
    with req.store.lock:
        if req.store.releases.pop((req.org["slug"], req.params["version"]), None) is None:
            return NOT_FOUND
    return 204, None, {}


def list_releases(req):
    rels = [release_json(req.org, r) for (o, _), r in req.store.releases.items()
            if o == req.org["slug"]]
    return 200, rels[::-1], {}


def previous_with_commits(req):
    if _get_release(req) is None:
        return NOT_FOUND
    return 200, {}, {}


def new_deploy(req):
    rel = _get_release(req)
    if rel is None:
        return NOT_FOUND
    data, err = _body(req)
    if err:
        return err
    env = data.get("environment")
    if env is None:
        return _field_error("environment", "This field is required.")
    if not isinstance(env, str) or env == "":
        return _field_error("environment", "This field may not be blank.")
    if len(env) > 64:
        return _field_error("environment", "Ensure this field has no more than 64 characters.")
    if "/" in env or env.strip() != env or env.lower() == "none":
        return _field_error("environment", "Invalid value for environment")
    name = data.get("name")
    if name is not None and len(str(name)) > 64:
        return _field_error("name", "Ensure this field has no more than 64 characters.")
    err = _check_fields(data, dates=("dateStarted", "dateFinished"), urls=("url",))
    if err:
        return err
    if "projects" in data:
        refs = data["projects"]
        if not isinstance(refs, list) or not refs:
            return _field_error("projects", "This list may not be empty.")
        if _resolve_projects(req, refs) is None:
            return _field_error("projects", "Invalid project")
    deploy = {"id": req.store.new_id(), "environment": env,
              "dateStarted": data.get("dateStarted"),
              "dateFinished": data.get("dateFinished") or now_iso(),
              "name": name, "url": data.get("url")}
    with req.store.lock:
        rel["deploys"].append(deploy)
        req.store.deploys.append(dict(deploy, version=rel["version"], org=req.org["slug"],
                                      projects=data.get("projects")))
    return 201, deploy, {}


def list_deploys(req):
    rel = _get_release(req)
    return NOT_FOUND if rel is None else (200, rel["deploys"][::-1], {})


def list_repos(req):
    return 200, req.store.repos.get(req.org["slug"], []), {}


def get_organization(req):
    org = req.org
    return 200, {"id": org["id"], "slug": org["slug"], "name": org["name"],
                 "dateCreated": "2020-01-01T00:00:00.000000Z", "status": {"id": "active",
                 "name": "active"}, "features": [], "isEarlyAdopter": False,
                 "projects": [_project_json(p) for p in org["projects"].values()]}, {}


def get_project(req):
    p = req.org["projects"].get(req.params["project"])
    if p is None:
        return NOT_FOUND
    body = _project_json(p)
    body["organization"] = {"id": req.org["id"], "slug": req.org["slug"], "name": req.org["name"]}
    return 200, body, {}
