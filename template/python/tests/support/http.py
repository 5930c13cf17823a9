"""Outbound HTTP at the boundary: every request must be mocked, or the test fails.

respx raises on an unmocked request, but app code may catch that error; so the router
also remembers each one, and the fixture fails the test at teardown regardless.
"""

import httpx
import respx
from respx.models import AllMockedAssertionError, ResolvedRoute


class OutboundGuard(respx.MockRouter):
    def __init__(self) -> None:
        super().__init__(assert_all_mocked=True, assert_all_called=False)
        self.unmocked: list[httpx.Request] = []

    def resolve(self, request: httpx.Request) -> ResolvedRoute:
        try:
            return super().resolve(request)
        except AllMockedAssertionError:
            self.unmocked.append(request)
            raise

    def forget(self) -> None:
        """Drops the routes, calls and unmocked requests of a test, so the next one starts clean."""
        self.clear()
        self.reset()
        self.unmocked.clear()

    def unmocked_report(self) -> str:
        lines = [f"  {request.method} {request.url}" for request in self.unmocked]
        return "Unmocked outbound HTTP requests (mock them with the `external_api` fixture):\n" + "\n".join(lines)
