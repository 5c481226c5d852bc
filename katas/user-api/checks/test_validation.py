"""must.validation: a bad email, a blank or long name, an age out of range or a wrong type
answers 422, and creates nothing; every valid shape is accepted."""

import pytest
from users import create, listed, new_user

from grader.kata_api import show

BAD_EMAILS = ["no-at-sign.example.org", "two@@example.org", "@example.org", "user@nodot",
              "spa ce@example.org", ""]
BAD_FIELDS = [("name", ""), ("name", "   "), ("name", "x" * 101), ("age", -1), ("age", 151),
              ("age", "thirty"), ("age", 30.5), ("name", 42)]


def _refused(api, body: dict, what: str) -> None:
    before = len(listed(api))
    response = api.post("/users", json=body)
    assert response.status_code == 422, f"POST /users with {what}: expected 422, got " \
        f"{show(response)}"
    assert len(listed(api)) == before, f"POST /users with {what} answered 422 but made a user"


@pytest.mark.parametrize("email", BAD_EMAILS)
def test_a_malformed_email_is_refused(api, rng, email):
    _refused(api, {**new_user(rng), "email": email}, f"email {email!r}")


@pytest.mark.parametrize(("field", "value"), BAD_FIELDS)
def test_a_bad_name_or_age_is_refused(api, rng, field, value):
    _refused(api, {**new_user(rng), field: value}, f"{field} {value!r}")


@pytest.mark.parametrize("missing", ["name", "email"])
def test_a_required_field_is_required(api, rng, missing):
    user = new_user(rng)
    del user[missing]
    _refused(api, user, f"no {missing}")


def test_every_valid_shape_is_accepted(api, rng):
    first = new_user(rng)
    shapes = [{**first, "email": first["email"].replace("@", "+tag@")},
              {**new_user(rng), "age": 0}, {**new_user(rng), "age": 150},
              new_user(rng, age=False), {**new_user(rng), "name": "x" * 100},
              {**new_user(rng), "name": "X"}]
    for user in shapes:
        created = create(api, user)
        assert created.get("age") == user.get("age"), f"POST /users with {user}: {created}"
