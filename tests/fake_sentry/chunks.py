"""Chunk-upload options, chunk upload and artifact-bundle assemble endpoints."""
import gzip
import hashlib
import io
import re
import shutil
import subprocess
import time
import zlib

from fake_sentry import bundle
from fake_sentry.state import ASSEMBLE_FIELDS

SENTRYCLI_SEMVER_RE = re.compile(r"^sentry-cli/(\d+)\.(\d+)\.(\d+)")


def error(status, message):
    return status, {"error": message}, {}


# ---------------------------------------------------------------- GET options
def chunk_url(req):
    """Relative URL only for sentry-cli 1.70.1 <= v < 2.30.0, like the real server."""
    cfg = req.store.config
    path = "/api/0/organizations/%s/chunk-upload/" % req.org["slug"]
    mode = cfg.chunk_url
    if mode == "auto":
        m = SENTRYCLI_SEMVER_RE.search(req.headers.get("user-agent", ""))
        version = tuple(int(x) for x in m.groups()) if m else None
        mode = "relative" if version and (1, 70, 1) <= version < (2, 30, 0) else "absolute"
    if mode == "relative":
        return path[len("/api/0/"):]
    if mode == "absolute":
        return req.base_url + path
    return mode.rstrip("/") + path  # an explicit prefix, like system.upload-url-prefix


# An endpoint the imitated server generation does not have (Django's plain 404).
ABSENT = (404, {"detail": "Not found"}, {})


def get_options(req):
    if req.store.config.mode()["accept"] is None:
        return ABSENT
    opts = req.store.config.effective_chunk_options()
    body = {"url": chunk_url(req)}
    body.update(opts)
    return 200, body, {}


# ---------------------------------------------------------------- POST chunks
class TooLarge(Exception):
    pass


def _decode(data, codec, limit):
    """Decompress with a hard cap, like the server's _read_bounded."""
    if codec == "gzip":
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
            out = f.read(limit + 1)
    elif codec == "zstd":
        out = _zstd_decode(data, limit)
    else:
        out = data
    if len(out) > limit:
        raise TooLarge()
    return out


def _zstd_decode(data, limit):
    # No zstd in the standard library before 3.14; fall back to the zstd tool.
    try:
        from compression import zstd  # Python >= 3.14
        return zstd.decompress(data)[: limit + 1]
    except ImportError:
        pass
    if not shutil.which("zstd"):
        raise ValueError("zstd decoding unavailable in fake_sentry")
    proc = subprocess.run(["zstd", "-d", "-c", "-q"], input=data, capture_output=True)
    if proc.returncode != 0:
        raise ValueError("Invalid zstd payload")
    return proc.stdout[: limit + 1]


def post_chunks(req):
    store = req.store
    if store.config.mode()["accept"] is None:
        return ABSENT
    opts = store.config.effective_chunk_options()
    encoding = req.headers.get("content-encoding", "").strip().lower()
    if encoding and encoding not in ("gzip", "zstd"):
        return error(400, "Unsupported Content-Encoding")
    if req.multipart_error:
        # DRF's ParseError wording for a malformed multipart body.
        return 400, {"detail": "Multipart form parse error - %s" % req.multipart_error}, {}
    parts = req.multipart or []
    plain = [p for p in parts if p.name == "file" and p.filename is not None]
    legacy = [p for p in parts if p.name == "file_gzip" and p.filename is not None]
    if encoding and legacy:
        return error(400, "Cannot combine Content-Encoding with file_gzip field")
    if len(plain) + len(legacy) > opts["chunksPerRequest"]:
        return error(400, "Too many chunks")
    if not plain and not legacy:
        return 200, None, {}
    decoded = []
    total = 0
    jobs = [(p, encoding) for p in plain] + [(p, "gzip") for p in legacy]
    for part, codec in jobs:
        try:
            data = _decode(part.data, codec, opts["chunkSize"])
        except TooLarge:
            return error(400, "Chunk size too large")
        except ValueError as e:
            return error(400, str(e))
        except (OSError, EOFError, zlib.error):
            # The real server does not catch a broken gzip stream: Django answers 500.
            return 500, {"detail": "Internal Error"}, {}
        total += len(data)
        if total > opts["maxRequestSize"]:
            return error(400, "Request too large")
        decoded.append((part.filename, data))
    with store.lock:
        owned = store.chunk_owners.setdefault(req.org["slug"], set())
        for name, data in decoded:
            # Stored under the claimed name; a wrong claim surfaces at assemble time.
            store.chunks[name] = data
            store.chunk_checksum_ok[name] = hashlib.sha1(data).hexdigest() == name
            owned.add(name)
    return 200, None, {}


# ---------------------------------------------------------------- POST assemble
SCHEMA_MESSAGES = {
    "version": 'The version field cannot be empty and cannot contain any "/" characters.',
    "dist": "The dist field must be a string.",
    "projects": "The projects field is required and must be provided as an array of strings.",
    "checksum": "The checksum field is required and must be a 40-character hexadecimal string.",
    "chunks": "The chunks field is required and must be provided as an array of "
              "40-character hexadecimal strings.",
}
SHA1_RE = re.compile(r"^[0-9a-f]{40}$")


