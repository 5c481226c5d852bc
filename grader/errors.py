"""Errors the user can act on: the CLI prints their message as one line and exits with the code."""

from __future__ import annotations

# Documented exit codes (README "Exit codes").
EXIT_OK = 0
EXIT_BELOW_MIN_SCORE = 1
EXIT_BAD_INPUT = 2


class UserError(Exception):
    """Bad input or an unusable environment: one readable sentence, no traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
