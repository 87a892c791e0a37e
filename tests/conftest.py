"""Options and fixtures shared by every pytest suite: where the built uploader
is, and case_dir, a folder per test that is kept when the test fails."""
import os
import queue
import re
import shutil
import sys
import tempfile
import threading
from pathlib import Path

import pytest

# The stand-in and shared helpers are imported as top-level packages.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def pytest_addoption(parser):
    parser.addoption("--uploader", default=os.environ.get("SENTRY_SOURCEMAPS_BIN"),
                     help="path to the built sentry-sourcemaps executable")
    parser.addoption("--build-dir", default=None,
                     help="the CMake build tree the tests run from")


@pytest.fixture(scope="session")
def uploader(request):
    """Path to the built sentry-sourcemaps; a suite that needs it fails without it."""
    path = request.config.getoption("--uploader")
    if not path or not os.access(path, os.X_OK):
        pytest.fail(f"--uploader must name the built sentry-sourcemaps (got {path!r})")
    return os.path.abspath(path)


# --- case_dir: one fresh folder per test, kept when the test fails ----------

CASE_DIR = pytest.StashKey()   # item -> its case_dir
REPORTS = pytest.StashKey()    # item -> {"setup"|"call"|"teardown": TestReport}
KEPT = pytest.StashKey()       # config -> [(node id, kept folder)]
DELETER = pytest.StashKey()    # config -> queue of folders to delete


def _delete_forever(folders):
    while True:
        shutil.rmtree(folders.get(), ignore_errors=True)
        folders.task_done()


def pytest_configure(config):
    config.stash[KEPT] = []
    # Deleting is slow on some disks (online discard): a thread does it while
    # the next test runs, and the session waits for it at the end.
    folders = config.stash[DELETER] = queue.Queue()
    threading.Thread(target=_delete_forever, args=(folders,), daemon=True).start()


def pytest_sessionfinish(session):
    session.config.stash[DELETER].join()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remembers each phase's outcome for case_dir, and names the kept folder
    in the report of the failure."""
    outcome = yield
    report = outcome.get_result()
    item.stash.setdefault(REPORTS, {})[report.when] = report
    folder = item.stash.get(CASE_DIR, None)
    if folder is not None and report.failed and report.when in ("setup", "call"):
        report.sections.append(("case_dir", "kept for inspection: %s" % folder))


@pytest.fixture
def case_dir(request, tmp_path_factory):
    """A fresh, empty folder for this test (under pytest's base temporary folder,
    so --basetemp moves it). Deleted when the test passes (in the background, by
    the end of the session); when its setup or call fails it is kept and its
    path printed with the failure and at the end of the run (pytest itself
    removes base folders older than its last three)."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)[:48]
    folder = Path(tempfile.mkdtemp(prefix=name + "-", dir=tmp_path_factory.getbasetemp()))
    request.node.stash[CASE_DIR] = folder
    yield folder
    reports = request.node.stash.get(REPORTS, {})
    if any(r.failed for r in reports.values()):
        request.config.stash[KEPT].append((request.node.nodeid, folder))
    else:
        request.config.stash[DELETER].put(folder)


def pytest_terminal_summary(terminalreporter, config):
    kept = config.stash.get(KEPT, [])
    if kept:
        terminalreporter.section("folders of failed tests, kept")
        for nodeid, folder in kept:
            terminalreporter.write_line("%s: %s" % (nodeid, folder))
