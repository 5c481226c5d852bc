"""Similarity across a batch, on folders: copies and disguised copies are flagged, the katas'
independent solutions and untouched starters are not, candidate files are only ever read; and
one small graded batch carries the pairs into its summary."""

from __future__ import annotations

import ast
import builtins
import json
import subprocess
import sys
import zipfile
from pathlib import Path

from browser import page_fixture
from conftest import SOLUTIONS, zip_folder

from grader.reports import write_reports
from grader.scaffold import overlay, start_workspace, write_solution
from grader.scoring import Scorecard
from grader.similarity import DEFAULT_THRESHOLD
from grader.similarity.compare import Submission, find_similar
from grader.similarity.fingerprint import WINDOW, K, fingerprints, normalize
from grader.similarity.sources import MAX_FILE_BYTES, python_files

page = page_fixture()

ALTERNATIVES = {"user-api": ["async_router", "sqlite_put"],
                "shop-api": ["core_join", "split_modules", "sync_selectinload"]}


class _Rename(ast.NodeTransformer):
    def __init__(self, names: dict[str, str]) -> None:
        self.names = names

    def visit_Name(self, node: ast.Name) -> ast.Name:
        node.id = self.names.get(node.id, node.id)
        return node

    def visit_arg(self, node: ast.arg) -> ast.arg:
        node.arg = self.names.get(node.arg, node.arg)
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        node.name = self.names.get(node.name, node.name)
        self.generic_visit(node)
        return node

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]


