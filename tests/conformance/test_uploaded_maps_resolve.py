"""The maps that sentry-cli 3.x (`sourcemaps upload`, its default rewrite on)
and sentry-sourcemaps (`upload`, its default upload rewrite on) send to Sentry
resolve every generated position to the same original line, column and name
as the map on disk, through an independent resolver: @jridgewell/trace-mapping
(pinned, installed with npm into the cache folder, see helpers/npm_tools.py),
driven by trace_positions.cjs. Each tool uploads to its own FakeSentry; the
maps are taken out of the received bundle.

The positions are the generated position of every mapping segment of the
original map (every Nth for big maps, see positions_of) and a few columns
between segments.

What the two tools name the sources differs by design: sentry-cli keeps them
as built (it only folds `sourceRoot` into them), we name them relative to the
source root (`--source-root`, default the working directory) by the rule in
rewrite_rule.py (`../../src/a.js` -> `src/a.js`).

Documented differences, as sentry-cli 3.8 was observed to behave:
  * Missing `sourcesContent`: sentry-cli fills it by opening each source path
    relative to its *working directory*, not the map's folder. Run from
    proj/ on proj/dist/x.js.map with sources `../src/a.js`, `../lib/b.js`:
    it inlined the text of a *different* file, proj/../src/a.js (a decoy the
    test plants there), and nothing for `../lib/b.js` (proj/../lib/b.js does
    not exist); proj/src/a.js and proj/lib/b.js, which the map means, were
    never read. We resolve against the map's folder and inline the real files
    (only inside the source root or the working directory; no symlink escape).
  * A map starting with a UTF-8 byte-order mark: sentry-cli does not recognise
    it as a source map. It uploads the file byte for byte, BOM included, as a
    `minified_source` (warning "could not determine a source map reference"),
    while still pointing the JS file's `sourcemap` header at it; a strict JSON
    parser (trace-mapping's JSON.parse) rejects those bytes. We upload it as a
    `source_map` without the BOM.
  * Index maps (`sections`): both tools upload a flattened regular map.
"""
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from fake_sentry import FakeSentry
from helpers.dist import vlq
from helpers.npm_tools import ensure_npm_package, node
from helpers.process import clean_env, run
from helpers.vite import FIXTURE as VITE_FIXTURE, source as vite_source
from rewrite_rule import check_rule_examples, expected_source_name

TRACE_MAPPING = "@jridgewell/trace-mapping"
TRACE_MAPPING_VERSION = "0.3.31"
SCRIPT = Path(__file__).resolve().parent / "trace_positions.cjs"
TOKEN = "tok-resolve-0123456789"
COMMON = ["--release", "shop@1.0.0", "-o", "acme", "-p", "web"]
MAX_SEGMENTS = 4000  # positions taken from a big map: every Nth segment up to this
BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="session")
def trace_mapping():
    """The folder of the pinned trace-mapping package (installed once)."""
    node()
    return ensure_npm_package(TRACE_MAPPING, TRACE_MAPPING_VERSION)


# --- the resolver ------------------------------------------------------------

