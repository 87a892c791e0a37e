"""`sentry-sourcemaps resolve`: minified positions of the real Vite build back to
examples/vite-react/src, from a folder, from a bundle written by upload --bundle-out and
from the server, one position or a whole event; every error with exit code, message and
files untouched."""
import json
import re

import pytest

from conftest import UPLOAD_TOKEN
from helpers.dist import snapshot
from helpers.process import clean_env
from helpers.vite import FIXTURE, JS, copy_dist, source, throw_position

READ_TOKEN = "tok-read-only-0123456"  # conftest's sentry: project:read, event:read
PAGE = "https://shop.example.com/"
# Uploads here keep the source paths as built (--keep-source-paths): the
# fixture's sources point where it was built, and these tests are about resolve.
CHECKOUT = source("examples/vite-react/src/checkout.js")
APP = source("examples/vite-react/src/App.jsx")


@pytest.fixture
def resolve(cli, case_dir):
    def invoke(*args, env=None):
        variables = {"HOME": str(case_dir)}
        variables.update(env or {})
        return cli("resolve", *args, env=clean_env(**variables), cwd=case_dir)
    return invoke


def click_position(dist):
    """(line, column) of the call `d(e)` in the checkout button's onClick."""
    for number, line in enumerate((dist / JS).read_text().split("\n"), start=1):
        at = line.find("onClick:()=>d(e)")
        if at >= 0:
            return number, at + len("onClick:()=>") + 1
    raise AssertionError("no onClick handler")


def js_debug_id(dist):
    return re.search(r"//# debugId=([0-9a-f-]+)", (dist / JS).read_text()).group(1)


def event(dist, *, debug_id=None, release=None, url=PAGE + JS):
    """An event as the browser SDK sends it: the click handler calls checkout(), which
    throws, plus a React frame without a map (not in app)."""
    throw, click = throw_position(dist), click_position(dist)
    frames = [
        {"abs_path": PAGE + "assets/vendor.js", "filename": "/assets/vendor.js",
         "lineno": 1, "colno": 99, "function": "Hx", "in_app": False},
        {"abs_path": url, "filename": "/" + JS, "lineno": click[0], "colno": click[1],
         "function": "onClick", "in_app": True},
        {"abs_path": url, "filename": "/" + JS, "lineno": throw[0], "colno": throw[1],
         "function": "d", "in_app": True},
    ]
    data = {"event_id": "a" * 32, "platform": "javascript", "exception": {"values": [
        {"type": "Error", "value": "SentrySourceMaps example: checkout failed for 1 item(s)",
         "stacktrace": {"frames": frames}}]}}
    if release:
        data["release"] = release
    if debug_id:
        data["debug_meta"] = {"images": [{"type": "sourcemap", "code_file": url,
                                          "debug_id": debug_id}]}
    return data


def write_event(case_dir, data, name="event.json"):
    (case_dir / name).write_text(json.dumps(data))
    return name


# --- one position ------------------------------------------------------------------------

def test_position_in_the_vite_build_maps_to_the_throw_in_checkout_js(resolve, case_dir):
    dist = copy_dist(case_dir / "dist")
    before = snapshot(dist)
    line, column = throw_position(dist)
    result = resolve(f"{JS}:{line}:{column}", "dist")
    assert result.returncode == 0, result.output
    out = result.stdout.splitlines()
    assert out[0] == f"{CHECKOUT}:8:5"
    assert out[1] == "  via ~/assets/index-rJfmT7nG.js.map"
    assert out[2:] == [
        "     5 |   if (total > 0) {",
        "     6 |     // Deliberate: the example exists to produce a stack trace that Sentry",
        "     7 |     // resolves through the uploaded source map.",
        "  >  8 |     throw new Error(`SentrySourceMaps example: checkout failed for "
        "${items} item(s)`);",
        "     9 |   }",
        "    10 |   return total;",
        "    11 | }"]
    assert snapshot(dist) == before


@pytest.mark.parametrize("name", [JS, "index-rJfmT7nG.js", "~/" + JS, PAGE + JS + "?v=1",
                                  "dist/" + JS])
