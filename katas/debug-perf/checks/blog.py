"""The hidden blog of a debug-perf run, drawn from its seed, and the answers the starter's app
gives on it, computed here in Python from the same rows (never by the candidate's code): the
fixes must leave every one of them as it was."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

FIRST = ["Ada", "Alan", "Barbara", "Brian", "Claude", "Donald", "Edsger", "Frances", "Grace",
         "Hedy", "Ivan", "Joan", "Ken", "Linus", "Margaret", "Niklaus", "Radia", "Tim"]
LAST = ["Allen", "Backus", "Cerf", "Dijkstra", "Engel", "Floyd", "Gray", "Hopper", "Iverson",
        "Kay", "Liskov", "Moore", "Naur", "Perlman", "Ritchie", "Sammet", "Thompson", "Wirth"]
WORDS = ["cache", "query", "index", "thread", "socket", "kernel", "buffer", "latency", "queue",
         "worker", "replica", "schema", "column", "vector", "packet", "stream", "signal",
         "object", "module", "lambda", "tuple", "string", "number", "memory", "router",
         "handler", "session", "cursor", "commit", "branch", "merge", "deploy", "metric",
         "window", "filter", "parser", "token", "record", "server", "client", "driver",
         "pool", "lock", "event", "loop", "batch", "shard", "page", "table", "graph", "the",
         "and", "with", "from", "into", "over", "under", "after", "before", "while", "every"]
# The moderation service's vocabulary (app/moderation.py in the starter): posts draw on it.
SPAM_WORDS = frozenset({"free", "winner", "prize", "cash", "click", "offer", "urgent"})
FLAG_AT = 0.05
LATENCY = 0.3  # seconds the starter's moderation client waits, as its README states


@dataclass
class Blog:
    seed: int
    users: list[dict[str, Any]]
    posts: list[dict[str, Any]]  # by id
    extra: list[dict[str, Any]] = field(default_factory=list)  # users a check added, for now

    def user(self, user_id: int) -> dict[str, Any]:
        return next(u for u in self.users if u["id"] == user_id)

    def users_with_posts(self, users: list[dict[str, Any]] | None = None,
                         posts: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
        """GET /users-with-posts on these rows (the hidden ones by default)."""
        users, posts = users or self.users, posts or self.posts
        listed = []
        for user in sorted(users, key=lambda u: u["id"]):
            own = sorted((p for p in posts if p["author_id"] == user["id"]), key=lambda p: p["id"])
            listed.append({"id": user["id"], "name": user["name"], "post_count": len(own),
                           "posts": [{"id": p["id"], "title": p["title"]} for p in own]})
        return listed

    def search(self, q: str, limit: int = 20) -> list[dict[str, Any]]:
        """GET /search: title or body containing q, ignoring case, by id, the first `limit`."""
        names = {u["id"]: u["name"] for u in self.users}
        needle = q.lower()
        found = [p for p in self.posts
                 if needle in p["title"].lower() or needle in p["body"].lower()]
        return [{"id": p["id"], "title": p["title"], "author": names[p["author_id"]],
                 "body": p["body"]} for p in found[:limit]]

    def moderation(self, post: dict[str, Any]) -> dict[str, Any]:
        """GET /posts/{id}/moderation: the moderation service's verdict on the body."""
        words = re.findall(r"[a-z]+", post["body"].lower())
        score = round(sum(w in SPAM_WORDS for w in words) / len(words), 4) if words else 0.0
        return {"post_id": post["id"], "spam_score": score, "flagged": score >= FLAG_AT}

    def common_fragments(self, share: float = 0.9) -> list[str]:
        """Two- and three-letter queries that most posts contain: each search of one is a
        large answer."""
        counts: dict[str, int] = {}
        for post in self.posts:
            text = (post["title"] + "\n" + post["body"]).lower()
            for piece in {text[i:i + n] for n in (2, 3) for i in range(len(text) - n + 1)}:
                if piece.isalpha():
                    counts[piece] = counts.get(piece, 0) + 1
        return sorted(piece for piece, n in counts.items() if n >= share * len(self.posts))


def _body(rng: random.Random, spammy: bool) -> str:
    words = rng.choices(WORDS, k=rng.randint(180, 320))
    if spammy:
        for at in rng.sample(range(len(words)), rng.randint(5, 40)):
            words[at] = rng.choice(sorted(SPAM_WORDS))
    sentences, start = [], 0
    while start < len(words):
        end = start + rng.randint(6, 14)
        sentences.append(" ".join(words[start:end]).capitalize() + rng.choice(".!?"))
        start = end
    return " ".join(sentences)


def people(rng: random.Random, ids: list[int]) -> list[dict[str, Any]]:
    """Users with these ids, each name and address new within the list."""
    names = rng.sample([f"{first} {last}" for first in FIRST for last in LAST], len(ids))
    return [{"id": uid, "name": name, "email": f"{name.lower().replace(' ', '.')}.{uid}@blog.test"}
            for uid, name in zip(ids, names, strict=True)]


def writings(rng: random.Random, ids: list[int], authors: list[int]) -> list[dict[str, Any]]:
    """Posts with these ids by these authors (drawn from them, repeated at will)."""
    posts = []
    for pid in sorted(ids):
        title = " ".join(rng.sample(WORDS[:50], rng.randint(2, 5))).title()
        posts.append({"id": pid, "author_id": rng.choice(authors), "title": title,
                      "body": _body(rng, spammy=rng.random() < 0.3)})
    return posts


def build(seed: int) -> Blog:
    rng = random.Random(seed)
    user_ids = sorted(rng.sample(range(1, 900), rng.randint(35, 55)))
    users = people(rng, user_ids)
    writers = rng.sample(user_ids, len(user_ids) - rng.randint(3, 6))  # some have no post
    posts = writings(rng, rng.sample(range(1, 9000), rng.randint(150, 190)), writers)
    return Blog(seed=seed, users=users, posts=posts)


def load(db: Any, blog: Blog) -> None:
    db.insert_many("users", blog.users)
    db.insert_many("posts", blog.posts)
