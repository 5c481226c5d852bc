"""`kata new ID`: a kata skeleton that passes `kata selftest`, its mutation floor included, as made.

A trainer starts from something that runs and changes it step by step, rather than from a blank
kata.yaml. The skeleton is a copier-like template in grader/templates/newkata/: `kata/` becomes
katas/ID/ and `solution/` solutions/ID/. A `.jinja` file is rendered with `kata_id` and `title`
(its suffix dropped); any other file is copied as it is, and so is all of `kata/starter/`, which
is itself a template set that `kata start` renders with the kata's fields (grader/scaffold.py).
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import grader.kata
from grader.errors import UserError

TEMPLATES = Path(__file__).with_name("templates") / "newkata"
KATA_ID = re.compile(r"[a-z0-9][a-z0-9-]*")  # as Kata.id: the folder names of katas/
_SUFFIX = ".jinja"
_VERBATIM = "starter"  # under kata/: rendered later, per workspace, by `kata start`


@dataclass(frozen=True)
class NewKata:
    """What create_kata wrote: the two folders, and every file in them."""

    kata_id: str
    kata_dir: Path
    solution_dir: Path
    files: tuple[Path, ...]

    @property
    def spec(self) -> Path:
        return self.kata_dir / "kata.yaml"


def _default_title(kata_id: str) -> str:
    return kata_id.replace("-", " ").strip().capitalize()


def _render(root: Path, context: dict[str, str]) -> dict[Path, bytes]:
    """Each file of the template tree `root`: its path relative to the output, its content."""
    from jinja2 import Environment, StrictUndefined

    env = Environment(keep_trailing_newline=True, undefined=StrictUndefined, autoescape=False)
    env.filters["yaml"] = lambda value: json.dumps(value, ensure_ascii=False)  # JSON is YAML
    rendered: dict[Path, bytes] = {}
    for source in sorted(root.rglob("*")):
        relative = source.relative_to(root)
        if not source.is_file() or "__pycache__" in relative.parts:
            continue
        if source.name.endswith(_SUFFIX) and relative.parts[0] != _VERBATIM:
            text = env.from_string(source.read_text(encoding="utf-8")).render(context)
            rendered[relative.with_name(source.name.removesuffix(_SUFFIX))] = text.encode()
        else:
            rendered[relative] = source.read_bytes()
    return rendered


def create_kata(kata_id: str, *, title: str | None = None) -> NewKata:
    """Write the skeleton of kata `kata_id` into the katas and solutions folders (read from
    grader.kata at call time); refuse, writing nothing, a bad id or a kata that exists."""
    if not KATA_ID.fullmatch(kata_id):
        raise UserError(f"{kata_id!r} is no kata id: use lower-case letters, digits and "
                        "hyphens, starting with a letter or digit")
    title = _default_title(kata_id) if title is None else title.strip()
    if not title or "\n" in title or "\r" in title:
        raise UserError("a kata title is one line of text")
    kata_dir = grader.kata.KATAS_DIR / kata_id
    solution_dir = grader.kata.SOLUTIONS_DIR / kata_id
    for folder in (kata_dir, solution_dir):
        if folder.exists() or folder.is_symlink():
            raise UserError(f"{folder} already exists: pick another id, or remove it first")
    context = {"kata_id": kata_id, "title": title}
    outputs = {kata_dir: _render(TEMPLATES / "kata", context),
               solution_dir: _render(TEMPLATES / "solution", context)}
    made: list[Path] = []
    written: list[Path] = []
    try:
        for folder, files in outputs.items():
            folder.mkdir(parents=True)
            made.append(folder)
            for relative, content in files.items():
                path = folder / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
                written.append(path)
    except OSError as error:  # a folder made meanwhile, or no permission: leave nothing behind
        for folder in made:
            shutil.rmtree(folder, ignore_errors=True)
        where = error.filename or kata_dir
        raise UserError(f"cannot write the kata {kata_id}: {where}: "
                        f"{error.strerror or error}") from None
    return NewKata(kata_id, kata_dir, solution_dir, tuple(written))
