"""User API with async routes in a router of their own; middleware limits the rate."""

from fastapi import FastAPI

from app.ratelimit import RateLimitMiddleware
from app.routes import router

app = FastAPI(title="User API")
app.add_middleware(RateLimitMiddleware)
app.include_router(router)
