"""Katas are data: `katas/<id>/kata.yaml`, validated on load so a typo names its file and field."""

from __future__ import annotations

import string
from functools import cache, cached_property
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from grader.errors import UserError
from katas import KATAS_DIR
from solutions import SOLUTIONS_DIR

DatabaseKind = Literal["none", "sqlite", "postgres"]
StageName = Literal["tasks", "schema", "data", "app"]
# What an `env` value may name, per database, beside what every run gives (RUN_TEMPLATE_NAMES).
DATABASE_TEMPLATE_NAMES: dict[str, frozenset[str]] = {
    "none": frozenset(),
    "sqlite": frozenset({"db_path"}),
    "postgres": frozenset({"user", "password", "password_q", "port", "dbname", "socket_dir"}),
}
RUN_TEMPLATE_NAMES = frozenset({
    "data_dir",  # a folder of the run the app may keep files in, across restarts
    "secret",  # a random value per run, which the checks read as `candidate.secret`
})
FOLDERS_TEMPLATE = "folders"  # `{folders[NAME]}`: a folder the layout declares in `folders`
FolderName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Part(_Strict):
    id: str
    title: str
    minutes: tuple[int, int] = Field(description="Planned minutes: [least, most].")
    work: str


class Region(_Strict):
    """Code a checklist item asks the candidate to write, in the reference solution: a file, a
    function or class in it, and optionally only some of its lines. Mutants are made only there
    (grader/mutants), and each belongs to the item whose region touching it is the smallest."""

    file: str = Field(description="Path in the reference workspace, e.g. app/main.py.")
    function: str | None = Field(None, description="A function or class, dotted for nesting: "
                                 "UserActionHistory.get_top_actions.")
    match: tuple[str, ...] = Field((), description=(
        "Only the lines holding one of these texts. A change that touches one of them is this "
        "region's, when no smaller region holds it (a `raise` whose message line it names)."))
    lines: tuple[int, int] | None = Field(None, description="Only lines [first, last].")

    @model_validator(mode="after")
    def _one_narrowing(self) -> Region:
        if self.match and self.lines:
            raise ValueError("give match or lines, not both")
        path = Path(self.file)
        if path.is_absolute() or ".." in path.parts or path.suffix != ".py":
            raise ValueError(f"file must be a .py file inside the workspace, not {self.file!r}")
        return self


