"""Rate limiting and the bearer token, each off unless its environment variable is set."""

import hmac
import math
import os
import threading
import time

from fastapi import Header, HTTPException, Request, status


class FixedWindow:
    """At most `limit` requests per client in each minute."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._lock = threading.Lock()
        self._seen: dict[str, tuple[float, int]] = {}

    def retry_after(self, client: str) -> int | None:
        """None when the request may go ahead, else the seconds until it may."""
        now = time.monotonic()
        with self._lock:
            start, count = self._seen.get(client, (now, 0))
            if now - start >= self.window:
                start, count = now, 0
            if count >= self.limit:
                return max(1, math.ceil(self.window - (now - start)))
            self._seen[client] = (start, count + 1)
            return None


_window = FixedWindow(int(os.environ["RATE_LIMIT"])) if os.environ.get("RATE_LIMIT") else None
_token = os.environ.get("API_TOKEN") or None


def rate_limit(request: Request) -> None:
    if _window is None:
        return
    client = request.client.host if request.client else "local"
    if (wait := _window.retry_after(client)) is not None:
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, "too many requests",
                            headers={"Retry-After": str(wait)})


def require_token(authorization: str | None = Header(None)) -> None:
    if _token is None:
        return
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), _token.encode()):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "a valid bearer token is required",
                            headers={"WWW-Authenticate": "Bearer"})
