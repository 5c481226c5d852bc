"""Examples to start from: run `pytest` in the workspace folder. Add your own beside them."""

from fastapi.testclient import TestClient

from app.main import app

client = TestClient(app)


def test_create_then_read_a_user():
    created = client.post("/users", json={"name": "Ada", "email": "ada@example.org", "age": 36})
    assert created.status_code == 201
    user = created.json()
    assert client.get(f"/users/{user['id']}").json() == user


def test_an_unknown_user_is_404():
    assert client.get("/users/999999").status_code == 404


def test_the_docs_describe_the_api():
    assert "/users" in client.get("/openapi.json").json()["paths"]
