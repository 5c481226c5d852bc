"""accounts.hashing: what the users table holds is an argon2 or bcrypt hash of the password, in
its standard form, verified here with the hash's own scheme; two equal passwords, two hashes."""

import argon2
import bcrypt
import pytest
from blog import new_account, register

HASH_COLUMNS = ("hashed_password", "password_hash", "password")


def _stored(db, user_id: int) -> str:
    columns = db.columns("users")
    column = next((name for name in HASH_COLUMNS if name in columns), None)
    if column is None:
        pytest.fail(f"the users table has no {HASH_COLUMNS[0]} column: {sorted(columns)}",
                    pytrace=False)
    rows = db.query(f"SELECT {column} AS value FROM users WHERE id = :id", {"id": user_id})
    assert rows, f"no row in users with the id registration answered ({user_id})"
    return str(rows[0]["value"])


def _verifies(stored: str, password: str) -> bool:
    """The hash's own scheme says whether it was made from `password`."""
    if stored.startswith("$argon2"):
        try:
            return argon2.PasswordHasher().verify(stored, password)
        except argon2.exceptions.VerificationError:
            return False
    if stored.startswith(("$2a$", "$2b$", "$2y$")):
        return bcrypt.checkpw(password.encode(), stored.encode())
    pytest.fail(f"the stored value is neither an argon2 ($argon2...) nor a bcrypt ($2b$...) "
                f"hash: {stored[:12]}...", pytrace=False)


def test_passwords_are_stored_as_salted_hashes(api, db, rng):
    password = new_account(rng).password
    first = register(api, new_account(rng, password))
    second = register(api, new_account(rng, password))
    hashes = [_stored(db, first.id), _stored(db, second.id)]
    for stored in hashes:
        assert password not in stored, "the users table holds the password as it was sent"
        assert _verifies(stored, password), "the stored hash does not verify the password"
    assert not _verifies(hashes[0], password + "x"), "the stored hash verifies another password"
    assert hashes[0] != hashes[1], "two users with one password have the same hash: no salt"
