"""extra.concurrency: creates at the same moment with one email give exactly one 201."""

import threading

from users import new_user

from grader.kata_api import CandidateError

CLIENTS = 8


def test_simultaneous_creates_with_one_email_make_one_user(api, rng):
    for attempt in range(2):  # twice: a race that one try misses is still a race
        email = new_user(rng)["email"]
        start = threading.Barrier(CLIENTS)
        codes: list[int | str] = []

        def post() -> None:
            start.wait()
            try:
                codes.append(api.post("/users", json={**new_user(rng), "email": email})
                             .status_code)
            except CandidateError as error:
                codes.append(str(error))

        threads = [threading.Thread(target=post) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        made = sum(code == 201 for code in codes)
        assert made == 1 and codes.count(409) == CLIENTS - 1, \
            f"{CLIENTS} simultaneous POST /users with one email (try {attempt + 1}): " \
            f"{made} created, answers {sorted(codes, key=str)}"
