"""posts.listing: GET /posts lists by id, pages with limit and offset (422 out of range), and
filters by author, by published and by a search in title or content, alone and combined."""

import random

from blog import WORDS, create_post, ids, listed, new_account, register, with_token

from grader.kata_api import show

NEEDLE = "Zephyr"  # in no word the other posts are made of


def _writers(api, candidate, rng):
    """Two users of this check alone, so that their posts are all that author_id lists."""
    return [with_token(register(api, new_account(rng)), candidate.secret) for _ in range(2)]


def _posts(api, rng: random.Random, writers, code: int = 0) -> list[dict]:
    """Posts by both writers: some with the needle in the title or the content (in another
    case), one with `{code}%_off` in it and one that LIKE's wildcards would take for it."""
    made = []
    for n in range(12):
        fields = {"title": f"{rng.choice(WORDS).title()} {n}", "content": rng.choice(WORDS),
                  "published": n % 3 == 0 or rng.random() < 0.3}
        if n % 4 == 1:
            fields["title"] += f" {NEEDLE}"
        elif n % 4 == 2:
            fields["content"] += f" {NEEDLE.lower()}s"
        elif n == 3:
            fields["content"] += f" {code}0 to go"
        elif n == 7:
            fields["title"] += f" {code}0 to go"
        elif n == 11:
            fields["content"] += f" {code}%_off"
        made.append(create_post(api, writers[n % 2], fields))
    return made


def test_filters_alone_and_combined(api, candidate, rng):
    writers = _writers(api, candidate, rng)
    code = rng.randrange(10**6, 10**7)
    made = _posts(api, rng, writers, code)
    author = writers[0].id
    mine = [p for p in made if p["author_id"] == author]
    hits = [p for p in made if NEEDLE.lower() in (p["title"] + p["content"]).lower()]
    cases = {
        "author_id": ({"author_id": author}, mine),
        "author_id, published=true": ({"author_id": author, "published": "true"},
                                      [p for p in mine if p["published"]]),
        "author_id, published=false": ({"author_id": author, "published": "false"},
                                       [p for p in mine if not p["published"]]),
        "q in another case": ({"q": NEEDLE.upper()}, hits),
        "q, author_id": ({"q": NEEDLE.lower(), "author_id": author},
                         [p for p in hits if p["author_id"] == author]),
        "q with % and _": ({"q": f"{code}%_o"}, [made[11]]),
        "q, published, author_id": ({"q": NEEDLE, "published": "true",
                                     "author_id": writers[1].id},
                                    [p for p in hits if p["published"]
                                     and p["author_id"] == writers[1].id]),
    }
    for what, (params, want) in cases.items():
        got = listed(api, limit=100, **params)
        assert ids(got) == ids(want), \
            f"GET /posts with {what}: expected ids {ids(want)}, got {ids(got)}"
    assert listed(api, author_id=author, limit=100) == mine, \
        "GET /posts lists posts that differ from what POST /posts answered"


def test_pages_cut_the_list_by_id(api, rng, alice, bob):
    made = _posts(api, rng, [alice, bob]) + _posts(api, rng, [alice, bob])
    everything = listed(api, limit=100)
    assert ids(everything) == sorted(ids(everything)), \
        f"GET /posts is not by id: {ids(everything)[:12]}"
    assert set(ids(made)) <= set(ids(everything)), "GET /posts?limit=100 misses posts"
    assert ids(listed(api)) == ids(everything)[:20], "the default page is not the first 20"
    size, start = rng.randint(2, 5), rng.randint(1, 6)
    assert ids(listed(api, limit=size, offset=start)) == ids(everything)[start:start + size], \
        f"limit={size}&offset={start} is not that slice of the list"
    mine = [p for p in everything if p["author_id"] == bob.id]
    assert ids(listed(api, author_id=bob.id, limit=3, offset=2)) == ids(mine)[2:5], \
        "a page of a filtered list is not cut from the filtered list"
    for params in ({"q": "z"}, {"q": "z" * 100}, {"limit": 1}, {"limit": 100}, {"offset": 0}):
        response = api.get("/posts", params=params)
        assert response.status_code == 200, f"GET /posts with {params}: expected 200, got " \
            f"{show(response)}"
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"q": ""}, {"q": "x" * 101}):
        response = api.get("/posts", params=params)
        assert response.status_code == 422, f"GET /posts with {params}: expected 422, got " \
            f"{show(response)}"
