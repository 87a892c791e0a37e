"""Endpoints of servers older than artifact bundles (protocol doc §4.8): the
release-bundle assemble and the per-file release artifacts.

Both store into `store.release_files[(org, version)]`, a list of artifacts shaped
like the API's (id, name, dist, headers, size, sha1, dateCreated) plus `data`.
"""
import hashlib
import time

from fake_sentry import bundle, chunks, projects
from fake_sentry.state import now_iso

NOT_FOUND = (404, {"detail": "The requested resource does not exist"}, {})
# ReleaseBundlePostAssembler's check on very old servers.
MISMATCH = "organization or release does not match"


def _release(req):
    return req.store.releases.get((req.org["slug"], req.params["version"]))


def _release_of_request(req):
    """The release, or None when it (or the project, or their link) is missing."""
    rel = _release(req)
    slug = req.params.get("project")
    if rel is None:
        return None
    if slug is not None and (slug not in req.org["projects"] or slug not in rel["projects"]):
        return None
    return rel


def _public(artifact):
    return {k: v for k, v in artifact.items() if k != "data"}


def _store_artifact(store, org_slug, version, name, dist, headers, data):
    """Adds a release file, replacing one with the same name and dist."""
    files = store.release_files.setdefault((org_slug, version), [])
    files[:] = [f for f in files if (f["name"], f["dist"]) != (name, dist)]
    artifact = {"id": store.new_id(), "name": name, "dist": dist, "headers": headers,
                "size": len(data), "sha1": hashlib.sha1(data).hexdigest(),
                "dateCreated": now_iso(), "data": data}
    files.append(artifact)
    return artifact


# ---------------------------------------------------------------- release assemble
def post_release_assemble(req):
    """POST /organizations/{org}/releases/{version}/assemble/: no missing-chunk
    check, its own status cache, the release must exist."""
    store, cfg = req.store, req.store.config
    if not cfg.mode()["release_assemble"]:
        return chunks.ABSENT
    rel = _release(req)
    if rel is None:
        return NOT_FOUND
    try:
        data = req.json_body()
    except ValueError:
        return chunks.error(400, "Invalid json body")
    message = chunks.validate_release_assemble_body(data)
    if message:
        return chunks.error(400, message)
    checksum, chunk_list = data["checksum"], data["chunks"]
    key = (req.org["slug"], rel["version"], checksum)
    with store.lock:
        job = store.release_assemble_jobs.get(key)
        if job and time.monotonic() - job["created"] > cfg.assemble_status_ttl:
            del store.release_assemble_jobs[key]
            job = None
        if job:
            return 200, chunks.report(job), {}
        if not chunk_list:
            return 200, {"state": "not_found", "missingChunks": []}, {}
        job = {"created": time.monotonic(), "state": "created", "detail": None,
               "polls_left": cfg.assemble_polls, "final": None}
        store.release_assemble_jobs[key] = job
        job["final"] = _assemble_release_bundle(store, req.org["slug"], rel["version"],
                                                checksum, chunk_list)
    return 200, {"state": "created", "missingChunks": []}, {}


def _assemble_release_bundle(store, org_slug, version, checksum, chunk_list):
    cfg = store.config
    try:
        if cfg.assemble_error:
            raise bundle.AssembleError(cfg.assemble_error)
        max_size = cfg.effective_chunk_options()["maxFileSize"]
        raw = bundle.join_chunks(store, org_slug, checksum, chunk_list, max_size)
        manifest, files, _ = bundle.open_bundle(raw, cfg.strict_bundle)
        if manifest.get("org") != org_slug or manifest.get("release") != version:
            raise bundle.AssembleError(MISMATCH)
    except bundle.AssembleError as e:
        return ("error", str(e))
    dist = manifest.get("dist")
    for path, info in (manifest.get("files") or {}).items():
        if isinstance(info, dict) and info.get("url") and path in files:
            _store_artifact(store, org_slug, version, info["url"], dist,
                            dict(info.get("headers") or {}), files[path])
    return ("ok", None)


# ---------------------------------------------------------------- release files
def list_files(req):
    rel = _release_of_request(req)
    if rel is None:
        return NOT_FOUND
    items = [_public(f) for f in req.store.release_files.get((req.org["slug"], rel["version"]), [])]
    error, result = projects.paginate(req, items, req.path)
    if error:
        return error
    page, headers = result
    return 200, page, headers


def upload_file(req):
    """Multipart `file`, `name`, optional `dist`, repeated `header` "Key:Value"."""
    rel = _release_of_request(req)
    if rel is None:
        return NOT_FOUND
    if req.multipart_error:
        return 400, {"detail": "Multipart form parse error - %s" % req.multipart_error}, {}
    parts = req.multipart or []
    files = [p for p in parts if p.name == "file" and p.filename is not None]
    if not files:
        return 400, {"detail": "Missing uploaded file"}, {}
    fields = {}
    headers = {}
    for p in parts:
        if p.filename is not None:
            continue
        value = p.data.decode("utf-8", "replace")
        if p.name == "header":
            key, sep, val = value.partition(":")
            if not sep or not key.strip():
                return 400, {"detail": "header value was not formatted correctly"}, {}
            if any(c in val for c in "\r\n\t\f\v"):
                return 400, {"detail": "header value was not formatted correctly"}, {}
            headers[key.strip()] = val.strip()
        else:
            fields[p.name] = value
    name = fields.get("name") or files[0].filename
    if not name or name == "file":
        return 400, {"detail": "File name must be specified"}, {}
    dist = fields.get("dist") or None
    store = req.store
    with store.lock:
        existing = store.release_files.get((req.org["slug"], rel["version"]), [])
        if any((f["name"], f["dist"]) == (name, dist) for f in existing):
            return 409, {"detail": "A file matching this name already exists for the "
                                   "given release"}, {}
        artifact = _store_artifact(store, req.org["slug"], rel["version"], name, dist,
                                   headers, files[0].data)
    return 201, _public(artifact), {}


def delete_file(req):
    rel = _release_of_request(req)
    if rel is None:
        return NOT_FOUND
    with req.store.lock:
        files = req.store.release_files.get((req.org["slug"], rel["version"]), [])
        kept = [f for f in files if f["id"] != req.params["file_id"]]
        if len(kept) == len(files):
            return NOT_FOUND
        files[:] = kept
    return 204, None, {}


ORG = r"(?P<org>[^/]+)"
VERSION = r"(?P<version>[^/]+)"
PROJECT_FILES = r"/api/0/projects/%s/(?P<project>[^/]+)/releases/%s/files/" % (ORG, VERSION)
ORG_FILES = r"/api/0/organizations/%s/releases/%s/files/" % (ORG, VERSION)


def routes(release_scopes):
    """(path regex, {method: (endpoint, handler)}, scopes, needs org) for server.py."""
    files = {"GET": ("release_files", list_files), "POST": ("release_file_upload", upload_file)}
    one = {"DELETE": ("release_file_delete", delete_file)}
    return [
        (r"/api/0/organizations/%s/releases/%s/assemble/" % (ORG, VERSION),
         {"POST": ("release_assemble", post_release_assemble)}, release_scopes, True),
        (PROJECT_FILES, files, release_scopes, True),
        (PROJECT_FILES + r"(?P<file_id>[^/]+)/", one, release_scopes, True),
        (ORG_FILES, files, release_scopes, True),
        (ORG_FILES + r"(?P<file_id>[^/]+)/", one, release_scopes, True),
    ]
