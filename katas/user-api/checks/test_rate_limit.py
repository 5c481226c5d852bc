"""extra.rate_limit: with RATE_LIMIT=N, the request after N in a minute answers 429 with a
Retry-After; without it, nothing is limited."""

from grader.kata_api import show

LIMIT = 5


def test_the_request_past_the_limit_is_429_with_retry_after(api, restarted):
    restarted.restart_app({"RATE_LIMIT": str(LIMIT)})
    answers = [api.get("/users") for _ in range(LIMIT)]
    early = next((r for r in answers if r.status_code != 200), None)
    assert early is None, f"request {answers.index(early) + 1} of {LIMIT} allowed: " \
        f"expected 200, got {show(early)}"
    over = api.get("/users")
    assert over.status_code == 429, f"request {LIMIT + 1} with RATE_LIMIT={LIMIT}: expected " \
        f"429, got {show(over)}"
    wait = over.headers.get("retry-after", "")
    # The minute began with the first of these requests, a moment ago: about 60 s are left.
    assert wait.isdigit() and 30 <= int(wait) <= 60, \
        f"429 with Retry-After {wait!r}: expected the seconds left of the minute, about 60"


def test_without_the_setting_nothing_is_limited(api):
    codes = {api.get("/users").status_code for _ in range(3 * LIMIT)}
    assert codes == {200}, f"{3 * LIMIT} requests without RATE_LIMIT answered {sorted(codes)}"
