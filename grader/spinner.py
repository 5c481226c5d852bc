"""A spinner while the checks run, when stderr is a terminal; rich is imported only then."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def spinner(enabled: bool, message: str) -> Iterator[None]:
    if not enabled or not os.isatty(2):
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(message):
        yield
