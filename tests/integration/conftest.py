import pytest

from fake_sentry import FakeSentry
from helpers.process import clean_env, run

UPLOAD_TOKEN = "tok-upload-0123456789abcdef"
UPLOAD_SCOPES = ["project:releases", "org:read"]


@pytest.fixture
def cli(uploader):
    """Runs the uploader with arguments; returns helpers.process.Result."""
    def invoke(*args, **kwargs):
        return run([uploader, *args], **kwargs)
    return invoke


@pytest.fixture
def sentry():
    """A fresh local Sentry with org `acme` (projects web, api) and an upload token."""
    with FakeSentry(tokens={UPLOAD_TOKEN: UPLOAD_SCOPES,
                            "tok-read-only-0123456": ["project:read", "event:read"]},
                    orgs={"acme": ["web", "api"]}) as server:
        yield server


@pytest.fixture
def upload(cli, sentry, case_dir):
    """Runs `upload` against `sentry` from case_dir, token and URL in the env.

    Keyword `env` adds or overrides variables (None removes one).
    """
    def invoke(*args, env=None, cwd=None):
        variables = {"SENTRY_URL": sentry.url, "SENTRY_AUTH_TOKEN": UPLOAD_TOKEN,
                     "HOME": str(case_dir)}
        variables.update(env or {})
        environment = clean_env(**{k: v for k, v in variables.items() if v is not None})
        for name in [k for k, v in variables.items() if v is None]:
            environment.pop(name, None)
        return cli("upload", *args, env=environment, cwd=cwd or case_dir)
    return invoke
