"""The documented rule by which `sentry-sourcemaps upload` names a map's sources
in the uploaded copy (its default upload rewrite; `--no-rewrite` keeps them as
built), written out again here, independently of the C++, so that tests can
say what each uploaded name must be.

For each `sources[i]`, with a non-empty `sourceRoot` prepended first:
  * `http://` and `https://` URLs stay as they are;
  * `file://` URLs become their local path, then count as absolute paths;
  * any other `scheme://authority/rest` (webpack://app/./src/x.js,
    webpack:///./src/x.js, vite://, turbopack://[project]/...) becomes `rest`,
    normalised (`.` and `..` resolved lexically, leading `../` dropped);
  * an absolute path becomes relative to the source root when inside it,
    otherwise that relative path without its leading `../` segments;
  * a relative path is resolved against the map file's folder, then handled as
    an absolute path;
  * `""` stays `""`.
A source that --strip-prefix / --strip-common-prefix shortened keeps the
shortened name (as sentry-cli uploads it).
"""
import posixpath
import re
from urllib.parse import unquote, urlsplit

SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def join_source_root(source_root, source):
    if not source_root:
        return source
    return source_root + ("" if source_root.endswith("/") else "/") + source


def _drop_leading_parents(path):
    while path == ".." or path.startswith("../"):
        path = path[3:]
    return path


def _normalise(path):
    """`.` and `..` resolved lexically; leading `../` dropped; "" for nothing."""
    if not path:
        return ""
    path = posixpath.normpath(path)
    if path == ".":
        return ""
    return _drop_leading_parents(path)


def _from_absolute(path, root):
    path = posixpath.normpath(path)
    relative = posixpath.relpath(path, posixpath.normpath(str(root)))
    return "" if relative == "." else _drop_leading_parents(relative)


def expected_source_name(source, map_folder, source_root, source_root_field=None):
    """What our uploaded map must call `source` (a `sources` entry of the map at
    `map_folder`, absolute and canonical), seen from `source_root` (absolute)."""
    if source is None:
        return None
    joined = join_source_root(source_root_field or "", source)
    if joined == "":
        return ""
    lower = joined.lower()
    if lower.startswith(("http://", "https://")):
        return joined
    if lower.startswith("file://"):
        return _from_absolute(unquote(urlsplit(joined).path), source_root)
    if SCHEME.match(joined):
        rest = joined.split("://", 1)[1]
        rest = rest.split("/", 1)[1] if "/" in rest else ""
        return _normalise(rest)
    if joined.startswith("/"):
        return _from_absolute(joined, source_root)
    return _from_absolute(posixpath.join(str(map_folder), joined), source_root)


def check_rule_examples():
    """The examples of the specification, for a test that checks this helper."""
    root, maps = "/repo/app", "/repo/app/dist/assets"
    cases = {
        "../../src/a.js": "src/a.js",
        "../../node_modules/dep/index.js": "node_modules/dep/index.js",
        "webpack://app/./src/x.js": "src/x.js",
        "webpack:///./src/x.js": "src/x.js",
        "webpack://app/../lib/y.js": "lib/y.js",
        "turbopack://[project]/src/page.tsx": "src/page.tsx",
        "vite://root/src/main.ts": "src/main.ts",
        "/repo/node_modules/react/x.js": "node_modules/react/x.js",
        "/repo/app/src/z.js": "src/z.js",
        "file:///repo/app/src/f.js": "src/f.js",
        "https://cdn.example/lib.js": "https://cdn.example/lib.js",
        "": "",
    }
    for source, expected in cases.items():
        assert expected_source_name(source, maps, root) == expected, source
    assert expected_source_name("src/a.js", maps, root, "../../") == "src/a.js"
