"""Read question YAML files, keeping line numbers so every problem can say `file:line`.

PyYAML's composed node tree carries the marks we need; we build Python objects from it
ourselves and then let pydantic validate, mapping each pydantic error back to the line of the
offending key. Loading and linting are the same walk: commands refuse a bank the lint rejects.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from question_bank.models import LEVEL_ORDER, Question

DATA_DIR = Path(__file__).resolve().parent / "data"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, order=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"file": display_path(self.path), "line": self.line, "problem": self.message}


@dataclass(frozen=True)
class Located:
    """A validated question and where it was written."""

    question: Question
    path: Path
    line: int


@dataclass
class FileResult:
    questions: list[Located] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def bank_files(location: Path) -> list[Path]:
    """The YAML files of a bank directory (or the file itself), in a stable order."""
    if location.is_file():
        return [location]
    return sorted(p for p in location.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def read_file(path: Path) -> FileResult:
    """Parse and validate one file; never raises for bad content, reports Problems instead."""
    result = FileResult()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        result.problems.append(Problem(path, 1, f"cannot read the file: {error}"))
        return result
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return result
        if not isinstance(root, yaml.SequenceNode):
            result.problems.append(
                Problem(path, _line(root), "the file must be a YAML list of questions")
            )
            return result
        for item in root.value:
            _read_item(loader, path, item, result)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        reason = error.problem or error.context or "invalid YAML"
        result.problems.append(Problem(path, line, f"invalid YAML: {reason}"))
    except yaml.YAMLError as error:
        result.problems.append(Problem(path, 1, f"invalid YAML: {error}"))
    finally:
        loader.dispose()
    return result


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _read_item(loader: Any, path: Path, node: yaml.Node, result: FileResult) -> None:
    line = _line(node)
    if not isinstance(node, yaml.MappingNode):
        result.problems.append(Problem(path, line, "each question must be a mapping of fields"))
        return
    field_lines: dict[str, int] = {}
    for key_node, _ in node.value:
        key = str(key_node.value)
        if key in field_lines:
            result.problems.append(Problem(path, _line(key_node), f"field {key!r} given twice"))
        field_lines.setdefault(key, _line(key_node))
    data = loader.construct_object(node, deep=True)
    label = f"question {data['id']!r}" if isinstance(data.get("id"), str) else "question"
    try:
        question = Question.model_validate(data)
    except ValidationError as error:
        for detail in error.errors():
            loc = [str(part) for part in detail["loc"]]
            where = field_lines.get(loc[0], line) if loc else line
            result.problems.append(Problem(path, where, f"{label}: {_describe(loc, detail)}"))
        return
    result.questions.append(Located(question, path, line))


def _describe(loc: list[str], detail: dict[str, Any]) -> str:
    name = ".".join(loc) or "question"
    kind = detail["type"]
    if kind == "missing":
        return f"missing field {name!r}"
    if kind == "extra_forbidden":
        return f"unknown field {name!r}"
    if loc[:1] == ["level"]:
        known = ", ".join(level.value for level in LEVEL_ORDER)
        return f"unknown level {detail.get('input')!r} (known: {known})"
    message = str(detail["msg"]).removeprefix("Value error, ")
    if loc[:1] == ["section"]:
        return message
    return f"field {name!r}: {message}"


def bank_locations(bank: list[Path] | None) -> list[Path]:
    """User bank layers: `--bank` options win over the KATA_BANK variable (path-separated)."""
    if bank:
        return list(bank)
    env = os.environ.get("KATA_BANK", "")
    return [Path(part) for part in env.split(os.pathsep) if part.strip()]