def test_the_file_can_be_named_by_url_suffix_or_path(resolve, case_dir, name):
    copy_dist(case_dir / "dist")
    line, column = throw_position()
    result = resolve(f"{name}:{line}:{column}", "dist")
    assert result.returncode == 0, result.output
    assert result.stdout.startswith(f"{CHECKOUT}:8:5\n")


def test_the_caller_maps_to_app_jsx_with_its_name(resolve, case_dir):
    copy_dist(case_dir / "dist")
    line, column = click_position(FIXTURE)
    result = resolve(f"{JS}:{line}:{column}", "dist", "--context", "0")
    assert result.returncode == 0, result.output
    assert result.stdout.splitlines() == [
        f"{APP}:18:44 (checkout)", "  via ~/assets/index-rJfmT7nG.js.map",
        "  > 18 |       <button id=\"checkout\" onClick={() => checkout(items)}>"]


def test_json_output(resolve, case_dir):
    copy_dist(case_dir / "dist")
    line, column = throw_position()
    result = resolve(f"{JS}:{line}:{column}", "dist", "--json", "-C", "1")
    assert result.returncode == 0, result.output
    assert json.loads(result.stdout) == {
        "source": CHECKOUT, "line": 8, "column": 5, "name": None,
        "pre_context": ["    // resolves through the uploaded source map."],
        "context_line": "    throw new Error(`SentrySourceMaps example: checkout failed for "
                        "${items} item(s)`);",
        "post_context": ["  }"],
        "minified": {"file": "~/" + JS, "line": line, "column": column},
        "map": "~/" + JS + ".map"}


def test_a_map_can_be_named_directly(resolve, case_dir):
    copy_dist(case_dir / "dist")
    line, column = throw_position()
    result = resolve(f"{JS}.map:{line}:{column}", "dist")
    assert result.returncode == 0, result.output
    assert result.stdout.startswith(f"{CHECKOUT}:8:5\n")


def test_injected_build_still_resolves(resolve, cli, case_dir):
    dist = copy_dist(case_dir / "dist")
    assert cli("inject", str(dist)).returncode == 0
    line, column = throw_position(dist)
    assert (line, column) != throw_position(), "inject moves the code"
    result = resolve(f"{JS}:{line}:{column}", "dist")
    assert result.returncode == 0, result.output
    assert result.stdout.startswith(f"{CHECKOUT}:8:5\n")


def test_from_a_bundle_written_by_upload_bundle_out(resolve, cli, case_dir):
    dist = copy_dist(case_dir / "dist")
    made = cli("upload", "--keep-source-paths", "--dry-run", "--release", "web@1", "--bundle-out",
               str(case_dir / "web.bundle"), str(dist), env=clean_env(HOME=str(case_dir)))
    assert made.returncode == 0, made.output
    for path in dist.rglob("*.map"):
        path.unlink()  # as upload --delete-after would
    line, column = throw_position()
    result = resolve(f"{JS}:{line}:{column}", "--bundle", "web.bundle")
    assert result.returncode == 0, result.output
    assert result.stdout.startswith(f"{CHECKOUT}:8:5\n")


# --- events ------------------------------------------------------------------------------

@pytest.fixture
def injected(cli, case_dir):
    dist = copy_dist(case_dir / "dist")
    assert cli("inject", str(dist)).returncode == 0
    return dist


def test_event_frames_resolve_by_debug_id_from_a_bundle(resolve, cli, injected, case_dir):
    made = cli("upload", "--keep-source-paths", "--dry-run", "--bundle-out", str(case_dir / "b.bundle"),
               str(injected), env=clean_env(HOME=str(case_dir)))
    assert made.returncode == 0, made.output
    name = write_event(case_dir, event(injected, debug_id=js_debug_id(injected)))
    result = resolve("--event", name, "--bundle", "b.bundle")
    assert result.returncode == 0, result.output
    throw, click = throw_position(injected), click_position(injected)
    out = result.stdout.splitlines()
    # The bundle's sources may be rewritten by upload: compare from the project's src/.
    resolved = [re.sub(r"-> \S*?(?=src/)", "-> ", line) for line in out]
    assert resolved == [
        "frames newest first (as Sentry shows them):",
        f"at d ({PAGE}{JS}:{throw[0]}:{throw[1]}) [in app]",
        "   -> src/checkout.js:8:5 [debug-id]",
        "      8 |     throw new Error(`SentrySourceMaps example: checkout failed for "
        "${items} item(s)`);",
        f"at onClick ({PAGE}{JS}:{click[0]}:{click[1]}) [in app]",
        "   -> src/App.jsx:18:44 (checkout) [debug-id]",
        "      18 |       <button id=\"checkout\" onClick={() => checkout(items)}>",
        f"at Hx ({PAGE}assets/vendor.js:1:99) [not in app]",
        "   not resolved: no file ~/assets/vendor.js (the event names no debug id for it)"]
    assert "resolved 2 of 3 frames" in result.stderr


