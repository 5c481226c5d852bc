"""Warm-up: one function to debug and one class to write."""

from collections import Counter, deque


def find_user_by_email(users: list[dict], email: str) -> dict | None:
    """The first user whose "email" is `email`, or None."""
    # The bug: `email in users` compared the email with the user dicts themselves.
    if not email:
        return None
    for user in users:
        if user.get("email") == email:
            return user
    return None


class UserActionHistory:
    """Remembers what one user did, in order ("login", "view", "buy", ...)."""

    def __init__(self, keep: int | None = None) -> None:
        self.actions: deque[str] = deque(maxlen=keep)
        self.counts: Counter[str] = Counter()

    def add_action(self, action_type: str) -> None:
        self.actions.append(action_type)
        self.counts[action_type] += 1

    def get_recent_actions(self, n: int = 10) -> list[str]:
        """The last n actions, oldest of them first."""
        if n <= 0:
            return []
        return list(self.actions)[-n:]

    def get_top_actions(self, n: int = 3) -> list[tuple[str, int]]:
        """The n most frequent actions with their counts: most frequent first, then by name."""
        if n <= 0:
            return []
        return sorted(self.counts.items(), key=lambda pair: (-pair[1], pair[0]))[:n]
