"""extra.concurrency: creates at the same moment with one email give exactly one 201 (a 2xx:
the status code itself is must.status_codes')."""

import threading

from users import new_user

from grader.kata_api import CandidateError

CLIENTS = 8


def _at_once(api, bodies: list[dict]) -> list[int | str]:
    """POST /users with each body, all released at the same moment; the codes (or why not)."""
    start = threading.Barrier(len(bodies))
    codes: list[int | str] = []

    def post(body: dict) -> None:
        start.wait()
        try:
            codes.append(api.post("/users", json=body).status_code)
        except CandidateError as error:
            codes.append(str(error))

    threads = [threading.Thread(target=post, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


def test_simultaneous_creates_with_one_email_make_one_user(api, rng):
    for attempt in range(2):  # twice: a race that one try misses is still a race
        email = new_user(rng)["email"]
        codes = _at_once(api, [{**new_user(rng), "email": email} for _ in range(CLIENTS)])
        made = sum(isinstance(code, int) and 200 <= code < 300 for code in codes)
        assert made == 1 and codes.count(409) == CLIENTS - 1, \
            f"{CLIENTS} simultaneous POST /users with one email (try {attempt + 1}): " \
            f"{made} created, answers {sorted(codes, key=str)}"
