"""extra.concurrency: creates, or updates, at the same moment with one email leave exactly one
user with it (a 2xx for one, 409 for the rest; the status code itself is must.status_codes')."""

import threading

from users import create, new_user

from grader.kata_api import CandidateError

CLIENTS = 8
TRIES = 6  # a race shows on most tries, not on every one


def _at_once(api, requests: list[tuple[str, str, dict]]) -> list[int | str]:
    """Each (method, path, body), all released at the same moment; the codes (or why not)."""
    start = threading.Barrier(len(requests))
    codes: list[int | str] = []

    def send(method: str, path: str, body: dict) -> None:
        start.wait()
        try:
            response = api.request(method, path, json=body)
            if response.status_code == 405 and method == "PATCH":
                response = api.put(path, json=body)
            codes.append(response.status_code)
        except CandidateError as error:
            codes.append(str(error))

    threads = [threading.Thread(target=send, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


def _one_succeeded(codes: list[int | str], asked: str) -> None:
    done = sum(isinstance(code, int) and 200 <= code < 300 for code in codes)
    assert done == 1 and codes.count(409) == len(codes) - 1, \
        f"{asked}: {done} succeeded, answers {sorted(codes, key=str)}"


def test_simultaneous_creates_with_one_email_make_one_user(api, rng):
    for attempt in range(TRIES):
        email = new_user(rng)["email"]
        codes = _at_once(api, [("POST", "/users", {**new_user(rng), "email": email})
                               for _ in range(CLIENTS)])
        _one_succeeded(codes, f"{CLIENTS} simultaneous POST /users with one email "
                              f"(try {attempt + 1})")


def test_simultaneous_updates_to_one_email_give_it_to_one_user(api, rng):
    for attempt in range(TRIES):
        users = [create(api, new_user(rng)) for _ in range(CLIENTS)]
        email = new_user(rng)["email"]
        codes = _at_once(api, [("PATCH", f"/users/{user['id']}", {"email": email})
                               for user in users])
        _one_succeeded(codes, f"{CLIENTS} users updated at once to one email "
                              f"(try {attempt + 1})")
