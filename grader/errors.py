"""Errors the user can act on: the CLI prints their message as one line and exits with the code."""

from __future__ import annotations

import time

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


class CandidateError(Exception):
    """Candidate code raised, hung or crashed while a check called it."""


class StageFailed(Exception):
    """A stage the check depends on never became ready; the message is the reason shown."""


def time_left(deadline: float, cap: float) -> float:
    """Seconds a call into candidate code may take: `cap`, or less when the submission's time
    limit (`deadline`, on time.monotonic()) comes sooner; none left is the candidate's error."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise CandidateError("the submission's time limit is used up")
    return min(cap, left)
