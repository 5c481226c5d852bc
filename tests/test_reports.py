"""Report writers for batch grading, from synthetic scorecards: every format, every kind of card
(full marks, partial with hostile reasons, error, skipped checks), atomic writes, and the HTML
as headless Chromium shows it."""

from __future__ import annotations

import csv
import json
import os
import re
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from browser import page_fixture

from grader.errors import UserError
from grader.reports import FORMATS, parse_formats, scorecard_name, write_reports
from grader.reports.atomic import write_atomic
from grader.scoring import CheckResult, ItemScore, Scorecard

page = page_fixture()

XSS = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">"
BOB_REASON = f"expected 3 users & got 2: {XSS}"
CAROL_ERROR = "the submission's time limit is used up (60 s) <b>&amp;</b>"
ITEM_TEXTS = {
    "debug.find_user": "find_user returns the right user",
    "backend.category": "Category model has id, name & relationship",
    "discussion.walkthrough": "Walks through their design choices",
}


def check(name: str, outcome: str = "passed", message: str = "",
          duration: float = 0.25) -> CheckResult:
    return CheckResult(nodeid=f"checks/test_kata.py::{name}", outcome=outcome,  # type: ignore[arg-type]
                       message=message, duration=duration)


STACK_LINE = ("sqlalchemy-2.0 (Python 3.11.7: fastapi 0.128.0, sqlalchemy 2.0.46); "
              "pins not honoured: uvicorn==0.1 (ran 0.40.0)")


def card(submission: str, content_hash: str | None, find_user: tuple[float, list[CheckResult]],
         category: tuple[float, list[CheckResult]], **extra: object) -> Scorecard:
    items = [
        ItemScore("debug.find_user", ITEM_TEXTS["debug.find_user"], "auto", 10, find_user[0],
                  tuple(find_user[1])),
        ItemScore("backend.category", ITEM_TEXTS["backend.category"], "auto", 15, category[0],
                  tuple(category[1])),
        ItemScore("discussion.walkthrough", ITEM_TEXTS["discussion.walkthrough"], "manual", 0,
                  0.0, ()),
    ]
    fields: dict = {"kata": "shop-api", "title": "Shop API", "submission": submission,
                    "layout": "package", "database": "sqlite", "seed": 7, "items": items,
                    "isolation": ["namespaces", "seccomp", "rlimits"],
                    "durations": {"setup": 1.5, "checks": 2.25},
                    "started_at": "2024-05-01T10:00:00+00:00", "planned_minutes": (60, 90),
                    "content_hash": content_hash,
                    "stack": {"id": "sqlalchemy-2.0", "python": "3.11.7",
                              "packages": {"fastapi": "0.128.0", "sqlalchemy": "2.0.46"},
                              "unhonoured": ["uvicorn==0.1 (ran 0.40.0)"]}}
    fields.update(extra)
    return Scorecard(**fields)


def full() -> Scorecard:
    return card("submissions/alice.zip", "a1b2c3d4e5f60718",
                (10.0, [check("test_find_user"), check("test_find_user_missing")]),
                (15.0, [check("test_model"), check("test_columns"), check("test_relation")]))


def partial() -> Scorecard:
    return card("submissions/Bob Smith/", "b0b0b0b0b0b0b0b0",
                (5.0, [check("test_find_user"),
                       check("test_find_user_missing", "failed", BOB_REASON)]),
                (0.0, [check("test_model", "failed", "no table `categories` | \x1b[31mred\x00"),
                       check("test_columns", "error", "fixture 'db' crashed"),
                       check("test_relation", "failed", "")]),
                notes=["3 symlinks were not copied"])


def errored() -> Scorecard:
    base = card("submissions/carol.tar.gz", "cccccccccccccccc", (0.0, []), (0.0, []),
                error=CAROL_ERROR)
    base.layout = base.database = base.seed = None
    return base


