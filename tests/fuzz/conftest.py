"""The web tests' real server, for the API fuzzing here."""

from tests.web.conftest import server

__all__ = ["server"]
