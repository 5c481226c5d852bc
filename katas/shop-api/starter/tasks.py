"""Part 1: debugging and logic. The docstrings are the spec; README.md has the details."""


def find_user_by_email(users: list[dict], email: str) -> dict | None:
    """Return the first user in `users` whose "email" equals `email`, else None.

    An empty list or an empty email gives None. A user without an "email" key is skipped.
    """
    # Bug report: this never finds anybody, not even users that are in the list. Fix it.
    for user in users:
        if email in users:
            return user
    return None


class UserActionHistory:
    """The actions of one user ("login", "view", "buy", ...), in the order they happened."""

    def __init__(self) -> None:
        pass  # TODO: decide how to store the actions.

    def add_action(self, action_type: str) -> None:
        """Record one action."""
        raise NotImplementedError

    def get_recent_actions(self, n: int = 10) -> list[str]:
        """The last `n` actions, in the order they happened (oldest of them first).

        Fewer if fewer were recorded; `n <= 0` gives [].
        """
        raise NotImplementedError

    def get_top_actions(self, n: int = 3) -> list[tuple[str, int]]:
        """The `n` most frequent actions with their counts, by count descending then name ascending.

        `n <= 0` or an empty history gives [].
        Example: after login, login, view, login, view, buy:
        get_top_actions(2) == [("login", 3), ("view", 2)]
        """
        raise NotImplementedError
