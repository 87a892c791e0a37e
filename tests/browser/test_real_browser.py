"""Proof in a real browser: the real Sentry SDK's error, symbolicated through
what the uploader uploaded.

examples/vite-react is built through CMake with its DSN pointing at the
stand-in; the sentry-upload step injects debug IDs, uploads the maps to the
stand-in and deletes them from dist/. dist/ is then served on 127.0.0.1 to
Debian's headless Chromium (driven by playwright-core), the test clicks the
button that throws, and the official @sentry/browser SDK posts its error
envelope to the stand-in. The event must name exactly the debug IDs that
inject wrote, its top in-app frame must resolve (`sentry-sourcemaps resolve
--event`) to src/checkout.js line 8, and no .map file may have been asked
for. The screenshot and the symbolicated stack trace are kept as artefacts.
"""
import json
import re
from urllib.parse import urlsplit

from cmake_harness import REPO, TOKEN
from helpers.process import clean_env, run

EXAMPLE = REPO / "examples" / "vite-react"
# src/checkout.js: the `throw` (its header comment says to keep it there).
THROW_FILE, THROW_LINE = "src/checkout.js", 8
DEBUG_ID_COMMENT = re.compile(r"^//# debugId=([0-9a-fA-F-]{36})\s*$", re.M)


def build_and_upload(project, uploader, fake, tmp_path):
    configured = project.configure(
        "-DSENTRY_SOURCEMAPS_EXECUTABLE=%s" % uploader,
        "-DVITE_REACT_UPLOAD_ON_BUILD=ON", "-DSENTRY_SOURCEMAPS_REQUIRED=ON",
        "-DSENTRY_SOURCEMAPS_ENV_FILE=%s" % (tmp_path / ".env.sentry-build-plugin"),
        "-DVITE_REACT_SENTRY_DSN=%s" % fake.dsn("acme", "web"))
    assert configured.returncode == 0, configured.output
    env = clean_env(SENTRY_AUTH_TOKEN=TOKEN, SENTRY_URL=fake.url, SENTRY_ORG="acme",
                    SENTRY_PROJECT="web")
    built = project.build(env=env, timeout=900)
    assert built.returncode == 0, built.output
    return project.binary / "dist"


def injected_debug_ids(dist):
    """{script path relative to dist/: the debug ID inject wrote into it}."""
    ids = {}
    for script in sorted(dist.rglob("*.js")):
        found = DEBUG_ID_COMMENT.findall(script.read_text(errors="replace"))
        assert len(found) == 1, "%s has %d debugId comments" % (script, len(found))
        ids[script.relative_to(dist).as_posix()] = found[0].lower()
    return ids


def resolve(uploader, event_file, bundle_file, *extra):
    return run([uploader, "resolve", "--event", event_file, "--bundle", bundle_file, *extra],
               timeout=120)


def test_sdk_error_resolves_through_the_uploaded_maps(browser_tools, cmake_project_factory,
                                                      uploader, fake, tmp_path, artefacts,
                                                      click_checkout):
    project = cmake_project_factory(EXAMPLE)
    dist = build_and_upload(project, uploader, fake, tmp_path)

    # What the build left: no map, the DSN compiled in, one debug ID per script.
    assert sorted(p.name for p in dist.rglob("*.map")) == []
    ids = injected_debug_ids(dist)
    assert ids, "vite wrote no script"
    assert any(fake.dsn("acme", "web") in (dist / s).read_text() for s in ids)
    assert len(fake.bundles) == 1
    manifest = fake.bundles[0]["manifest"]["files"].values()
    uploaded = {info["url"][2:]: {k.lower(): v for k, v in (info.get("headers") or {}).items()}
                for info in manifest if info["type"] == "minified_source"}
    assert {s: h.get("debug-id") for s, h in uploaded.items()} == ids

    # The browser: load, click, wait for the SDK's event envelope; nothing
    # but dist/'s own files was asked for, and no map at all.
    report, _, event = click_checkout(dist)
    others = [r for r in report["requests"]
              if not re.match(r"\w+ http://127\.0\.0\.1:\d+/", r)]
    assert others == [], "the page talked to something other than loopback"

    (artefacts / "event.json").write_text(json.dumps(event, indent=2))
    exception = event["exception"]["values"][-1]
    assert "checkout failed" in exception["value"]

    # debug_meta.images: exactly the IDs inject wrote, each for its script's URL.
    images = event.get("debug_meta", {}).get("images", [])
    assert {i["debug_id"].lower() for i in images} == set(ids.values()), images
    for image in images:
        assert image["type"] == "sourcemap"
        script = urlsplit(image["code_file"]).path.lstrip("/")
        assert ids[script] == image["debug_id"].lower(), image

    # The top in-app frame (Sentry lists the newest frame last), minified...
    frames = exception["stacktrace"]["frames"]
    top = [f for f in frames if f.get("in_app", True)][-1]
    assert urlsplit(top.get("abs_path") or top["filename"]).path.lstrip("/") in ids, top

    # ...and symbolicated by the uploader, from the bundle the stand-in got,
    # with the event exactly as the SDK sent it.
    bundle = tmp_path / "uploaded-bundle.zip"
    bundle.write_bytes(fake.bundles[0]["raw"])
    event_file = artefacts / "event.json"
    text = resolve(uploader, event_file, bundle)
    (artefacts / "stacktrace.txt").write_text(text.stdout + text.stderr)
    assert text.returncode == 0, text.output
    # The path as it is in the source tree, not relative to the build folder.
    assert re.search(r"(?m)^\s+-> %s:%d:" % (re.escape(THROW_FILE), THROW_LINE),
                     text.stdout), text.stdout
    resolved = resolve(uploader, event_file, bundle, "--json")
    assert resolved.returncode == 0, resolved.output
    (artefacts / "resolved.json").write_text(resolved.stdout)
    symbolicated = json.loads(resolved.stdout)["exception"]["values"][-1]["stacktrace"]
    assert len(symbolicated["frames"]) == len(frames)
    top_resolved = [f for f in symbolicated["frames"] if f.get("in_app", True)][-1]
    assert top_resolved["abs_path"] == THROW_FILE, top_resolved
    assert top_resolved["lineno"] == THROW_LINE, top_resolved
    assert "throw new Error" in top_resolved["context_line"], top_resolved
    # Found through the event's debug ID, not a release or URL fallback.
    assert top_resolved["data"]["resolved_with"] == "debug-id", top_resolved
    print("symbolicated stack trace (%s):\n%s" % (artefacts / "stacktrace.txt", text.stdout))