def skipping() -> Scorecard:
    return card("dave", "dddddddddddddddd",
                (10.0, [check("test_find_user"),
                        check("test_pg_only", "skipped", "PostgreSQL only")]),
                (10.0, [check("test_model"), check("test_columns"),
                        check("test_relation", "failed", "Category.products is missing")]))


def all_cards() -> list[Scorecard]:
    return [partial(), errored(), full(), skipping()]  # not in rank order on purpose


RANKED = ["submissions/alice.zip", "dave", "submissions/Bob Smith/", "submissions/carol.tar.gz"]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("reports") / "out"
    return out, write_reports(all_cards(), out, list(FORMATS))


def name_of(submission: str) -> str:
    return scorecard_name(next(c for c in all_cards() if c.submission == submission))


# --- formats and names ---------------------------------------------------------------------


def test_parse_formats() -> None:
    assert parse_formats("json,junit") == ["json", "junit"]
    assert parse_formats(" HTML , md,html,") == ["html", "md"]
    assert parse_formats(",".join(FORMATS)) == list(FORMATS)
    with pytest.raises(UserError) as raised:
        parse_formats("json,x")
    assert raised.value.message == (
        "unknown report format 'x' (choose from json, junit, md, html, csv)")
    with pytest.raises(UserError, match="no report format"):
        parse_formats(" , ")


def test_scorecard_names_are_stable_and_filesystem_safe() -> None:
    assert scorecard_name(full()) == "alice-a1b2c3d4e5f60718"
    assert scorecard_name(partial()) == "bob-smith-b0b0b0b0b0b0b0b0"
    assert scorecard_name(errored()) == "carol-cccccccccccccccc"
    odd = [full() for _ in range(4)]
    odd[0].submission, odd[0].content_hash = "../../etc/Ünïcode .. name.TGZ", None
    odd[1].submission = "C:\\Users\\x\\ résumé?.zip"
    odd[2].submission = "/"
    odd[3].submission = "x" * 300
    for one in odd:
        name = scorecard_name(one)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name), name
        assert len(name) <= 65 and name == scorecard_name(one)
    assert re.fullmatch(r"unicode-name-[0-9a-f]{16}", scorecard_name(odd[0]))
    assert scorecard_name(odd[1]).startswith("resume-")
    assert scorecard_name(odd[2]).startswith("submission-")


def test_files_written_per_format_and_summary(reports: tuple[Path, list[Path]]) -> None:
    out, written = reports
    names = [name_of(s) for s in RANKED]
    expected = [out / f"{n}{suffix}" for n in names
                for suffix in (".json", ".junit.xml", ".md", ".html")]
    expected += [out / f"summary{s}" for s in (".json", ".junit.xml", ".md", ".html", ".csv")]
    assert written == expected
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in expected)
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_only_the_asked_formats(tmp_path: Path) -> None:
    written = write_reports(all_cards(), tmp_path, ["csv"])
    assert [p.name for p in written] == ["summary.csv"]
    written = write_reports([full()], tmp_path / "j", ["junit"])
    assert [p.name for p in written] == ["alice-a1b2c3d4e5f60718.junit.xml", "summary.junit.xml"]
    with pytest.raises(UserError, match="unknown report format 'pdf'"):
        write_reports([full()], tmp_path, ["pdf"])


def test_same_name_twice_gets_distinct_files(tmp_path: Path) -> None:
    one, two = full(), full()
    two.submission = "elsewhere/alice.zip"
    written = write_reports([one, two], tmp_path, ["json"])
    assert sorted(p.name for p in written) == [
        "alice-a1b2c3d4e5f60718-2.json", "alice-a1b2c3d4e5f60718.json", "summary.json"]
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert [c["rank"] for c in summary["cards"]] == [1, 1]  # a tie is a tie


# --- JSON ----------------------------------------------------------------------------------


def test_json_round_trips(reports: tuple[Path, list[Path]]) -> None:
    out, _ = reports
    for original in all_cards():
        data = json.loads((out / f"{scorecard_name(original)}.json").read_text("utf-8"))
        assert data["schema"] == "katabench.scorecard/4"
        assert Scorecard.from_json(data) == original