def test_event_json_is_the_symbolicated_event(resolve, injected, case_dir):
    name = write_event(case_dir, event(injected, debug_id=js_debug_id(injected)))
    result = resolve("--event", name, "dist", "--json")
    assert result.returncode == 0, result.output
    out = json.loads(result.stdout)
    value = out["exception"]["values"][0]
    throw = value["stacktrace"]["frames"][2]
    assert throw["abs_path"] == CHECKOUT
    assert throw["filename"] == CHECKOUT.lstrip("./")
    assert (throw["lineno"], throw["colno"], throw["function"]) == (8, 5, "d")
    assert throw["context_line"].startswith("    throw new Error(")
    assert len(throw["pre_context"]) == 5 and throw["post_context"] == ["  }", "  return total;",
                                                                         "}"]
    assert throw["data"] == {"sourcemap": "~/" + JS + ".map", "resolved_with": "debug-id",
                             "symbolicated": True}
    assert value["raw_stacktrace"]["frames"][2]["abs_path"] == PAGE + JS
    assert value["stacktrace"]["frames"][0]["abs_path"] == PAGE + "assets/vendor.js"
    assert [f["in_app"] for f in value["stacktrace"]["frames"]] == [False, True, True]


def test_event_in_the_api_form_is_resolved_and_kept_in_that_form(resolve, injected, case_dir):
    raw = event(injected)
    frames = [{"absPath": f["abs_path"], "filename": f["filename"], "lineNo": f["lineno"],
               "colNo": f["colno"], "function": f["function"], "inApp": f["in_app"],
               "context": []} for f in raw["exception"]["values"][0]["stacktrace"]["frames"]]
    api = {"eventID": "b" * 32, "release": None, "entries": [
        {"type": "exception", "data": {"values": [{"type": "Error", "value": "x",
                                                   "stacktrace": {"frames": frames}}]}},
        {"type": "debugmeta", "data": {"images": [
            {"type": "sourcemap", "code_file": PAGE + JS, "debug_id": js_debug_id(injected)}]}}]}
    name = write_event(case_dir, api)
    result = resolve("--event", name, "dist", "--json", "-C", "1")
    assert result.returncode == 0, result.output
    frame = json.loads(result.stdout)["entries"][0]["data"]["values"][0]["stacktrace"][
        "frames"][2]
    assert (frame["absPath"], frame["lineNo"], frame["colNo"]) == (CHECKOUT, 8, 5)
    assert [n for n, _ in frame["context"]] == [7, 8, 9]
    assert frame["mapUrl"] == "~/" + JS + ".map" and frame["map"] == JS.split("/")[1] + ".map"


# --- in app, as Sentry decides it after symbolication -------------------------------------
# A small build whose map names its sources relative to the project root, as uploaded maps
# will: the app's src/checkout.js and a dependency under node_modules/ (no leading ./ or /).

APP_JS = "assets/app.js"
REACT = "node_modules/react-dom/cjs/react-dom.production.min.js"
THROW_COLUMN, DISPATCH_COLUMN = 1, 21  # 1-based columns of the two mapped calls


def vlq(*values):
    digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    out = ""
    for value in values:
        rest = (-value << 1) | 1 if value < 0 else value << 1
        while True:
            digit, rest = rest & 31, rest >> 5
            out += digits[digit | (32 if rest else 0)]
            if not rest:
                break
    return out


