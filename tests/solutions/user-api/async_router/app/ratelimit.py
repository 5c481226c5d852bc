"""At most $RATE_LIMIT requests a minute per client, as ASGI middleware (off when unset)."""

import os
import time
from collections import defaultdict, deque

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import JSONResponse


class RateLimitMiddleware(BaseHTTPMiddleware):
    def __init__(self, app) -> None:
        super().__init__(app)
        limit = os.environ.get("RATE_LIMIT")
        self.limit = int(limit) if limit else None
        self.recent: defaultdict[str, deque[float]] = defaultdict(deque)

    async def dispatch(self, request, call_next):
        if self.limit is None:
            return await call_next(request)
        now = time.monotonic()
        seen = self.recent[request.client.host if request.client else "-"]
        while seen and now - seen[0] >= 60:
            seen.popleft()
        if len(seen) >= self.limit:
            wait = int(60 - (now - seen[0])) + 1
            return JSONResponse({"detail": "rate limit exceeded"}, status_code=429,
                                headers={"Retry-After": str(min(wait, 60))})
        seen.append(now)
        return await call_next(request)
