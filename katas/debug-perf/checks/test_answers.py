"""regression.answers: every route answers as the untouched starter did, on hidden data: the
users, the users with their posts, searches and their bounds, and the moderation verdicts."""

from __future__ import annotations

from grader.kata_api import show


def test_users_and_an_unknown_one(api, hidden, rng):
    for user in rng.sample(hidden.users, 4):
        response = api.get(f"/users/{user['id']}")
        assert response.status_code == 200 and response.json() == user, (
            f"GET /users/{user['id']}: {show(response)}, not {user}")
    unknown = max(u["id"] for u in hidden.users) + rng.randint(1, 50)
    response = api.get(f"/users/{unknown}")
    assert response.status_code == 404, f"GET /users/{unknown} (no such user): {show(response)}"


def test_users_with_posts(api, hidden):
    response = api.get("/users-with-posts")
    assert response.status_code == 200, show(response)
    assert response.json() == hidden.users_with_posts(), (
        "GET /users-with-posts does not answer as the starter did")


def test_searches_and_their_bounds(api, hidden, rng):
    title = rng.choice(hidden.posts)["title"]
    word = title.split()[0]
    asked = [{"q": word.upper()},  # case ignored, the default limit
             {"q": title, "limit": 3},
             {"q": "zq" + rng.choice(["x", "y"])},  # matches nothing
             {"q": rng.choice(["prize", "winner", "cash"]), "limit": 100}]
    for params in asked:
        response = api.get("/search", params=params)
        want = hidden.search(params["q"], params.get("limit", 20))
        assert response.status_code == 200 and response.json() == want, (
            f"GET /search with {params}: {show(response)[:300]}, not {len(want)} posts")
    for params in ({"q": "a"}, {"q": "ab", "limit": 0}, {"q": "ab", "limit": 101}, {}):
        response = api.get("/search", params=params)
        assert response.status_code == 422, f"GET /search with {params}: {show(response)}"


def test_moderation_verdicts(api, hidden, rng):
    flagged = [p for p in hidden.posts if hidden.moderation(p)["flagged"]]
    clean = [p for p in hidden.posts if not hidden.moderation(p)["flagged"]]
    for post in (rng.choice(flagged), rng.choice(clean)):
        response = api.get(f"/posts/{post['id']}/moderation")
        assert response.status_code == 200 and response.json() == hidden.moderation(post), (
            f"GET /posts/{post['id']}/moderation: {show(response)}, not "
            f"{hidden.moderation(post)}")
    unknown = max(p["id"] for p in hidden.posts) + rng.randint(1, 50)
    response = api.get(f"/posts/{unknown}/moderation")
    assert response.status_code == 404, (
        f"GET /posts/{unknown}/moderation (no such post): {show(response)}")