def test_summary_json_ranks_and_counts(reports: tuple[Path, list[Path]]) -> None:
    out, _ = reports
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["schema"] == "katabench.summary/2"
    assert summary["batch"] == {"shard": None, "kata": None, "seed": None,
                                "formats": list(FORMATS)}
    assert "content_hash" not in summary  # --resume reads every *.json in --out
    assert summary["counts"] == {"submissions": 4, "graded": 3, "errors": 1, "full_marks": 1}
    assert [c["submission"] for c in summary["cards"]] == RANKED
    assert [c["score"] for c in summary["cards"]] == [25, 20, 5, 0]
    assert [c["rank"] for c in summary["cards"]] == [1, 2, 3, 4]
    assert [c["report"] for c in summary["cards"]] == [name_of(s) for s in RANKED]
    assert Scorecard.from_json(summary["cards"][2]) == partial()


# --- JUnit ---------------------------------------------------------------------------------

# The common JUnit schema (Jenkins' junit-10.xsd): allowed children and attributes, required ones.
SCHEMA = {
    "testsuites": ({"testsuite"}, {"name", "time", "tests", "failures", "disabled", "errors"},
                   set()),
    "testsuite": ({"properties", "testcase", "system-out", "system-err"},
                  {"name", "tests", "failures", "errors", "time", "disabled", "skipped",
                   "timestamp", "hostname", "id", "package"}, {"name", "tests"}),
    "properties": ({"property"}, set(), set()),
    "property": (set(), {"name", "value"}, {"name", "value"}),
    "testcase": ({"skipped", "error", "failure", "system-out", "system-err"},
                 {"name", "assertions", "time", "classname", "status"}, {"name"}),
    "skipped": (set(), {"message"}, set()),
    "error": (set(), {"message", "type"}, set()),
    "failure": (set(), {"message", "type"}, set()),
}
CHILD_ORDER = {"testsuite": ["properties", "testcase", "system-out", "system-err"],
               "testcase": ["skipped", "error", "failure", "system-out", "system-err"]}


def assert_common_junit(element: ET.Element) -> None:
    children, attributes, required = SCHEMA[element.tag]
    assert set(element.attrib) <= attributes, (element.tag, element.attrib)
    assert required <= set(element.attrib), (element.tag, element.attrib)
    tags = [child.tag for child in element]
    assert set(tags) <= children, (element.tag, tags)
    if element.tag in CHILD_ORDER:
        order = CHILD_ORDER[element.tag]
        assert tags == sorted(tags, key=order.index), tags
    if element.tag == "testcase":
        assert tags.count("skipped") <= 1
    for key in ("tests", "failures", "errors", "skipped"):
        if key in element.attrib:
            assert int(element.get(key)) >= 0
    if "time" in element.attrib:
        assert float(element.get("time")) >= 0
    if element.tag in ("testsuite", "testsuites"):
        cases = element.findall(".//testcase")
        assert int(element.get("tests")) == len(cases)
        assert int(element.get("failures")) == sum(c.find("failure") is not None for c in cases)
        assert int(element.get("errors")) == sum(c.find("error") is not None for c in cases)
    for child in element:
        assert_common_junit(child)


def junit(path: Path) -> ET.Element:
    root = ET.fromstring(path.read_bytes())
    assert path.read_bytes().startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert_common_junit(root)
    return root