class Tier(_Strict):
    """A band of the checklist, such as must have, bonus and extra credit: the scorecard
    gives each tier's subtotal beside the total."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str


class ChecklistItem(_Strict):
    id: str
    text: str
    points: float = 0
    tier: str | None = Field(None, description="The id of one of the kata's tiers.")
    mode: Literal["auto", "manual"] = "auto"
    all_or_nothing: bool = False
    starter_passes: bool = Field(False, description=(
        "The untouched starter earns this item by design, as a debugging kata's regression "
        "item does (every answer unchanged): selftest then asks it to, and 0 on the rest."))
    checks: tuple[str, ...] = ()
    hints: tuple[str, ...] = Field((), description="From a nudge to nearly the answer, in "
                                   "order: `kata hint` gives the next one.")
    part: str | None = Field(None, description="The id of the part that asks for it: "
                             "`kata status` tells the candidate's place in the plan by it.")
    mutate: tuple[Region, ...] = Field((), description=(
        "Where this item's code is in the reference: `kata selftest --mutants` breaks it there."))

    @model_validator(mode="after")
    def _auto_items_need_checks(self) -> ChecklistItem:
        if self.mode == "auto" and not self.checks:
            raise ValueError("an auto item must name the checks that back it")
        if self.mode == "manual" and (self.checks or self.mutate or self.starter_passes):
            raise ValueError("a manual item is judged by a person and names no checks, "
                             "mutation regions or starter_passes")
        return self

    def backs(self, nodeid: str) -> bool:
        """Whether the check `nodeid` (relative to checks/) counts towards this item."""
        return any(nodeid == ref or nodeid.startswith(ref + "::") for ref in self.checks)


class Layout(_Strict):
    """How one workspace layout is run: a second layout is a declaration, not a fork."""

    detect: tuple[str, ...] = Field(description="Paths whose presence identifies the layout.")
    app: str = Field(pattern=r"^[\w.]+:\w+$", description="ASGI entry point, module:attribute.")
    tasks: str | None = Field(None, description=(
        "A module of plain functions and classes the checks call (the `tasks` fixture)."))
    models: tuple[str, ...] = Field((), description=(
        "Modules declaring the SQLAlchemy models; their metadata makes the schema when no "
        "migrations do."))
    migrations: str | None = Field(None, description="alembic.ini, run to make the schema.")
    seed: str | None = Field(None, description=(
        "The candidate's seed script (.py), or SQL (.sql, PostgreSQL only)."))
    databases: tuple[DatabaseKind, ...] = Field(("sqlite", "postgres"), description=(
        "What it may be graded on, the default first; `none` alone when the grader gives it "
        "no database (the app keeps its data as it likes, in `{data_dir}` say)."))
    env: dict[DatabaseKind, dict[str, str]] = Field(default_factory=dict, description=(
        "The environment of the candidate's processes per database; values are templates."))
    folders: tuple[FolderName, ...] = Field((), description=(
        "Folders the grader makes for the app before it starts, empty and the candidate's, "
        "named in `env` as `{folders[NAME]}`; the checks list and read what the app wrote "
        "there (`candidate.folders`, `list_files`, `read_file`)."))
    statement: str | None = Field(None, description=(
        "What this layout's candidate was asked: a Markdown file, relative to the kata's folder. "
        "A layout graded as handed in may come with a statement that asks less than the kata's "
        "own."))
    asks: dict[str, str] = Field(default_factory=dict, description=(
        "Named rules of that statement that checks read through the `statement` fixture, such "
        "as `price_ties: id`; a check falls back to the kata's own rule for a name not given."))

    @model_validator(mode="after")
    def _databases_and_env_agree(self) -> Layout:
        if not self.databases:
            raise ValueError("databases: name at least one of none, sqlite, postgres")
        if len(set(self.databases)) != len(self.databases):
            raise ValueError("databases: a database is listed twice")
        if "none" in self.databases and len(self.databases) > 1:
            raise ValueError("databases: none stands alone")
        if len(set(self.folders)) != len(self.folders):
            raise ValueError("folders: a folder is listed twice")
        if missing := [kind for kind in self.databases if kind != "none"
                       and kind not in self.env]:
            raise ValueError(f"env: no environment for {missing[0]}, which databases lists: "
                             "the app would not know where its database is")
        if extra := [kind for kind in self.env if kind not in self.databases]:
            raise ValueError(f"env: {extra[0]} is not among the databases this layout lists")
        if self.databases == ("none",) and (needs := next(
                (name for name in ("models", "migrations", "seed") if getattr(self, name)),
                None)):
            raise ValueError(f"{needs}: needs a database, and databases is none")
        for kind, variables in self.env.items():
            allowed = (DATABASE_TEMPLATE_NAMES[kind] | RUN_TEMPLATE_NAMES
                       | {f"{FOLDERS_TEMPLATE}[{name}]" for name in self.folders})
            for variable, template in variables.items():
                try:
                    names = {name for _, name, _, _ in string.Formatter().parse(template)
                             if name is not None}
                except ValueError as error:
                    raise ValueError(f"env.{kind}.{variable}: {error}") from None
                if unknown := sorted(names - allowed):
                    raise ValueError(f"env.{kind}.{variable}: {{{unknown[0]}}} is not given on "
                                     f"{kind} (known: {', '.join(sorted(allowed))})")
        return self

    @property
    def stages(self) -> tuple[StageName, ...]:
        """What a run starts, in order, from what the layout declares: the tasks module (served
        beside the rest), the schema, the hidden data, and the app last."""
        has_database = self.databases != ("none",)
        declared: list[StageName] = ["tasks"] if self.tasks else []
        if has_database and (self.models or self.migrations):
            declared.append("schema")
        if has_database:
            declared.append("data")
        return (*declared, "app")

    @model_validator(mode="after")
    def _statement_inside_the_kata(self) -> Layout:
        if self.statement is not None:
            path = Path(self.statement)
            if path.is_absolute() or ".." in path.parts or not path.parts:
                raise ValueError("statement must be a file inside the kata's folder, "
                                 f"given relative to it, not {self.statement!r}")
        if bad := next((name for name in self.asks if not name.isidentifier()), None):
            raise ValueError(f"asks: {bad!r} is not a name (letters, digits, underscores)")
        return self

    def matches(self, workspace: Path) -> bool:
        return all((workspace / path).exists() for path in self.detect)

    def missing_statement(self, kata_dir: Path) -> str | None:
        """Why the statement cannot be read from `kata_dir`, or None (none declared is fine)."""
        if self.statement is None or (kata_dir / self.statement).is_file():
            return None
        return f"no file {self.statement}"

    def read_statement(self, kata_dir: Path) -> str:
        """The statement's text, "" when the layout declares none."""
        if self.statement is None:
            return ""
        return (kata_dir / self.statement).read_text(encoding="utf-8")


