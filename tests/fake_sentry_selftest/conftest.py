"""Self-tests of the fake_sentry stand-in. Puts tests/ on sys.path."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from fake_sentry import FakeSentry  # noqa: E402

TOKENS = {
    "tok-upload": ["project:releases", "org:read"],
    "tok-ci": ["org:ci"],
    "tok-read": ["project:read"],
    "tok-releases-only": ["project:releases"],
    "tok-orgbound": {"scopes": ["org:ci"], "org": "other"},
}
ORGS = {"acme": ["web", "api"], "other": ["site"]}


@pytest.fixture
def fake():
    with FakeSentry(tokens=TOKENS, orgs=ORGS, repos={"acme": ["acme/web"]}) as s:
        yield s


@pytest.fixture
def make_fake():
    """Factory for a stand-in with non-default config; stopped after the test."""
    started = []

    def factory(**kwargs):
        kwargs.setdefault("tokens", TOKENS)
        kwargs.setdefault("orgs", ORGS)
        s = FakeSentry(**kwargs).start()
        started.append(s)
        return s

    yield factory
    for s in started:
        s.stop()