def write_small_build(folder):
    """assets/app.js: column 1 maps to src/checkout.js 8:5 (the throw), column 21 to
    the react-dom file 1:101 (its event dispatch)."""
    checkout = [f"// line {n}" for n in range(1, 8)] + ["    throw new Error('boom');"]
    mappings = ",".join([vlq(THROW_COLUMN - 1, 0, 7, 4),
                         vlq(DISPATCH_COLUMN - THROW_COLUMN, 1, -7, 96)])
    source_map = {"version": 3, "file": "app.js", "sources": ["src/checkout.js", REACT],
                  "sourcesContent": ["\n".join(checkout) + "\n", "dispatchEvent();\n"],
                  "names": [], "mappings": mappings}
    (folder / "assets").mkdir(parents=True)
    (folder / APP_JS).write_text("throw Error('boom');dispatch(e);\n"
                                 "//# sourceMappingURL=app.js.map\n")
    (folder / (APP_JS + ".map")).write_text(json.dumps(source_map))
    return folder


def small_event(*extra_frames, dispatch_in_app=True, throw_in_app=True):
    """The browser SDK's event: React dispatches the click (oldest frame) into the app's
    checkout, which throws (newest). The SDK marks both in app."""
    frames = [
        {"abs_path": PAGE + APP_JS, "lineno": 1, "colno": DISPATCH_COLUMN,
         "function": "dispatch", "in_app": dispatch_in_app},
        *extra_frames,
        {"abs_path": PAGE + APP_JS, "lineno": 1, "colno": THROW_COLUMN,
         "function": "checkout", "in_app": throw_in_app},
    ]
    return {"event_id": "c" * 32, "platform": "javascript", "exception": {"values": [
        {"type": "Error", "value": "boom", "stacktrace": {"frames": frames}}]}}


def unresolved_frame(name, in_app):
    return {"abs_path": PAGE + f"assets/{name}.js", "lineno": 1, "colno": 5,
            "function": name, "in_app": in_app}


def test_event_frames_newest_first_with_sentrys_in_app(resolve, case_dir):
    write_small_build(case_dir / "dist")
    name = write_event(case_dir, small_event())
    result = resolve("--event", name, "dist")
    assert result.returncode == 0, result.output
    assert result.stdout.splitlines() == [
        "frames newest first (as Sentry shows them):",
        f"at checkout ({PAGE}{APP_JS}:1:{THROW_COLUMN}) [in app]",
        "   -> src/checkout.js:8:5 [url]",
        "      8 |     throw new Error('boom');",
        f"at dispatch ({PAGE}{APP_JS}:1:{DISPATCH_COLUMN}) [not in app]",
        f"   -> {REACT}:1:101 [url]",
        "      1 | dispatchEvent();"]
    assert "resolved 2 of 2 frames" in result.stderr


def test_an_unresolved_frame_not_in_app_still_exits_0(resolve, case_dir):
    write_small_build(case_dir / "dist")
    name = write_event(case_dir, small_event(unresolved_frame("vendor", False)))
    result = resolve("--event", name, "dist")
    assert result.returncode == 0, result.output
    assert f"at vendor ({PAGE}assets/vendor.js:1:5) [not in app]" in result.stdout
    assert "resolved 2 of 3 frames" in result.stderr


def test_an_unresolved_frame_in_app_exits_1(resolve, case_dir):
    write_small_build(case_dir / "dist")
    name = write_event(case_dir, small_event(unresolved_frame("vendor", False),
                                             unresolved_frame("shop", True)))
    result = resolve("--event", name, "dist")
    assert result.returncode == 1, result.output
    out = result.stdout.splitlines()
    shop = out.index(f"at shop ({PAGE}assets/shop.js:1:5) [in app]")
    assert out[shop + 1] == "   not resolved: no file ~/assets/shop.js (the event names no " \
                            "debug id for it)"
    assert out.index(f"at vendor ({PAGE}assets/vendor.js:1:5) [not in app]") > shop
    assert "resolved 2 of 4 frames" in result.stderr


