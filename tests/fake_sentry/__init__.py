"""A local stand-in for the Sentry web API parts that source-map uploaders use.

Standard library only. See server.py for the CLI and FakeSentry for the Python API.
"""
from fake_sentry.state import Config  # noqa: F401
from fake_sentry.server import FakeSentry  # noqa: F401

__all__ = ["FakeSentry", "Config"]
