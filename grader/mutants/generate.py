"""The mutants of a kata's reference: every operator's edits inside the items' regions.

A mutant belongs to the item whose region sharing a line with its change is the smallest, so a
guard clause declared for "edge cases" inside a function declared for "history" is the edge-case
item's, and so is a `raise` whose message line the region names. Ids are stable across
unrelated edits: they name the file, the enclosing function, the operator and a digest of what
changed, never a line number.
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from grader.errors import UserError
from grader.kata import Kata, Region
from grader.mutants.operators import Edit, Source, edits
from grader.scaffold import render_starter


@dataclass(frozen=True)
class Mutant:
    id: str
    item: str
    file: str
    line: int
    operator: str
    text: str  # the whole mutated file
    diff: str

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "item": self.item, "file": self.file, "line": self.line,
                "operator": self.operator, "diff": self.diff}


@dataclass(frozen=True)
class _Span:
    item: str
    lines: frozenset[int]


def _scopes(tree: ast.AST) -> dict[str, ast.AST]:
    """Every function and class by dotted name."""
    found: dict[str, ast.AST] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                found[name] = child
                visit(child, f"{name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return found


def region_lines(region: Region, source: Source, tree: ast.AST, where: str) -> frozenset[int]:
    """The lines of `source` the region names; `where` prefixes the error when it names none."""
    first, last = 1, len(source.lines)
    if region.function is not None:
        node = _scopes(tree).get(region.function)
        if node is None:
            raise UserError(f"{where}.function: no function or class {region.function} in "
                            f"{region.file} of the reference")
        # From the `def` on: a decorator (a route's path) is the starter's, not the candidate's.
        first, last = node.lineno, node.end_lineno  # type: ignore[attr-defined]
    if region.lines is not None:
        low, high = region.lines
        if not first <= low <= high <= last:
            raise UserError(f"{where}.lines: {low}-{high} is not within lines {first}-{last} "
                            f"of {region.file}")
        return frozenset(range(low, high + 1))
    if not region.match:
        return frozenset(range(first, last + 1))
    chosen: set[int] = set()
    for text in region.match:
        hits = [n for n in range(first, last + 1) if text in source.lines[n - 1]]
        if not hits:
            raise UserError(f"{where}.match: no line of {region.file}"
                            f"{' in ' + region.function if region.function else ''} holds "
                            f"{text!r}")
        chosen.update(hits)
    return frozenset(chosen)


def _scope_of(tree: ast.AST, line: int) -> str:
    best, size = "<module>", None
    for name, node in _scopes(tree).items():
        low, high = node.lineno, node.end_lineno  # type: ignore[attr-defined]
        if low <= line <= high and (size is None or high - low < size):
            best, size = name, high - low
    return best


def _owner(spans: list[_Span], lines: set[int], file: str) -> str | None:
    holding = sorted((s for s in spans if lines & s.lines), key=lambda s: len(s.lines))
    if not holding:
        return None
    if len(holding) > 1 and len(holding[1].lines) == len(holding[0].lines) \
            and holding[1].item != holding[0].item:
        raise UserError(f"the mutation regions of {holding[0].item} and {holding[1].item} "
                        f"both hold line {min(lines)} of {file}, and neither is smaller")
    return holding[0].item


def _mutate(text: str, edit: Edit) -> str:
    return text[:edit.start] + edit.text + text[edit.end:]


def written_lines(reference: str, starter: str | None) -> frozenset[int]:
    """The reference's lines that the starter does not have: what the candidate writes. A
    signature or a route the starter gives is not the candidate's to get wrong."""
    lines = reference.splitlines()
    if starter is None:
        return frozenset(range(1, len(lines) + 1))
    matcher = difflib.SequenceMatcher(None, starter.splitlines(), lines, autojunk=False)
    return frozenset(line for tag, _, _, low, high in matcher.get_opcodes() if tag != "equal"
                     for line in range(low + 1, high + 1))


def mutants_of_file(kata: Kata, workspace: Path, file: str,
                    starter: str | None = None) -> list[Mutant]:
    """The mutants of one file of the reference in `workspace`; `starter` is the same file as
    the starter has it (None: the candidate writes all of it)."""
    path = workspace / file
    try:
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text, filename=file)
    except (OSError, SyntaxError) as error:
        raise UserError(f"cannot read {file} of the {kata.id} reference: {error}") from None
    source = Source(text)
    spans = [
        _Span(item.id, region_lines(region, source, tree,
                                     f"{kata.directory / 'kata.yaml'}: field "
                                     f"checklist[{item.id}].mutate[{index}]"))
        for item in kata.auto_items for index, region in enumerate(item.mutate)
        if region.file == file
    ]
    written = written_lines(text, starter)
    made: list[Mutant] = []
    seen = {text}
    repeats: Counter[tuple[str, str, str, str]] = Counter()
    for edit in edits(tree, source):
        first, last = source.lines_changed(edit.start, edit.end)
        changed = set(range(first, last + 1))
        item = _owner(spans, changed, file) if changed & written else None
        mutated = _mutate(text, edit)
        if item is None or mutated in seen:
            continue
        seen.add(mutated)
        try:
            compile(mutated, file, "exec")
        except SyntaxError:
            continue
        scope = _scope_of(tree, first)
        key = (scope, edit.operator, text[edit.start:edit.end], edit.text)
        repeats[key] += 1
        digest = hashlib.sha1("\0".join([*key[2:], str(repeats[key])]).encode()).hexdigest()
        diff = "".join(difflib.unified_diff(
            text.splitlines(keepends=True), mutated.splitlines(keepends=True),
            f"a/{file}", f"b/{file}", n=2))
        made.append(Mutant(f"{file}:{scope}:{edit.operator}:{digest[:6]}", item, file, first,
                           edit.operator, mutated, diff))
    return sorted(made, key=lambda m: (m.line, m.id))


def generate(kata: Kata, workspace: Path) -> list[Mutant]:
    """Every mutant of the reference written out in `workspace`, file by file."""
    files = sorted({region.file for item in kata.auto_items for region in item.mutate})
    with tempfile.TemporaryDirectory(prefix="kata-starter-") as scratch:
        starter = Path(scratch)
        render_starter(kata, starter, "sqlite")
        given = {file: (starter / file).read_text(encoding="utf-8")
                 for file in files if (starter / file).is_file()}
    return [mutant for file in files
            for mutant in mutants_of_file(kata, workspace, file, given.get(file))]
