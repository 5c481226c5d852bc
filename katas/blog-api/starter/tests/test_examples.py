"""Example tests: `pytest`. The hidden checks go much further, on other data."""

ADA = {"email": "ada@example.org", "username": "ada", "password": "correct horse battery"}


def test_docs_list_the_routes(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/auth/register", "/auth/token", "/users/me", "/posts"} <= set(paths)


def test_register_then_log_in(client):
    created = client.post("/auth/register", json=ADA)
    assert created.status_code == 201
    assert "password" not in created.json() and "hashed_password" not in created.json()
    token = client.post("/auth/token", data={"username": "ada", "password": ADA["password"]})
    assert token.status_code == 200 and token.json()["token_type"] == "bearer"
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    assert client.get("/users/me", headers=headers).json()["username"] == "ada"


def test_posts_need_a_token(client):
    assert client.post("/posts", json={"title": "Hello"}).status_code == 401
