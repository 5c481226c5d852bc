"""Warm-up: one function to debug and one class to write."""


def find_user_by_email(users: list[dict], email: str) -> dict | None:
    """The first user whose "email" is `email`, or None. Someone reports it never finds anyone."""
    for user in users:
        if email in users:
            return user


class UserActionHistory:
    """Remembers what one user did, in order ("login", "view", "buy", ...)."""

    def __init__(self):
        self.actions = []

    def add_action(self, action_type: str) -> None:
        pass

    def get_recent_actions(self, n: int = 10) -> list:
        """The last n actions, oldest of them first."""
        pass

    def get_top_actions(self, n: int = 3) -> list[tuple[str, int]]:
        """The n most frequent actions with their counts: most frequent first, then by name.

        After login, login, view, login, view, buy: get_top_actions(2) gives
        [("login", 3), ("view", 2)].
        """
        pass