def test_junit_partial_card(reports: tuple[Path, list[Path]]) -> None:
    out, _ = reports
    root = junit(out / f"{name_of('submissions/Bob Smith/')}.junit.xml")
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == list(ITEM_TEXTS)
    assert [int(s.get("tests")) for s in suites] == [2, 3, 1]
    assert [int(s.get("failures")) for s in suites] == [1, 3, 0]
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("6", "4", "0")
    for suite in suites[:2]:
        assert {case.get("classname") for case in suite} == {suite.get("name")}
    failure = suites[0].find("testcase[@name='test_find_user_missing']/failure")
    assert failure.get("message") == BOB_REASON and failure.text == BOB_REASON
    model = suites[1].find("testcase[@name='test_model']/failure")
    assert model.get("message") == "no table `categories` | \ufffd[31mred\ufffd"
    crashed = suites[1].find("testcase[@name='test_columns']/failure")
    assert (crashed.get("type"), crashed.get("message")) == ("error", "fixture 'db' crashed")
    empty = suites[1].find("testcase[@name='test_relation']/failure")
    assert empty.get("message") == "failed"
    manual = suites[2].find("testcase")
    assert manual.get("name") == "for the interviewer"
    assert manual.get("classname") == "discussion.walkthrough"
    assert ITEM_TEXTS["discussion.walkthrough"] in manual.find("skipped").get("message")
    assert float(suites[0].get("time")) == pytest.approx(0.5)


def test_junit_skipped_check_and_error_card(reports: tuple[Path, list[Path]]) -> None:
    out, _ = reports
    dave = junit(out / f"{name_of('dave')}.junit.xml")
    skipped = dave.find("testsuite[@name='debug.find_user']/testcase[@name='test_pg_only']")
    assert skipped.find("skipped").get("message") == "PostgreSQL only"
    assert dave.find("testsuite[@name='debug.find_user']").get("skipped") == "1"
    carol = junit(out / f"{name_of('submissions/carol.tar.gz')}.junit.xml")
    errors = carol.findall(".//error")
    assert len(errors) == 2 and all(e.get("message") == CAROL_ERROR for e in errors)
    assert carol.get("errors") == "2" and carol.get("failures") == "0"


def test_junit_summary(reports: tuple[Path, list[Path]]) -> None:
    out, _ = reports
    root = junit(out / "summary.junit.xml")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == RANKED
    assert [int(s.get("tests")) for s in suites] == [6, 6, 6, 3]
    assert root.get("tests") == "21" and root.get("failures") == "5" and root.get("errors") == "2"
    props = {p.get("name"): p.get("value") for p in suites[2].find("properties")}
    assert props["score"] == "5/25" and props["seed"] == "7"
    assert props["isolation"] == "namespaces, seccomp, rlimits"
    assert props["stack"] == STACK_LINE
    classnames = {case.get("classname") for case in suites[0].iter("testcase")}
    assert classnames == {f"{name_of(RANKED[0])}.{item}" for item in ITEM_TEXTS}


# --- CSV and Markdown ----------------------------------------------------------------------


def test_summary_csv(reports: tuple[Path, list[Path]]) -> None:
    out, _ = reports
    with open(out / "summary.csv", newline="", encoding="utf-8") as stream:
        reader = csv.DictReader(stream)
        rows = list(reader)
    assert reader.fieldnames == ["submission", "score", "max", "status", "seed", "stack",
                                 "error", "hints_used", *ITEM_TEXTS]
    assert rows[0]["stack"] == "sqlalchemy-2.0"
    assert [r["submission"] for r in rows] == RANKED
    assert [(r["score"], r["max"], r["status"]) for r in rows] == [
        ("25", "25", "graded"), ("20", "25", "graded"), ("5", "25", "graded"),
        ("0", "25", "error")]
    assert [(r["debug.find_user"], r["backend.category"]) for r in rows] == [
        ("10", "15"), ("10", "10"), ("5", "0"), ("0", "0")]
    assert all(r["discussion.walkthrough"] == "" for r in rows)
    assert rows[3]["error"] == CAROL_ERROR and rows[3]["seed"] == ""
    assert rows[0]["seed"] == "7" and rows[0]["error"] == ""


