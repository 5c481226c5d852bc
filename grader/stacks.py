"""Which library versions a submission's code runs on: the stack it was written for.

A candidate's clone pins its stack (the upstream kit pins SQLAlchemy 2.0 and FastAPI 0.128), and
correct code written for one release can fail on the next (SQLAlchemy 2.1 rejects the kit's
`?async_fallback=True`). So each kata declares vetted stacks, lock files of exact pins, and every
submission runs on the first stack that honours all of its pins: the grader's own libraries (the
installed stack, zero set-up) if they do, else a vetted one, else the one that honours the most.
Only pins of packages some stack of the kata holds count: a pinned test runner changes nothing.

The scorecard records the stack that ran, its versions and the pins it did not honour. Nothing
from a submission is ever installed: pins only choose among stacks the kata's author vetted.
"""

from __future__ import annotations

import codecs
import importlib.metadata
import platform
import tomllib
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from grader.kata import Kata

INSTALLED = "installed"
PIN_FILE_MAX_BYTES = 1 << 20
# What pip recognises at the start of a requirements file; without one it reads UTF-8.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class Stack:
    """A set of library versions candidate code can run on."""

    id: str
    versions: Mapping[str, str]  # canonical package name -> version
    lock: Path | None = None  # None: the grader's own environment

    def honours(self, pin: Requirement) -> bool:
        version = self.versions.get(canonicalize_name(pin.name))
        if version is None:
            return False
        try:
            return pin.specifier.contains(Version(version), prereleases=True)
        except InvalidVersion:
            return False

    def describe(self, pin: Requirement) -> str:
        """A pin it does not honour, with what it has instead."""
        have = self.versions.get(canonicalize_name(pin.name))
        return f"{pin} (ran {have})" if have else f"{pin} (not in the stack)"


@dataclass
class StackChoice:
    """The stack a submission runs on, and why: what goes on its scorecard."""

    stack: Stack
    unhonoured: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        return {"id": self.stack.id, "python": platform.python_version(),
                "packages": dict(sorted(self.stack.versions.items())),
                "unhonoured": self.unhonoured}


@cache  # a batch reads each lock once
def read_lock(path: Path) -> Mapping[str, str]:
    """The exact pins of a lock file (`uv pip compile` output) that apply to this Python."""
    versions: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        pin = _requirement(line)
        if pin is None or not _applies(pin):
            continue
        exact = [spec.version for spec in pin.specifier if spec.operator == "=="]
        if exact:
            versions[canonicalize_name(pin.name)] = exact[0]
    return MappingProxyType(versions)


def vetted_stacks(kata: Kata) -> tuple[Stack, ...]:
    return tuple(Stack(decl.id, read_lock(kata.directory / decl.lock), kata.directory / decl.lock)
                 for decl in kata.stacks)


def stack_packages(kata: Kata) -> frozenset[str]:
    """The packages whose pins choose a stack: those some vetted stack of the kata holds."""
    return frozenset(name for stack in vetted_stacks(kata) for name in stack.versions)


@cache  # the installed libraries change only with a new install, and a new warm server
def installed_stack(names: tuple[str, ...]) -> Stack:
    versions = {}
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return Stack(INSTALLED, MappingProxyType(versions))


def choose_stack(kata: Kata, pins: Iterable[Requirement],
                 skip: Set[str] = frozenset()) -> StackChoice:
    """The first stack that honours every relevant pin, else the one that honours the most
    (the installed stack first: it needs no build). `skip`: ids of vetted stacks not to be had."""
    names = stack_packages(kata)
    relevant = [pin for pin in pins if canonicalize_name(pin.name) in names and _applies(pin)]
    vetted = [stack for stack in vetted_stacks(kata) if stack.id not in skip]
    stacks = (installed_stack(tuple(sorted(names))), *vetted)
    misses = {stack.id: [stack.describe(p) for p in relevant if not stack.honours(p)]
              for stack in stacks}
    best = min(stacks, key=lambda stack: len(misses[stack.id]))  # the first of the fewest
    return StackChoice(best, misses[best.id])


def read_pins(workspace: Path) -> list[Requirement]:
    """What the workspace asks for, from requirements.txt, pyproject.toml and uv.lock.

    Read by the grader before any candidate process runs, so the files are the regular files
    the submission was copied as; what is not readable as pins is not a pin.
    """
    pins: list[Requirement] = []
    if text := _read(workspace / "requirements.txt", requirements=True):
        pins += filter(None, map(_requirement, text.splitlines()))
    if text := _read(workspace / "pyproject.toml"):
        project = _toml(text).get("project", {})
        listed = project.get("dependencies", []) if isinstance(project, dict) else []
        pins += filter(None, (_requirement(item) for item in listed if isinstance(item, str)))
    if text := _read(workspace / "uv.lock"):
        for package in _toml(text).get("package", []):
            if isinstance(package, dict) and isinstance(package.get("version"), str):
                pins += filter(None, [_requirement(f"{package.get('name')}=="
                                                   f"{package['version']}")])
    return pins


def _read(path: Path, *, requirements: bool = False) -> str | None:
    try:
        if not path.is_file() or path.is_symlink():
            return None
        with path.open("rb") as stream:
            data = stream.read(PIN_FILE_MAX_BYTES)
    except OSError:
        return None
    encoding = "utf-8"
    if requirements:  # pip's rule: a byte-order mark says the encoding
        encoding = next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8")
    return data.decode(encoding, errors="replace")


def _toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}


def _requirement(line: str) -> Requirement | None:
    """One requirement line, comments and options (`-r`, `--index-url`, ...) aside."""
    text = line.split(" #", 1)[0].split("\t#", 1)[0].strip()
    if not text or text.startswith(("#", "-")):
        return None
    try:
        return Requirement(text)
    except InvalidRequirement:
        return None


def _applies(pin: Requirement) -> bool:
    return pin.marker is None or pin.marker.evaluate({"extra": ""})
