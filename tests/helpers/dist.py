"""Small, real frontend build outputs for tests: minified JS with valid maps."""
import base64
import hashlib
import json
import os
from pathlib import Path

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def vlq(value):
    """Encodes one base64 VLQ value, as source maps do."""
    value = (-value << 1) | 1 if value < 0 else value << 1
    out = ""
    while True:
        digit = value & 31
        value >>= 5
        out += B64[digit | (32 if value else 0)]
        if not value:
            return out


def make_bundle(name, source_name, lines):
    """Returns (js, map) for a one-line minified file made from `lines`.

    Each original line i becomes one statement on generated line 0; the map
    points each statement's start at (source 0, line i, column 0).
    """
    statements, segments, column, prev_line, prev_col = [], [], 0, 0, 0
    for i, line in enumerate(lines):
        code = line.strip().replace("  ", " ")
        segments.append(vlq(column - prev_col) + vlq(0) + vlq(i - prev_line) + vlq(0))
        prev_col, prev_line = column, i
        statements.append(code)
        column += len(code)
    js = "".join(statements) + f"\n//# sourceMappingURL={name}.map\n"
    sourcemap = {"version": 3, "file": name, "sources": [source_name],
                 "sourcesContent": ["\n".join(lines) + "\n"], "names": [],
                 "mappings": ",".join(segments)}
    return js, json.dumps(sourcemap)


def write_dist(root, files=None):
    """Writes a small Vite-like dist/ under `root`; returns its path.

    `files` maps relative JS paths to their original source lines; by default
    two entry chunks (one in a subfolder) with external maps.
    """
    root = Path(root)
    files = files or {
        "assets/index-abc123.js": ["function pay(amount) {", "  if (amount < 0) {",
                                   "    throw new Error('negative');", "  }", "}"],
        "assets/chunks/vendor-def456.js": ["export const answer = 42;",
                                           "console.log(answer);"],
    }
    for relative, lines in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        js, sourcemap = make_bundle(path.name, "../../src/" + path.stem + ".ts", lines)
        path.write_text(js)
        (path.parent / (path.name + ".map")).write_text(sourcemap)
    return root


def snapshot(root):
    """Maps every file under `root` (relative path) to its SHA-1 and mode."""
    result = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = Path(dirpath) / name
            data = path.read_bytes()
            result[str(path.relative_to(root))] = (hashlib.sha1(data).hexdigest(),
                                                   path.stat().st_mode)
    return result


def org_token(org, url):
    """An org auth token (sntrys_) in the real format, with `org` and `url`."""
    payload = json.dumps({"iat": 1704205802.0, "url": url, "region_url": url, "org": org})
    secret = base64.b64encode(b"s" * 32).decode().rstrip("=")
    return "sntrys_" + base64.b64encode(payload.encode()).decode() + "_" + secret