def test_csv_cells_never_start_a_formula_or_a_terminal_escape(tmp_path: Path) -> None:
    hostile = errored()
    hostile.error = "=HYPERLINK(\"http://evil\")\x1b[2J"
    hostile.submission = "@cmd"
    write_reports([hostile], tmp_path, ["csv"])
    with open(tmp_path / "summary.csv", newline="", encoding="utf-8") as stream:
        row = next(csv.DictReader(stream))
    assert row["error"] == "'=HYPERLINK(\"http://evil\")\ufffd[2J" and row["submission"] == "'@cmd"


def table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("|")]


def test_markdown_card(reports: tuple[Path, list[Path]]) -> None:
    out, _ = reports
    text = (out / f"{name_of('submissions/Bob Smith/')}.md").read_text("utf-8")
    assert text.startswith("# Shop API: submissions/Bob Smith/\n")
    assert "**Score: 5 / 25** · graded" in text
    assert "Category model has id, name \\& relationship" in text
    for item_id in ITEM_TEXTS:
        assert f"`{item_id}`" in text
    rows = table_rows(text)
    assert len(rows) == 2 + len(ITEM_TEXTS)
    for row in rows:  # a candidate's pipe must not add a column
        assert len(re.findall(r"(?<!\\)\|", row)) == 6, row
    assert rows[2].startswith("| ✗ | find\\_user returns the right user")
    assert f"| 5 / 10 | 1/2 | `{BOB_REASON}` |" in rows[2]
    assert "| 0 / 15 | 0/3 | ``no table `categories` \\| \ufffd[31mred\ufffd`` |" in rows[3]
    assert "| – | Walks through their design choices" in rows[4]
    assert "for the interviewer" in rows[4]
    for fact in (f"- Stack: {STACK_LINE}",
                 "- Seed: 7", "- Database: sqlite", "- Isolation: namespaces, seccomp, rlimits",
                 "- 3 symlinks were not copied"):
        assert fact in text
    alice = (out / f"{name_of('submissions/alice.zip')}.md").read_text("utf-8")
    assert "| ✓ |" in alice and "| 10 / 10 | 2/2 |  |" in alice


def test_markdown_error_card_and_summary(reports: tuple[Path, list[Path]]) -> None:
    out, _ = reports
    carol = (out / f"{name_of('submissions/carol.tar.gz')}.md").read_text("utf-8")
    assert "**Score: 0 / 25** · error" in carol
    assert f"**Not graded:** `{CAROL_ERROR}`" in carol
    assert f"| 0 / 10 | 0/0 | `{CAROL_ERROR}` |" in carol
    assert "Seed" not in carol
    summary = (out / "summary.md").read_text("utf-8")
    assert summary.startswith("# Shop API: ranking\n")
    assert "Submissions: 4 · graded: 3 · errors: 1 · full marks: 1" in summary
    rows = table_rows(summary)[2:]
    assert [row.split("|")[1].strip() for row in rows] == ["1", "2", "3", "4"]
    for row, submission in zip(rows, RANKED, strict=True):
        assert f"]({name_of(submission)}.md)" in row
    assert "`debug.find_user: expected 3 users" in rows[2]


# --- atomic writes -------------------------------------------------------------------------


def test_atomic_write_replaces_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "card.json"
    target.write_text("old")
    write_atomic(target, "new ✓")
    assert target.read_text("utf-8") == "new ✓"
    write_atomic(target, b"bytes")
    assert target.read_bytes() == b"bytes"
    assert [p.name for p in tmp_path.iterdir()] == ["card.json"]


