"""`kata selftest --mutants`: which mutants are made, whose item each is, and what the run says.

The operators and regions are tested on small sources; the floor on real katas, graded: shop-api
meets it, and a copy whose find_user checks were weakened misses it, naming the survivors.
"""

from __future__ import annotations

import ast
import json
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import grader.kata
from cli import app
from grader.errors import UserError
from grader.kata import Kata, kata_ids, load_kata
from grader.mutants.generate import mutants_of_file
from grader.mutants.operators import Source, edits
from grader.mutants.run import judge, run_mutants
from grader.scoring import CheckResult, ItemScore, Scorecard
from katas import KATAS_DIR
from solutions import SOLUTIONS_DIR


def mutated(code: str) -> list[str]:
    text = textwrap.dedent(code)
    source = Source(text)
    return [text[:e.start] + e.text + text[e.end:] for e in edits(ast.parse(text), source)]


@pytest.mark.parametrize(("code", "expected"), [
    ("if n <= 0:\n    pass\n", "if n < 0:\n    pass\n"),
    ("ok = a == b\n", "ok = a != b\n"),
    ("ok = x is not None\n", "ok = x is None\n"),
    ("ok = a and b\n", "ok = a or b\n"),
    ("ok = not a\n", "ok = a\n"),
    ("stock = stock - q\n", "stock = stock + q\n"),
    ("last = items[-n:]\n", "last = items[n:]\n"),
    ("top = ranked[:n]\n", "top = ranked[:n + 1]\n"),
    ("limit = 10\n", "limit = 11\n"),
    ("flag = True\n", "flag = False\n"),
    ("def f():\n    raise ValueError\n", "def f():\n    pass\n"),
    ("with lock:\n    go()\n", "if True:\n    go()\n"),
    ("q = select(P).order_by(P.price)\n", "q = select(P)\n"),
    ("q = (\n    select(P)\n    .offset(o)\n    .limit(n)\n)\n",
     "q = (\n    select(P)\n    .limit(n)\n)\n"),
    ("q = where(a, b)\n", "q = where(b, a)\n"),
    ("q = where(a, b)\n", "q = where(b)\n"),
    ("q = where(a, b)\n", "q = where(a)\n"),
    ("def f():\n    return answer\n", "def f():\n    return None\n"),
])
def test_each_operator_makes_its_mutant(code, expected):
    assert expected in mutated(code)


def test_mutants_leave_docstrings_comments_and_layout_alone():
    code = 'def f(n):\n    """Docs: 1 < 2."""\n    # a comment, n <= 0\n    return  n<=0\n'
    found = mutated(code)
    assert 'def f(n):\n    """Docs: 1 < 2."""\n    # a comment, n <= 0\n    return  n<0\n' in found
    assert all('"""Docs: 1 < 2."""' in text and "# a comment, n <= 0" in text for text in found)


KATA_YAML = """
id: tiny
title: Tiny
summary: A kata to test regions on.
level: junior
parts: [{{id: p, title: P, minutes: [5, 5], work: W}}]
checklist:
{items}
layouts:
  scaffold: {{detect: [tasks.py], app: "app.main:app", tasks: tasks, databases: [none]}}
"""

TASKS = '''\
def top(counts, n):
    if n <= 0:
        return []
    return sorted(counts)[:n]


def other(n):
    return n + 1
'''


def tiny_kata(items: str, tmp_path: Path) -> Kata:
    path = tmp_path / "tiny" / "kata.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(KATA_YAML.format(items=textwrap.indent(items.strip(), "  ")))
    return grader.kata.load_kata_file(path)


def item(item_id: str, regions: str) -> str:
    return f"- {{id: {item_id}, text: T, points: 1, checks: [c.py], mutate: {regions}}}\n"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "tasks.py").write_text(TASKS)
    return folder


def test_a_mutant_is_the_item_whose_region_touching_it_is_smallest(tmp_path, workspace):
    kata = tiny_kata(item("logic", "[{file: tasks.py, function: top}]")
                     + item("edges", '[{file: tasks.py, match: ["if n <= 0", "return []"]}]'),
                     tmp_path)
    made = mutants_of_file(kata, workspace, "tasks.py")
    guard = [m for m in made if "-    if n <= 0:" in m.diff]
    body = [m for m in made if "-    return sorted(counts)[:n]" in m.diff]
    assert guard and {m.item for m in guard} == {"edges"}
    assert body and {m.item for m in body} == {"logic"}
    assert not any(":other:" in m.id for m in made), "a mutant outside every region"


def test_lines_the_starter_gives_are_not_the_candidates_to_break(tmp_path, workspace):
    kata = tiny_kata(item("logic", "[{file: tasks.py}]"), tmp_path)
    starter = TASKS.replace("    return sorted(counts)[:n]\n", "    raise NotImplementedError\n")
    made = mutants_of_file(kata, workspace, "tasks.py", starter)
    assert made and {m.line for m in made} == {4}, [m.id for m in made]


def test_mutant_ids_do_not_move_with_unrelated_edits(tmp_path, workspace):
    kata = tiny_kata(item("logic", "[{file: tasks.py, function: top}]"), tmp_path)
    before = {m.id for m in mutants_of_file(kata, workspace, "tasks.py")}
    (workspace / "tasks.py").write_text("import os\n\n\n" + TASKS.replace(
        "def other(n):", "def helper():\n    return os.sep\n\n\ndef other(n):"))
    assert {m.id for m in mutants_of_file(kata, workspace, "tasks.py")} == before


