"""The livecoding parts of a kata, read straight from its kata.yaml.

Only what a plan needs (id, title, minutes, work); the grader owns the full kata model, and
reading the few keys here keeps the question bank independent of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from grader.errors import UserError


@dataclass(frozen=True)
class KataPart:
    id: str
    title: str
    minutes: tuple[int, int]
    work: str


@dataclass(frozen=True)
class KataParts:
    id: str
    title: str
    parts: tuple[KataPart, ...]


def katas_dir() -> Path:
    from katas import KATAS_DIR

    return KATAS_DIR


def load_kata_parts(kata_id: str, root: Path | None = None) -> KataParts:
    root = root or katas_dir()
    path = root / kata_id / "kata.yaml"
    if "/" in kata_id or "\\" in kata_id or not path.is_file():
        known = sorted(p.parent.name for p in root.glob("*/kata.yaml"))
        raise UserError(f"unknown kata {kata_id!r} (known: {', '.join(known) or 'none'})")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        parts = tuple(
            KataPart(
                id=str(part["id"]),
                title=str(part["title"]),
                minutes=_minutes(part["minutes"]),
                work=str(part.get("work", "")),
            )
            for part in data["parts"]
        )
    except (yaml.YAMLError, KeyError, TypeError, ValueError) as error:
        raise UserError(f"{path}: cannot read the kata's parts ({error})") from error
    if not parts:
        raise UserError(f"{path}: the kata has no parts to plan")
    return KataParts(id=kata_id, title=str(data.get("title", kata_id)), parts=parts)


def _minutes(value: object) -> tuple[int, int]:
    if isinstance(value, int):
        return (value, value)
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        low, high = value
        if 0 < low <= high:
            return (low, high)
    raise ValueError(f"minutes must be [min, max], got {value!r}")
