"""One-clause mutants of a Python source file: the classic operators, as minimal text edits.

Each operator finds a node in the file's AST and yields the smallest edit that changes it, so a
mutant's diff shows one clause and its line tells which checklist item's region it falls in.
Edits splice the original text rather than re-render the tree: comments and layout survive.

mutmut 3 and cosmic-ray were measured first (README, "Mutation testing"): mutmut makes no mutant
inside a decorated function, which is every FastAPI endpoint, and neither removes a statement,
a chained call or an argument, which is where interview bugs live (a lost lock, commit, raise,
`order_by` or `offset`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    """Replace source[start:end] (character offsets) with `text`."""

    operator: str
    start: int
    end: int
    text: str


class Source:
    """A file's text with AST positions (UTF-8 byte columns) turned into character offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self._starts = [0]
        for line in self.lines:
            self._starts.append(self._starts[-1] + len(line))

    def offset(self, lineno: int, col: int) -> int:
        line = self.lines[lineno - 1].encode("utf-8")
        return self._starts[lineno - 1] + len(line[:col].decode("utf-8"))

    def start(self, node: ast.AST) -> int:
        return self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]

    def end(self, node: ast.AST) -> int:
        return self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]

    def segment(self, node: ast.AST) -> str:
        return self.text[self.start(node):self.end(node)]

    def lines_changed(self, start: int, end: int) -> tuple[int, int]:
        """First and last line of the text in [start, end), white space aside."""
        span = self.text[start:end]
        if span.strip():
            start += len(span) - len(span.lstrip())
            end -= len(span) - len(span.rstrip())
        return self.line_of(start), self.line_of(max(start, end - 1))

    def line_of(self, offset: int) -> int:
        """1-based line of a character offset."""
        low, high = 0, len(self._starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self._starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return low + 1


Operator = Callable[[ast.AST, Source], Iterator[Edit]]

_COMPARE_FLIPS: dict[type[ast.cmpop], tuple[str, str]] = {
    ast.Lt: ("<", "<="), ast.LtE: ("<=", "<"), ast.Gt: (">", ">="), ast.GtE: (">=", ">"),
    ast.Eq: ("==", "!="), ast.NotEq: ("!=", "=="),
    ast.Is: (r"is", "is not"), ast.IsNot: (r"is\s+not", "is"),
    ast.In: (r"in", "not in"), ast.NotIn: (r"not\s+in", "in"),
}
_ARITHMETIC_SWAPS: dict[type[ast.operator], tuple[str, str]] = {
    ast.Add: (r"\+", "-"), ast.Sub: (r"-", "+"), ast.Mult: (r"\*", "/"), ast.Div: (r"/", "*"),
    ast.FloorDiv: (r"//", "*"), ast.Mod: (r"%", "//"),
}
_BOOLEAN_SWAPS: dict[type[ast.boolop], tuple[str, str]] = {
    ast.And: ("and", "or"), ast.Or: ("or", "and"),
}


def _token_between(source: Source, operator: str, start: int, end: int, pattern: str,
                   text: str) -> Iterator[Edit]:
    """The edit replacing the operator token that lies between two operands."""
    gap = source.text[start:end]
    word = pattern[0].isalpha()
    found = re.search(rf"\b{pattern}\b" if word else rf"(?<![<>=!*/]){pattern}(?![=*/])", gap)
    if found:
        yield Edit(operator, start + found.start(), start + found.end(), text)


def compare(node: ast.AST, source: Source) -> Iterator[Edit]:
    """`<` and `<=`, `>` and `>=`, `==` and `!=`, `is`/`is not`, `in`/`not in`: boundaries."""
    if not isinstance(node, ast.Compare):
        return
    operands = [node.left, *node.comparators]
    for op, left, right in zip(node.ops, operands, operands[1:], strict=False):
        pattern, text = _COMPARE_FLIPS[type(op)]
        yield from _token_between(source, "compare", source.end(left), source.start(right),
                                  pattern, text)


def arithmetic(node: ast.AST, source: Source) -> Iterator[Edit]:
    """`+` and `-`, `*` and `/`: sign and scale mistakes."""
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC_SWAPS:
        pattern, text = _ARITHMETIC_SWAPS[type(node.op)]
        yield from _token_between(source, "arithmetic", source.end(node.left),
                                  source.start(node.right), pattern, text)


def boolean(node: ast.AST, source: Source) -> Iterator[Edit]:
    """`and` and `or` swapped; a `not` dropped."""
    if isinstance(node, ast.BoolOp):
        pattern, text = _BOOLEAN_SWAPS[type(node.op)]
        for left, right in zip(node.values, node.values[1:], strict=False):
            yield from _token_between(source, "boolean", source.end(left), source.start(right),
                                      pattern, text)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield Edit("boolean", source.start(node), source.start(node.operand), "")


def sign(node: ast.AST, source: Source) -> Iterator[Edit]:
    """A unary minus dropped: `items[-n:]` becomes `items[n:]`."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        yield Edit("sign", source.start(node), source.start(node.operand), "")


def constant(node: ast.AST, source: Source) -> Iterator[Edit]:
    """Off by one in a number; `True` and `False` swapped."""
    if not isinstance(node, ast.Constant):
        return
    if isinstance(node.value, bool):
        yield Edit("constant", source.start(node), source.end(node), str(not node.value))
    elif isinstance(node.value, int | float):
        for delta in (1, -1):
            yield Edit("constant", source.start(node), source.end(node),
                       repr(node.value + delta))


def slice_bound(node: ast.AST, source: Source) -> Iterator[Edit]:
    """A slice bound off by one: `[:n]` becomes `[:n + 1]` or `[:n - 1]`."""
    if not isinstance(node, ast.Slice):
        return
    for bound in (node.lower, node.upper):
        if bound is not None:
            for text in (" + 1", " - 1"):
                yield Edit("slice", source.end(bound), source.end(bound), text)


_REMOVABLE = (ast.Expr, ast.Raise, ast.AugAssign, ast.Assert, ast.Delete)


def statement(node: ast.AST, source: Source) -> Iterator[Edit]:
    """A statement removed (a call, a `raise`, an increment); a `with` block's guard removed
    (a lock, a transaction), its body kept."""
    if isinstance(node, _REMOVABLE):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            return  # a docstring
        yield Edit("statement", source.start(node), source.end(node), "pass")
    elif isinstance(node, ast.With | ast.AsyncWith) and not any(
            item.optional_vars for item in node.items):
        header_end = source.text.index(":", source.end(node.items[-1].context_expr))
        yield Edit("statement", source.start(node), header_end, "if True")


def call(node: ast.AST, source: Source) -> Iterator[Edit]:
    """A chained call dropped (`.order_by(...)`, `.offset(n)`), each argument of a call with
    several dropped, and two neighbouring positional arguments swapped."""
    if not isinstance(node, ast.Call):
        return
    if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Call):
        yield Edit("call", source.end(node.func.value), source.end(node), "")
    everything = sorted([*node.args, *node.keywords], key=source.start)
    if len(everything) > 1:
        for index, argument in enumerate(everything):
            if index + 1 < len(everything):  # the argument and the comma after it
                start, end = source.start(argument), source.start(everything[index + 1])
            else:  # the last one, and the comma before it
                start, end = source.end(everything[index - 1]), source.end(argument)
            yield Edit("call", start, end, "")
    for left, right in zip(node.args, node.args[1:], strict=False):
        if not isinstance(left, ast.Starred) and not isinstance(right, ast.Starred):
            between = source.text[source.end(left):source.start(right)]
            yield Edit("call", source.start(left), source.end(right),
                       source.segment(right) + between + source.segment(left))


def returned(node: ast.AST, source: Source) -> Iterator[Edit]:
    """A function returns None instead of its answer."""
    if isinstance(node, ast.Return) and node.value is not None and not (
            isinstance(node.value, ast.Constant) and node.value.value is None):
        yield Edit("return", source.start(node.value), source.end(node.value), "None")


OPERATORS: tuple[Operator, ...] = (compare, arithmetic, boolean, sign, constant, slice_bound,
                                   statement, call, returned)
"""Every operator, in the order mutants are listed: add one here to make it part of every run."""


def edits(tree: ast.AST, source: Source) -> Iterator[Edit]:
    for node in ast.walk(tree):
        for operator in OPERATORS:
            yield from operator(node, source)