def test_event_json_carries_sentrys_in_app_in_the_events_order(resolve, case_dir):
    write_small_build(case_dir / "dist")
    data = small_event(unresolved_frame("vendor", True), throw_in_app=False)
    del data["exception"]["values"][0]["stacktrace"]["frames"][0]["in_app"]
    name = write_event(case_dir, data)
    result = resolve("--event", name, "dist", "--json")
    assert result.returncode == 1, result.output  # the in-app vendor frame has no map
    value = json.loads(result.stdout)["exception"]["values"][0]
    frames = value["stacktrace"]["frames"]
    assert [f["function"] for f in frames] == ["dispatch", "vendor", "checkout"]
    assert [f["abs_path"] for f in frames] == [REACT, PAGE + "assets/vendor.js",
                                               "src/checkout.js"]
    # node_modules: not in app, though the SDK sent no flag; an unresolved frame and
    # the app's own file keep what the SDK said.
    assert [f.get("in_app") for f in frames] == [False, True, False]
    assert [f.get("in_app") for f in value["raw_stacktrace"]["frames"]] == [None, True, False]


def test_event_in_the_api_form_carries_sentrys_inapp(resolve, case_dir):
    write_small_build(case_dir / "dist")
    sdk = small_event()["exception"]["values"][0]["stacktrace"]["frames"]
    frames = [{"absPath": f["abs_path"], "lineNo": f["lineno"], "colNo": f["colno"],
               "function": f["function"], "inApp": f["in_app"]} for f in sdk]
    api = {"eventID": "d" * 32, "entries": [{"type": "exception", "data": {"values": [
        {"type": "Error", "value": "boom", "stacktrace": {"frames": frames}}]}}]}
    name = write_event(case_dir, api)
    result = resolve("--event", name, "dist", "--json")
    assert result.returncode == 0, result.output
    frames = json.loads(result.stdout)["entries"][0]["data"]["values"][0]["stacktrace"][
        "frames"]
    assert [(f["absPath"], f["inApp"]) for f in frames] == [(REACT, False),
                                                          ("src/checkout.js", True)]


def test_event_without_debug_ids_falls_back_to_release_and_url(resolve, cli, case_dir):
    dist = copy_dist(case_dir / "dist")
    made = cli("upload", "--keep-source-paths", "--dry-run", "--release", "web@1", "--bundle-out",
               str(case_dir / "r.bundle"), str(dist), env=clean_env(HOME=str(case_dir)))
    assert made.returncode == 0, made.output
    name = write_event(case_dir, event(dist, release="web@1"))
    result = resolve("--event", name, "--bundle", "r.bundle")
    assert result.returncode == 0, result.output
    assert f"   -> {CHECKOUT}:8:5 [url]" in result.stdout
    other = write_event(case_dir, event(dist, release="web@2"), "other.json")
    result = resolve("--event", other, "--bundle", "r.bundle")
    assert result.returncode == 1
    assert (f"   not resolved: the file ~/{JS} is in r.bundle for release web@1, not web@2"
            in result.stdout)
    assert "resolved 0 of 3 frames" in result.stderr


def test_event_from_the_server_downloads_the_uploaded_bundle(resolve, upload, sentry,
                                                             injected, case_dir):
    done = upload("-o", "acme", "-p", "web", "--keep-source-paths", "--delete-after", "dist")
    assert done.returncode == 0, done.output
    assert not list(injected.rglob("*.map")), "the maps are gone after the upload"
    name = write_event(case_dir, event(injected, debug_id=js_debug_id(injected)))
    sentry.clear_requests()
    result = resolve("--event", name, "--from-server", "-o", "acme", "-p", "web",
                     env={"SENTRY_URL": sentry.url, "SENTRY_READ_TOKEN": READ_TOKEN,
                          "SENTRY_AUTH_TOKEN": UPLOAD_TOKEN})
    assert result.returncode == 0, result.output
    assert f"   -> {CHECKOUT}:8:5 [debug-id]" in result.stdout
    lookups = sentry.requests_to("artifact_lookup")
    assert {r["path"] for r in lookups} == {"/api/0/projects/acme/web/artifact-lookup/"}
    assert {"url": "~/" + JS, "debug_id": js_debug_id(injected)} in [r["query"] for r in lookups]
    assert {"url": "~/assets/vendor.js"} in [r["query"] for r in lookups]
    assert any("download" in r["query"] for r in lookups)
    assert "downloaded 1 artifact bundle(s) from Sentry" in result.stderr
    assert READ_TOKEN not in result.output and UPLOAD_TOKEN not in result.output


