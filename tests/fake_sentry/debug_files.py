"""Debug information files (DIFs): the assemble endpoint, its states and
answer shape, and the listing and download of stored files, as Sentry has
them (src/sentry/api/endpoints/debug_files.py::DifAssembleEndpoint,
src/sentry/tasks/assemble.py, src/sentry/models/debugfile.py).

Only WebAssembly objects are understood (what this project uploads): the
assembled file must be a module with a build_id section, whose IDs are read
the way symbolic reads them. A file without one is "Unsupported"."""
import hashlib
import re
from urllib.parse import parse_qs

from fake_sentry import auth
from fake_sentry.state import now_iso

ORG = r"(?P<org>[^/]+)"
PROJECT = r"(?P<project>[^/]+)"
SHA1_RE = re.compile(r"^[0-9a-f]{40}$")
NOT_FOUND = (404, {"detail": "The requested resource does not exist"}, {})
# ProjectReleasePermission: uploading debug files takes project:releases.
DIF_SCOPES = auth.RELEASE_SCOPES


class NotAModule(Exception):
    pass


def _leb(data, at):
    value = shift = 0
    while True:
        if at >= len(data) or shift > 28:
            raise NotAModule("truncated LEB128 at %d" % at)
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def sections(data):
    """(id, name or None, payload after the name, the section's bytes) of
    each section of a WebAssembly module, in file order; raises NotAModule."""
    if data[:8] != b"\0asm\1\0\0\0":
        raise NotAModule("no WebAssembly header")
    at = 8
    while at < len(data):
        section_id = data[at]
        size, payload = _leb(data, at + 1)
        end = payload + size
        if end > len(data):
            raise NotAModule("section %d runs past the end" % section_id)
        name, content = None, data[payload:end]
        if section_id == 0:
            length, name_at = _leb(data, payload)
            name = data[name_at:name_at + length].decode("utf-8", "replace")
            content = data[name_at + length:end]
        yield section_id, name, content, data[at:end]
        at = end


def read_wasm(data):
    """(build_id payload or None, custom section names, has a function
    section with entries) of a WebAssembly module; raises NotAModule."""
    build_id, names, functions = None, [], False
    for section_id, name, content, _ in sections(data):
        if section_id == 0:
            names.append(name)
            if name == "build_id" and build_id is None:
                build_id = content  # the whole payload, as symbolic reads it
        elif section_id == 3:
            functions = _leb(content, 0)[0] > 0
    return build_id, names, functions


def wasm_ids(build_id):
    """(debug_id, code_id) as symbolic derives them from the payload."""
    first = (build_id[:16] + bytes(16))[:16].hex()
    debug_id = "-".join([first[:8], first[8:12], first[12:16], first[16:20], first[20:]])
    return debug_id, build_id.hex()


def _inspect(data, name):
    """The stored DIF's description, or raises ValueError with Sentry's detail."""
    try:
        build_id, sections, functions = read_wasm(data)
    except NotAModule:
        raise ValueError("Unsupported debug information file: %s" % name)
    if build_id is None:
        # symbolic gives a nil debug ID; Sentry stores no such object.
        raise ValueError("Invalid debug information file: %s (no debug identifier)" % name)
    debug_id, code_id = wasm_ids(build_id)
    features = ["symtab"]
    if ".debug_info" in sections:
        features.append("debug")
    if ".debug_frame" in sections:
        features.append("unwind")
    return {"debugId": debug_id, "uuid": debug_id, "codeId": code_id,
            "cpuName": "wasm32", "objectName": name.rsplit("/", 1)[-1],
            "symbolType": "wasm", "headers": {"Content-Type": "application/wasm"},
            "data": {"type": "lib" if functions else "dbg", "features": features}}