def test_atomic_write_failure_keeps_the_old_file(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "summary.csv"
    target.write_text("old")

    def broken(source: str, destination: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.csv"]


def test_rewriting_reports_replaces_them(tmp_path: Path) -> None:
    write_reports(all_cards(), tmp_path, list(FORMATS))
    before = sorted(p.name for p in tmp_path.iterdir())
    better = partial()
    better.items[1] = ItemScore("backend.category", ITEM_TEXTS["backend.category"], "auto",
                                15, 15.0, (check("test_model"),))
    write_reports([better, full()], tmp_path, list(FORMATS))
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no temp files, nothing new
    data = json.loads((tmp_path / f"{scorecard_name(better)}.json").read_text())
    assert data["score"] == 20
    assert len(json.loads((tmp_path / "summary.json").read_text())["cards"]) == 2


def test_card_of_an_unknown_kata_renders_everywhere(tmp_path: Path) -> None:
    bare = Scorecard(kata="unknown", title="(not graded)", submission="inbox/broken.zip",
                     layout=None, database=None, seed=None, items=[], error="not a kata")
    written = write_reports([bare], tmp_path, list(FORMATS))
    assert len(written) == 9
    root = junit(tmp_path / f"{scorecard_name(bare)}.junit.xml")
    assert root.find(".//error").get("message") == "not a kata"
    assert "not a kata" in (tmp_path / f"{scorecard_name(bare)}.html").read_text()
    with open(tmp_path / "summary.csv", newline="") as stream:
        assert list(csv.reader(stream)) == [
            ["submission", "score", "max", "status", "seed", "stack", "error", "hints_used"],
            ["inbox/broken.zip", "0", "0", "error", "", "", "not a kata", ""]]


def test_no_submissions(tmp_path: Path) -> None:
    written = write_reports([], tmp_path, list(FORMATS))
    assert [p.name for p in written] == [f"summary{s}" for s in
                                         (".json", ".junit.xml", ".md", ".html", ".csv")]


# --- HTML, as a browser shows it -----------------------------------------------------------


def test_html_is_self_contained(reports: tuple[Path, list[Path]]) -> None:
    out, _ = reports
    for path in out.glob("*.html"):
        html = path.read_text("utf-8")
        assert "<script" not in html and "<link" not in html
        assert not re.search(r"(src|href)=\"(https?:)?//", html), path
        assert "&lt;script&gt;" in html or "bob" not in path.name


def test_html_summary_in_browser(page, reports: tuple[Path, list[Path]]) -> None:
    out, _ = reports
    page.goto((out / "summary.html").as_uri())
    assert page.title() == "Shop API: ranking"
    rows = page.locator("#ranking tbody tr")
    assert rows.count() == 4
    for index, submission in enumerate(RANKED):
        cells = rows.nth(index).locator("td")
        assert cells.nth(0).inner_text() == str(index + 1)
        assert cells.nth(1).inner_text() == submission
        assert cells.nth(1).locator("a").get_attribute("href") == f"{name_of(submission)}.html"
    assert rows.nth(0).locator("td").nth(2).inner_text().split() == ["25", "/", "25"]
    assert rows.nth(3).locator("td").nth(3).inner_text().lower() == "error"
    assert CAROL_ERROR in rows.nth(3).inner_text()
    assert page.locator("th abbr[title='Category model has id, name & relationship']").count()
    assert XSS in rows.nth(2).inner_text()  # the first miss, as text
    page.click(f"text={RANKED[2]}")
    page.wait_for_url(f"**/{name_of(RANKED[2])}.html")
    assert page.locator("#score").inner_text() == "5"
    assert page.evaluate("window.__pwned") is None
    assert page.blocked_urls == [] and page.console_errors == []


def test_html_card_in_browser(page, reports: tuple[Path, list[Path]]) -> None:
    out, _ = reports
    page.goto((out / f"{name_of('submissions/Bob Smith/')}.html").as_uri())
    assert page.locator("#score").inner_text() == "5"
    assert page.locator("#max").inner_text() == "25"
    assert page.locator("#status").inner_text().lower() == "graded"
    body = page.locator("body").inner_text()
    for text in ITEM_TEXTS.values():
        assert text in body
    assert "namespaces, seccomp, rlimits" in body and "sqlite" in body
    assert "3 symlinks were not copied" in body
    find_user = page.locator("#item-debug\\.find_user")
    assert find_user.locator(".points").inner_text() == "5 / 10"
    assert "1/2 checks passed" in find_user.inner_text()
    checks = find_user.locator("li.check")
    assert checks.count() == 2
    assert checks.nth(0).locator(".badge").inner_text().lower() == "passed"
    assert checks.nth(1).locator(".badge").inner_text().lower() == "failed"
    assert checks.nth(1).locator(".reason").inner_text() == BOB_REASON  # shown, not run
    assert page.locator("script").count() == 0 and page.locator("img").count() == 0
    assert page.evaluate("window.__pwned") is None
    category = page.locator("#item-backend\\.category")
    assert category.locator("li.check").count() == 3
    assert "fixture 'db' crashed" in category.inner_text()
    assert "no table `categories` | \ufffd[31mred\ufffd" in category.inner_text()
    manual = page.locator("#item-discussion\\.walkthrough")
    assert "for the interviewer" in manual.inner_text().lower()
    assert manual.locator(".points").count() == 0
    assert page.blocked_urls == [] and page.console_errors == []


def test_html_error_and_skipped_cards_in_browser(page, reports: tuple[Path, list[Path]]) -> None:
    out, _ = reports
    page.goto((out / f"{name_of('submissions/carol.tar.gz')}.html").as_uri())
    assert page.locator("#status").inner_text().lower() == "error"
    assert page.locator("#error").inner_text().endswith(CAROL_ERROR)
    assert page.locator("#error b").count() == 0
    assert page.locator("#item-debug\\.find_user .points").inner_text() == "0 / 10"
    assert page.locator("#item-backend\\.category .points").inner_text() == "0 / 15"
    page.goto((out / f"{name_of('dave')}.html").as_uri())
    find_user = page.locator("#item-debug\\.find_user")
    assert find_user.locator(".points").inner_text() == "10 / 10"
    assert "1/1 checks passed" in find_user.inner_text()
    skipped = find_user.locator("li.check.skipped")
    assert skipped.locator(".reason").inner_text() == "PostgreSQL only"


def tiered() -> Scorecard:
    """A card of a kata graded in tiers: the find_user item a must, the category one a bonus."""
    base = partial()
    items = [ItemScore(i.id, i.text, i.mode, i.points, i.earned, i.checks,
                       tier={"debug.find_user": "must", "backend.category": "bonus"}.get(i.id))
             for i in base.items]
    return card("submissions/tiered/", "7e7e7e7e7e7e7e7e", (5.0, list(items[0].checks)),
                (0.0, list(items[1].checks)), items=items,
                tier_titles={"must": "Must have", "bonus": "Bonus"})


def test_every_format_shows_the_tiers_of_a_tiered_kata(tmp_path):
    written = {path.name: path for path in
               write_reports([tiered(), full()], tmp_path, list(FORMATS))}
    line = "Must have 5/10 · Bonus 0/15"
    data = json.loads(next(p for n, p in written.items()
                           if n.endswith(".json") and "tiered" in n).read_text())
    assert data["tiers"] == [{"id": "must", "title": "Must have", "score": 5.0, "max": 10},
                             {"id": "bonus", "title": "Bonus", "score": 0.0, "max": 15}]
    assert [item["tier"] for item in data["items"]] == ["must", "bonus", None]
    assert Scorecard.from_json(data).tiers_summary() == line
    for name, path in written.items():
        if ("tiered" in name or name.startswith("summary.")) and not name.endswith(".json"):
            shown = {".csv": "tier:must", ".xml": 'name="tier" value="Must have"'}.get(
                path.suffix, line) if name.startswith("tiered") or path.suffix == ".csv" \
                else line
            assert shown in path.read_text(), f"{name} does not show the tiers"
    rows = list(csv.DictReader(written["summary.csv"].open()))
    assert [row["tier:must"] for row in rows] == ["", "5"]  # full(): a kata without tiers
    assert full().tiers_summary() is None


def test_an_untiered_batch_adds_no_tier_columns(tmp_path):
    written = {path.name: path for path in write_reports([full()], tmp_path, ["csv", "md"])}
    assert "tier:" not in written["summary.csv"].read_text()
    assert "Tiers" not in written["summary.md"].read_text()
