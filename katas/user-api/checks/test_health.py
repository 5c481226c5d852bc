"""bonus.health: GET /health answers 200 and {"status": "ok"}."""

from grader.kata_api import json_of


def test_health_says_ok(api):
    body = json_of(api.get("/health"), "GET /health", status=200)
    assert body == {"status": "ok"}, f"GET /health: expected {{'status': 'ok'}}, got {body}"
