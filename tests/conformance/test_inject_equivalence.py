"""`sentry-sourcemaps inject` gives the same result as the official
`sentry-cli sourcemaps inject` on real and generated builds: every JS file is
byte-identical and every map is equal as a JSON value (key order and
whitespace aside; in practice they are byte-identical too).

The Vite build under fixtures/ is the output of examples/vite-react
(`vite build`, React 19, `sourcemap: true`), checked in so the test needs no
npm install of Vite."""
import base64
import json
import shutil

import pytest
from pathlib import Path

from helpers.dist import make_bundle
from helpers.process import clean_env, run

FIXTURES = Path(__file__).parent / "fixtures"


def generated_build(root):
    """Bundles covering each placement rule of the injection."""
    root.mkdir(parents=True)
    lines = ["function charge(total) {", "  return total * 2;", "}"]

    def write(name, js, sourcemap=None):
        (root / name).write_text(js)
        if sourcemap is not None:
            (root / (name + ".map")).write_text(sourcemap)

    js, sourcemap = make_bundle("plain.js", "src/plain.ts", lines)
    write("plain.js", js, sourcemap)
    js, sourcemap = make_bundle("strict.js", "src/strict.ts", lines)
    write("strict.js", '"use strict";' + js, sourcemap)  # prelude ends mid-line
    js, sourcemap = make_bundle("licensed.js", "src/licensed.ts", lines)
    write("licensed.js", "/*! (c) Example, MIT */\n// build 42\n" + js, sourcemap)
    js, sourcemap = make_bundle("cli.js", "src/cli.ts", lines)
    write("cli.js", "#!/usr/bin/env node\n" + js, sourcemap)
    js, sourcemap = make_bundle("embedded.js", "src/embedded.ts", lines)
    data = base64.b64encode(sourcemap.encode()).decode()
    write("embedded.js", js.replace("sourceMappingURL=embedded.js.map",
                                    "sourceMappingURL=data:application/json;base64," + data))
    write("no-map.js", "console.log('no map here');\n")
    js, sourcemap = make_bundle("done.js", "src/done.ts", lines)
    write("done.js", js + "//# debugId=5d7e4c3a-1b2c-5d3e-8f4a-0123456789ab\n", sourcemap)
    js, sourcemap = make_bundle("crlf.js", "src/crlf.ts", lines)
    write("crlf.js", '"use strict";\r\n' + js.replace("\n", "\r\n"), sourcemap)
    unicode = json.loads(sourcemap)
    unicode["sourcesContent"] = ["const é = '\\u00e9 \u2603 \\/';\n"]
    unicode["x_google_ignoreList"] = [0]
    js, _ = make_bundle("unicode.js", "src/unicode.ts", lines)
    write("unicode.js", js, json.dumps(unicode, ensure_ascii=True))
    # A hidden file is injected, a file in a hidden folder is not.
    js, sourcemap = make_bundle(".hidden.js", "src/hidden.ts", lines)
    write(".hidden.js", js, sourcemap)
    (root / ".cache").mkdir()
    js, sourcemap = make_bundle("cached.js", "src/cached.ts", lines)
    write(".cache/cached.js", js, sourcemap)
    return root


def files_under(root):
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def test_inject_matches_sentry_cli(sentry_cli, uploader, tmp_path):
    source = tmp_path / "source"
    shutil.copytree(FIXTURES / "vite-react-dist", source / "vite")
    generated_build(source / "generated")
    theirs, ours = tmp_path / "theirs", tmp_path / "ours"
    shutil.copytree(source, theirs)
    shutil.copytree(source, ours)
    env = clean_env(HOME=str(tmp_path), SENTRY_LOAD_DOTENV="0")
    result = run([sentry_cli, "sourcemaps", "inject", "."], cwd=theirs, env=env)
    assert result.returncode == 0, result.output
    result = run([uploader, "inject", "."], cwd=ours, env=env)
    assert result.returncode == 0, result.output

    assert files_under(ours) == files_under(theirs)
    changed = 0
    for relative in files_under(theirs):
        mine, reference = (ours / relative).read_bytes(), (theirs / relative).read_bytes()
        if relative.suffix == ".map":
            assert json.loads(mine) == json.loads(reference), relative
        else:
            assert mine == reference, relative
        changed += reference != (source / relative).read_bytes()
    # Everything but the already-injected file, its map, index.html and the
    # hidden folder's two files changed.
    assert changed == len(files_under(source)) - 5
    assert (ours / "generated/.cache/cached.js").read_bytes() == \
        (source / "generated/.cache/cached.js").read_bytes()
    vite_js = next((ours / "vite/assets").glob("*.js")).read_text()
    assert "//# debugId=" in vite_js and "_sentryDebugIds" in vite_js


def test_second_inject_changes_no_byte(uploader, tmp_path):
    root = generated_build(tmp_path / "build")
    shutil.copytree(FIXTURES / "vite-react-dist", tmp_path / "build" / "vite")
    assert run([uploader, "inject", str(root)]).returncode == 0
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    result = run([uploader, "inject", str(root)])
    assert result.returncode == 0, result.output
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


NOT_MAPS = {
    # Referenced, and not JSON: the parse fails, the sniff says no.
    "unparsable": ("broken.js.map", "this is not a source map\n", True),
    # Referenced, and JSON without the fields of a map: parses, sniff says no.
    "fieldless": ("broken.js.map", '{"version": 3, "file": "broken.js"}', True),
    # Referenced by nothing: only the sniff at the end looks at it.
    "orphan": ("notes.map", '{"hello": "world"}', False),
}


@pytest.mark.parametrize("case", sorted(NOT_MAPS))
def test_map_named_file_that_is_no_map_matches_sentry_cli(sentry_cli, uploader, tmp_path, case):
    """inject takes `.map` files for maps without reading them first; when
    one is not, the run starts over and must end exactly like sentry-cli's."""
    name, text, referenced = NOT_MAPS[case]
    source = generated_build(tmp_path / "source")
    js = "function broken(){return 1}\n"
    if referenced:
        js += "//# sourceMappingURL=" + name + "\n"
    (source / "broken.js").write_text(js)
    (source / name).write_text(text)
    theirs, ours = tmp_path / "theirs", tmp_path / "ours"
    shutil.copytree(source, theirs)
    shutil.copytree(source, ours)
    env = clean_env(HOME=str(tmp_path), SENTRY_LOAD_DOTENV="0")
    reference = run([sentry_cli, "sourcemaps", "inject", "."], cwd=theirs, env=env)
    result = run([uploader, "inject", "--verbose", "."], cwd=ours, env=env)
    assert result.returncode == reference.returncode, result.output + reference.output
    assert "is not a source map: sniffing every file" in result.output
    assert files_under(ours) == files_under(theirs)
    if reference.returncode != 0:
        # sentry-cli stops at the bad map, having rewritten the files before
        # it; we refuse before changing anything (an intended difference).
        assert "invalid sourcemap ./" + name in result.output
        for relative in files_under(source):
            assert (ours / relative).read_bytes() == (source / relative).read_bytes(), relative
        return
    for relative in files_under(theirs):
        mine, expected = (ours / relative).read_bytes(), (theirs / relative).read_bytes()
        if relative.suffix == ".map" and relative.name != name:
            assert json.loads(mine) == json.loads(expected), relative
        else:
            assert mine == expected, relative
    assert "//# debugId=" in (ours / "broken.js").read_text()
