"""`kata questions ...` and `kata plan`: registered on the main app by cli.py."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Attach the question-bank commands to the main `kata` app."""