def test_from_server_without_any_token_exits_3(resolve, injected, case_dir, sentry):
    name = write_event(case_dir, event(injected))
    result = resolve("--event", name, "--from-server", "-o", "acme", "-p", "web",
                     env={"SENTRY_URL": sentry.url})
    assert result.returncode == 3
    assert "error: no token: set SENTRY_READ_TOKEN" in result.stderr
    assert sentry.requests == []


# --- errors --------------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    ([], "resolve needs <file.js>:<line>:<column>"),
    (["index.js"], "'index.js' is not <file>:<line>:<column>"),
    (["index.js:0:5"], "'index.js:0:5' is not <file>:<line>:<column> (1-based"),
    (["index.js:a:5", "dist"], "no file 'index.js:a' in dist"),
    (["a.js:1:1", "dist", "more"], "resolve needs <file.js>:<line>:<column>"),
    (["a.js:1:1", "--from-server"], "--from-server needs --event FILE"),
    (["a.js:1:1", "dist", "--bundle", "x"], "give either a folder or --bundle, not both"),
    (["--event", "missing.json"], "event file 'missing.json' does not exist"),
    (["nope.js:1:1", "dist"], "no file 'nope.js' in dist (it has ~/" + JS + ")"),
    (["--context", "-1", "a.js:1:1"], "option '--context' needs a whole number"),
])
def test_usage_errors_exit_2_and_touch_nothing(resolve, case_dir, args, message):
    dist = copy_dist(case_dir / "dist")
    before = snapshot(dist)
    result = resolve(*args)
    assert result.returncode == 2, result.output
    assert message in result.stderr and result.stderr.startswith("sentry-sourcemaps: error: ")
    assert snapshot(dist) == before


def test_file_errors_exit_1(resolve, case_dir):
    dist = copy_dist(case_dir / "dist")
    (dist / (JS + ".map")).unlink()
    before = snapshot(dist)
    result = resolve(f"{JS}:9:100", "dist")
    assert result.returncode == 1
    assert ("error: cannot resolve: ~/" + JS + " references index-rJfmT7nG.js.map, which is "
            "not in dist (deleted after upload?)") in result.stderr
    result = resolve(f"{JS}:9:100", "--bundle", "none.bundle")
    assert result.returncode == 1 and "bundle file 'none.bundle' does not exist" in result.stderr
    (case_dir / "bad.bundle").write_bytes(b"SYSB\x02\x00\x00\x00" + b"not a zip" * 10)
    result = resolve(f"{JS}:9:100", "--bundle", "bad.bundle")
    assert result.returncode == 1
    assert "bad.bundle is not a valid artifact bundle: no zip end-of-central-directory" \
        in result.stderr
    result = resolve("a.js:1:1", "nowhere")
    assert result.returncode == 1 and "folder 'nowhere' does not exist" in result.stderr
    assert snapshot(dist) == before


def test_position_before_any_mapping_exits_1(resolve, case_dir):
    copy_dist(case_dir / "dist")
    result = resolve(f"{JS}:1:1", "dist")
    assert result.returncode == 1
    assert "has no mapping for line 1, column 1" in result.stderr


def test_event_errors(resolve, case_dir):
    copy_dist(case_dir / "dist")
    (case_dir / "text.json").write_text("not json")
    result = resolve("--event", "text.json", "dist")
    assert result.returncode == 1 and "event text.json is not a JSON object" in result.stderr
    (case_dir / "empty.json").write_text('{"exception": {"values": []}}')
    result = resolve("--event", "empty.json", "dist")
    assert result.returncode == 1
    assert "event empty.json has no JavaScript or WebAssembly exception frames" in result.stderr
    result = resolve("--event", "empty.json", "dist", "--bundle", "b")
    assert result.returncode == 2
    assert "give one place to find the maps" in result.stderr


def test_event_as_the_browser_sdk_sends_it_names_frames_by_filename(resolve, injected,
                                                                     case_dir):
    """@sentry/browser sends `filename` (the script URL) and no `abs_path`."""
    data = event(injected, debug_id=js_debug_id(injected))
    for value in data["exception"]["values"]:
        for frame in value["stacktrace"]["frames"]:
            frame["filename"] = frame.pop("abs_path")
    name = write_event(case_dir, data)
    result = resolve("--event", name, "dist")
    assert result.returncode == 0, result.output
    assert f"-> {CHECKOUT}:8:5 [debug-id]" in result.stdout
