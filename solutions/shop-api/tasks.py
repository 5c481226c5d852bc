"""Part 1: debugging and logic (reference solution)."""

from collections import Counter


def find_user_by_email(users: list[dict], email: str) -> dict | None:
    """Return the first user in `users` whose "email" equals `email`, else None.

    An empty list or an empty email gives None. A user without an "email" key is skipped.
    """
    # The bug was `email in users`: it compared the email with whole user dicts, never a match.
    if not email:
        return None
    return next((user for user in users if user.get("email") == email), None)


class UserActionHistory:
    """The actions of one user ("login", "view", "buy", ...), in the order they happened."""

    def __init__(self) -> None:
        self._actions: list[str] = []
        self._counts: Counter[str] = Counter()  # kept up to date, so top actions need no rescan

    def add_action(self, action_type: str) -> None:
        """Record one action."""
        self._actions.append(action_type)
        self._counts[action_type] += 1

    def get_recent_actions(self, n: int = 10) -> list[str]:
        """The last `n` actions, in the order they happened (oldest of them first).

        Fewer if fewer were recorded; `n <= 0` gives [].
        """
        if n <= 0:
            return []
        return self._actions[-n:]

    def get_top_actions(self, n: int = 3) -> list[tuple[str, int]]:
        """The `n` most frequent actions with their counts, by count descending then name ascending.

        `n <= 0` or an empty history gives [].
        Example: after login, login, view, login, view, buy:
        get_top_actions(2) == [("login", 3), ("view", 2)]
        """
        if n <= 0:
            return []
        ranked = sorted(self._counts.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:n]
