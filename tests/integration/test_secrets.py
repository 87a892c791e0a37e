"""The auth token is never shown: not in any output (even --verbose, with
request headers traced, and --json), not in any file the uploader writes,
not in the argv of any process it starts (git for releases)."""
import os
import shutil
import stat
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from fake_sentry import FakeSentry
from helpers.dist import org_token, write_dist
from helpers.process import clean_env


@pytest.fixture
def world(case_dir):
    """A fake Sentry that knows a real-format org token bound to its URL."""
    holder = {}
    with FakeSentry(orgs={"acme": ["web", "api"]}, repos={"acme": ["acme/web"]}) as sentry:
        token = org_token("acme", sentry.url)
        sentry.store.tokens[token] = {"scopes": ["project:releases", "org:read",
                                                 "project:read", "event:read"]}
        holder.update(sentry=sentry, token=token)
        yield holder


class ArgvWatcher:
    """Reads /proc/*/cmdline of every process while commands run."""

    def __init__(self):
        self.seen = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self):
        while not self._stop.is_set():
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    try:
                        self.seen.add(Path(f"/proc/{entry}/cmdline").read_bytes())
                    except OSError:
                        pass
            time.sleep(0.005)

    def stop(self):
        self._stop.set()
        self._thread.join()


def git_wrapper(folder):
    """A `git` first on PATH that logs its argv, then runs the real one."""
    real = shutil.which("git")
    folder.mkdir()
    wrapper = folder / "git"
    wrapper.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{folder}/argv.log"\n'
                       f'exec "{real}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    return folder


def listed_commands(uploader):
    text = subprocess.run([uploader, "--help"], capture_output=True, text=True).stdout
    lines = text.split("Commands:\n", 1)[1].splitlines()
    return [line.split()[0] for line in lines if line.startswith("  ")]


@pytest.mark.skipif(not shutil.which("git"), reason="git is not installed")
def test_token_never_shown_in_output_files_or_argv(uploader, world, case_dir):
    sentry, token = world["sentry"], world["token"]
    work, home = case_dir / "work", case_dir / "home"
    work.mkdir()
    home.mkdir()
    bin_dir = git_wrapper(case_dir / "bin")
    env = clean_env(SENTRY_URL=sentry.url, SENTRY_AUTH_TOKEN=token, SENTRY_ORG="acme",
                    SENTRY_PROJECT="web", HOME=str(home), GIT_AUTHOR_NAME="t",
                    GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t",
                    SENTRY_SOURCEMAPS_RETRY_DELAY_MS="0",
                    PATH=f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}")
    subprocess.run(["git", "init", "-q"], cwd=work, env=env, check=True)
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", "one"], cwd=work, env=env,
                   check=True)
    subprocess.run(["git", "remote", "add", "origin", "https://github.com/acme/web.git"],
                   cwd=work, env=env, check=True)
    write_dist(work / "dist")
    write_dist(work / "other")
    (bin_dir / "argv.log").write_text("")

    runs = [
        ["inject", "--verbose", "dist"],
        ["upload", "--verbose", "--json", "--release", "1.0", "--dry-run", "--bundle-out",
         "out.bundle", "dist"],
        ["upload", "--verbose", "--json", "--release", "1.0", "--inject", "--delete-after",
         "--stamp-file", "stamp", "dist"],
        ["upload", "--verbose", "--json", "--release", "1.0", "--on-failure", "warn",
         "--pending-dir", "pending", "other"],
        ["releases", "new", "--verbose", "--json", "1.0"],
        ["releases", "set-commits", "--verbose", "--auto"],
        ["releases", "finalize", "--verbose", "1.0"],
        ["releases", "deploy", "--verbose", "--env", "prod", "1.0"],
        # Error paths: the server's answer, and a token it rejects.
        ["releases", "new", "--verbose", "--log-level", "trace", "9.9"],
    ]
    known = {run[0] for run in runs}
    for command in listed_commands(uploader):
        if command not in known:  # every other command, whatever it needs
            runs.append([command, "--verbose", "dist"])
    watcher = ArgvWatcher()
    outputs = []
    try:
        for i, args in enumerate(runs):
            if args[-1] == "other":
                # Make the third upload fail so its maps are parked.
                sentry.script_fault("POST", "assemble", [{"status": 500, "body": {
                    "detail": "boom " + token}}] * 10)
            if args[-1] == "9.9":
                sentry.faults.clear()
                sentry.script_fault("POST", "release_new", [{"status": 401, "body": {
                    "detail": "bad token " + token}}])
            result = subprocess.run([uploader, *args], cwd=work, env=env,
                                    capture_output=True, text=True, timeout=120)
            outputs.append((args, result))
    finally:
        watcher.stop()

    secrets = [token, token.rsplit("_", 1)[1], quote(token, safe="")]
    for args, result in outputs:
        for secret in secrets:
            assert secret not in result.stdout, args
            assert secret not in result.stderr, args
    verbose = "".join(r.stderr for _, r in outputs)
    assert "> Authorization: [REDACTED]" in verbose, "headers are traced, redacted"
    assert "< HTTP/1.1 200" in verbose
    assert "[REDACTED]" in [r for a, r in outputs if a[-1] == "9.9"][0].stderr
    # The upload and the releases calls really happened.
    assert sentry.bundles and sentry.deploys

    for path in [*case_dir.rglob("*")]:
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            for secret in secrets:
                assert secret.encode() not in data, f"token written to {path}"

    for cmdline in watcher.seen:
        for secret in secrets:
            assert secret.encode() not in cmdline, cmdline
    git_calls = (bin_dir / "argv.log").read_text()
    assert "rev-parse" in git_calls or "remote" in git_calls, "git was run"
    assert token not in git_calls
