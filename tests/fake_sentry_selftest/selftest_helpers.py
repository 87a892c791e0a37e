"""HTTP and bundle helpers for the stand-in's self-tests (stdlib only)."""
import gzip
import hashlib
import http.client
import io
import json
import struct
import uuid
import zipfile
from urllib.parse import urlsplit

ORG = "/api/0/organizations/acme"


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)


def call(base_url, method, path, token=None, body=None, headers=None, timeout=10):
    """One request on a fresh connection; returns Response (no exception on 4xx/5xx)."""
    u = urlsplit(base_url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        hdrs = dict(headers or {})
        if token is not None:
            hdrs["Authorization"] = "Bearer %s" % token
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=body, headers=hdrs)
        r = conn.getresponse()
        return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
    finally:
        conn.close()


def multipart_body(parts, boundary="----fake-sentry-test-boundary"):
    """parts: list of (field name, filename, bytes). Returns (body, content type)."""
    out = io.BytesIO()
    for name, filename, data in parts:
        out.write(b"--%s\r\n" % boundary.encode())
        out.write(b'Content-Disposition: form-data; name="%s"; filename="%s"\r\n'
                  % (name.encode(), filename.encode()))
        out.write(b"Content-Type: application/octet-stream\r\n\r\n")
        out.write(data + b"\r\n")
    out.write(b"--%s--\r\n" % boundary.encode())
    return out.getvalue(), "multipart/form-data; boundary=%s" % boundary


def upload_chunks(base_url, token, chunks, gzip_parts=True, headers=None, org=ORG):
    parts = [("file_gzip" if gzip_parts else "file", hashlib.sha1(c).hexdigest(),
              gzip.compress(c) if gzip_parts else c) for c in chunks]
    body, ctype = multipart_body(parts)
    hdrs = {"Content-Type": ctype}
    hdrs.update(headers or {})
    return call(base_url, "POST", org + "/chunk-upload/", token, body, hdrs)


def sha1(data):
    return hashlib.sha1(data).hexdigest()


def make_bundle(files, sysb=True, version=2, **attrs):
    """files: {url: (type, text, headers)} -> SYSB artifact bundle bytes."""
    zbuf = io.BytesIO()
    manifest = {"files": {}}
    with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED) as zf:
        for url, (ftype, text, headers) in sorted(files.items()):
            name = "files/_/_/" + url[2:]
            zf.writestr(name, text)
            manifest["files"][name] = {"type": ftype, "url": url, "headers": headers}
        manifest.update(attrs)
        zf.writestr("manifest.json", json.dumps(manifest))
    prefix = b"SYSB" + struct.pack("<I", version) if sysb else b""
    return prefix + zbuf.getvalue()


DEBUG_ID = "ce0ad224-152a-59d0-9082-7209001ff0c9"


def sample_bundle(debug_ids=True, **attrs):
    h = {"debug-id": DEBUG_ID} if debug_ids else {}
    files = {
        "~/app.js": ("minified_source", "console.log(1)\n//# debugId=%s\n" % DEBUG_ID,
                     dict(h, sourcemap="app.js.map")),
        "~/app.js.map": ("source_map", '{"version":3,"sources":[],"names":[],"mappings":""}', h),
    }
    attrs.setdefault("debug_id", str(uuid.uuid4()))
    attrs.setdefault("org", "acme")
    return make_bundle(files, **attrs)


def split(data, size):
    return [data[i:i + size] for i in range(0, len(data), size)] or []


def assemble_body(data, chunk_size=8 * 1024 * 1024, projects=("web",), **extra):
    body = {"checksum": sha1(data), "chunks": [sha1(c) for c in split(data, chunk_size)],
            "projects": list(projects)}
    body.update(extra)
    return body
