"""blog-api's verdict: the reference scores 100, the starter 0, each alternative 100, and a
solution broken in one item loses that item only."""

from __future__ import annotations

import pytest
from conftest import (
    KataContract,
    Patch,
    assert_full_marks,
    earned,
)

KATA = "blog-api"
AUTO_ITEMS = ["accounts.register", "accounts.hashing", "tokens.login", "tokens.enumeration",
              "tokens.rejected", "posts.crud", "posts.listing", "posts.ownership"]
MAIN, SECURITY = "app/main.py", "app/security.py"
SHA256 = '__import__("hashlib").sha256(password.encode()).hexdigest()'

# One patch set per item: a plausible mistake that breaks that item and nothing else.
BROKEN: dict[str, list[Patch]] = {
    # A taken username slips past the lookup, and the unique constraint answers 500.
    "accounts.register": [(MAIN, "or_(User.email == body.email, User.username == body.username)",
                           "User.email == body.email")],
    # An unsalted SHA-256: logins work, but the table gives equal passwords away.
    "accounts.hashing": [(SECURITY, "return password_hash.hash(password)", f"return {SHA256}"),
                         (SECURITY, "return password_hash.verify(password, hashed)",
                          f"return hashed == {SHA256}")],
    # The lifetime hard-coded to the default, whatever the setting says.
    "tokens.login": [(SECURITY, "timedelta(minutes=ACCESS_TOKEN_EXPIRE_MINUTES)",
                      "timedelta(minutes=30)")],
    # An unknown username told apart from a wrong password.
    "tokens.enumeration": [(MAIN, "    # One answer for an unknown user",
                            '    if user is None:\n        raise HTTPException(404, "no such user")'
                            "\n    # One answer for an unknown user")],
    # Expired tokens still open the door.
    "tokens.rejected": [(SECURITY, 'options={"require": ["exp", "sub"]}',
                         'options={"require": ["exp", "sub"], "verify_exp": False}')],
    # GET of an unknown post: the missing row goes to the response model, a 500.
    "posts.crud": [(MAIN, "    return await _post(session, post_id)\n",
                    "    return await session.get(Post, post_id)\n")],
    # Every page starts at the first post.
    "posts.listing": [(MAIN, ".offset(offset)", "")],
    # Anyone may delete a post.
    "posts.ownership": [(MAIN, "await session.delete(_own(await _post(session, post_id), user))",
                         "await session.delete(await _post(session, post_id))")],
}


@pytest.fixture
def reference(make_reference):
    return make_reference(KATA)


def test_reference_scores_full_marks(grade, reference):
    assert_full_marks(grade(reference, seed=20261202))


def test_starter_scores_nothing(grade, make_starter):
    card = grade(make_starter(KATA), seed=4)
    assert earned(card) == dict.fromkeys(AUTO_ITEMS, 0.0)
    assert all("501" in item.reason for item in card.items if item.mode == "auto")


class TestContract(KataContract):
    kata, broken = KATA, BROKEN
    alternative_seed, broken_seed = 8, 6