def disguise(source: str) -> str:
    """What a copier does: every name it binds renamed, the module's functions in reverse order,
    the whole reformatted (ast.unparse drops comments and changes the layout)."""
    tree = ast.parse(source)
    bound = {node.id for node in ast.walk(tree)
             if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    bound |= {node.arg for node in ast.walk(tree) if isinstance(node, ast.arg)}
    functions = [i for i, node in enumerate(tree.body)
                 if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    bound |= {tree.body[i].name for i in functions}  # type: ignore[attr-defined]
    _Rename({name: f"renamed_{name}" for name in bound - set(dir(builtins))}).visit(tree)
    for i, node in zip(functions, [tree.body[i] for i in reversed(functions)], strict=True):
        tree.body[i] = node
    return ast.unparse(tree)


def disguised_copy(kata_id: str, folder: Path) -> Path:
    path = write_solution(kata_id, folder).path
    for module in (path / "app").glob("*.py"):
        module.write_text(disguise(module.read_text()))
    return path


def test_normalized_tokens_ignore_names_literals_comments_and_imports():
    one = normalize("import os\ndef area(width, height):\n    # the area\n    return width * 2\n")
    two = normalize("from math import pi\n\n\ndef f(a, b):\n    return a * 3  # twice\n")
    assert one.ids == two.ids and one.ids
    assert normalize("def f(a, b):\n    return a + 3\n").ids != one.ids  # operators count
    assert one.lines[0] == 2  # the import's line is gone, the def's is kept


def test_winnowing_finds_a_long_enough_match_anywhere():
    shared = list(range(K + WINDOW - 1))  # the length winnowing guarantees to see
    one = fingerprints([1001, 1002, 1003, *shared, 1004])
    two = fingerprints([*shared, 2001, 2002, 2003, 2004, 2005])
    assert {value for value, _ in one} & {value for value, _ in two}
    assert fingerprints(list(range(K - 1))) == []  # shorter than one k-gram


def test_copies_and_disguised_copies_are_flagged(tmp_path):
    for kata_id in ALTERNATIVES:
        reference = write_solution(kata_id, tmp_path / kata_id / "reference").path
        copy = write_solution(kata_id, tmp_path / kata_id / "copy").path
        disguised = disguised_copy(kata_id, tmp_path / kata_id / "disguised")
        original = (reference / "app" / "main.py").read_text()
        assert "renamed_" in (disguised / "app" / "main.py").read_text() != original
        report = find_similar([Submission(name, path, kata_id) for name, path in
                               [("reference", reference), ("copy", copy),
                                ("disguised", disguised)]])
        scores = {(pair.a, pair.b): pair.score for pair in report.pairs}
        assert scores[("reference", "copy")] == 1.0, kata_id
        assert scores[("reference", "disguised")] >= 0.7, kata_id
        fragment = report.pairs[-1].fragments[0]
        assert fragment.a.file == fragment.b.file and fragment.tokens >= K
        assert fragment.a.text and fragment.b.text


def test_independent_solutions_are_not_flagged(tmp_path):
    """Each alternative of tests/solutions on the starter alone (laid over the reference, as the
    grading tests do, it would share the reference's untouched files), against the reference
    and each other."""
    for kata_id, names in ALTERNATIVES.items():
        submissions = [Submission("reference", write_solution(
            kata_id, tmp_path / kata_id / "reference").path, kata_id)]
        for name in names:
            path = start_workspace(kata_id, tmp_path / kata_id / name).path
            overlay(SOLUTIONS / kata_id / name, path)
            submissions.append(Submission(name, path, kata_id))
        assert find_similar(submissions).pairs == [], kata_id
        everything = find_similar(submissions, threshold=0.0)
        assert everything.pairs, "compared nothing: the test would prove nothing"
        assert max(pair.score for pair in everything.pairs) < DEFAULT_THRESHOLD / 2


def test_starter_code_never_counts(tmp_path):
    one = start_workspace("shop-api", tmp_path / "one").path
    two = start_workspace("shop-api", tmp_path / "two").path
    reference = write_solution("shop-api", tmp_path / "reference").path
    submissions = [Submission(path.name, path, "shop-api") for path in (one, two, reference)]
    assert find_similar(submissions, threshold=0.0).pairs == []
    as_other_kata = [Submission(path.name, path, "no-such-kata") for path in (one, two)]
    assert [pair.score for pair in find_similar(as_other_kata).pairs] == [1.0]  # no starter


def test_candidate_files_are_read_never_run(tmp_path):
    outside = tmp_path / "secret.py"
    outside.write_text("TOKEN = 'not the candidate'\n")
    folder = tmp_path / "candidate"
    (folder / "app").mkdir(parents=True)
    marker = tmp_path / "imported"
    (folder / "app" / "main.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    (folder / "app" / "link.py").symlink_to(outside)
    (folder / "app" / "huge.py").write_text("x = 1\n" * (MAX_FILE_BYTES // 6 + 1))
    (folder / ".venv").mkdir()
    (folder / ".venv" / "site.py").write_text("x = 1\n")
    assert [file.path for file in python_files(folder)] == ["app/main.py"]
    find_similar([Submission("a", folder, "user-api"), Submission("b", folder, "user-api")])
    assert not marker.exists()

    archive = tmp_path / "candidate.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("top/app/main.py", "x = 1\n")
        bundle.writestr("top/README.md", "not python")
    assert [file.path for file in python_files(archive)] == ["app/main.py"]
    archive.write_bytes(b"PK\x03\x04 truncated")
    assert python_files(archive) == []  # its scorecard says why; the batch goes on


def test_reading_stops_at_the_submission_budget(tmp_path, monkeypatch):
    from grader.similarity import sources

    for number in range(5):
        (tmp_path / f"m{number}.py").write_text("x = 1\n" * 100)
    monkeypatch.setattr(sources, "MAX_FILES", 3)
    assert [file.path for file in python_files(tmp_path)] == ["m0.py", "m1.py", "m2.py"]
    monkeypatch.setattr(sources, "MAX_TOTAL_BYTES", 1000)
    assert [file.path for file in python_files(tmp_path)] == ["m0.py"]


def test_fragments_show_side_by_side_as_text_in_the_browser(tmp_path, page):
    hostile = "def f(a):\n    return '</pre><script>window.__pwned = 1</script>' + a * 2 + a\n" * 4
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.py").write_text(hostile)
    report = find_similar([Submission(name, tmp_path / name, "user-api")
                           for name in ("one", "two")])
    assert [pair.score for pair in report.pairs] == [1.0]
    cards = [Scorecard(kata="user-api", title="User API", submission=name, layout=None,
                       database=None, seed=1, items=[]) for name in ("one", "two")]
    out = tmp_path / "out"
    write_reports(cards, out, ["html", "json"], similarity=report)
    page.goto((out / "summary.html").as_uri())
    assert page.evaluate("window.__pwned") is None
    pair = page.locator("#similarity .pair")
    assert pair.count() == 1 and pair.locator("h3 a").all_inner_texts() == ["one", "two"]
    sides = pair.locator(".fragment").first.locator("figure")
    boxes = [sides.nth(index).bounding_box() for index in (0, 1)]
    assert boxes[0]["x"] + boxes[0]["width"] <= boxes[1]["x"]  # beside each other
    for index in (0, 1):
        assert "<script>window.__pwned = 1</script>" in sides.nth(index).inner_text()
    assert json.loads((out / "summary.json").read_text())["similarity"]["pairs"][0]["a"] == "one"


def test_a_batch_reports_its_similar_pairs(tmp_path):
    reference = write_solution("shop-api", tmp_path / "inbox" / "alice").path
    zip_folder(disguised_copy("shop-api", tmp_path / "bob"), tmp_path / "inbox" / "bob.zip")
    start_workspace("shop-api", tmp_path / "inbox" / "carol")
    out = tmp_path / "reports"
    done = subprocess.run([sys.executable, "-m", "cli", "grade", str(tmp_path / "inbox" / "*"),
                           "--seed", "3", "--jobs", "2", "--out", str(out),
                           "--format", "json,html", "--similar-above", "0.6"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Similar pairs (at least 60% alike" in done.stdout
    summary = json.loads((out / "summary.json").read_text())
    assert summary["schema"] == "katabench.summary/3"
    scores = {Path(card["submission"]).name: card["score"] for card in summary["cards"]}
    assert scores["alice"] == 100
    similar = summary["similarity"]
    assert similar["threshold"] == 0.6 and similar["compared"] == 3
    assert [(pair["a"], Path(pair["b"]).name) for pair in similar["pairs"]] == [
        (str(reference), "bob.zip")]
    assert "Similar submissions" in (out / "summary.html").read_text()


def test_a_batch_of_copies_lists_the_most_alike_pairs_only(tmp_path, monkeypatch, capsys):
    from grader import views
    from grader.similarity import compare

    reference = write_solution("user-api", tmp_path / "reference").path
    disguised = disguised_copy("user-api", tmp_path / "disguised")
    monkeypatch.setattr(compare, "MAX_PAIRS", 1)
    report = find_similar([Submission(name, path, "user-api") for name, path in
                           [("[red]ref[/red]", reference), ("copy", reference),
                            ("disguised", disguised)]])
    assert [(pair.a, pair.b) for pair in report.pairs] == [("[red]ref[/red]", "copy")]
    assert report.unlisted == 2
    views.print_similar(report)
    shown = capsys.readouterr().out
    assert "[red]ref[/red]" in shown and "2 more pairs" in shown  # names are text, not markup
