"""bonus.search: `q` lists the users whose name or email holds the text, ignoring case."""

from users import create, ids, listed, new_user


def _expected(users, text):
    needle = text.casefold()
    return [u["id"] for u in users if needle in u["name"].casefold()
            or needle in u["email"].casefold()]


def test_q_matches_names_and_emails_ignoring_case(api, rng):
    tag = f"zq{rng.randrange(10**6)}"
    by_name = create(api, {**new_user(rng), "name": f"Max {tag.upper()} Planck"})
    by_email = create(api, {**new_user(rng), "email": f"{tag}@mail.acme.io"})
    create(api, new_user(rng))
    whole = listed(api, limit=100)
    for text in (tag, tag.upper(), tag[1:-1].title()):
        got = ids(listed(api, q=text))
        assert got == _expected(whole, text), f"GET /users?q={text}: expected " \
            f"{_expected(whole, text)} (names or emails holding it), got {got}"
    assert {by_name["id"], by_email["id"]} <= set(_expected(whole, tag))


def test_a_common_text_lists_several(api, rng):
    whole = listed(api, limit=100)
    text = rng.choice(["a", "e", "o", "@"])
    got = ids(listed(api, q=text))
    assert got == _expected(whole, text), f"GET /users?q={text}: expected " \
        f"{_expected(whole, text)[:12]}, got {got[:12]}"
