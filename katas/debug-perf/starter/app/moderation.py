"""The client of the moderation service, which says how spammy a text is.

Treat this module as a library you may not change: it stands for a remote service that takes
LATENCY seconds to answer. `check` waits for it by blocking the calling thread, as a call made
with `requests` would; `check_async` waits without blocking the event loop, as one made with
`httpx.AsyncClient` would. Both give the same verdict.
"""

import asyncio
import re
import time
from dataclasses import dataclass

LATENCY = 0.3  # seconds the service takes to answer
SPAM_WORDS = frozenset({"free", "winner", "prize", "cash", "click", "offer", "urgent"})
FLAG_AT = 0.05  # a text whose score reaches this is flagged


@dataclass(frozen=True)
class Verdict:
    score: float  # the share of the text's words that are spam words, rounded to 4 places
    flagged: bool


def _verdict(text: str) -> Verdict:
    """What the service answers; computed here, as the stand-in has no service to ask."""
    words = re.findall(r"[a-z]+", text.lower())
    score = round(sum(word in SPAM_WORDS for word in words) / len(words), 4) if words else 0.0
    return Verdict(score=score, flagged=score >= FLAG_AT)


def check(text: str) -> Verdict:
    """Ask the service, blocking this thread until it answers."""
    time.sleep(LATENCY)
    return _verdict(text)


async def check_async(text: str) -> Verdict:
    """Ask the service, letting the event loop run other work until it answers."""
    await asyncio.sleep(LATENCY)
    return _verdict(text)
