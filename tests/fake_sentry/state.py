"""In-memory world of the stand-in: configuration, orgs/projects/tokens, stored data."""
import threading
import time
from dataclasses import dataclass, field

# Real server values (sentry/api/endpoints/chunk.py, newest), see protocol doc §4.2.
CHUNK_UPLOAD_ACCEPT = [
    "debug_files", "release_files", "pdbs", "sources", "bcsymbolmaps", "il2cpp",
    "portablepdbs", "artifact_bundles", "artifact_bundles_v2", "proguard",
    "preprod_artifacts", "dartsymbolmap",
]
DEFAULT_CHUNK_OPTIONS = {
    "chunkSize": 8 * 1024 * 1024,
    "chunksPerRequest": 64,
    "maxFileSize": 2 ** 32,
    "maxRequestSize": 32 * 1024 * 1024,
    "concurrency": 8,
    "hashAlgorithm": "sha1",
    "compression": ["gzip", "zstd"],
    "accept": CHUNK_UPLOAD_ACCEPT,
}

# What sentry/api/endpoints/chunk.py announced before artifact bundles (2022, §4.2).
ACCEPT_2022 = ["debug_files", "release_files", "pdbs", "sources", "bcsymbolmaps"]
ASSEMBLE_FIELDS = ("version", "dist", "projects", "checksum", "chunks")

# Server generations the stand-in can imitate (protocol doc §4.4, §4.8, §12). Each
# names what differs; add a new mode here and branch on its flags, not on the name.
#   accept: the chunk-upload options' list; None = no chunk-upload endpoint (404)
#   artifact_bundles: POST .../artifactbundle/assemble/ exists
#   missing_chunk_check: that endpoint answers not_found + missingChunks (_v2)
#   assemble_fields: the properties its schema allows (additionalProperties: false)
#   release_assemble: POST .../releases/{version}/assemble/ exists
SERVER_MODES = {
    # Newest server: assemble checks for missing chunks (artifact_bundles_v2).
    "current": {"accept": CHUNK_UPLOAD_ACCEPT, "artifact_bundles": True,
                "missing_chunk_check": True, "assemble_fields": ASSEMBLE_FIELDS,
                "release_assemble": True},
    # 23.7-ish: artifact bundles without _v2; assemble starts at once, no missing check.
    "no_v2": {"accept": [a for a in CHUNK_UPLOAD_ACCEPT if a != "artifact_bundles_v2"],
              "artifact_bundles": True, "missing_chunk_check": False,
              "assemble_fields": ASSEMBLE_FIELDS, "release_assemble": True},
    # 23.4-23.6: the first artifact bundles; the schema has only projects (slugs),
    # checksum and chunks, so version/dist get a 400.
    "bundles_v1_oldest": {"accept": ACCEPT_2022 + ["il2cpp", "portablepdbs", "artifact_bundles"],
                          "artifact_bundles": True, "missing_chunk_check": False,
                          "assemble_fields": ("projects", "checksum", "chunks"),
                          "release_assemble": True},
    # Before 23.6 (2022): release bundles only, assembled into an existing release.
    "release_bundles": {"accept": ACCEPT_2022, "artifact_bundles": False,
                        "missing_chunk_check": False, "assemble_fields": (),
                        "release_assemble": True},
    # Very old: no chunk upload at all; files go one by one to the release.
    "no_chunk_upload": {"accept": None, "artifact_bundles": False,
                        "missing_chunk_check": False, "assemble_fields": (),
                        "release_assemble": False},
}


@dataclass
class Config:
    """Behaviour knobs. Everything has the real server's default."""
    # Overrides merged over DEFAULT_CHUNK_OPTIONS (e.g. {"chunkSize": 1024, "compression": []}).
    chunk_options: dict = field(default_factory=dict)
    # "auto" = by User-Agent like the real server; "absolute"; "relative"; or a URL
    # prefix such as "http://127.0.0.1:9/" (like system.upload-url-prefix).
    chunk_url: str = "auto"
    # Polls answered "assembling" after "created" before the final state.
    assemble_polls: int = 0
    # Force every new assemble to end in error with this detail.
    assemble_error: str = None
    # Stricter than real Sentry (which only needs a zip with manifest.json): also
    # require the SYSB v2 header and every manifest entry to exist in the zip.
    strict_bundle: bool = True
    server_mode: str = "current"
    # Seconds an assemble status stays cached (real server: 600).
    assemble_status_ttl: float = 600.0

    def mode(self):
        return SERVER_MODES[self.server_mode]

    def effective_chunk_options(self):
        opts = dict(DEFAULT_CHUNK_OPTIONS)
        opts["accept"] = list(self.mode()["accept"] or [])
        opts.update(self.chunk_options)
        return opts


def now_iso():
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%06dZ" % int((t % 1) * 1e6)


class Store:
    """All mutable state, guarded by one lock (the server is threaded)."""

    def __init__(self, tokens=None, orgs=None, repos=None, config=None):
        self.lock = threading.RLock()
        self.config = config or Config()
        self.tokens = {}
        for name, spec in (tokens or {}).items():
            # A token is a scope list, or {"scopes": [...], "org": "slug"} for an org token.
            spec = {"scopes": list(spec)} if isinstance(spec, (list, tuple)) else dict(spec)
            self.tokens[name] = spec
        self.orgs = {}
        next_project_id = 1001
        for org_id, (slug, projects) in enumerate((orgs or {}).items(), start=1):
            org = {"id": str(org_id), "slug": slug, "name": slug.title(), "projects": {}}
            for p in projects:
                org["projects"][p] = {"id": str(next_project_id), "slug": p, "name": p,
                                      "platform": "javascript"}
                next_project_id += 1
            self.orgs[slug] = org
        self.repos = {}
        for org_slug, names in (repos or {}).items():
            self.repos[org_slug] = [
                {"id": str(i), "name": n, "url": "https://github.com/%s" % n,
                 "provider": {"id": "integrations:github", "name": "GitHub"},
                 "status": "active", "dateCreated": now_iso(), "integrationId": "1",
                 "externalSlug": n}
                for i, n in enumerate(names, start=1)
            ]
        self.requests = []
        self.chunks = {}          # sha1 (as claimed) -> uncompressed bytes
        self.chunk_owners = {}    # org slug -> set of sha1
        self.chunk_checksum_ok = {}  # sha1 -> whether sha1(bytes) matched the claim
        self.assemble_jobs = {}   # (org slug, checksum) -> job dict
        self.release_assemble_jobs = {}  # (org slug, version, checksum) -> job dict
        self.dif_jobs = {}        # (org slug, project slug, checksum) -> job dict
        self.debug_files = []     # stored DIFs (debug_files.py)
        self.release_files = {}   # (org slug, version) -> [artifact dict] (legacy flows)
        self.bundles = []
        self.discarded_bundles = []
        self.releases = {}        # (org slug, version) -> release dict
        self.deploys = []
        self.envelopes = []       # SDK envelopes received (envelopes.py)
        self.events = []          # their event payloads
        self.next_id = 1
        self.on_bundle = None     # callback(record) after a bundle is stored

    def new_id(self):
        with self.lock:
            self.next_id += 1
            return str(self.next_id)

    def find_project(self, org, ref):
        """Resolve a slug, int id or numeric-string id to a project of `org`."""
        for p in org["projects"].values():
            if str(ref) == p["id"] or (isinstance(ref, str) and ref == p["slug"]):
                return p
        return None
