"""`kata start` and `kata solution`: render a kata's starter templates into a workspace.

The rule, as in copier: a file ending in `.jinja` is rendered (suffix dropped) and not written when
it renders to nothing but white space, so one template set serves every option; any other file is
copied as it is. A solution is an overlay of plain files on top of the rendered starter.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from grader.errors import UserError
from grader.kata import Kata, load_kata
from grader.workspace import Workspace, write_marker

TEMPLATE_SUFFIX = ".jinja"
_SKIPPED = {"__pycache__", ".pytest_cache", ".ruff_cache"}


def _prepare_target(directory: Path, force: bool) -> None:
    if directory.exists() and not directory.is_dir():
        raise UserError(f"{directory} exists and is not a folder")
    if directory.is_dir() and any(directory.iterdir()) and not force:
        raise UserError(f"{directory} is not empty; pick a new folder or pass --force")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"cannot create {directory}: {error.strerror}") from None


def _files(root: Path) -> list[Path]:
    return sorted(
        path for path in root.rglob("*")
        if path.is_file() and not _SKIPPED.intersection(path.relative_to(root).parts)
    )


def render_starter(kata: Kata, target: Path, db: str) -> None:
    from jinja2 import Environment, StrictUndefined

    env = Environment(keep_trailing_newline=True, undefined=StrictUndefined, autoescape=False)
    context = {"kata": kata.model_dump(mode="json"), "db": db, "workspace_name": target.name}
    for source in _files(kata.starter_dir):
        relative = source.relative_to(kata.starter_dir)
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.name.endswith(TEMPLATE_SUFFIX):
            text = env.from_string(source.read_text(encoding="utf-8")).render(context)
            if text.strip():
                destination.with_name(source.name.removesuffix(TEMPLATE_SUFFIX)).write_text(
                    text, encoding="utf-8")
        else:
            shutil.copyfile(source, destination)


def overlay(source_root: Path, target: Path) -> None:
    """Copy plain files over a rendered workspace (solutions and test variants are overlays)."""
    for source in _files(source_root):
        destination = target / source.relative_to(source_root)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)


def start_workspace(kata_id: str, directory: Path | None, *, db: str = "sqlite",
                    force: bool = False, hints: bool = True) -> Workspace:
    kata = load_kata(kata_id)
    target = (directory or Path(kata.id)).resolve()
    _prepare_target(target, force)
    render_starter(kata, target, db)
    return write_marker(target, kata, layout="scaffold", db=db, hints=hints)


def write_solution(kata_id: str, directory: Path, *, force: bool = False) -> Workspace:
    kata = load_kata(kata_id)
    if not kata.solution_dir.is_dir():
        raise UserError(f"kata {kata.id!r} has no reference solution in {kata.solution_dir}")
    target = directory.resolve()
    _prepare_target(target, force)
    render_starter(kata, target, "sqlite")
    overlay(kata.solution_dir, target)
    return write_marker(target, kata, layout="scaffold", db="sqlite")