def trace(module, map_path, positions=(), segments=False, with_content=False):
    """trace_positions.cjs on `map_path`: its answer as a dict (see the script)."""
    with tempfile.TemporaryDirectory(prefix="trace-") as folder:
        # Not next to the map: nothing may appear in the folders being uploaded.
        request = Path(folder) / "request.json"
        request.write_text(json.dumps({"map": str(map_path), "positions": list(positions),
                                       "segments": segments, "withContent": with_content}))
        proc = subprocess.run([node(), str(SCRIPT), str(module), str(request)],
                              capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def positions_of(module, map_path):
    """Generated positions to resolve: every segment of the map (every Nth when it
    has more than MAX_SEGMENTS), plus the column halfway to the next segment on
    the same line and a column past the last segment of each line."""
    answer = trace(module, map_path, segments=True)
    assert answer["ok"], answer
    segments = sorted(set(map(tuple, answer["segments"])))
    assert segments, "the map has no mappings"
    step = max(1, len(segments) // MAX_SEGMENTS)
    chosen = set()
    for i in range(0, len(segments), step):
        line, column = segments[i]
        chosen.add((line, column))
        following = segments[i + 1] if i + 1 < len(segments) else None
        if following and following[0] == line:
            if following[1] - column > 1:
                chosen.add((line, (column + following[1]) // 2))
        else:
            chosen.add((line, column + 3))
    return sorted(chosen)


def resolved(module, map_path, positions):
    answer = trace(module, map_path, positions)
    assert answer["ok"], "%s does not parse: %s" % (map_path, answer.get("error"))
    return answer


def where(entry):
    return entry["line"], entry["column"], entry["name"]


def assert_same_places(positions, reference, other, label):
    """Every position resolves to the same original line, column and name."""
    wrong = [(p, where(a), where(b)) for p, a, b in
             zip(positions, reference["traced"], other["traced"]) if where(a) != where(b)]
    assert not wrong, "%s: %d of %d positions resolve elsewhere, first: %s" % (
        label, len(wrong), len(positions), wrong[:5])


def mapped_count(answer):
    return sum(1 for entry in answer["traced"] if entry["source"] is not None)


# --- the two uploads ---------------------------------------------------------

def upload(command, cwd, home):
    """Runs one tool against its own FakeSentry; (Result, {url: (type, headers,
    bytes)}) of every file that arrived."""
    with FakeSentry(tokens={TOKEN: ["project:releases", "org:read"]},
                    orgs={"acme": ["web"]}) as sentry:
        env = clean_env(SENTRY_URL=sentry.url, SENTRY_AUTH_TOKEN=TOKEN, HOME=str(home),
                        XDG_CACHE_HOME=str(home / "cache"), SENTRY_LOAD_DOTENV="0",
                        SENTRY_DISABLE_UPDATE_CHECK="1", SENTRY_NO_PROGRESS_BAR="1")
        result = run(command, cwd=cwd, env=env, timeout=300)
        assert result.returncode == 0, "%s failed:\n%s" % (command[:2], result.output)
        files = {}
        for bundle in sentry.bundles:
            for path, info in bundle["manifest"]["files"].items():
                files[info["url"]] = (info["type"], info.get("headers", {}),
                                      bundle["files"][path])
        assert files, "nothing arrived"
        return result, files


def upload_both(sentry_cli, uploader, cwd, path, case_dir, ours_extra=()):
    """The same inputs uploaded by sentry-cli and by us (ours: `ours_extra`);
    {"sentry-cli"|"ours": (Result, files)}. Each uploaded map is also written to
    case_dir/uploaded/<tool>/<url without ~/> for the resolver."""
    home = case_dir / "home"
    home.mkdir(exist_ok=True)
    before = snapshot(cwd)
    out = {
        "sentry-cli": upload([sentry_cli, "sourcemaps", "upload", "--wait", *COMMON, path],
                             cwd, home),
        "ours": upload([uploader, "upload", *COMMON, *ours_extra, path], cwd, home),
    }
    assert snapshot(cwd) == before, "an upload changed the files on disk"
    for tool, (_, files) in out.items():
        for url, (_, _, data) in files.items():
            if url.endswith(".map"):
                target = case_dir / "uploaded" / tool / url[2:]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
    return out


def snapshot(root):
    return {p: p.read_bytes() for p in sorted(Path(root).rglob("*")) if p.is_file()}


def uploaded(case_dir, tool, url):
    return case_dir / "uploaded" / tool / url[2:]


# --- building maps by hand ---------------------------------------------------

def encode_mappings(lines):
    """lines: per generated line, segments (gen_col, source, line, col[, name]),
    all 0-based; returns the VLQ `mappings` string."""
    out, state = [], [0, 0, 0, 0]  # source, line, column, name: relative across lines
    for segments in lines:
        previous_column, encoded = 0, []
        for segment in segments:
            text = vlq(segment[0] - previous_column)
            previous_column = segment[0]
            for k, value in enumerate(segment[1:]):
                text += vlq(value - state[k])
                state[k] = value
            encoded.append(text)
        out.append(",".join(encoded))
    return ";".join(out)


def regular_map(file, sources, lines, names=(), contents=None, **extra):
    sourcemap = {"version": 3, "file": file, "sources": list(sources), "names": list(names),
                 "mappings": encode_mappings(lines)}
    if contents is not None:
        sourcemap["sourcesContent"] = list(contents)
    sourcemap.update(extra)
    return sourcemap


def write_pair(folder, name, code, sourcemap, prefix=b""):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(code + "\n//# sourceMappingURL=%s.map\n" % name)
    (folder / (name + ".map")).write_bytes(prefix + json.dumps(sourcemap).encode())


A_JS = ("export function add(left, right) {\n  const total = left + right;\n"
        "  return total;\n}\n")
DEP_JS = "module.exports = function double(value) {\n  return value * 2;\n};\n"
SMALL_CODE = ("function add(n,t){const o=n+t;return o}\n"
              "module.exports=function double(e){return e*2};")
SMALL_NAMES = ["add", "left", "right", "total", "double", "value"]
SMALL_LINES = [  # source 0: src/a.js, source 1: node_modules/dep/index.js
    [(0, 0, 0, 0), (9, 0, 0, 16, 0), (13, 0, 0, 20, 1), (15, 0, 0, 26, 2),
     (18, 0, 1, 2), (24, 0, 1, 8, 3), (26, 0, 1, 16, 1), (28, 0, 1, 23, 2),
     (30, 0, 2, 2), (37, 0, 2, 9, 3)],
    [(0, 1, 0, 0), (15, 1, 0, 17), (24, 1, 0, 26, 4), (31, 1, 0, 33, 5),
     (34, 1, 1, 2), (41, 1, 1, 9, 5), (43, 1, 1, 17)],
]


# --- the tests ---------------------------------------------------------------

def test_rewrite_rule_helper():
    """The independent statement of the naming rule gives the specification's
    examples (rewrite_rule.py)."""
    check_rule_examples()


def check_map(module, case_dir, original, url, source_root, ours_sources=None):
    """Resolves the positions of `original` through it and through both uploaded
    copies of `url`; asserts the same places, sentry-cli's sources as built and
    ours by the rule (or exactly `ours_sources`). Returns the three answers."""
    positions = positions_of(module, original)
    reference = resolved(module, original, positions)
    theirs = resolved(module, uploaded(case_dir, "sentry-cli", url), positions)
    ours = resolved(module, uploaded(case_dir, "ours", url), positions)
    assert mapped_count(reference) >= len(positions) // 2  # not a vacuous comparison
    assert_same_places(positions, reference, theirs, "sentry-cli's " + url)
    assert_same_places(positions, reference, ours, "our " + url)

    on_disk = json.loads(original.read_bytes().removeprefix(BOM))
    map_folder = original.parent.resolve()
    for a, b, c in zip(reference["traced"], theirs["traced"], ours["traced"]):
        # sentry-cli: the sources as built (trace-mapping folds sourceRoot in).
        assert b["source"] == a["source"], (a, b)
        if a["source"] is None:
            assert c["source"] is None
            continue
        expected = expected_source_name(a["rawSource"], map_folder, source_root,
                                        on_disk.get("sourceRoot"))
        assert c["rawSource"] == expected, (a["rawSource"], c["rawSource"])
        assert c["hasContent"] == a["hasContent"] == b["hasContent"], (a, b, c)
    ours_map = json.loads(uploaded(case_dir, "ours", url).read_bytes())
    assert "sourceRoot" not in ours_map
    if ours_sources is not None:
        assert sorted(set(ours_map["sources"])) == sorted(ours_sources)
    assert not any(s.startswith("../") for s in ours_map["sources"])
    return reference, theirs, ours


def test_vite_build_resolves_the_same(sentry_cli, uploader, trace_mapping, case_dir):
    """The Vite + React example build: a 1 MB map, 13 sources built as
    `../../../work/main/examples/vite-react/...` (outside the source root, so
    ours are `work/main/examples/vite-react/...`), every 13th of its
    53,000 segments and the columns between them (7,500 positions)."""
    project = case_dir / "vite"
    shutil.copytree(VITE_FIXTURE, project / "dist")
    upload_both(sentry_cli, uploader, project, "dist", case_dir)
    (original,) = (project / "dist").rglob("*.map")
    url = "~/" + original.relative_to(project / "dist").as_posix()
    reference, _, ours = check_map(trace_mapping, case_dir, original, url,
                                   project.resolve())
    names = {c["rawSource"] for c in ours["traced"] if c["source"]}
    checkout = expected_source_name(vite_source("src/checkout.js"),
                                    original.parent.resolve(), project.resolve())
    assert checkout in names and not checkout.startswith("../")
    assert any(e["name"] for e in reference["traced"])  # names are compared too


def small_app(root):
    """app/src/a.js, app/node_modules/dep/index.js and maps in app/dist/assets that
    name them in four spellings; ../shared/lib.js lies outside the app."""
    app = root / "app"
    (app / "src").mkdir(parents=True)
    (app / "src/a.js").write_text(A_JS)
    (app / "node_modules/dep").mkdir(parents=True)
    (app / "node_modules/dep/index.js").write_text(DEP_JS)
    assets = app / "dist/assets"
    contents = [A_JS, DEP_JS]
    spellings = {
        "relative.js": dict(sources=["../../src/a.js", "../../node_modules/dep/index.js"]),
        "webpack.js": dict(sources=["webpack://app/./src/a.js",
                                    "webpack:///./node_modules/dep/index.js"]),
        "rooted.js": dict(sources=["src/a.js", "node_modules/dep/index.js"],
                          sourceRoot="../../"),
        "absolute.js": dict(sources=[str((app / "src/a.js").resolve()),
                                     str((root / "shared/lib.js").resolve())]),
    }
    for name, fields in spellings.items():
        sources = fields.pop("sources")
        write_pair(assets, name, SMALL_CODE,
                   regular_map(name, sources, SMALL_LINES, SMALL_NAMES, contents, **fields))
    return app


SMALL_EXPECTED = {
    "relative.js": ["node_modules/dep/index.js", "src/a.js"],
    "webpack.js": ["node_modules/dep/index.js", "src/a.js"],
    "rooted.js": ["node_modules/dep/index.js", "src/a.js"],
    "absolute.js": ["shared/lib.js", "src/a.js"],
}


def test_small_build_sources_relative_to_source_root(sentry_cli, uploader, trace_mapping,
                                                     case_dir):
    """Maps whose sources point at real files of the app, as `../../src/a.js`,
    `webpack://app/./src/a.js`, sourceRoot `../../` + `src/a.js` and absolute
    paths; both tools run in app/, ours with --source-root app."""
    app = small_app(case_dir)
    results = upload_both(sentry_cli, uploader, app, "dist", case_dir,
                          ours_extra=["--source-root", str(app)])
    for name, expected in SMALL_EXPECTED.items():
        url = "~/assets/%s.map" % name
        for tool in results:
            assert results[tool][1][url][0] == "source_map", (tool, url)
        original = app / "dist/assets" / (name + ".map")
        check_map(trace_mapping, case_dir, original, url, app.resolve(), expected)
        theirs = json.loads(uploaded(case_dir, "sentry-cli", url).read_bytes())
        on_disk = json.loads(original.read_text())
        root = on_disk.get("sourceRoot", "")
        assert theirs["sources"] == [root + s for s in on_disk["sources"]], name


def index_map_build(project):
    """dist/bundle.js: three sections, the second at column 40 of the first line,
    the third on line 3; each section a regular map with names."""
    sources = {"src/one.js": "export const one = (x) => x + 1;\n",
               "src/two.js": "export function two(y) {\n  return one(y) * 2;\n}\n",
               "src/three.js": "console.log(two(3));\n"}
    for path, text in sources.items():
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text(text)
    code = ("const one=x=>x+1;                      "  # 40 columns
            "function two(y){return one(y)*2}\n\nconsole.log(two(3));")
    sections = [
        ({"line": 0, "column": 0}, regular_map(
            None, ["../src/one.js"], [[(0, 0, 0, 0), (6, 0, 0, 13, 0), (10, 0, 0, 20, 1),
                                       (13, 0, 0, 26, 1)]],
            ["one", "x"], [sources["src/one.js"]])),
        ({"line": 0, "column": 40}, regular_map(
            None, ["../src/two.js"], [[(0, 0, 0, 0), (9, 0, 0, 16, 0), (13, 0, 0, 20, 1),
                                       (16, 0, 1, 2), (23, 0, 1, 9, 2), (27, 0, 1, 13, 1)]],
            ["two", "y", "one"], [sources["src/two.js"]])),
        ({"line": 2, "column": 0}, regular_map(
            None, ["../src/three.js"], [[(0, 0, 0, 0, 0), (8, 0, 0, 8, 1),
                                         (12, 0, 0, 12, 2)]],
            ["console", "log", "two"], [sources["src/three.js"]])),
    ]
    for _, section in sections:
        del section["file"]
    index = {"version": 3, "file": "bundle.js",
             "sections": [{"offset": offset, "map": m} for offset, m in sections]}
    write_pair(project / "dist", "bundle.js", code, index)
    return project / "dist/bundle.js.map"


def test_index_map_is_flattened(sentry_cli, uploader, trace_mapping, case_dir):
    """An index map arrives as a regular map from both tools, and each of its
    positions (in every section) resolves as through the index map."""
    project = case_dir / "proj"
    original = index_map_build(project)
    upload_both(sentry_cli, uploader, project, "dist", case_dir)
    url = "~/bundle.js.map"
    assert trace(trace_mapping, original)["regular"] is False
    for tool in ("sentry-cli", "ours"):
        sent = json.loads(uploaded(case_dir, tool, url).read_bytes())
        assert "sections" not in sent and isinstance(sent.get("mappings"), str), tool
        assert trace(trace_mapping, uploaded(case_dir, tool, url))["regular"], tool
    reference, theirs, ours = check_map(trace_mapping, case_dir, original, url,
                                        project.resolve(),
                                        ["src/one.js", "src/three.js", "src/two.js"])
    # Each section is reached, the offset one included.
    lines = {(e["rawSource"], e["line"]) for e in reference["traced"] if e["source"]}
    assert {s for s, _ in lines} == {"../src/one.js", "../src/two.js", "../src/three.js"}
    second = [e for p, e in zip(positions_of(trace_mapping, original), ours["traced"])
              if p[0] == 1 and p[1] >= 40]
    assert second and all(e["rawSource"] == "src/two.js" for e in second if e["source"])


def test_missing_sources_content_filled_from_disk(sentry_cli, uploader, trace_mapping,
                                                  case_dir):
    """proj/dist/x.js.map has no sourcesContent; its sources `../src/a.js` and
    `../lib/b.js` exist relative to the map's folder, `../src/missing.js` does
    not, and `../src/escape.js` is a symlink to a file outside proj/. A decoy
    sits at proj/../src/a.js, where `../src/a.js` points from the working
    directory proj/. Ours: the exact text of a.js and b.js, nothing for the
    missing file (one warning naming it) nor for the symlink. sentry-cli (see
    the module docstring): the decoy's text for a.js, nothing else."""
    project = case_dir / "proj"
    texts = {"src/a.js": "export const a = 'real a';\n",
             "lib/b.js": "export const b = 'real b \u2603';\n"}
    for path, text in texts.items():
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text(text)
    (case_dir / "src").mkdir()
    decoy = "export const a = 'DECOY next to the working directory';\n"
    (case_dir / "src/a.js").write_text(decoy)
    (case_dir / "outside").mkdir()
    secret = "SECRET outside the project\n"
    (case_dir / "outside/secret.js").write_text(secret)
    (project / "src/escape.js").symlink_to(case_dir / "outside/secret.js")
    sources = ["../src/a.js", "../lib/b.js", "../src/missing.js", "../src/escape.js"]
    lines = [[(0, 0, 0, 0), (6, 1, 0, 0), (12, 2, 0, 0), (18, 3, 0, 0)]]
    write_pair(project / "dist", "x.js", "a();b();c();d();",
               regular_map("x.js", sources, lines))
    results = upload_both(sentry_cli, uploader, project, "dist", case_dir)
    url = "~/x.js.map"

    positions = positions_of(trace_mapping, project / "dist/x.js.map")
    ours = resolved(trace_mapping, uploaded(case_dir, "ours", url), positions)
    theirs = resolved(trace_mapping, uploaded(case_dir, "sentry-cli", url), positions)
    reference = resolved(trace_mapping, project / "dist/x.js.map", positions)
    assert_same_places(positions, reference, ours, "ours")
    assert_same_places(positions, reference, theirs, "sentry-cli's")

    ours_map = json.loads(uploaded(case_dir, "ours", url).read_bytes())
    content = dict(zip(ours_map["sources"], ours_map.get("sourcesContent") or []))
    assert ours_map["sources"] == ["src/a.js", "lib/b.js", "src/missing.js", "src/escape.js"]
    assert content.get("src/a.js") == texts["src/a.js"]
    assert content.get("lib/b.js") == texts["lib/b.js"]
    assert content.get("src/missing.js") is None
    assert content.get("src/escape.js") is None
    assert b"SECRET" not in results["ours"][1][url][2]
    traced = {e["rawSource"]: e["hasContent"] for e in ours["traced"] if e["source"]}
    assert traced == {"src/a.js": True, "lib/b.js": True, "src/missing.js": False,
                      "src/escape.js": False}
    output = results["ours"][0].output
    naming = [line for line in output.splitlines() if "missing.js" in line]
    assert len(naming) == 1 and "warn" in naming[0].lower(), output

    # sentry-cli 3.x: working-directory resolution (documented above).
    theirs_map = json.loads(uploaded(case_dir, "sentry-cli", url).read_bytes())
    assert theirs_map["sources"] == sources
    assert theirs_map["sourcesContent"] == [decoy, None, None, None]


def test_map_with_byte_order_mark(sentry_cli, uploader, trace_mapping, case_dir):
    """A map that starts with a UTF-8 BOM. Ours arrives as a source_map without
    the BOM and parses with trace-mapping, resolving as the map does; sentry-cli
    sends the bytes as they are, typed minified_source (module docstring)."""
    project = case_dir / "proj"
    (project / "src").mkdir(parents=True)
    (project / "src/a.js").write_text(A_JS)
    sourcemap = regular_map("bom.js", ["../src/a.js"], [SMALL_LINES[0]], SMALL_NAMES[:4],
                            [A_JS])
    write_pair(project / "dist", "bom.js", SMALL_CODE.split("\n")[0], sourcemap, prefix=BOM)
    original = project / "dist/bom.js.map"
    on_disk = original.read_bytes()
    assert on_disk.startswith(BOM)
    assert trace(trace_mapping, original)["ok"] is False  # a strict parser refuses it
    plain = case_dir / "reference.js.map"
    plain.write_bytes(on_disk[len(BOM):])
    results = upload_both(sentry_cli, uploader, project, "dist", case_dir)
    url = "~/bom.js.map"

    kind, _, data = results["ours"][1][url]
    assert kind == "source_map"
    assert not data.startswith(BOM)
    positions = positions_of(trace_mapping, plain)
    reference = resolved(trace_mapping, plain, positions)
    ours = resolved(trace_mapping, uploaded(case_dir, "ours", url), positions)
    assert_same_places(positions, reference, ours, "ours")
    assert {e["rawSource"] for e in ours["traced"] if e["source"]} == {"src/a.js"}
    assert results["ours"][1]["~/bom.js"][1].get("sourcemap") == "bom.js.map"

    # sentry-cli 3.x: not recognised as a map, sent as it is.
    kind, headers, data = results["sentry-cli"][1][url]
    assert (kind, data) == ("minified_source", on_disk)
    assert "debug-id" not in headers
    assert trace(trace_mapping, uploaded(case_dir, "sentry-cli", url))["ok"] is False
    assert results["sentry-cli"][1]["~/bom.js"][1].get("sourcemap") == "bom.js.map"
