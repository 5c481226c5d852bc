"""The reference's own tests: the contract, through the app only (the grader runs them on its
implementations too)."""

import pytest
from fastapi.testclient import TestClient

from app.main import app

client = TestClient(app)


def make(email: str, **fields) -> dict:
    response = client.post("/users", json={"name": "Test User", "email": email, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def test_a_taken_email_is_409_whatever_its_case():
    make("dup@example.org")
    assert client.post("/users", json={"name": "B", "email": "DUP@example.org"}).status_code == 409


@pytest.mark.parametrize("body", [{"name": " ", "email": "a@example.org"},
                                  {"name": "A", "email": "not-an-email"},
                                  {"name": "A", "email": "b@example.org", "age": 151},
                                  {"name": "A", "email": "c@example.org", "role": "admin"}])
def test_invalid_bodies_are_422(body):
    assert client.post("/users", json=body).status_code == 422


def update(user_id: int, changes: dict):
    """PATCH, or PUT where there is no PATCH: the statement allows either."""
    response = client.patch(f"/users/{user_id}", json=changes)
    if response.status_code == 405:
        response = client.put(f"/users/{user_id}", json=changes)
    return response


def test_update_is_partial_and_kept():
    user = make("partial@example.org", age=30)
    changed = update(user["id"], {"name": "New"})
    assert changed.status_code == 200
    assert client.get(f"/users/{user['id']}").json() == {**user, "name": "New"}


def test_delete_then_404():
    user = make("gone@example.org")
    assert client.delete(f"/users/{user['id']}").status_code == 204
    assert client.get(f"/users/{user['id']}").status_code == 404
    assert client.delete(f"/users/{user['id']}").status_code == 404
