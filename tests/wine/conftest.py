"""The Windows uploader (sentry-sourcemaps.exe, cross-built with mingw-w64)
under Wine: --uploader names the wrapper the windows-cross build writes
(build/windows-cross/sentry-sourcemaps-emulated), so these tests drive it
exactly as tests/integration drives the native one, with the same stand-in
and fixtures."""
import pytest

# The integration suite's stand-in and runners, shared rather than copied.
from integration.conftest import UPLOAD_TOKEN, cli, sentry, upload  # noqa: F401

from helpers.network import Proxy, make_certificate, serve_tls
from helpers.process import run


@pytest.fixture(scope="session", autouse=True)
def wine_ready(uploader):
    """Wine makes its prefix on first use (seconds, and notes on stderr):
    done once here so that no test's output or timing carries it."""
    result = run([uploader, "--version"], timeout=300)
    assert result.returncode == 0, result.output
    assert result.stdout.startswith("sentry-sourcemaps "), result.output


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def tls_sentry(sentry, certificate):
    """The stand-in over TLS with a certificate no system store knows, named
    by host name: Wine's WinHTTP matches only DNS names, not IP addresses
    (CERT_E_CN_NO_MATCH for https://127.0.0.1 whatever the certificate)."""
    server = serve_tls(sentry, certificate)
    server.url = server.url.replace("://127.0.0.1:", "://localhost:")
    return server


@pytest.fixture
def proxy():
    p = Proxy()
    yield p
    p.close()
