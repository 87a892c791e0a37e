"""HTTP front of the stand-in: routing, auth, faults, request log, FakeSentry, CLI.

Run standalone:
  python3 tests/fake_sentry/server.py --port 0 --token tok=project:releases,org:read \
      --org acme=web,api [--store-dir DIR] [--url-file FILE]
"""
import gzip
import hashlib
import http
import json
import os
import re
import signal
import socket
import struct
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

if __package__ in (None, ""):  # run as a script: make `fake_sentry` importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from fake_sentry import (  # noqa: E402
    auth, chunks, debug_files, envelopes, legacy, multipart, projects, releases)
from fake_sentry.faults import CUTS, FaultScript  # noqa: E402
from fake_sentry.state import Config, Store  # noqa: E402

ORG = r"(?P<org>[^/]+)"
VERSION = r"(?P<version>[^/]+)"
# (path regex, {method: (endpoint name, handler)}, scope map, needs org)
ROUTES = [
    (r"/api/0/", {"GET": ("auth", None)}, None, False),
    (r"/api/0/organizations/%s/" % ORG,
     {"GET": ("organization", releases.get_organization)}, auth.ORG_SCOPES, True),
    (r"/api/0/projects/%s/(?P<project>[^/]+)/" % ORG,
     {"GET": ("project", releases.get_project)}, auth.PROJECT_SCOPES, True),
    (r"/api/0/organizations/%s/chunk-upload/" % ORG,
     {"GET": ("options", chunks.get_options), "POST": ("chunk", chunks.post_chunks)},
     auth.RELEASE_SCOPES, True),
    (r"/api/0/organizations/%s/artifactbundle/assemble/" % ORG,
     {"POST": ("assemble", chunks.post_assemble)}, auth.RELEASE_SCOPES, True),
    (r"/api/0/organizations/%s/releases/" % ORG,
     {"GET": ("release_list", releases.list_releases),
      "POST": ("release_new", releases.new_release)}, auth.RELEASE_SCOPES, True),
    (r"/api/0/organizations/%s/releases/%s/" % (ORG, VERSION),
     {"GET": ("release_get", releases.get_release),
      "PUT": ("release_update", releases.update_release),
      "DELETE": ("release_delete", releases.delete_release)}, auth.RELEASE_SCOPES, True),
    (r"/api/0/organizations/%s/releases/%s/deploys/" % (ORG, VERSION),
     {"GET": ("deploy_list", releases.list_deploys),
      "POST": ("deploy_new", releases.new_deploy)}, auth.RELEASE_SCOPES, True),
    (r"/api/0/organizations/%s/releases/%s/previous-with-commits/" % (ORG, VERSION),
     {"GET": ("release_previous_with_commits", releases.previous_with_commits)},
     auth.RELEASE_SCOPES, True),
    (r"/api/0/organizations/%s/repos/" % ORG,
     {"GET": ("repos", releases.list_repos)}, auth.REPO_SCOPES, True),
]
ROUTES += legacy.routes(auth.RELEASE_SCOPES)  # servers before artifact bundles
ROUTES += envelopes.ROUTES  # SDK events (DSN auth, CORS): see envelopes.py
ROUTES += projects.ROUTES  # doctor, issues, resolve --from-server: see projects.py
ROUTES += debug_files.ROUTES  # debug information files (WebAssembly): see debug_files.py
ROUTES = [(re.compile(p + r"\Z"), m, s, o) for p, m, s, o in ROUTES]


def route(path):
    for regex, methods, scopes, needs_org in ROUTES:
        m = regex.match(path)
        if m:
            return methods, scopes, needs_org, {k: unquote(v) for k, v in m.groupdict().items()}
    return None, None, False, {}


class Request:
    """What a handler sees."""

    def __init__(self, store, method, path, query, headers, body, base_url):
        self.store, self.method, self.path, self.query = store, method, path, query
        self.headers, self.body, self.base_url = headers, body, base_url
        self.org, self.params, self.token = None, {}, None
        self.multipart, self.multipart_error = None, None
        try:
            boundary = multipart.boundary_of(headers.get("content-type"))
            if boundary is not None:
                self.multipart = multipart.parse(body, boundary)
        except multipart.MultipartError as e:
            self.multipart_error = str(e)

    def json_body(self):
        """Parsed JSON body; raises ValueError when it is not JSON."""
        return json.loads(self.body.decode("utf-8"))