class StackDecl(_Strict):
    """A vetted candidate stack: a lock file of exact pins, kept in the kata (see stacks.py)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    lock: str = Field(description="Path of the lock file, relative to the kata's folder.")


class EquivalentMutant(_Strict):
    """A mutant that behaves as the reference does, so no check can tell: verified every run."""

    id: str
    reason: str = Field(min_length=1)


class MutationPlan(_Strict):
    """What `kata selftest --mutants` holds this kata to."""

    floor: float = Field(0.9, ge=0, le=1, description=(
        "Least share of non-equivalent mutants that must cost their own item's points."))
    equivalent: tuple[EquivalentMutant, ...] = ()


class KataLimits(_Strict):
    """What one submission of this kata gets, where the engine's defaults do not fit it: a
    time limit, a request timeout and the memory of the candidate's processes. Options on the
    command line still win."""

    time_seconds: float = Field(60.0, gt=0, le=3600, description="Wall-clock time of a grade.")
    request_seconds: float = Field(5.0, gt=0, le=120, description=(
        "How long one request to the app may take before it counts as hung."))
    memory_mb: int = Field(2048, ge=64, le=65536, description=(
        "Memory of each candidate process; the whole submission's cap stays the engine's."))


class Kata(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    summary: str
    level: Literal["junior", "mid", "senior"]
    tags: tuple[str, ...] = ()
    parts: tuple[Part, ...]
    checklist: tuple[ChecklistItem, ...]
    layouts: dict[str, Layout]
    stacks: tuple[StackDecl, ...] = ()
    mutation: MutationPlan = MutationPlan()
    tiers: tuple[Tier, ...] = Field((), description=(
        "Bands of the checklist, in order; when given, every auto item names one."))
    limits: KataLimits = Field(default_factory=lambda: KataLimits())

    @model_validator(mode="after")
    def _items_name_known_tiers(self) -> Kata:
        tiers = [tier.id for tier in self.tiers]
        if dupe := next((t for t in tiers if tiers.count(t) > 1), None):
            raise ValueError(f"tier id {dupe!r} appears twice")
        for item in self.checklist:
            if tiers and item.tier is None and item.mode == "auto":
                raise ValueError(f"checklist item {item.id!r} names no tier, and the kata "
                                 f"grades in tiers ({', '.join(tiers)})")
            if item.tier is not None and item.tier not in tiers:
                known = ", ".join(tiers) or "none declared"
                raise ValueError(f"checklist item {item.id!r} names tier {item.tier!r}, which "
                                 f"is none of the kata's tiers ({known})")
        return self

    @model_validator(mode="after")
    def _unique_item_ids(self) -> Kata:
        seen: set[str] = set()
        for item in self.checklist:
            if item.id in seen:
                raise ValueError(f"checklist item id {item.id!r} appears twice")
            seen.add(item.id)
        return self

    @model_validator(mode="after")
    def _items_name_known_parts(self) -> Kata:
        parts = {part.id for part in self.parts}
        if bad := next((i for i in self.checklist if i.part and i.part not in parts), None):
            raise ValueError(f"checklist item {bad.id!r} names part {bad.part!r}, which is none "
                             f"of {', '.join(sorted(parts))}")
        return self

    @model_validator(mode="after")
    def _unique_stack_ids(self) -> Kata:
        ids = [stack.id for stack in self.stacks]
        if dupe := next((i for i in ids if ids.count(i) > 1), None):
            raise ValueError(f"stack id {dupe!r} appears twice")
        if "installed" in ids:
            raise ValueError("stack id 'installed' names the grader's own environment")
        return self

    @property
    def directory(self) -> Path:
        return KATAS_DIR / self.id

    @property
    def starter_dir(self) -> Path:
        return self.directory / "starter"

    @property
    def checks_dir(self) -> Path:
        return self.directory / "checks"

    @property
    def solution_dir(self) -> Path:
        return SOLUTIONS_DIR / self.id

    @property
    def max_points(self) -> float:
        return sum(item.points for item in self.checklist if item.mode == "auto")

    @property
    def planned_minutes(self) -> tuple[int, int]:
        return (sum(p.minutes[0] for p in self.parts), sum(p.minutes[1] for p in self.parts))

    @cached_property
    def auto_items(self) -> tuple[ChecklistItem, ...]:
        return tuple(item for item in self.checklist if item.mode == "auto")

    def detect_layout(self, workspace: Path) -> str | None:
        return next((name for name, lay in self.layouts.items() if lay.matches(workspace)), None)

    def summary_dict(self) -> dict[str, object]:
        low, high = self.planned_minutes
        return {"id": self.id, "title": self.title, "level": self.level,
                "minutes": [low, high], "points": self.max_points, "summary": self.summary}


def _field_path(loc: tuple[int | str, ...], data: object) -> str:
    """`checklist[3].points` reads better than `checklist.3.points`, and ids beat indexes."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int):
            label = str(key)
            if isinstance(node, list) and key < len(node) and isinstance(node[key], dict):
                label = str(node[key].get("id", key))
            parts.append(f"[{label}]")
            node = node[key] if isinstance(node, list) and key < len(node) else None
        else:
            parts.append(f".{key}" if parts else str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return "".join(parts) or "(top level)"


def load_kata_file(path: Path) -> Kata:
    """Parse and validate one kata.yaml; every failure is a UserError naming file and field."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - safe
    except OSError as error:
        raise UserError(f"cannot read {path}: {error.strerror}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise UserError(f"{path}{where}: malformed YAML ({problem})") from None
    if not isinstance(data, dict):
        raise UserError(f"{path}: expected a mapping of kata fields at the top level")
    try:
        kata = Kata.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = _field_path(tuple(first["loc"]), data)
        raise UserError(f"{path}: field {field}: {first['msg']}") from None
    if kata.id != path.parent.name:
        raise UserError(
            f"{path}: field id: {kata.id!r} does not match its folder {path.parent.name!r}")
    for name, layout in kata.layouts.items():
        if missing := layout.missing_statement(path.parent):
            raise UserError(f"{path}: field layouts.{name}.statement: {missing}")
    for stack in kata.stacks:
        if not (path.parent / stack.lock).is_file():
            raise UserError(f"{path}: field stacks[{stack.id}].lock: no file {stack.lock}")
    return kata


def kata_ids() -> list[str]:
    return sorted(p.parent.name for p in KATAS_DIR.glob("*/kata.yaml"))


@cache
def load_kata(kata_id: str) -> Kata:
    """Katas are read once per process: a batch grades many submissions of the same kata."""
    path = KATAS_DIR / kata_id / "kata.yaml"
    if not path.is_file():
        known = ", ".join(kata_ids()) or "none"
        raise UserError(f"unknown kata {kata_id!r} (known: {known})")
    return load_kata_file(path)


def load_all_katas() -> list[Kata]:
    return [load_kata(kata_id) for kata_id in kata_ids()]
