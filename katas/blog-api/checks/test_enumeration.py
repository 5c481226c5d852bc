"""tokens.enumeration: a wrong password and an unknown username get one answer (status, body
and headers), so nobody learns from the login which usernames exist."""

from blog import new_account, register

from grader.kata_api import show

VARYING = {"date", "server", "content-length"}  # differ between any two answers


def _answer(response) -> tuple:
    headers = {(k.lower(), v) for k, v in response.headers.items() if k.lower() not in VARYING}
    return response.status_code, response.content, frozenset(headers)


def test_unknown_users_and_wrong_passwords_answer_alike(api, rng):
    account = register(api, new_account(rng))
    right = api.post("/auth/token", data=account.form())
    assert right.status_code == 200, f"POST /auth/token with the right password: {show(right)}"
    wrong = api.post("/auth/token", data=account.form("not-" + account.password))
    unknown_account = new_account(rng)
    unknown = api.post("/auth/token", data=unknown_account.form())
    assert wrong.status_code == 401 and unknown.status_code == 401, \
        f"expected 401 for both: a wrong password {show(wrong)}, an unknown user {show(unknown)}"
    assert _answer(wrong) == _answer(unknown), \
        f"a wrong password and an unknown user answer differently: {show(wrong)} against " \
        f"{show(unknown)}"
