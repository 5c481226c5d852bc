"""Workspaces built the way users build them, and grading through one shared fork server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from grader.sandbox.client import Host
from grader.scaffold import overlay, start_workspace, write_solution
from grader.scoring import Scorecard
from grader.session import GradeOptions, grade_one

TESTS = Path(__file__).parent
ALTERNATIVES = TESTS / "solutions" / "shop-api"

Patch = tuple[str, str, str]  # (relative file, old text, new text)


@pytest.fixture(scope="session")
def host() -> Iterator[Host]:
    with Host() as shared:
        yield shared


@pytest.fixture(scope="session")
def grade(host: Host) -> Callable[..., Scorecard]:
    def run(path: Path, **options: object) -> Scorecard:
        return grade_one(path, GradeOptions(**options), host=host)  # type: ignore[arg-type]

    return run


@pytest.fixture
def starter(tmp_path: Path) -> Path:
    return start_workspace("shop-api", tmp_path / "starter").path


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    return write_solution("shop-api", tmp_path / "reference").path


def apply_patches(workspace: Path, patches: list[Patch]) -> Path:
    """Edit a workspace as a candidate would; every patch must apply exactly once."""
    for relative, old, new in patches:
        path = workspace / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{relative}: patch anchor found {text.count(old)} times"
        path.write_text(text.replace(old, new), encoding="utf-8")
    return workspace


def with_alternative(reference: Path, name: str) -> Path:
    overlay(ALTERNATIVES / name, reference)
    return reference
