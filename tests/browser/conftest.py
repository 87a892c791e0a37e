"""Fixtures for the real-browser test: the CMake harness of tests/cmake/e2e,
the stand-in, the browser tools, and a folder for the test's artefacts."""
import json
import os
import shutil
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "cmake" / "e2e"))

import browser_harness  # noqa: E402
from cmake_harness import ORGS, TOKENS, CMakeProject, find_make_program  # noqa: E402
from fake_sentry import FakeSentry  # noqa: E402

_artefacts = []


def unavailable(reason):
    """Outside CI a missing tool skips; on CI (CI=true) it fails: the proof must run."""
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true and " + reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_tools():
    """(npm, chromium, playwright-core folder), or skip/fail saying what is missing."""
    npm = shutil.which("npm")
    if not npm:
        unavailable("npm is not installed (sudo tools/install-deps)")
    try:
        chromium = browser_harness.chromium()
        browser_harness.node()
        module = browser_harness.ensure_playwright_core()
    except browser_harness.BrowserUnavailable as e:
        unavailable(str(e))
    return npm, chromium, module


@pytest.fixture(scope="session")
def make_program(request):
    """Ninja: the one the outer build uses, else the PATH's."""
    found = find_make_program(request.config.getoption("--build-dir"))
    if not found:
        pytest.fail("ninja not found")
    return found


@pytest.fixture
def cmake_project_factory(tmp_path, make_program):
    def factory(source):
        return CMakeProject(source, tmp_path / "build", make_program)
    return factory


@pytest.fixture
def fake():
    with FakeSentry(tokens=TOKENS, orgs=ORGS) as s:
        yield s


@pytest.fixture
def click_checkout(fake, artefacts):
    """Serves a built dist/ on loopback, clicks #checkout in headless Chromium
    and checks that the SDK's event envelope was accepted and the page showed
    its id. Returns (drive.cjs's report, the paths the page asked for, the
    event as the stand-in stored it); the screenshot and the report go to
    `artefacts`."""
    def click(dist):
        project_id = urlsplit(fake.dsn("acme", "web")).path.strip("/")
        screenshot = artefacts / "page.png"
        with browser_harness.StaticServer(dist) as static:
            report = browser_harness.drive(
                static.url + "/", "%s/api/%s/envelope/" % (fake.url, project_id),
                screenshot, timeout=60)
        (artefacts / "browser-report.json").write_text(json.dumps(report, indent=2))
        assert report["envelope"]["status"] == 200, report
        event_id = json.loads(report["envelope"]["body"])["id"]
        assert event_id in report["status"]
        assert screenshot.stat().st_size > 0
        assert static.paths, "the page was not loaded from the static server"
        assert not [p for p in static.paths if ".map" in p], static.paths
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            for event in list(fake.events):
                if event.get("event_id") == event_id:
                    return report, static.paths, event
            time.sleep(0.1)
        raise AssertionError("event %s did not reach the stand-in within 20 s (got %s)" % (
            event_id, [e.get("event_id") for e in fake.events]))
    return click


@pytest.fixture
def artefacts(request, tmp_path):
    """A folder for screenshots and traces: <build>/tmp/browser/<test>, else tmp_path.
    Listed at the end of the run, so the paths are printed even when it passes."""
    build_dir = request.config.getoption("--build-dir")
    folder = (Path(build_dir) / "tmp" / "browser" / request.node.name if build_dir
              else tmp_path / "artefacts")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    _artefacts.append(folder)
    return folder


def pytest_terminal_summary(terminalreporter):
    for folder in _artefacts:
        for f in sorted(folder.iterdir()):
            terminalreporter.write_line("browser artefact: %s" % f)