def validate_assemble_body(data, props=ASSEMBLE_FIELDS):
    """The endpoint's JSON schema (`props`: the allowed properties of the server
    generation); returns an error message or None."""
    if not isinstance(data, dict):
        return "%r is not of type 'object'" % (data,)
    for key in ("checksum", "chunks", "projects"):
        if key not in data:
            return "'%s' is a required property" % key
    extra = [k for k in data if k not in props]
    if extra:
        return "Additional properties are not allowed (%s %s unexpected)" % (
            ", ".join(repr(k) for k in extra), "was" if len(extra) == 1 else "were")
    v = data.get("version")
    if "version" in data and not (isinstance(v, str) and re.search(r"^[^/]+$", v)):
        return SCHEMA_MESSAGES["version"]
    if "dist" in data and not isinstance(data["dist"], str):
        return SCHEMA_MESSAGES["dist"]
    p = data["projects"]
    if not isinstance(p, list) or not all(isinstance(x, str) for x in p):
        return SCHEMA_MESSAGES["projects"]
    if not (isinstance(data["checksum"], str) and SHA1_RE.search(data["checksum"])):
        return SCHEMA_MESSAGES["checksum"]
    c = data["chunks"]
    if not isinstance(c, list) or not all(isinstance(x, str) and SHA1_RE.search(x) for x in c):
        return SCHEMA_MESSAGES["chunks"]
    return None


def validate_release_assemble_body(data):
    """The release-assemble schema: checksum and chunks only."""
    if not isinstance(data, dict):
        return "%r is not of type 'object'" % (data,)
    for key in ("checksum", "chunks"):
        if key not in data:
            return "'%s' is a required property" % key
    if "projects" in data:  # not a property of this schema
        return "Additional properties are not allowed ('projects' was unexpected)"
    return validate_assemble_body(dict(data, projects=[]), ("projects", "checksum", "chunks"))


def post_assemble(req):
    store, cfg = req.store, req.store.config
    if not cfg.mode()["artifact_bundles"]:
        return ABSENT
    try:
        data = req.json_body()
    except ValueError:
        return error(400, "Invalid json body")
    message = validate_assemble_body(data, cfg.mode()["assemble_fields"])
    if message:
        return error(400, message)
    projects = data["projects"]
    if not projects:
        return error(400, "You need to specify at least one project")
    found = {}
    for ref in projects:
        # Numeric strings are ids, anything else a slug (slugs cannot be numeric).
        p = store.find_project(req.org, ref if not ref.isdecimal() else int(ref))
        if p is not None:
            found[p["id"]] = p
    # len(distinct matches) != len(input): duplicates fail too, as on the real server.
    if len(found) != len(projects):
        return error(400, "One or more projects are invalid")
    checksum, chunks = data["checksum"], data["chunks"]
    key = (req.org["slug"], checksum)
    with store.lock:
        if cfg.mode()["missing_chunk_check"]:
            owned = store.chunk_owners.get(req.org["slug"], set())
            missing = [c for c in dict.fromkeys(chunks) if c not in owned]
            if missing:
                return 200, {"state": "not_found", "missingChunks": missing}, {}
        job = store.assemble_jobs.get(key)
        if job and time.monotonic() - job["created"] > cfg.assemble_status_ttl:
            del store.assemble_jobs[key]  # the Redis entry expired
            job = None
        if job:
            return 200, report(job), {}
        if not chunks:
            return 200, {"state": "not_found", "missingChunks": []}, {}
        job = {"created": time.monotonic(), "state": "created", "detail": None,
               "polls_left": cfg.assemble_polls, "final": None}
        store.assemble_jobs[key] = job
        version, dist = data.get("version"), data.get("dist")
        # Real server bug kept on purpose: "created" is cached before this check,
        # so later polls within the TTL keep answering "created".
        if not version and dist:
            return error(400, "You need to specify a release together with a dist")
        job["final"] = _run_assemble(store, req.org, checksum, chunks, list(found), version, dist)
    return 200, {"state": "created", "missingChunks": []}, {}


def _run_assemble(store, org, checksum, chunks, project_ids, version, dist):
    try:
        record = bundle.assemble(store, org["slug"], checksum, chunks, project_ids, version, dist)
    except bundle.AssembleError as e:
        return ("error", str(e))
    except Exception:  # noqa: BLE001 - the real task reports this generic detail
        return ("error", "internal server error")
    if record is None:
        store.discarded_bundles.append({"checksum": checksum, "org": org["slug"]})
    else:
        record["projects"] = [p["slug"] for p in org["projects"].values()
                              if p["id"] in project_ids]
        _store_bundle(store, record)
    return ("ok", None)


def _store_bundle(store, record):
    # Same bundle id in the same org replaces the earlier bundle (an update).
    for i, old in enumerate(store.bundles):
        if old["org"] == record["org"] and old["bundle_id"] == record["bundle_id"]:
            store.bundles[i] = record
            break
    else:
        store.bundles.append(record)
    if store.on_bundle:
        store.on_bundle(record)


def report(job):
    """Advance the fake worker one poll and describe the job like the cached status."""
    if job["state"] in ("created", "assembling") and job["final"] is not None:
        if job["polls_left"] > 0:
            job["polls_left"] -= 1
            job["state"] = "assembling"
        else:
            job["state"], job["detail"] = job["final"]
    if job["state"] == "ok":
        return {"state": "ok", "detail": None, "missingChunks": []}
    return {"state": job["state"], "detail": job["detail"], "missingChunks": []}