@pytest.mark.parametrize(("regions", "message"), [
    ("[{file: tasks.py, function: nope}]", r"mutate\[0\]\.function: no function or class nope"),
    ('[{file: tasks.py, match: ["absent text"]}]', r"mutate\[0\]\.match: no line .*absent"),
    ("[{file: tasks.py, lines: [1, 99]}]", r"mutate\[0\]\.lines: 1-99 is not within"),
])
def test_a_region_that_names_nothing_is_the_katas_error(tmp_path, workspace, regions, message):
    kata = tiny_kata(item("logic", regions), tmp_path)
    with pytest.raises(UserError, match=rf"kata\.yaml: field checklist\[logic\]\.{message}"):
        mutants_of_file(kata, workspace, "tasks.py")


def test_two_items_claiming_the_same_lines_is_the_katas_error(tmp_path, workspace):
    kata = tiny_kata(item("a", "[{file: tasks.py, function: top}]")
                     + item("b", "[{file: tasks.py, function: top}]"), tmp_path)
    with pytest.raises(UserError, match="regions of a and b both hold line"):
        mutants_of_file(kata, workspace, "tasks.py")


def card_losing(*lost: str) -> Scorecard:
    items = [ItemScore(i, i, "auto", 10, 0 if i in lost else 10,
                       (CheckResult(f"test_{i}.py::test_it",
                                    "failed" if i in lost else "passed"),))
             for i in ("a", "b")]
    return Scorecard(kata="k", title="K", submission="s", layout="scaffold",
                     database="sqlite", seed=1, items=items)


@pytest.mark.parametrize(("lost", "listed", "verdict"), [
    (("a",), False, "killed"),
    (("a", "b"), False, "also_cost"),
    (("b",), False, "misattributed"),
    ((), False, "survived"),
    ((), True, "equivalent"),
    (("a",), True, "not_equivalent"),
])
def test_verdicts(tmp_path, workspace, lost, listed, verdict):
    kata = tiny_kata(item("a", "[{file: tasks.py, function: top}]"), tmp_path)
    mutant = mutants_of_file(kata, workspace, "tasks.py")[0]
    graded = judge(mutant.__class__(**{**mutant.__dict__, "item": "a"}), card_losing(*lost),
                   listed)
    assert graded.verdict == verdict
    assert graded.passed == (() if "a" in lost else ("test_a.py::test_it",))


WEAK_FIND_USER = '''
def test_finds_someone(tasks):
    users = [{"id": 1, "email": "a@x.test"}, {"id": 2, "email": "b@x.test"}]
    assert tasks.call("find_user_by_email", users, "a@x.test") is not None
'''


@pytest.fixture
def weakened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A copy of shop-api whose find_user checks only ask for some answer."""
    katas, solutions = tmp_path / "katas", tmp_path / "solutions"
    copy = shutil.copytree(KATAS_DIR / "shop-api", katas / "weak",
                           ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(SOLUTIONS_DIR / "shop-api", solutions / "weak")
    spec = copy / "kata.yaml"
    spec.write_text(spec.read_text().replace("id: shop-api", "id: weak", 1))
    (copy / "checks" / "test_find_user.py").write_text(WEAK_FIND_USER)
    monkeypatch.setattr(grader.kata, "KATAS_DIR", katas)
    monkeypatch.setattr(grader.kata, "SOLUTIONS_DIR", solutions)
    monkeypatch.setenv("KATA_SERVER", "0")  # graders fork from here, where "weak" exists
    load_kata.cache_clear()
    yield "weak"
    load_kata.cache_clear()


def test_a_weakened_check_makes_the_floor_fail(weakened):
    report = run_mutants(weakened, jobs=2, items=["debug.find_user"], seed=3)
    survivors = [g for g in report.graded if g.verdict == "survived"]
    assert not report.ok and survivors, [g.verdict for g in report.graded]
    assert any("below the floor" in problem for problem in report.problems)
    assert any("!= email" in g.mutant.diff for g in survivors)
    assert all(g.passed == ("test_find_user.py::test_finds_someone",) for g in survivors)



def test_selftest_mutants_from_the_command_line(tmp_path):
    page = tmp_path / "mutants.md"
    result = CliRunner().invoke(app, ["selftest", "shop-api", "--seeds", "1", "--mutants",
                                      "--item", "debug.find_user", "--seed", "4", "--json",
                                      "--report", str(page)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] and data["mutants"]["schema"] == "katabench.mutants/1"
    assert {m["item"] for m in data["mutants"]["mutants"]} == {"debug.find_user"}
    assert "| `debug.find_user` |" in page.read_text()


def test_a_bad_report_path_is_refused_before_grading(tmp_path):
    result = CliRunner().invoke(app, ["selftest", "shop-api", "--mutants", "--report",
                                      str(tmp_path / "mutants.txt")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: --report {tmp_path / 'mutants.txt'}: give a .md or .html file"]


# A seeded sample of each kata's mutants: the whole runs take from 80 s (debug-perf) to 13
# minutes (user-api, blog-api) here, some 40 minutes in all, far over CI's budget, and are
# `kata selftest KATA --mutants`'s (README: Mutation testing, with each kata's full figures).
# The sizes follow what one grade costs: user-api runs the candidate's tests seven times,
# blog-api hashes a dozen passwords, upload-api sends 26 MiB, debug-perf serves 220 searches.
SAMPLES = {"shop-api": 12, "product-search": 10, "user-api": 5, "blog-api": 5, "upload-api": 4,
           "debug-perf": 3}


def test_every_kata_has_its_sample_in_ci():
    assert sorted(SAMPLES) == kata_ids()


@pytest.mark.parametrize(("kata_id", "sample"), sorted(SAMPLES.items()))
def test_each_kata_meets_its_mutation_floor_on_a_sample(kata_id, sample):
    report = run_mutants(kata_id, jobs=2, sample=sample, seed=17)
    assert report.ok, report.problems
    assert len(report.graded) == sample
