"""Example tests: `pytest`. They pass before your fixes and must pass after them; the hidden
checks go further, on other data."""


def test_a_user_and_an_unknown_one(client):
    assert client.get("/users/2").json() == {"id": 2, "name": "Grace",
                                             "email": "grace@example.com"}
    assert client.get("/users/99").status_code == 404


def test_users_with_posts(client):
    assert client.get("/users-with-posts").json() == [
        {"id": 1, "name": "Ada", "post_count": 2,
         "posts": [{"id": 10, "title": "Engines"}, {"id": 11, "title": "Win big"}]},
        {"id": 2, "name": "Grace", "post_count": 0, "posts": []},
    ]


def test_search_ignores_case_and_keeps_the_limit(client):
    found = client.get("/search", params={"q": "PRIZE"}).json()
    assert [post["id"] for post in found] == [11]
    assert found[0]["author"] == "Ada"
    assert client.get("/search", params={"q": "i"}).status_code == 422
    assert [p["id"] for p in client.get("/search", params={"q": "in", "limit": 1}).json()] == [10]


def test_moderation(client):
    assert client.get("/posts/11/moderation").json() == {
        "post_id": 11, "spam_score": 0.6, "flagged": True}
    assert client.get("/posts/12/moderation").status_code == 404
