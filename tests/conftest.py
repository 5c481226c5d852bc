"""Workspaces built the way users build them, and grading through one shared fork server."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from grader.kata import load_kata
from grader.options import GradeOptions
from grader.sandbox.client import Host
from grader.scaffold import overlay, start_workspace, write_solution
from grader.scoring import Scorecard
from grader.session import grade_one

TESTS = Path(__file__).parent
SOLUTIONS = TESTS / "solutions"  # alternative correct solutions, one folder per kata

Patch = tuple[str, str, str]  # (relative file, old text, new text)


def parent_of(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return -1  # gone meanwhile


def warm_processes(runtime: Path, kind: str = "") -> dict[int, int]:
    """Every process (pid: parent pid) started as a warm server (`kind`: "server.sock" for the
    fork server, "grader.sock" for the warm grader, "" for both) whose folder is under
    `runtime`, the forks they made included."""
    found = {}
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            command = (entry / "cmdline").read_bytes()
            if entry.name.isdigit() and all(part.encode() in command
                                            for part in (str(runtime), kind)):
                found[int(entry.name)] = parent_of(int(entry.name))
    return found


def warm_servers(runtime: Path, kind: str = "") -> list[int]:
    """Pids of the warm servers themselves, not of their forks (the fork server's zygote and
    candidate processes, the warm grader's graders)."""
    found = warm_processes(runtime, kind)
    return sorted(pid for pid, parent in found.items() if parent not in found)


def forks_of(server: int, runtime: Path) -> list[int]:
    return sorted(pid for pid, parent in warm_processes(runtime).items() if parent == server)


@pytest.fixture(scope="session", autouse=True)
def private_runtime_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The `kata` commands the tests run keep their warm fork server in a folder of this test
    session, stopped when it ends: none is shared with the user's own, none outlives the tests."""
    runtime = tmp_path_factory.mktemp("runtime")
    runtime.chmod(0o700)
    # Should the runtime path be too long for a socket, the servers go to the temporary folder:
    # there too they leave soon after the tests.
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("XDG_RUNTIME_DIR", str(runtime))
        environment.setenv("KATA_SERVER_IDLE", "120")
        yield runtime
    for pid in warm_servers(runtime):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)


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
def make_starter(tmp_path: Path) -> Callable[[str], Path]:
    """`kata start KATA` into this test's folder."""
    return lambda kata_id: start_workspace(kata_id, tmp_path / f"{kata_id}-starter").path


@pytest.fixture
def make_reference(tmp_path: Path) -> Callable[[str], Path]:
    """`kata solution KATA` into this test's folder."""
    return lambda kata_id: write_solution(kata_id, tmp_path / f"{kata_id}-reference").path


@pytest.fixture
def starter(tmp_path: Path) -> Path:
    return start_workspace("shop-api", tmp_path / "starter").path


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    return write_solution("shop-api", tmp_path / "reference").path


def zip_folder(folder: Path, archive: Path) -> Path:
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in folder.rglob("*"):
            if path.is_file():
                bundle.write(path, Path("candidate") / path.relative_to(folder))
    return archive


@pytest.fixture
def inbox(tmp_path: Path, reference: Path, starter: Path) -> Path:
    """Four submissions: two solved (a folder and a .zip), the starter, a truncated archive."""
    box = tmp_path / "inbox"
    box.mkdir()
    shutil.copytree(reference, box / "alice")
    shutil.copytree(starter, box / "bob")
    zip_folder(reference, box / "carol.zip")
    (box / "dave.zip").write_bytes(b"PK\x03\x04 truncated")
    return box


def earned(card: Scorecard) -> dict[str, float]:
    """Points earned per auto item."""
    return {item.id: item.earned for item in card.items if item.mode == "auto"}


def full(card: Scorecard) -> dict[str, float]:
    """Points available per auto item."""
    return {item.id: item.points for item in card.items if item.mode == "auto"}


def apply_patches(workspace: Path, patches: list[Patch]) -> Path:
    """Edit a workspace as a candidate would; every patch must apply exactly once."""
    for relative, old, new in patches:
        path = workspace / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{relative}: patch anchor found {text.count(old)} times"
        path.write_text(text.replace(old, new), encoding="utf-8")
    return workspace


def with_alternative(reference: Path, name: str, kata_id: str = "shop-api") -> Path:
    """The reference with an alternative solution of the kata laid over it."""
    overlay(SOLUTIONS / kata_id / name, reference)
    return reference


def assert_loses_only(card: Scorecard, item: str) -> None:
    """A submission broken in `item`: it loses points there, and nowhere else."""
    got, want = earned(card), full(card)
    assert got[item] < want[item], f"{item} kept all its points when broken"
    others = {k: v for k, v in got.items() if k != item}
    assert others == {k: v for k, v in want.items() if k != item}, (
        {i.id: i.reason for i in card.items if i.reason and i.id != item})


def assert_full_marks(card: Scorecard) -> None:
    """Every point of the kata's 100, or the reasons of the items that fell short."""
    reasons = {item.id: item.reason for item in card.items if item.reason}
    assert card.score == card.max_score == 100, reasons


class KataContract:
    """What every kata's tests prove beside its own: each alternative correct solution under
    tests/solutions/<kata>/ scores 100, and each auto item has a broken variant (`broken`: a
    plausible mistake as patches on the reference) that loses that item only. A kata's test
    module subclasses it as `TestContract`, naming `kata`, `broken` and optionally the seeds."""

    kata: ClassVar[str]
    broken: ClassVar[dict[str, list[Patch]]]
    alternative_seed: ClassVar[int] = 11
    broken_seed: ClassVar[int] = 3

    def test_alternative_correct_solutions_score_full_marks(self, grade, make_reference,
                                                            alternative):
        assert_full_marks(grade(with_alternative(make_reference(self.kata), alternative,
                                                 self.kata), seed=self.alternative_seed))

    def test_every_auto_item_has_a_broken_variant(self):
        assert sorted(self.broken) == sorted(item.id for item in load_kata(self.kata).auto_items)

    def test_a_broken_item_loses_points_there_only(self, grade, make_reference, broken_item):
        card = grade(apply_patches(make_reference(self.kata), self.broken[broken_item]),
                     seed=self.broken_seed)
        assert_loses_only(card, broken_item)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A KataContract's alternatives and items, from its kata's folders and kata.yaml."""
    contract = metafunc.cls
    if contract is None or not issubclass(contract, KataContract):
        return
    if "alternative" in metafunc.fixturenames:
        metafunc.parametrize("alternative", sorted(
            path.name for path in (SOLUTIONS / contract.kata).iterdir() if path.is_dir()))
    if "broken_item" in metafunc.fixturenames:
        metafunc.parametrize("broken_item", sorted(contract.broken))