def validate(body):
    """DifAssembleEndpoint's JSON schema; an error message or None."""
    if not isinstance(body, dict):
        return "%r is not of type 'object'" % (body,)
    for checksum, entry in body.items():
        if not SHA1_RE.match(checksum):
            return "Additional properties are not allowed (%r was unexpected)" % checksum
        if not isinstance(entry, dict):
            return "%r is not of type 'object'" % (entry,)
        for key in ("name", "chunks"):
            if key not in entry:
                return "%r is a required property" % key
        if not isinstance(entry["name"], str):
            return "%r is not of type 'string'" % (entry["name"],)
        if "debug_id" in entry and not isinstance(entry["debug_id"], str):
            return "%r is not of type 'string'" % (entry["debug_id"],)
        chunks = entry["chunks"]
        if not isinstance(chunks, list) or not all(
                isinstance(c, str) and SHA1_RE.match(c) for c in chunks):
            return "%r does not match '^[0-9a-f]{40}$'" % (chunks,)
    return None


def post_assemble(req):
    body = req.json_body()
    problem = validate(body)
    if problem:
        return 400, {"error": problem}, {}
    store, org = req.store, req.org["slug"]
    project = req.org["projects"].get(req.params["project"])
    if project is None:
        return NOT_FOUND
    answer = {}
    with store.lock:
        owned = store.chunk_owners.get(org, set())
        for checksum, entry in body.items():
            key = (org, project["slug"], checksum)
            job = store.dif_jobs.get(key)
            if job is not None:
                job["polls"] += 1
                if job["state"] == "created" and job["polls"] > 1:
                    job["state"] = "ok"
                answer[checksum] = {"state": job["state"], "detail": job.get("detail"),
                                    "missingChunks": [],
                                    "dif": job.get("dif") if job["state"] == "ok" else None}
                continue
            chunks = entry["chunks"]
            missing = [c for c in dict.fromkeys(chunks) if c not in owned]
            if not chunks or missing:
                answer[checksum] = {"state": "not_found", "missingChunks": missing}
                continue
            data = b"".join(store.chunks[c] for c in chunks)
            job = {"state": "created", "polls": 1, "name": entry["name"]}
            store.dif_jobs[key] = job
            if hashlib.sha1(data).hexdigest() != checksum:
                job.update(state="error", detail="Reported checksum mismatch")
            else:
                try:
                    dif = _inspect(data, entry["name"])
                except ValueError as e:
                    job.update(state="error", detail=str(e))
                else:
                    dif.update(id=str(store.new_id()), sha1=checksum, size=len(data),
                               dateCreated=now_iso())
                    job["dif"] = dif
                    store.debug_files.append({
                        "org": org, "project": project["slug"], "name": entry["name"],
                        "claimed_debug_id": entry.get("debug_id"), "raw": data,
                        "chunks": list(chunks), **dif})
            answer[checksum] = {"state": "created", "missingChunks": []}
    return 200, answer, {}


def list_dsyms(req):
    """GET /api/0/projects/{org}/{project}/files/dsyms/?query=<debug id> (a
    list) or ?id=<id> (the file's bytes)."""
    project = req.org["projects"].get(req.params["project"])
    if project is None:
        return NOT_FOUND
    query = {k: v[0] for k, v in parse_qs(req.query).items()}
    with req.store.lock:
        files = [f for f in req.store.debug_files
                 if f["org"] == req.org["slug"] and f["project"] == project["slug"]]
    if "id" in query:
        for f in files:
            if f["id"] == query["id"]:
                return 200, f["raw"], {}
        return NOT_FOUND
    wanted = (query.get("query") or "").lower()
    public = ("id", "uuid", "debugId", "codeId", "cpuName", "objectName", "symbolType",
              "headers", "size", "sha1", "dateCreated", "data")
    return 200, [{k: f[k] for k in public} for f in files
                 if not wanted or wanted in (f["debugId"], f["codeId"])], {}


ROUTES = [
    (r"/api/0/projects/%s/%s/files/difs/assemble/" % (ORG, PROJECT),
     {"POST": ("dif_assemble", post_assemble)}, DIF_SCOPES, True),
    (r"/api/0/projects/%s/%s/files/dsyms/" % (ORG, PROJECT),
     {"GET": ("dsyms", list_dsyms)}, DIF_SCOPES, True),
]
