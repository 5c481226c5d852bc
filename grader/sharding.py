"""`kata grade --shard K/N`: a deterministic part of a batch, so N machines grade it together.

A submission's shard comes from its content hash (the digest `--resume` knows it by), never its
path or place in the argument list: every machine, given the same submissions in any order or
under other folder names, puts each in the same one shard of N.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from grader.errors import UserError

_SHAPE = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


@dataclass(frozen=True)
class Shard:
    """Shard `index` of `count`, counted from 1 as people (and Playwright's --shard) do."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        match = _SHAPE.fullmatch(text)
        if not match:
            raise UserError(f"--shard takes K/N, such as 2/3 (shard 2 of 3), not {text!r}")
        index, count = int(match[1]), int(match[2])
        if not 1 <= index <= count:
            raise UserError(f"--shard {index}/{count}: K must be from 1 to N, and N at least 1")
        return cls(index, count)

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, content_hash: str) -> bool:
        """Whether the submission with this content hash (hex) is this shard's."""
        return int(content_hash, 16) % self.count == self.index - 1

    def select(self, paths: Sequence[Path], content_hash: Callable[[Path], str]) -> list[Path]:
        """This shard's submissions, in the order given."""
        return [path for path in paths if self.holds(content_hash(path))]