def describe_body(req):
    """The request body as it goes into the log."""
    if req.multipart is not None:
        out = []
        for p in req.multipart:
            is_gz = p.data[:2] == b"\x1f\x8b"
            try:
                plain = gzip.decompress(p.data) if is_gz else p.data
            except (OSError, EOFError):
                plain = p.data
            out.append({"name": p.name, "filename": p.filename, "content_type": p.content_type,
                        "size": len(p.data), "sha1": hashlib.sha1(plain).hexdigest(),
                        "gzip": is_gz})
        return out
    if not req.body:
        return None
    try:
        return req.json_body()
    except ValueError:
        try:
            return req.body.decode("utf-8")
        except UnicodeDecodeError:
            return {"binary_size": len(req.body)}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive; every response carries Content-Length
    server_version = "fake-sentry/1"
    sys_version = ""

    def log_message(self, fmt, *args):  # quiet; the request log is the record
        pass

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _dispatch(self):
        fake = self.server.fake
        store = fake.store
        url = urlsplit(self.path)
        body = self._read_body()
        headers = {k.lower(): v for k, v in self.headers.items()}
        req = Request(store, self.command, url.path, url.query, headers, body, fake.url)
        methods, scopes, needs_org, params = route(url.path)
        endpoint = methods[self.command][0] if methods and self.command in methods else None
        logged = dict(headers)
        if "authorization" in logged:
            logged["authorization"] = "Bearer [REDACTED]"
        # time: wall clock at arrival; received/answered: time.monotonic() when the
        # whole request had been read and just before the answer (or the close of
        # a drop) went out; answered stays None while a request is held.
        record = {"method": self.command, "path": url.path,
                  "query": {k: v[-1] for k, v in parse_qs(url.query).items()},
                  "headers": logged, "body": describe_body(req), "endpoint": endpoint,
                  "time": time.time(), "received": time.monotonic(), "answered": None,
                  "status": None}
        with store.lock:
            store.requests.append(record)
        fake._changed()
        self._logged = False
        try:
            fake._run_hooks("request", record)
            self._answer(req, record, methods, scopes, needs_org, params)
        finally:
            if not self._logged:  # dropped, stalled or failed: log it now
                fake._log_request(record)
            fake._changed()

    def _answer(self, req, record, methods, scopes, needs_org, params):
        fake, url_path, endpoint = self.server.fake, req.path, record["endpoint"]
        fault = fake.faults.take(self.command, url_path, endpoint)
        if fault:
            record["fault"] = {k: v for k, v in fault.items() if k != "body"}
            if fault.get("hold"):
                if not fake._hold(record):  # the stand-in is stopping: never answer
                    record["status"] = "dropped"
                    self._drop(record, reset=False)
                    return
                record["status"] = None
            if fault.get("delay"):
                fake._pause(fault["delay"])
            if fault.get("drop") or fault.get("reset"):
                record["status"] = "dropped"
                self._drop(record, reset=bool(fault.get("reset")))
                return
            if fault.get("stall") is not None:
                record["status"] = "stalled"
                self._stall(record, fault["stall"])
                return
            if CUTS & set(fault):  # the request takes effect; its answer is cut
                status, payload, extra = self._handle(req, methods, scopes, needs_org,
                                                      params)
                self._respond_cut(record, fault, fault.get("status", status), payload,
                                  {**extra, **fault.get("headers", {})})
                return
            if "status" in fault:
                status = fault["status"]
                payload = fault.get("body", {"detail": _phrase(status)})
                self._respond(record, status, payload, fault.get("headers", {}))
                return
        status, payload, extra = self._handle(req, methods, scopes, needs_org, params)
        self._respond(record, status, payload, extra)

    def _handle(self, req, methods, scopes, needs_org, params):
        store = req.store
        try:
            token, spec = auth.authenticate(store, req.headers.get("authorization"))
            if methods is None:
                return 404, {"detail": "Not found"}, {}
            if self.command not in methods:
                return 405, {"detail": 'Method "%s" not allowed.' % self.command}, {}
            name, handler = methods[self.command]
            if handler is None:  # GET /api/0/: no permission classes
                user = spec.get("user") if spec else None
                a = {"scopes": list(spec["scopes"])} if spec else None
                return 200, {"version": "0", "auth": a, "user": user}, {}
            auth.check_scopes(spec, self.command, scopes)
            if needs_org:
                req.org = store.orgs.get(params["org"])
                if req.org is None:
                    return 404, {"detail": auth.NOT_FOUND}, {}
                auth.check_org_binding(spec, req.org)
            req.params, req.token = params, token
            return handler(req)
        except auth.AuthError as e:
            extra = {"WWW-Authenticate": auth.WWW_AUTHENTICATE} if e.status == 401 else {}
            return e.status, {"detail": e.detail}, extra

    def _respond(self, record, status, payload, extra):
        data, ctype = encode_answer(payload)
        record["status"] = status
        record["response"] = describe_answer(payload)
        self.server.fake._before_answer(record)
        # Logged before the client can see the answer, so the file keeps the
        # order in which a sequential client made its requests.
        self.server.fake._log_request(record)
        self._logged = True
        self.send_response(status)
        headers = {"Content-Type": ctype}
        headers.update(extra)
        for k, v in headers.items():
            self.send_header(k, str(v))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        self.wfile.flush()

    def _respond_cut(self, record, fault, status, payload, extra):
        """The answer `status`/`payload`, cut short as the fault says (faults.py):
        an empty body keeps the connection; a cut one ends with a close."""
        data, ctype = encode_answer(payload)
        if fault.get("empty_body"):
            data = b""
        elif fault.get("cut_body") is not None:
            sent = fault["cut_body"]
            data = data.ljust(fault.get("length", max(len(data), sent + 1)), b" ")
        record["status"] = status if fault.get("empty_body") else "cut off"
        record["response"] = describe_answer(None if fault.get("empty_body") else payload)
        self.server.fake._before_answer(record)
        self.server.fake._log_request(record)
        self._logged = True
        lines = ["HTTP/1.1 %d %s" % (status, _phrase(status)), "Content-Type: " + ctype]
        lines += ["%s: %s" % (k, v) for k, v in extra.items()]
        lines.append("Content-Length: %d" % len(data))
        if fault.get("cut_headers"):
            last = lines.pop()  # the block stops in the middle of its last line
            wire = "".join(line + "\r\n" for line in lines) + last[:len(last) // 2]
            self.wfile.write(wire.encode("latin-1"))
        else:
            self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            self.wfile.write(data[:fault["cut_body"]] if "cut_body" in fault else data)
        self.wfile.flush()
        if not fault.get("empty_body"):
            self._close(reset=False)

    def _drop(self, record, reset):
        self.server.fake._before_answer(record)
        self._close(reset)

    def _close(self, reset):
        if reset:  # RST instead of FIN
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _stall(self, record, seconds):
        body = b'{"detail": "stalled response from fake_sentry"}'
        self.server.fake._before_answer(record)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.wfile.flush()
        self.server.fake._pause(seconds)
        self._close(reset=False)

    def handle_one_request(self):
        # Same as the base class, but route every method through _dispatch.
        try:
            self.raw_requestline = self.rfile.readline(65537)
            if not self.raw_requestline:
                self.close_connection = True
                return
            if not self.parse_request():
                return
            self._dispatch()
            self.wfile.flush()
        except (ConnectionError, socket.timeout, TimeoutError):
            self.close_connection = True


def encode_answer(payload):
    """(bytes, Content-Type) of an answer body: None is empty JSON, bytes are
    binary, str is text, anything else JSON."""
    if payload is None:
        return b"", "application/json"
    if isinstance(payload, bytes):
        return payload, "application/octet-stream"
    if isinstance(payload, str):
        return payload.encode("utf-8"), "text/plain; charset=utf-8"
    return json.dumps(payload).encode("utf-8"), "application/json"


def describe_answer(payload):
    """The answer body as it goes into the log: JSON as sent (a copy), text, or
    the size of binary data."""
    if isinstance(payload, (dict, list)):
        return json.loads(json.dumps(payload, default=str))
    if isinstance(payload, bytes):
        return {"binary_size": len(payload)}
    return payload


def _phrase(status):
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class FakeSentry:
    """The stand-in as a context manager.

    FakeSentry(tokens=None, orgs=None, repos=None, config=None, host="127.0.0.1",
               port=0, store_dir=None, **config_fields)

    Every request is recorded (see `requests`) with, besides what was asked:
      time      wall clock (time.time()) when it arrived
      received  time.monotonic() once the whole request had been read
      answered  time.monotonic() just before the first byte of the answer (or the
                close of a drop, or the headers of a stall) went out; None while
                held or for a request that is still being handled
      status    the HTTP status, or "dropped", "stalled", "held", "cut off"
      response  the answer's body: JSON as sent, text, or {"binary_size": n}
      watched   with watch(): the watched files that existed when it was answered
    Both clocks are the ones other local processes use (CLOCK_MONOTONIC and
    CLOCK_REALTIME on Linux), so a test can compare them with its own readings.
    """

    def __init__(self, tokens=None, orgs=None, repos=None, config=None, host="127.0.0.1",
                 port=0, store_dir=None, **config_fields):
        config = config or Config()
        for k, v in config_fields.items():
            if not hasattr(config, k):
                raise TypeError("unknown config field %r" % k)
            setattr(config, k, v)
        self.store = Store(tokens=tokens, orgs=orgs, repos=repos, config=config)
        self.faults = FaultScript()
        self.store_dir = store_dir
        if store_dir:
            os.makedirs(store_dir, exist_ok=True)
            self.store.on_bundle = self._write_bundle
        self._httpd = _Server((host, port), Handler)
        self._httpd.fake = self
        self.url = "http://%s:%d" % self._httpd.server_address[:2]
        self._thread = None
        self._hooks = {"request": [], "answer": []}
        self._watch_hook = None
        self.hook_errors = []   # one text (with traceback) per hook that raised
        self._change = threading.Condition()
        self._releases = 0      # how often release_held() was called
        self._stopping = False

    # -- lifecycle
    def start(self):
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        with self._change:  # held requests are dropped, never answered
            self._stopping = True
            self._change.notify_all()
        if self._thread:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        if self.hook_errors and exc[0] is None:
            raise AssertionError("fake_sentry: a hook raised:\n" + "\n".join(self.hook_errors))

    # -- inspection and scripting
    @property
    def config(self):
        return self.store.config

    @property
    def requests(self):
        return self.store.requests

    @property
    def bundles(self):
        return self.store.bundles

    @property
    def debug_files(self):
        return self.store.debug_files

    @property
    def chunks(self):
        return self.store.chunks

    @property
    def releases(self):
        return self.store.releases

    @property
    def release_files(self):
        """Legacy release artifacts: {(org, version): [artifact dict with data]}."""
        return self.store.release_files

    @property
    def deploys(self):
        return self.store.deploys

    @property
    def events(self):
        """Event payloads the SDKs sent (envelope items of type event), oldest first."""
        return self.store.events

    @property
    def envelopes(self):
        return self.store.envelopes

    def dsn(self, org, project):
        """The DSN of one project on this stand-in, for an SDK's init()."""
        return envelopes.dsn(self.url, self.store, org, project)

    def requests_to(self, endpoint):
        """Recorded requests for one endpoint name ("assemble", "chunk", ...)."""
        return [r for r in self.store.requests if r["endpoint"] == endpoint]

    def script_fault(self, method, target, faults):
        """Next len(faults) requests matching method ("*" = any) and target (exact path,
        or endpoint name) get these answers. See faults.py for the entry forms."""
        self.faults.add(method, target, faults)

    def clear_requests(self):
        with self.store.lock:
            self.store.requests.clear()

    # -- hooks: code a test runs inside the stand-in at exact moments
    def on_request(self, callback):
        """callback(record) runs when a request has been read, before any fault or
        handler sees it (nothing of it is stored yet). Runs on the request's thread;
        an exception is kept in hook_errors (and raised by __exit__)."""
        self._hooks["request"].append(callback)

    def on_answer(self, callback):
        """callback(record) runs after the request was handled (its effects are
        stored, record["status"] and ["response"] are set) and before any byte of
        the answer is sent: the client cannot have seen the answer yet. Also runs
        before a drop closes the connection and before a stall starts."""
        self._hooks["answer"].append(callback)

    def clear_hooks(self):
        self._hooks = {"request": [], "answer": []}
        self._watch_hook = None

    def watch(self, folder, pattern="**/*.map"):
        """From now on record["watched"] is the sorted list of files under `folder`
        (relative paths, matching the glob `pattern`) that existed when the
        stand-in answered that request. A new call replaces the watch."""
        root = Path(folder)

        def snapshot(record):
            record["watched"] = sorted(str(p.relative_to(root)) for p in root.glob(pattern)
                                       if p.is_file() or p.is_symlink())

        if self._watch_hook in self._hooks["answer"]:
            self._hooks["answer"].remove(self._watch_hook)
        self._watch_hook = snapshot
        self.on_answer(snapshot)

    def wait_for(self, condition, timeout=60.0):
        """Blocks until condition() is true; it is checked at every request's arrival
        and answer (and every 0.1 s, so it may look at other things too). Raises
        TimeoutError after `timeout` seconds: a guard against a hung test, not a
        measure of speed."""
        give_up = time.monotonic() + timeout
        with self._change:
            while not condition():
                left = give_up - time.monotonic()
                if left <= 0:
                    raise TimeoutError("fake_sentry: still waiting after %s s; requests: %s"
                                       % (timeout, [(r["endpoint"], r["status"])
                                                    for r in self.requests]))
                self._change.wait(min(left, 0.1))

    def held(self):
        """The requests a {"hold": True} fault is holding now."""
        return [r for r in self.requests if r["status"] == "held"]

    def release_held(self):
        """Lets every request held now go on (answered as its fault entry says)."""
        with self._change:
            self._releases += 1
            self._change.notify_all()

    def _hold(self, record):
        """Blocks a request until release_held(); False when the stand-in stops."""
        with self._change:
            seen = self._releases
            record["status"] = "held"
            self._change.notify_all()
            while self._releases == seen and not self._stopping:
                self._change.wait()
            return not self._stopping

    def _pause(self, seconds):
        """Sleeps for a delay or stall, cut short when the stand-in stops (so a
        test can stall far longer than any timer it checks)."""
        end = time.monotonic() + seconds
        with self._change:
            while not self._stopping:
                left = end - time.monotonic()
                if left <= 0:
                    return
                self._change.wait(left)

    def _changed(self):
        with self._change:
            self._change.notify_all()

    def _run_hooks(self, kind, record):
        for hook in list(self._hooks[kind]):
            try:
                hook(record)
            except Exception:  # noqa: BLE001 - kept and raised at the end
                self.hook_errors.append("%s hook on %s %s:\n%s" % (
                    kind, record["method"], record["path"], traceback.format_exc()))

    def _before_answer(self, record):
        self._run_hooks("answer", record)
        record["answered"] = time.monotonic()

    # -- store dir
    def _write_bundle(self, record):
        base = os.path.join(self.store_dir, record["checksum"])
        with open(base + ".bundle", "wb") as f:
            f.write(record["raw"])
        with open(base + ".manifest.json", "w") as f:
            json.dump(record["manifest"], f, indent=2, sort_keys=True)

    def _log_request(self, record):
        if self.store_dir:
            with self.store.lock, open(os.path.join(self.store_dir, "requests.jsonl"), "a") as f:
                f.write(json.dumps(record, default=str) + "\n")


def _pairs(values):
    out = {}
    for item in values or []:
        name, _, rest = item.partition("=")
        out[name] = [s for s in rest.split(",") if s]
    return out


def main(argv=None):
    import argparse

    ap = argparse.ArgumentParser(description="Local Sentry stand-in for upload tests.")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--token", action="append", metavar="NAME=SCOPE,SCOPE")
    ap.add_argument("--org", action="append", metavar="SLUG=PROJECT,PROJECT")
    ap.add_argument("--repo", action="append", metavar="ORG=OWNER/REPO,OWNER/REPO")
    ap.add_argument("--store-dir")
    ap.add_argument("--url-file")
    ap.add_argument("--assemble-polls", type=int, default=0)
    ap.add_argument("--assemble-error")
    ap.add_argument("--server-mode", default="current")
    ap.add_argument("--chunk-url", default="auto")
    ap.add_argument("--chunk-options", default="{}", help="JSON merged over the options")
    args = ap.parse_args(argv)
    config = Config(assemble_polls=args.assemble_polls, assemble_error=args.assemble_error,
                    server_mode=args.server_mode, chunk_url=args.chunk_url,
                    chunk_options=json.loads(args.chunk_options))
    fake = FakeSentry(tokens=_pairs(args.token), orgs=_pairs(args.org), repos=_pairs(args.repo),
                      config=config, host=args.host, port=args.port, store_dir=args.store_dir)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    fake.start()
    if args.url_file:
        tmp = args.url_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(fake.url + "\n")
        os.replace(tmp, args.url_file)  # readers never see a half-written file
    print("FAKE_SENTRY_URL=%s" % fake.url, flush=True)
    while not stop.wait(0.2):
        pass
    fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
